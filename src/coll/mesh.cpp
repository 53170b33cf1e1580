// Mesh (one node whose GPUs are joined pairwise, e.g. MI300X xGMI or Ascend 910B HCCS): every rank exchanges
// S/n with every peer at once over its direct link, reduce-scatter then all-gather. Per byte of S each
// pair's link carries 2/n (all_reduce) or 1/n (all_gather, reduce_scatter), so all n-1 links of a rank
// work in parallel: busbw = (n-1) x per-link bandwidth, where a ring would get one link's worth.
// Latency: two steps (one for all_gather / reduce_scatter) at the scale-up hop latency.
#include "coll/algorithms.hpp"
#include "coll/flows.hpp"

namespace commsim {

std::string MeshAlgorithm::unsupported(Op op, const Topology& topo) const {
  if (op != Op::kAllReduce && op != Op::kAllGather && op != Op::kReduceScatter)
    return "mesh runs all_reduce, all_gather and reduce_scatter";
  if (topo.spec().node.scale_up != ScaleUpType::kMesh) return "mesh needs a full-mesh node (node.scale_up.type: mesh)";
  if (topo.nodes() > 1) return "mesh spans one node; across nodes use hierarchical or ring";
  return "";
}

AlgoBandwidth MeshAlgorithm::bandwidth(Op op, const Topology& topo, const CollectiveModel&) const {
  const int n = topo.ranks();
  const double w = (op == Op::kAllReduce ? 2.0 : 1.0) / n;
  FlowBuilder fb(topo);
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) fb.add(a, b, w);
  return fb.solve();
}

double mesh_latency(Op op, Proto p, LinkClass intra, int ranks, const CollectiveModel& model) {
  const int steps = op == Op::kAllReduce ? 2 : 1;
  return model.base_latency(LatAlgo::kRing, p) + steps * model.hw_latency(intra, LatAlgo::kRing, p) +
         (ranks - 1) * model.p2p_per_peer_latency();
}

double MeshAlgorithm::latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double) const {
  return mesh_latency(op, p, topo.intra_class(), topo.ranks(), model);
}

}  // namespace commsim
