// Which of NCCL's protocols (LL, LL128, Simple) a collective may use on a topology: the tuner's default
// enablement (NCCL tuning.cc, ncclTopoTuneModel; shared/docs/nccl-reference.md 2.3).
//
//   enabled(p) = p in the architecture's `protocols` (topologies/collective-model.yaml; HCCL runs Simple
//   only)
//                and, for LL128, every hop the ring takes inside a node is NVLink-class (typeIntra <=
//                PATH_NVB).
//
// `intra_nvlink` says the second: the whole topology's (ring_intra_nvlink: one rank per node, or an NVSwitch
// or mesh node) or a process group's (group_intra_nvlink: its ranks on a node all behind one NVLink bridge or
// switch), as NCCL builds each communicator's graph over its own ranks.
#pragma once

#include <string>
#include <vector>

#include "coll/model.hpp"
#include "topo/topology.hpp"

namespace commsim {

// Whether `p` runs (the tuners' loops ask it: no text built).
bool protocol_enabled(Proto p, const Topology& topo, const CollectiveModel& model, bool intra_nvlink);
// Empty when `p` runs; otherwise why not (for --proto's message).
std::string protocol_unavailable(Proto p, const Topology& topo, const CollectiveModel& model,
                                 bool intra_nvlink);

// A ring over every rank of the topology: no hop inside a node, or every node joined by NVLink-class links
// (a PCIe-only node, and bridged pairs of more than two GPUs, join theirs through PCIe).
bool ring_intra_nvlink(const Topology& topo);
// Concurrent groups: on every node, each group's ranks there joined by NVLink-class links (one rank; or an
// NVSwitch or mesh node; or one bridged pair).
bool group_intra_nvlink(const Topology& topo, const std::vector<std::vector<int>>& groups);

}  // namespace commsim
