// PAT (Parallel Aggregated Trees, NCCL 2.23+): all_gather / reduce_scatter with logarithmic latency for one
// rank per node. Bandwidth: the ring's, times NCCL's PAT factor 0.75.
// Latency (NCCL tuning.cc): base + log2(N) * netLat / 3.5 + n * 2.8 us.
#include <cmath>

#include "coll/algorithms.hpp"

namespace commsim {

std::string PatAlgorithm::unsupported(Op op, const Topology& topo) const {
  if (op != Op::kAllGather && op != Op::kReduceScatter) return "pat runs all_gather and reduce_scatter";
  if (topo.ranks_per_node() != 1) return "pat needs one rank per node (NCCL restriction)";
  return "";
}

AlgoBandwidth PatAlgorithm::bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const {
  AlgoBandwidth bw = RingAlgorithm().bandwidth(op, topo, model);
  bw.algbw *= model.pat_efficiency();
  return bw;
}

double PatAlgorithm::latency(Op, Proto p, const Topology& topo, const CollectiveModel& model, double) const {
  return model.base_latency(LatAlgo::kPat, p) +
         std::floor(std::log2(std::max(1, topo.nodes()))) * model.hw_latency(LinkClass::kNet, LatAlgo::kPat, p) / 3.5 +
         topo.ranks() * model.pat_per_rank_latency();
}

}  // namespace commsim
