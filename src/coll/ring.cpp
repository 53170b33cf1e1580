// Ring (NCCL Ring): every channel is a ring over all ranks, node by node, entering and leaving each node
// through one NIC rail. Per byte of S each ring edge carries 2(n-1)/n (all_reduce), (n-1)/n (all_gather,
// reduce_scatter) or 1 (broadcast, reduce: a pipelined chain from the root) divided over the channels.
// Latency (NCCL tuning.cc): base + (nsteps - nInter) * max(intraLat, netOverhead) + nInter * netLat,
// nsteps = 2(n-1) for all_reduce, n-1 otherwise; nInter = 2(N-1) or N-1 for N nodes.
// Example (tests/unit/collectives_test.cpp): 8 x A100 all_reduce, Simple: algbw = 12 x 20 GB/s x 8/14.
#include <algorithm>

#include "coll/algorithms.hpp"
#include "coll/flows.hpp"

namespace commsim {

namespace {
double ring_edge_weight(Op op, int n) {
  switch (op) {
    case Op::kAllReduce: return 2.0 * (n - 1) / n;
    case Op::kAllGather:
    case Op::kReduceScatter: return static_cast<double>(n - 1) / n;
    default: return 1.0;
  }
}
}  // namespace

std::string RingAlgorithm::unsupported(Op op, const Topology&) const {
  if (op == Op::kAllToAll || op == Op::kSendRecv) return "ring runs all_reduce, all_gather, reduce_scatter, broadcast and reduce";
  return "";
}

AlgoBandwidth RingAlgorithm::bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const {
  const int n = topo.ranks();
  const int g = topo.ranks_per_node();
  const int nodes = topo.nodes();
  const std::size_t cycles = one_node_mesh_cycles(topo).size();
  // On one mesh node the channels come in whole sets of the g - 1 cycles (a search finds g - 1 rings; 16
  // channels over 7 cycles loaded two of them a third more and ran at 16/3 links' worth, not 7).
  int nch = ring_channels(topo, model);
  if (cycles > 0) nch = std::max(static_cast<int>(cycles), nch - nch % static_cast<int>(cycles));
  const double w = ring_edge_weight(op, n) / nch;
  const bool chain = op == Op::kBroadcast || op == Op::kReduce;
  // Channels that use the same NIC follow the same ring: build each distinct ring once, weighted by its
  // channel count.
  // On one full-mesh node no ring touches a NIC: its channels take the g - 1 arc-disjoint Hamiltonian cycles
  // (or, where none exist, g distinct paths; ring_plan), whatever the NICs.
  const bool one_mesh_node = nodes == 1 && topo.spec().node.scale_up == ScaleUpType::kMesh;
  const int rings = cycles > 0 ? static_cast<int>(cycles) : one_mesh_node ? g : topo.nics_per_node();
  const int distinct = std::max(1, std::min(nch, rings));
  // Symmetry (docs/model.md, 3a): every node holds the same stretch of each ring, entered from the node
  // before and left to the node after, so nodes 1..N-2 carry identical loads. Node 0 (the wrap, and the
  // chain's root) and node N-1 are counted apart; of the others only node 1 is, plus every edge that
  // crosses the spine.
  std::vector<long long> signature(static_cast<std::size_t>(nodes), 1);
  signature.back() = 2;
  signature.front() = 0;
  FlowBuilder fb(topo);
  fb.count_only(class_representatives(signature));
  fb.reserve(static_cast<std::size_t>(distinct) * 3 * (g + 1));
  for (int c = 0; c < distinct; ++c) {
    const int copies = nch / distinct + (c < nch % distinct ? 1 : 0);
    const RingPlan plan = ring_plan(topo, c);
    for (int k = 0; k < nodes; ++k) {
      const int next = (k + 1) % nodes;
      const bool inner = fb.counts(k);
      const bool out = inner || fb.counts(next) ||
                       topo.crosses_spine(k * g + plan.local[g - 1], next * g + plan.local[0], plan.nic, plan.nic);
      if (!out) continue;
      for (int j = inner ? 0 : g - 1; j < g; ++j) {
        const int src = k * g + plan.local[j];
        const int dst = j + 1 < g ? k * g + plan.local[j + 1] : next * g + plan.local[0];
        if (chain && dst == 0) continue;  // a chain from the root (rank 0): no edge into it
        const int nic = j + 1 < g ? -1 : plan.nic;
        fb.add(src, dst, w * copies, nic, nic);
      }
    }
  }
  return fb.solve();
}

int RingAlgorithm::steps(Op op, int n) {
  return op == Op::kAllReduce ? 2 * (n - 1) : n - 1;
}

double RingAlgorithm::latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const {
  const int n = topo.ranks();
  const int nodes = topo.nodes();
  const int nsteps = steps(op, n);
  const int inter = nodes > 1 ? (op == Op::kAllReduce ? 2 * (nodes - 1) : nodes - 1) : 0;
  // Broadcast and reduce: a pipelined chain, whose first chunk crosses n-1 hops. (NCCL's tuner charges one
  // hop there, which under-predicts the measured H800 broadcast: 26 us at 8 B against its 7 us.)
  double lat = model.ring_latency(topo.intra_class(), p, nsteps, inter, nodes, topo.ranks_per_node());
  const int nch = nccl_channels(topo, model);
  if (nodes > 1 && op == Op::kAllReduce && p == Proto::kSimple && bytes / (nch * static_cast<double>(n)) >= 64) {
    lat *= model.multi_node_ring_simple_factor();
  }
  return lat;
}

double RingAlgorithm::bus_cap(Op, Proto p, const Topology& topo, const CollectiveModel& model) const {
  const ArchModel& a = model.arch(topo.spec().gpu.arch);
  if (p == Proto::kLL)
    return model.ll_max_bus_bw(a, node_index(topo), topo.spec().node.cpu_vendor == CpuVendor::kAmd);
  if (p == Proto::kLL128) return nccl_channels(topo, model) * a.ring_ll128_per_channel;
  return Algorithm::bus_cap(Op::kAllReduce, p, topo, model);
}

}  // namespace commsim
