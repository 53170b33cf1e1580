// Pairwise-exchange alltoall: n-1 rounds; in round k rank r sends S/n to r+k and receives from r-k. Rounds
// run one after another, so 1/algbw = sum_k 1/(n * algbw_k) where algbw_k is round k's max-min level.
// Above 64 rounds, 64 evenly spaced rounds are solved and the sum scaled (rounds with the same shift
// modulo the node size load the links alike).
#include <algorithm>

#include "coll/algorithms.hpp"
#include "coll/flows.hpp"

namespace commsim {

std::string PairwiseAlgorithm::unsupported(Op op, const Topology&) const {
  if (op != Op::kAllToAll) return "pairwise runs alltoall only";
  return "";
}

AlgoBandwidth PairwiseAlgorithm::bandwidth(Op, const Topology& topo, const CollectiveModel&) const {
  const int n = topo.ranks();
  const int rounds = n - 1;
  const int sampled = std::min(rounds, 64);
  double inv_sum = 0;
  AlgoBandwidth worst;
  worst.algbw = 0;
  for (int j = 0; j < sampled; ++j) {
    const int shift = 1 + static_cast<int>(static_cast<long>(j) * rounds / sampled);
    FlowBuilder fb(topo);
    for (int r = 0; r < n; ++r) fb.add(r, (r + shift) % n, 1.0);
    const AlgoBandwidth b = fb.solve();
    inv_sum += 1.0 / b.algbw;
    if (worst.algbw == 0 || b.algbw < worst.algbw) worst = b;
  }
  // Each round moves S/n per rank at its level; scale the sampled rounds to all of them.
  worst.algbw = 1.0 / (inv_sum * rounds / sampled / n);
  return worst;
}

double PairwiseAlgorithm::latency(Op, Proto p, const Topology& topo, const CollectiveModel& model, double) const {
  const LinkClass hop = topo.nodes() > 1 ? LinkClass::kNet : topo.intra_class();
  return model.base_latency(LatAlgo::kRing, p) + (topo.ranks() - 1) * model.hw_latency(hop, LatAlgo::kRing, p);
}

}  // namespace commsim
