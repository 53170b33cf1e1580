// Which of NCCL's protocols (LL, LL128, Simple) a collective may use on a topology: the tuner's default
// enablement (NCCL tuning.cc, ncclTopoTuneModel; shared/docs/nccl-reference.md 2.3).
//
//   enabled(p) = p in the architecture's `protocols` (topologies/collective-model.yaml; HCCL runs Simple
//   only)
//                and, for LL128, every hop a ring takes inside a node is NVLink-class (typeIntra <=
//                PATH_NVB): not on a PCIe-only node, nor over bridged pairs joined through PCIe.
//
// A group with one rank per node has no hop inside a node, so the second condition holds for it.
#pragma once

#include <string>

#include "coll/model.hpp"
#include "topo/topology.hpp"

namespace commsim {

// Whether `p` runs (the tuners' loops ask it: no text built).
bool protocol_enabled(Proto p, const Topology& topo, const CollectiveModel& model, bool one_rank_per_node);
// Empty when `p` runs; otherwise why not (for --proto's message).
std::string protocol_unavailable(Proto p, const Topology& topo, const CollectiveModel& model,
                                 bool one_rank_per_node);

}  // namespace commsim
