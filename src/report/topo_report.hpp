// `commsim topo`: a system's devices and links, the rank-pair bandwidth matrix (like `nvidia-smi topo -m`,
// with the path type and the usable one-flow bandwidth), the bisection bandwidth, and Graphviz output.
#pragma once

#include <ostream>

#include "topo/topology.hpp"

namespace commsim {

// Bisection bandwidth (bytes/s, usable): the max-min throughput when each rank of the first half sends to
// its counterpart in the second half and back.
double bisection_bandwidth(const Topology& topo);

void write_topo_summary(std::ostream& out, const Topology& topo);
void write_topo_dot(std::ostream& out, const Topology& topo);

}  // namespace commsim
