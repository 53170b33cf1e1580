// Hierarchical (2D) collectives in sequential phases:
//   all_reduce     = intra-node reduce-scatter -> inter-node all-reduce of S/g per local rank -> intra-node all-gather
//   reduce_scatter = intra-node reduce-scatter -> inter-node reduce-scatter of S/g
//   all_gather     = inter-node all-gather of S/g -> intra-node all-gather
// Each phase's flows share the links by max-min; the phases add: 1/algbw = sum_k 1/algbw_k.
#include <numeric>
#include <vector>

#include "coll/algorithms.hpp"
#include "coll/flows.hpp"

namespace commsim {

std::string HierarchicalAlgorithm::unsupported(Op op, const Topology& topo) const {
  if (op != Op::kAllReduce && op != Op::kAllGather && op != Op::kReduceScatter)
    return "hierarchical runs all_reduce, all_gather and reduce_scatter";
  if (topo.nodes() < 2 || topo.ranks_per_node() < 2) return "hierarchical needs at least two nodes of at least two ranks";
  return "";
}

namespace {

// One ring per node, i -> i + 1. On a full mesh (a link per pair of GPUs) the phase's channels run rings of
// every stride s coprime with g (i -> i + s: a Hamiltonian cycle; distinct strides use distinct links), as
// RCCL and HCCL spread their rings over the mesh; one stride put the phase on g of its g(g-1) links.
double intra_phase(const Topology& topo, double weight) {
  const int g = topo.ranks_per_node();
  std::vector<int> strides = {1};
  if (topo.spec().node.scale_up == ScaleUpType::kMesh)
    for (int s = 2; s < g; ++s)
      if (std::gcd(s, g) == 1) strides.push_back(s);
  FlowBuilder fb(topo);
  const double w = weight / static_cast<double>(strides.size());
  for (int node = 0; node < topo.nodes(); ++node)
    for (int s : strides)
      for (int i = 0; i < g; ++i) fb.add(node * g + i, node * g + (i + s) % g, w);
  return fb.solve().algbw;
}

AlgoBandwidth inter_phase(const Topology& topo, double weight) {
  const int g = topo.ranks_per_node();
  const int nodes = topo.nodes();
  FlowBuilder fb(topo);
  for (int l = 0; l < g; ++l)
    for (int node = 0; node < nodes; ++node) fb.add(node * g + l, ((node + 1) % nodes) * g + l, weight);
  return fb.solve();
}

}  // namespace

AlgoBandwidth HierarchicalAlgorithm::bandwidth(Op op, const Topology& topo, const CollectiveModel&) const {
  const double g = topo.ranks_per_node();
  const double nodes = topo.nodes();
  const double intra = intra_phase(topo, (g - 1) / g);
  const double inter_w = (op == Op::kAllReduce ? 2.0 * (nodes - 1) / nodes : (nodes - 1) / nodes) / g;
  AlgoBandwidth inter = inter_phase(topo, inter_w);
  const double phases = op == Op::kAllReduce ? 2.0 : 1.0;
  inter.algbw = 1.0 / (phases / intra + 1.0 / inter.algbw);
  return inter;
}

double HierarchicalAlgorithm::latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double) const {
  const int g = topo.ranks_per_node();
  const int nodes = topo.nodes();
  // Each phase is a ring: the intra-node ones over g ranks of one node, the inter-node one over one rank per node.
  const int intra_phases = op == Op::kAllReduce ? 2 : 1;
  const int inter_steps = op == Op::kAllReduce ? 2 * (nodes - 1) : nodes - 1;
  const LinkClass intra = topo.intra_class();
  return intra_phases * model.ring_latency(intra, p, g - 1, 0, 1, g) +
         model.ring_latency(intra, p, inter_steps, inter_steps, nodes, 1);
}

}  // namespace commsim
