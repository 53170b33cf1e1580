// `commsim topo`: a system's devices and links, the rank-pair bandwidth matrix (like `nvidia-smi topo -m`,
// with the path type and the usable one-flow bandwidth), the bisection bandwidth, and Graphviz output.
#pragma once

#include <ostream>

#include "topo/topology.hpp"

namespace commsim {

// Bisection bandwidth (bytes/s, usable, per direction): the max-min throughput when every rank of the first
// half sends to every rank of the second half and back (up to 512 ranks; past them each rank to its
// counterpart, r <-> r + n/2).
double bisection_bandwidth(const Topology& topo);

void write_topo_summary(std::ostream& out, const Topology& topo);
void write_topo_dot(std::ostream& out, const Topology& topo);

}  // namespace commsim
