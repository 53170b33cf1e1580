// Direct point-to-point patterns, as NCCL runs them with grouped ncclSend/ncclRecv:
//   alltoall: every rank sends S/n to every other rank at once (flows weighted 1/n per byte of S);
//   sendrecv: every rank sends S to rank+1.
// Inter-node traffic leaves through the sender's NIC and enters on the same rail (PXN forwards it over
// NVLink). Above 32 nodes alltoall uses the hose model: each rank sends its inter-node share through its NIC
// to its leaf, the part bound for other leaves on to the spine, and receives the same way (exact for a Clos
// with ECMP; O(n) flows instead of O(n^2)).
// Latency: base + one hop's latency (+ the network's across nodes) + (n-1) x per-peer cost for alltoall.
#include <algorithm>
#include <limits>
#include <vector>

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
    // A rank's inter-node share (n - g) / n crosses its NIC and leaf; of it only what goes to nodes under
    // other leaves crosses the spine. All of it went up (exact only without oversubscription: 33 nodes on
    // 32-port leaves at 2:1 took 44 ms for 22).
    const double share = static_cast<double>(n - g) / n;
    const int block = topo.leaf_block_nodes();
    std::vector<int> path;
    for (int a = 0; a < n; ++a) {
      const int node = topo.node_of(a);
      const int first = node / block * block;
      const int leaf_nodes = std::min(block, nodes - first);
      const double spine_share = static_cast<double>(n - leaf_nodes * g) / n;
      const bool counted = fb.counts(node);
      for (int up = 0; up < 2; ++up) {
        path.clear();
        if (counted) {
          if (up)
            topo.route_to_spine(a, path);
          else
            topo.route_from_spine(a, path);
          // The leaf-spine link: the last of the way up, the first of the way down.
          const int spine_link = up ? path.back() : path.front();
          if (up)
            path.pop_back();
          else
            path.erase(path.begin());
          fb.add_links(path, share);
          path.assign(1, spine_link);
        } else {
          path.push_back(up ? topo.spine_uplink(a) : topo.spine_downlink(a));
        }
        if (spine_share > 0) fb.add_links(path, spine_share);
      }
    }
  }
  return fb.solve();
}

double p2p_ll_max_bytes(Op op, int ranks, const CollectiveModel& model) {
  return model.p2p_ll_threshold() * (op == Op::kAllToAll ? ranks : 1);
}

double DirectAlgorithm::auto_max_bytes(Op op, Proto p, const Topology& topo,
                                       const CollectiveModel& model) const {
  if (p == Proto::kSimple) return std::numeric_limits<double>::infinity();
  return p2p_ll_max_bytes(op, topo.ranks(), model);
}

double DirectAlgorithm::latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double) const {
  const LinkClass hop = topo.nodes() > 1 ? LinkClass::kNet : topo.intra_class();
  double lat = model.base_latency(LatAlgo::kRing, p) + model.hw_latency(hop, LatAlgo::kRing, p);
  if (op == Op::kAllToAll) lat += (topo.ranks() - 1) * model.p2p_per_peer_latency();
  return lat;
}

}  // namespace commsim
