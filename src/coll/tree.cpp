// Tree (NCCL Tree, all_reduce only): per channel one of two complementary binary trees over the nodes
// (ncclGetDtree), a chain through the ranks of each node, reduce flowing up while the broadcast flows down.
// Per byte of S every tree edge carries 1/nch up and 1/nch down; an inner node of one tree is a leaf of the
// other, so a NIC moves about 2S per direction: algbw ~ NIC bandwidth x nics / 2 at scale.
// Latency (NCCL tuning.cc): base + 2 * ((ppn - 1) * intraLat + log2(N) * interLat).
#include <cmath>
#include <map>

#include "coll/algorithms.hpp"
#include "coll/flows.hpp"

namespace commsim {

std::string TreeAlgorithm::unsupported(Op op, const Topology&) const {
  if (op != Op::kAllReduce) return "tree runs all_reduce only";
  return "";
}

static int tree_channels(const Topology& topo, const CollectiveModel& model) {
  const int nch = nccl_channels(topo, model);
  return nch + (nch % 2);
}

// The trees with channel c leaving each node through NIC (c' mod (nics / stride)) x stride: every NIC at
// stride 1, every other one at 2, every fourth at 4. NCCL duplicates its channels and lays the two trees on
// the halves (connectTrees: tree 0 on channel c' < nch/2, tree 1 on its duplicate c' + nch/2, through the
// same NIC), so every NIC carries both trees: c' = c mod nch/2, tree = c div nch/2. Until 2026-12-06 the tree
// was c mod 2, and with an even NIC count each NIC carried one tree: an inner node's NIC moved 6/16 of S
// where 4/16 is NCCL's, and multi-node tree all_reduce ran at two thirds of its rate (helper-142).
static AlgoBandwidth tree_bandwidth(const Topology& topo, const CollectiveModel& model, int stride) {
  const int g = topo.ranks_per_node();
  const int nodes = topo.nodes();
  const int nch = tree_channels(topo, model);
  const int nics = topo.nics_per_node() / stride;
  const double w = 1.0 / nch;
  // Channels sharing a NIC and a tree are identical: count them and build each distinct one once.
  std::map<std::pair<int, int>, int> copies;  // (nic, tree) -> channels
  // On one node no byte touches a NIC: channel c's chain starts at local rank c mod g, whatever the NICs (the
  // NIC layout reordered a PCIe box's chains: 8.8 ms with one NIC, 6.6 with four, 7.7 with eight for one 64 MiB
  // all_reduce). Across nodes the head is the rank beside the channel's NIC, where the tree leaves the node.
  const bool one_node = nodes == 1;
  const int half = nch / 2;  // tree_channels: even
  for (int c = 0; c < nch; ++c)
    copies[{one_node ? c % g : nics > 0 ? c % half % nics * stride : -1, c / half}]++;
  // Chain head -> head+1 -> ... inside each node: reduce goes up (towards head), broadcast down. Every node
  // has the same chains, so their weights are summed once over a local rank-pair matrix.
  std::vector<double> chain(static_cast<std::size_t>(g) * g, 0.0);
  for (const auto& [key, count] : copies) {
    const int head = one_node ? key.first : key.first >= 0 ? topo.local_rank_of_nic(key.first) : 0;
    for (int i = 0; i + 1 < g; ++i) {
      const int a = (head + i) % g, b = (head + i + 1) % g;
      chain[static_cast<std::size_t>(b) * g + a] += w * count;
      chain[static_cast<std::size_t>(a) * g + b] += w * count;
    }
  }
  // Symmetry (docs/model.md, 3a): only one node of each tree class is counted, with every edge that
  // touches it or crosses the spine.
  const DtreeClasses classes = dtree_classes(nodes);
  FlowBuilder fb(topo);
  fb.count_only(classes.representative);
  for (int node = 0; node < nodes; ++node) {
    if (fb.counts(node)) {
      for (int a = 0; a < g; ++a)
        for (int b = 0; b < g; ++b)
          if (chain[static_cast<std::size_t>(a) * g + b] > 0) fb.add(node * g + a, node * g + b, chain[static_cast<std::size_t>(a) * g + b]);
    }
    for (const auto& [key, count] : copies) {
      const auto [nic, tree] = key;
      const int parent = classes.parent[tree][node];
      if (parent < 0) continue;
      const int head = nic >= 0 ? topo.local_rank_of_nic(nic) : 0;
      const int me = node * g + head, up = parent * g + head;
      if (!fb.counts(node) && !fb.counts(parent) && !topo.crosses_spine(me, up, nic, nic)) continue;
      fb.add(me, up, w * count, nic, nic);
      fb.add(up, me, w * count, nic, nic);
    }
  }
  AlgoBandwidth bw = fb.solve();
  bw.algbw *= model.tree_efficiency();
  return bw;
}

AlgoBandwidth TreeAlgorithm::bandwidth(Op, const Topology& topo, const CollectiveModel& model) const {
  AlgoBandwidth best = tree_bandwidth(topo, model, 1);
  // On a PCIe node every chain runs over the switches' uplinks and the socket link, and chains from each NIC
  // can load them more than chains from every other (or every fourth...) NIC: each stride dividing the NIC
  // count is tried, and the best kept, as NCCL's search keeps the better graph; a NIC more never costs time
  // (8 NICs on a PCIe box took 16% longer than 2 for a 2-node all_reduce, 2026-12-06). Over an NVSwitch or
  // mesh the chains cost the same from any head.
  const int nics = topo.nics_per_node();
  if (topo.nodes() > 1 && topo.intra_class() == LinkClass::kPci)
    for (int stride = 2; stride <= nics; ++stride)
      if (nics % stride == 0) {
        AlgoBandwidth fewer = tree_bandwidth(topo, model, stride);
        if (fewer.algbw > best.algbw) best = fewer;
      }
  return best;
}

double TreeAlgorithm::latency(Op, Proto p, const Topology& topo, const CollectiveModel& model, double) const {
  const int ppn = topo.ranks_per_node();
  const double intra = model.hw_latency(topo.intra_class(), LatAlgo::kTree, p);
  const double inter = model.hw_latency(LinkClass::kNet, LatAlgo::kTree, p);
  return model.base_latency(LatAlgo::kTree, p) + 2.0 * ((ppn - 1) * intra + std::floor(std::log2(topo.nodes())) * inter);
}

double TreeAlgorithm::bus_cap(Op, Proto p, const Topology& topo, const CollectiveModel& model) const {
  const ArchModel& a = model.arch(topo.spec().gpu.arch);
  const int nch = tree_channels(topo, model);
  const int ni = node_index(topo);
  if (p == Proto::kLL) return model.ll_max_bus_bw(a, ni, topo.spec().node.cpu_vendor == CpuVendor::kAmd);
  if (p == Proto::kLL128) return nch * a.tree_ll128_per_channel[ni];
  return nch * a.tree_per_channel[ni];
}

// NCCL: Tree+LL busBw / 3.8; Tree+LL128 x 7/9 on one node, x 120/128 across nodes.
double TreeAlgorithm::proto_efficiency(Proto p, const Topology& topo, const CollectiveModel& model) const {
  if (p == Proto::kLL) return 1.0 / 3.8;
  if (p == Proto::kLL128) return topo.nodes() == 1 ? 7.0 / 9.0 : 120.0 / 128.0;
  return model.proto_efficiency(p);
}

}  // namespace commsim
