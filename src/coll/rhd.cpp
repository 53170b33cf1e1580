// Recursive halving-doubling (HCCL's "HD"/RHD all_reduce, reduce_scatter and all_gather on Ascend): reduce-
// scatter by recursive halving, all_gather by recursive doubling, each rank exchanging with the peer at
// distance n/2, n/4, ... then back. Steps: ceil(log2 n) per phase (all_reduce both phases), plus one before
// and one after where n is no power of two (the ranks beyond the largest power fold their data into a
// partner and get the result back). With p the largest power of two <= n, each phase moves (p-1)/p x S per
// rank as a ring's (n-1)/n does, and the fold one whole S more per phase, before the others can start:
//   algbw = algbw_ring x (n-1)/n / ((p-1)/p + (p < n ? 1 : 0))
// (on one switch, or across nodes through the NICs, each step's exchanges use every rank's link at once; not
// inside one full-mesh node, where it is not offered). 384 ranks: half the ring's, so the
// tuner keeps the ring for large data. Latency: NCCL's ring formula (the only tables in
// collective-model.yaml; an assumption for HCCL) over these steps, those whose distance reaches another node
// across the network.
//   Example: 384 ranks of one CloudMatrix node, all_reduce of 8 B: 2 x 8 + 2 = 18 steps, against the ring's
//   766 (2.6 ms; HCCL picks RHD for small data).
// Broadcast and reduce as Thakur, Rabenseifner and Gropp's long-message forms (MPICH): broadcast = a binomial
// scatter from the root then a recursive-doubling all_gather, reduce = a recursive-halving reduce_scatter
// then a binomial gather to the root; 2 log2 p steps, and one fold step (after a broadcast, before a reduce)
// where n is no power of two. The root sends (p-1)/p x S in each phase, and the fold one whole S:
//   algbw = algbw_chain / (2 (p-1)/p + (p < n ? 1 : 0))
// where the chain (the ring's broadcast) moves S once per rank. 384 ranks: 17 steps against the chain's 383
// (1.3 ms at 8 B); a third of the chain's rate, so large data keeps the chain. That HCCL's broadcast and
// reduce take this form is an assumption (no HCCL broadcast measurement is in ../shared/validation). Auto
// only where HCCL runs (davinci); `--algo rhd` elsewhere is refused.
#include <algorithm>

#include "coll/algorithms.hpp"

namespace commsim {

int rhd_steps(Op op, int n, int* inter_steps, int nodes) {
  int log = 0;
  while ((1 << log) < n) ++log;
  const bool fold = (1 << log) != n;
  if (fold) --log;  // the largest power of two below n carries the halving and doubling
  int node_log = 0;
  while ((1 << node_log) < nodes) ++node_log;
  const bool rooted = op == Op::kBroadcast || op == Op::kReduce;  // the fold only after, or only before
  const int phases = op == Op::kAllReduce || rooted ? 2 : 1;
  const int folds = fold ? (rooted ? 1 : 2) : 0;
  if (inter_steps) *inter_steps = phases * std::min(node_log, log) + (nodes > 1 ? folds : 0);
  return phases * log + folds;
}

std::string RhdAlgorithm::unsupported(Op op, const Topology& topo) const {
  if (op == Op::kAllToAll || op == Op::kSendRecv)
    return "rhd runs all_reduce, reduce_scatter, all_gather, broadcast and reduce";
  if (topo.spec().gpu.arch != GpuArch::kDavinci)
    return "rhd is HCCL's recursive halving-doubling (Ascend); NCCL and RCCL do not run it";
  // Its exchanges between two ranks of a full-mesh node take their one direct link, not the ring's many:
  // inside one such node HCCL runs its mesh algorithm. Across nodes the intra-node steps come last, with the
  // smallest shares (S/16 and less beside the NIC steps' S/2, S/4, ... on 8-NPU nodes).
  if (topo.nodes() == 1 && topo.spec().node.scale_up == ScaleUpType::kMesh)
    return "rhd's pairwise exchanges inside one full-mesh node use one link each: the mesh algorithm runs "
           "there";
  return "";
}

double rhd_bandwidth_factor(Op op, int n) {
  int p = 1;
  while (p * 2 <= n) p *= 2;
  const double fold = p < n ? 1.0 : 0.0, share = static_cast<double>(p - 1) / p;
  if (op == Op::kBroadcast || op == Op::kReduce) return 1.0 / (2 * share + fold);
  return (static_cast<double>(n - 1) / n) / (share + fold);
}

AlgoBandwidth RhdAlgorithm::bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const {
  AlgoBandwidth bw = RingAlgorithm().bandwidth(op, topo, model);
  bw.algbw *= rhd_bandwidth_factor(op, topo.ranks());
  return bw;
}

double RhdAlgorithm::latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model,
                             double) const {
  int inter = 0;
  const int steps = rhd_steps(op, topo.ranks(), &inter, topo.nodes());
  return model.ring_latency(topo.intra_class(), p, steps, inter, topo.nodes(), topo.ranks_per_node());
}

}  // namespace commsim
