// NVLSTree (all_reduce across nodes): NVLS inside each node while double binary trees over the nodes carry
// the inter-node part, one tree per (NIC, tree) channel, both pipelined in the same step.
// Latency (NCCL tuning.cc): base + intraLat + 2 * log2(N) * interLat.
#include <cmath>

#include "coll/algorithms.hpp"
#include "coll/flows.hpp"

namespace commsim {

std::string NvlsTreeAlgorithm::unsupported(Op op, const Topology& topo) const {
  if (op != Op::kAllReduce) return "nvls_tree runs all_reduce only";
  if (!topo.has_nvls()) return "system '" + topo.spec().name + "' has no in-switch reduction (node.scale_up.nvls)";
  if (CollectiveModel::shipped().arch(topo.spec().gpu.arch).nvls_efficiency <= 0)
    return std::string("no NVLS on architecture ") + arch_name(topo.spec().gpu.arch);
  if (topo.nodes() < 2) return "nvls_tree needs at least two nodes; on one node use nvls";
  if (topo.nics_per_node() == 0) return "nvls_tree needs NICs";
  if (topo.ranks_per_node() <= 2) return "nvls_tree needs more than 2 GPUs in the node (NCCL's ncclNvlsInit)";
  return "";
}

AlgoBandwidth NvlsTreeAlgorithm::bandwidth(Op, const Topology& topo, const CollectiveModel& model) const {
  const int g = topo.ranks_per_node();
  const int nodes = topo.nodes();
  const int nics = topo.nics_per_node();
  const double eff = model.arch(topo.spec().gpu.arch).nvls_efficiency;
  // Symmetry (docs/model.md, 3a): one node of each tree class is counted, with every edge that touches it
  // or crosses the spine.
  const DtreeClasses classes = dtree_classes(nodes);
  FlowBuilder fb(topo);
  fb.count_only(classes.representative);
  for (int r = 0; r < topo.ranks(); ++r) {
    if (!fb.counts(topo.node_of(r))) continue;
    fb.add_to_switch(r, 1.0 + 1.0 / g, eff);
    fb.add_from_switch(r, 1.0 + 1.0 / g, eff);
  }
  const int nch = 2 * nics;
  const double w = 1.0 / nch;
  for (int c = 0; c < nch; ++c) {
    const int nic = c % nics;
    const int head = topo.local_rank_of_nic(nic);
    for (int node = 0; node < nodes; ++node) {
      const int parent = classes.parent[c / nics][node];
      if (parent < 0) continue;
      const int me = node * g + head, up = parent * g + head;
      if (!fb.counts(node) && !fb.counts(parent) && !topo.crosses_spine(me, up, nic, nic)) continue;
      fb.add(me, up, w, nic, nic);
      fb.add(up, me, w, nic, nic);
    }
  }
  return fb.solve();
}

double NvlsTreeAlgorithm::latency(Op, Proto p, const Topology& topo, const CollectiveModel& model, double) const {
  return model.base_latency(LatAlgo::kNvlsTree, p) + model.hw_latency(topo.intra_class(), LatAlgo::kNvlsTree, p) +
         2.0 * std::floor(std::log2(topo.nodes())) * model.hw_latency(LinkClass::kNet, LatAlgo::kNvlsTree, p);
}

}  // namespace commsim
