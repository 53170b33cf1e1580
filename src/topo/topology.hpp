// The platform as a graph of directed links with usable capacities (raw x efficiency), built from a
// SystemSpec at a given scale. Nodes are identical, so each node's vertices and links form one block that
// is numbered `nodes` times; only node 0's block is stored (link(id) and vertex(id) shift it), and
// intra-node routes are computed once on node 0 and shifted. Fabric vertices (leaves, one aggregated
// spine) and links follow the node blocks and are stored.
//
// Ranks are dies: a package of two dies gives two ranks. Rank r lives on node r / ranks_per_node().
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hw/link_tech.hpp"
#include "topo/system_spec.hpp"

namespace commsim {

enum class VertexKind { kGpu, kScaleUpSwitch, kPcieSwitch, kCpu, kNic, kLeaf, kSpine };
const char* vertex_kind_name(VertexKind k);

struct Vertex {
  VertexKind kind;
  int node;   // -1 for fabric vertices
  int local;  // index among vertices of this kind in its node (or in the fabric)
};

struct Link {
  int from = 0;
  int to = 0;
  double capacity = 0;  // usable bytes/s in this direction
  double raw = 0;       // raw bytes/s
  LinkClass cls = LinkClass::kNvlink;
  std::string_view tech;  // technology name (links.yaml key); points into Topology-owned storage
};

// The most ranks a topology may have (resolve_scale rejects more).
constexpr long kMaxRanks = 262144;

// How many nodes and GPUs per node to build; see resolve_scale.
struct Scale {
  int nodes = 1;
  int gpus_per_node = 0;  // packages per node actually used
};

// What resolve_scale's messages call the three values: the flags, or a training config's cluster keys.
struct ScaleNames {
  std::string nodes = "--nodes", gpus = "--gpus", gpus_per_node = "--gpus-per-node";
  std::string needs_two =
      "a collective";  // what needs min_ranks: "topo (its pairs and bisection join two GPUs)"
};

// From --nodes / --gpus / --gpus-per-node (0 = not given). --gpus counts packages; it must be a multiple of
// the GPUs per node, except that a single partially filled supernode is allowed. Throws InputError, also for
// fewer than `min_ranks` ranks (a collective needs two; a training estimate may run on one GPU).
Scale resolve_scale(const SystemSpec& spec, int nodes, int gpus, int gpus_per_node, const ScaleNames& names = {},
                    int min_ranks = 2);

class Topology {
 public:
  Topology(const SystemSpec& spec, const Scale& scale);
  Topology(const Topology&) = delete;  // links refer to names_ by string_view
  Topology& operator=(const Topology&) = delete;
  Topology(Topology&&) = default;

  const SystemSpec& spec() const { return spec_; }
  int nodes() const { return nodes_; }
  int ranks() const { return nodes_ * ranks_per_node_; }
  int ranks_per_node() const { return ranks_per_node_; }
  int packages_per_node() const { return packages_per_node_; }
  int node_of(int rank) const { return rank / ranks_per_node_; }
  int nics_per_node() const { return static_cast<int>(nic_local_.size()); }
  // Nodes whose NICs share their leaves, by leaf_of_nic's layout: leaf_ports nodes per rail leaf on a
  // rail-optimized fabric, leaf_ports / NICs per node on a fat tree (at least 1).
  int leaf_block_nodes() const;
  // The NIC (0..nics_per_node-1) closest to a local rank (same PCIe switch or board).
  int nic_of_local_rank(int local_rank) const { return rank_nic_[local_rank]; }
  // A local rank closest to NIC k (the first one attached to it).
  int local_rank_of_nic(int nic) const { return nic_rank_[nic]; }
  // The PCIe switch (or CPU, or package) a local rank hangs off; equal values share it.
  int attachment_of_local_rank(int local_rank) const { return rank_attach_[local_rank]; }

  bool has_nvls() const { return spec_.node.nvls && spec_.node.scale_up == ScaleUpType::kNvswitch; }
  bool has_scale_up() const { return spec_.node.scale_up != ScaleUpType::kNone; }
  // Latency class of the paths between ranks of one node (NVLINK when a scale-up fabric joins them all).
  LinkClass intra_class() const { return intra_class_; }
  // Usable per-direction bandwidth of one rank's scale-up attachment (0 without scale-up).
  double rank_scale_up_bandwidth() const { return rank_scale_up_bw_; }
  double nic_bandwidth() const;  // usable, per NIC per direction

  int vertex_count() const { return nodes_ * vertices_per_node_ + static_cast<int>(fabric_vertices_.size()); }
  int link_count() const { return nodes_ * links_per_node_ + static_cast<int>(fabric_links_.size()); }
  Vertex vertex(int id) const;
  Link link(int id) const;
  // Every vertex and link, materialised on first use (for reports; solvers use vertex() and link()).
  const std::vector<Vertex>& vertices() const;
  const std::vector<Link>& links() const;
  int rank_vertex(int rank) const;

  // Routes as link ids, appended to `out`. Ranks on the same node use the scale-up path when there is one,
  // else the PCIe tree. Ranks on different nodes leave through the sender's NIC `src_nic` and enter through
  // the receiver's NIC `dst_nic` (-1: each rank's own closest NIC).
  void route(int src_rank, int dst_rank, std::vector<int>& out, int src_nic = -1, int dst_nic = -1) const;
  // Hose-model routes for many-node alltoall: a rank through its NIC and leaf up to the spine, and back.
  void route_to_spine(int rank, std::vector<int>& out) const;
  void route_from_spine(int rank, std::vector<int>& out) const;
  // Route between a rank and its node's scale-up switch (NVLS), either direction.
  void route_to_switch(int rank, std::vector<int>& out) const;
  void route_from_switch(int rank, std::vector<int>& out) const;
  // Efficiency multiplier of the transport between two ranks of one node (host-memory staging where NCCL runs
  // SHM: P2P off, or a PCIe path through a CPU; routing.cpp, staged).
  double transport_efficiency(int src_rank, int dst_rank) const;

  // For solves reduced by symmetry (docs/model.md, section 3a): the node a link belongs to (its block or
  // its NIC-leaf links), -1 for leaf-spine links; whether route(src, dst, src_nic, dst_nic) crosses the
  // spine; the leaf-spine links of a rank's hose route (route_to_spine's last link, route_from_spine's first).
  int link_node(int link) const;
  bool crosses_spine(int src_rank, int dst_rank, int src_nic = -1, int dst_nic = -1) const;
  int spine_uplink(int rank) const;
  int spine_downlink(int rank) const;

 private:
  void build_node_template();
  void build_fabric();
  int add_vertex(VertexKind kind, int node, int local);
  int add_link(int from, int to, double raw, const LinkTech& tech, bool duplex = true);
  void template_route(int src_local_vertex, int dst_local_vertex, std::vector<int>& out) const;
  std::vector<int> shortest_path_tree(int src_local_vertex) const;  // the link into each vertex, -1 none
  void local_path(int node, int src_local_vertex, int dst_local_vertex, std::vector<int>& out) const;
  // Whether a GPU pair whose direct route inside a node is `local_route` is staged through host memory.
  bool staged(const std::vector<int>& local_route) const;
  int leaf_of_nic(int node, int nic) const;
  // The NIC a local rank's inter-node traffic uses when `nic` is asked for (-1: its own), and the local rank
  // that forwards it there by PXN (-1: straight over PCIe); routing.cpp.
  struct NicPath {
    int nic = -1, proxy = -1;
  };
  NicPath nic_path(int local_rank, int nic) const;
  bool scale_up_joins(int local_a, int local_b) const;

  std::string_view intern(const std::string& name);

  SystemSpec spec_;
  std::deque<std::string> names_;  // stable storage for Link::tech
  int nodes_ = 1;
  int packages_per_node_ = 0;
  int ranks_per_node_ = 0;
  LinkClass intra_class_ = LinkClass::kNvlink;
  double rank_scale_up_bw_ = 0;

  std::vector<Vertex> vertices_;  // node 0's block
  std::vector<Link> links_;       // node 0's block
  std::vector<Vertex> fabric_vertices_;  // ids from nodes * vertices_per_node_
  std::vector<Link> fabric_links_;       // ids from nodes * links_per_node_
  bool building_fabric_ = false;
  mutable std::vector<Vertex> all_vertices_;
  mutable std::vector<Link> all_links_;
  std::vector<std::vector<int>> out_links_;  // per template vertex (node 0), for route search

  // Per-node template (node 0) indices; node k adds k * per-node counts.
  int vertices_per_node_ = 0;
  int links_per_node_ = 0;
  std::vector<int> rank_local_;    // local rank -> local vertex
  std::vector<int> nic_local_;     // nic -> local vertex
  std::vector<int> cpu_local_;     // cpu -> local vertex
  std::vector<int> rank_cpu_;      // local rank -> cpu index
  std::vector<int> rank_nic_;      // local rank -> nic index
  std::vector<int> rank_attach_;   // local rank -> vertex it attaches to over PCIe/C2C
  std::vector<int> nic_rank_;      // nic -> local rank
  std::vector<int> nic_attach_;    // nic -> vertex it attaches to (PCIe switch or CPU)
  int switch_local_ = -1;          // scale-up switch vertex (nvswitch)
  std::vector<int> nic_uplink_;    // nic -> link id NIC->leaf (node 0 block is absolute below)
  // Intra-node routes between local vertices, cached: dense route_cache_[a * V + b] for nodes of up to 512
  // vertices (the hot path of large HGX jobs), a hash map keyed by (a, b) for supernode-sized nodes.
  std::vector<int>& cached_route(int src_local, int dst_local) const;
  mutable std::vector<std::vector<int>> route_cache_;
  mutable std::unordered_map<unsigned long long, std::vector<int>> route_map_;
  // Shortest-path trees of template_route, one per source vertex met (the link into each vertex, -1 none):
  // one Dijkstra per source instead of one per pair (a 1,024-GPU node's alltoall ran 10^6 of them).
  mutable std::unordered_map<int, std::vector<int>> route_tree_;

  // Fabric.
  int fabric_first_vertex_ = 0;
  int spine_vertex_ = -1;
  int leaves_per_rail_ = 1;
  int nic_links_first_ = 0;            // first NIC<->leaf link id (they come last, two per NIC)
  std::vector<int> nic_to_leaf_link_;  // (node * nics + nic) -> link id NIC->leaf
  std::vector<int> leaf_to_nic_link_;
  std::vector<int> leaf_up_link_;      // leaf -> spine
  std::vector<int> leaf_down_link_;    // spine -> leaf
};

}  // namespace commsim
