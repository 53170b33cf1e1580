// Direct point-to-point patterns, as NCCL runs them with grouped ncclSend/ncclRecv:
//   alltoall: every rank sends S/n to every other rank at once (flows weighted 1/n per byte of S);
//   sendrecv: every rank sends S to rank+1.
// Inter-node traffic leaves through the sender's NIC and enters on the same rail (PXN forwards it over
// NVLink). Above 32 nodes alltoall uses the hose model: each rank sends its inter-node share up to the
// spine and receives it from there (exact for a non-blocking Clos with ECMP; O(n) flows instead of O(n^2)).
// Latency: base + one hop's latency (+ the network's across nodes) + (n-1) x per-peer cost for alltoall.
#include "coll/algorithms.hpp"
#include "coll/flows.hpp"

namespace commsim {

std::string DirectAlgorithm::unsupported(Op op, const Topology&) const {
  if (op != Op::kAllToAll && op != Op::kSendRecv) return "direct runs alltoall and sendrecv";
  return "";
}

AlgoBandwidth DirectAlgorithm::bandwidth(Op op, const Topology& topo, const CollectiveModel&) const {
  const int n = topo.ranks();
  const int g = topo.ranks_per_node();
  const int nodes = topo.nodes();
  FlowBuilder fb(topo);
  if (op == Op::kSendRecv) {
    // Symmetry (docs/model.md, 3a): as a ring with one channel, nodes 1..N-2 carry identical loads.
    std::vector<long long> signature(static_cast<std::size_t>(nodes), 1);
    signature.back() = 2;
    signature.front() = 0;
    fb.count_only(class_representatives(signature));
    for (int r = 0; r < n; ++r) {
      const int next = (r + 1) % n;
      if (fb.counts(topo.node_of(r)) || fb.counts(topo.node_of(next)) || topo.crosses_spine(r, next)) fb.add(r, next, 1.0);
    }
    return fb.solve();
  }
  const double w = 1.0 / n;
  // Explicit pairs while they stay few (at most ~4M flows); the hose model beyond.
  const bool hose = nodes > 32 || static_cast<long long>(n) * n > (1LL << 22);
  // Inside an NVSwitch-class node every pair goes rank -> switch -> rank, so the pairs load the links exactly
  // as one flow per rank up to the switch and one down, each carrying (g-1)/n: used for large nodes.
  const bool switch_hose = topo.spec().node.scale_up == ScaleUpType::kNvswitch &&
                           static_cast<long long>(g) * g * nodes > (1LL << 20);
  // Symmetry (docs/model.md, 3a): under the hose model every node carries the same flows, so node 0 is
  // counted and the others add only their leaf-spine links.
  if (hose) fb.count_only(class_representatives(std::vector<long long>(static_cast<std::size_t>(nodes), 0)));
  for (int a = 0; a < n; ++a) {
    const int node = topo.node_of(a);
    if (!fb.counts(node)) continue;
    if (switch_hose) {
      fb.add_to_switch(a, w * (g - 1), 1.0);
      fb.add_from_switch(a, w * (g - 1), 1.0);
    } else {
      for (int b = node * g; b < (node + 1) * g; ++b) fb.add(a, b, w);
    }
    if (!hose) {
      const int nic = topo.nics_per_node() > 0 ? topo.nic_of_local_rank(a % g) : -1;
      for (int b = 0; b < n; ++b)
        if (topo.node_of(b) != node) fb.add(a, b, w, nic, nic);
    }
  }
  if (hose) {
    const double share = static_cast<double>(n - g) / n;
    std::vector<int> path;
    for (int a = 0; a < n; ++a) {
      const bool counted = fb.counts(topo.node_of(a));
      path.clear();
      if (counted) topo.route_to_spine(a, path);
      else path.push_back(topo.spine_uplink(a));
      fb.add_links(path, share);
      path.clear();
      if (counted) topo.route_from_spine(a, path);
      else path.push_back(topo.spine_downlink(a));
      fb.add_links(path, share);
    }
  }
  return fb.solve();
}

double DirectAlgorithm::latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double) const {
  const LinkClass hop = topo.nodes() > 1 ? LinkClass::kNet : topo.intra_class();
  double lat = model.base_latency(LatAlgo::kRing, p) + model.hw_latency(hop, LatAlgo::kRing, p);
  if (op == Op::kAllToAll) lat += (topo.ranks() - 1) * model.p2p_per_peer_latency();
  return lat;
}

}  // namespace commsim
