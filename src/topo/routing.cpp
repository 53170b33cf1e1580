#include "topo/topology.hpp"

#include <algorithm>
#include <limits>
#include <queue>

// Routes on a built topology: the shortest path inside a node's template (cached per source), the node-local
// path of any node, and a rank-to-rank route through NICs, leaves and spines.

namespace commsim {

// Shortest path on node 0's block: NVLink-class hops are cheap, PCIe dearer, socket links dearest; GPUs and
// NICs are endpoints only (no routing through a GPU or a NIC).
// The whole tree from `src` gives every destination the path the search stopped at it would have given:
// costs are positive and relaxations strict, so a vertex's link is final once it is popped.
void Topology::template_route(int src, int dst, std::vector<int>& out) const {
  if (src == dst) return;
  auto cached = route_tree_.find(src);
  if (cached == route_tree_.end()) cached = route_tree_.emplace(src, shortest_path_tree(src)).first;
  const std::vector<int>& via = cached->second;
  if (via[dst] < 0) {
    throw InputError(SourceLoc{spec_.node.file, 0, 0, "node"},
                     "disconnected topology: no path inside node '" + spec_.node.name + "' between " +
                         vertex_kind_name(vertices_[src].kind) + " " + std::to_string(vertices_[src].local) + " and " +
                         vertex_kind_name(vertices_[dst].kind) + " " + std::to_string(vertices_[dst].local));
  }
  std::vector<int> rev;
  for (int u = dst; u != src; u = links_[via[u]].from) rev.push_back(via[u]);
  out.insert(out.end(), rev.rbegin(), rev.rend());
}

std::vector<int> Topology::shortest_path_tree(int src) const {
  const int v = vertices_per_node_ > 0 ? vertices_per_node_ : static_cast<int>(out_links_.size());
  std::vector<double> dist(v, std::numeric_limits<double>::infinity());
  std::vector<int> via(v, -1);
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> pq;
  dist[src] = 0;
  pq.push({0, src});
  while (!pq.empty()) {
    auto [d, u] = pq.top();
    pq.pop();
    if (d > dist[u]) continue;
    const VertexKind k = vertices_[u].kind;
    if (u != src && (k == VertexKind::kGpu || k == VertexKind::kNic)) continue;
    for (int id : out_links_[u]) {
      const Link& l = links_[id];
      if (l.to >= v) continue;
      const double cost = l.tech == "cpu-socket" ? 20.0 : l.cls == LinkClass::kNvlink ? 1.0 : 3.0;
      if (d + cost < dist[l.to]) {
        dist[l.to] = d + cost;
        via[l.to] = id;
        pq.push({dist[l.to], l.to});
      }
    }
  }
  return via;
}

std::vector<int>& Topology::cached_route(int src_local, int dst_local) const {
  const std::size_t v = static_cast<std::size_t>(vertices_per_node_);
  if (v > 512) return route_map_[static_cast<unsigned long long>(src_local) << 32 | static_cast<unsigned>(dst_local)];
  if (route_cache_.empty()) route_cache_.resize(v * v);
  return route_cache_[static_cast<std::size_t>(src_local) * v + dst_local];
}

void Topology::local_path(int node, int src_local, int dst_local, std::vector<int>& out) const {
  std::vector<int>& r = cached_route(src_local, dst_local);
  if (r.empty() && src_local != dst_local) {
    const bool gpu_pair = vertices_[src_local].kind == VertexKind::kGpu && vertices_[dst_local].kind == VertexKind::kGpu;
    // Without peer-to-peer (NCCL's SHM transport), GPU-to-GPU PCIe traffic is staged through the sender's
    // host memory (staged, below).
    std::vector<int> direct;
    template_route(src_local, dst_local, direct);
    if (gpu_pair && staged(direct)) {
      const int cpu = cpu_local_[rank_cpu_[vertices_[src_local].local]];
      template_route(src_local, cpu, r);
      template_route(cpu, dst_local, r);
    } else {
      r = std::move(direct);
    }
  }
  const int offset = node * links_per_node_;
  for (int id : r) out.push_back(id + offset);
}

bool Topology::scale_up_joins(int a, int b) const {
  if (a == b) return true;
  switch (spec_.node.scale_up) {
    case ScaleUpType::kNone:
      return false;
    case ScaleUpType::kPairs: {  // bridges join two packages (and their dies, over die-to-die)
      const int dies = spec_.node.dies_per_package;
      return a / dies / 2 == b / dies / 2;
    }
    default:
      return true;  // NVSwitch and mesh nodes join every pair of packages
  }
}

// PXN (NCCL): a rank using a NIC that is not under its own PCIe switch hands its data over the scale-up
// fabric to the rank next to that NIC (on its own die, where a package has several), which sends it; on the
// receiving side that rank forwards it the same way. It needs the scale-up fabric between the two ranks. A
// NIC asked for that the rank can reach neither way is not used: the rank sends and receives on its own NIC,
// and the network carries the data across rails, as NCCL does without PXN. (Such a NIC was reached down
// through its rank's PCIe link and up again: alltoall on NVLink-bridged PCIe boxes ran 19% slower than
// without the bridges, and 13-37% slower at 32 nodes than at 33, where the hose model starts; 2026-12-06.)
// Without PXN a rank reaches its own NIC directly under its PCIe switch, else through the CPU.
Topology::NicPath Topology::nic_path(int l, int nic) const {
  const int own = rank_nic_[l];
  for (int k : {nic >= 0 ? nic : own, own}) {
    if (rank_attach_[l] == nic_attach_[k]) return {k, -1};
    const int dies = spec_.node.dies_per_package;
    int proxy = nic_rank_[k] + l % dies;
    if (proxy >= ranks_per_node_ || rank_nic_[proxy] != k) proxy = nic_rank_[k];
    if (has_scale_up() && scale_up_joins(l, proxy)) return {k, proxy};
    if (k == own) return {k, -1};
  }
  return {own, -1};
}

void Topology::route(int src_rank, int dst_rank, std::vector<int>& out, int src_nic, int dst_nic) const {
  const int na = node_of(src_rank), nb = node_of(dst_rank);
  const int la = src_rank % ranks_per_node_, lb = dst_rank % ranks_per_node_;
  if (na == nb) {
    local_path(na, rank_local_[la], rank_local_[lb], out);
    return;
  }
  const NicPath pa = nic_path(la, src_nic), pb = nic_path(lb, dst_nic);
  const int ka = pa.nic, kb = pb.nic;
  if (pa.proxy >= 0) {
    local_path(na, rank_local_[la], rank_local_[pa.proxy], out);
    local_path(na, rank_local_[pa.proxy], nic_local_[ka], out);
  } else {
    local_path(na, rank_local_[la], nic_local_[ka], out);
  }
  const int nics = nics_per_node();
  out.push_back(nic_to_leaf_link_[na * nics + ka]);
  const int leaf_a = leaf_of_nic(na, ka), leaf_b = leaf_of_nic(nb, kb);
  if (leaf_a != leaf_b) {
    out.push_back(leaf_up_link_[leaf_a]);
    out.push_back(leaf_down_link_[leaf_b]);
  }
  out.push_back(leaf_to_nic_link_[nb * nics + kb]);
  if (pb.proxy >= 0) {
    local_path(nb, nic_local_[kb], rank_local_[pb.proxy], out);
    local_path(nb, rank_local_[pb.proxy], rank_local_[lb], out);
  } else {
    local_path(nb, nic_local_[kb], rank_local_[lb], out);
  }
}

void Topology::route_to_spine(int rank, std::vector<int>& out) const {
  const int n = node_of(rank), l = rank % ranks_per_node_, k = rank_nic_[l];
  local_path(n, rank_local_[l], nic_local_[k], out);
  out.push_back(nic_to_leaf_link_[n * nics_per_node() + k]);
  out.push_back(leaf_up_link_[leaf_of_nic(n, k)]);
}

void Topology::route_from_spine(int rank, std::vector<int>& out) const {
  const int n = node_of(rank), l = rank % ranks_per_node_, k = rank_nic_[l];
  out.push_back(leaf_down_link_[leaf_of_nic(n, k)]);
  out.push_back(leaf_to_nic_link_[n * nics_per_node() + k]);
  local_path(n, nic_local_[k], rank_local_[l], out);
}

void Topology::route_to_switch(int rank, std::vector<int>& out) const {
  local_path(node_of(rank), rank_local_[rank % ranks_per_node_], switch_local_, out);
}

void Topology::route_from_switch(int rank, std::vector<int>& out) const {
  local_path(node_of(rank), switch_local_, rank_local_[rank % ranks_per_node_], out);
}

// NCCL's transports between two GPUs of a node: P2P over the scale-up fabric, or over PCIe where the node
// allows peer-to-peer and the pair's path crosses no CPU (PATH_PIX, PATH_PXB: paths.cc ncclTopoCheckP2p's
// default level; PATH_SYS on an AMD host with at most 2 GPUs); otherwise SHM, staged through host memory.
// Until 2026-12-06 every PCIe pair of a p2p node ran P2P, through the CPU too: an 8-GPU H100 PCIe box's
// all_reduce reached 52.5 GB/s busbw, the full rate of one Gen5 x16 link (helper-142).
bool Topology::staged(const std::vector<int>& local_route) const {
  bool crosses_cpu = false;
  for (int id : local_route) {
    if (links_[id].cls == LinkClass::kNvlink) return false;
    crosses_cpu |= vertices_[links_[id].to].kind == VertexKind::kCpu;
  }
  const NodeSpec& n = spec_.node;
  return !n.p2p || (crosses_cpu && !n.p2p_through_cpu(packages_per_node_));
}

double Topology::transport_efficiency(int src_rank, int dst_rank) const {
  if (node_of(src_rank) != node_of(dst_rank)) return 1.0;
  if (has_scale_up() && scale_up_joins(src_rank % ranks_per_node_, dst_rank % ranks_per_node_)) return 1.0;
  std::vector<int> direct;
  template_route(rank_local_[src_rank % ranks_per_node_], rank_local_[dst_rank % ranks_per_node_], direct);
  if (!staged(direct)) return 1.0;
  return LinkTechs::shipped().get("host-memory", SourceLoc{}).efficiency.value;
}

}  // namespace commsim
