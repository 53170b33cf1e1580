// Builds the flows of one collective step on a topology and solves their max-min sharing. Flows between the
// same endpoints through the same NICs are merged (their weights add), so 16 rings over 8 NICs cost 8x fewer
// flows than channels x ranks.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "coll/algorithm.hpp"
#include "net/maxmin.hpp"

namespace commsim {

class FlowBuilder {
 public:
  explicit FlowBuilder(const Topology& topo) : topo_(topo) {}

  // Rank to rank, `weight` bytes per byte of S. Inter-node flows leave through src_nic and enter through
  // dst_nic (-1: each rank's closest NIC). Host-staged transports (no P2P) use proportionally more capacity.
  void add(int src_rank, int dst_rank, double weight, int src_nic = -1, int dst_nic = -1);
  // Rank to its node's scale-up switch and back (NVLS); `efficiency` scales the capacity the flow can use.
  void add_to_switch(int rank, double weight, double efficiency);
  void add_from_switch(int rank, double weight, double efficiency);
  // Expected number of distinct flows (sizes the index once instead of growing it).
  void reserve(std::size_t flows);
  // A flow over explicit links.
  void add_links(const std::vector<int>& links, double weight);

  // Symmetry reduction (docs/model.md, section 3a): only the links of nodes flagged here (and the leaf-spine
  // links) take part in the minimum. The caller adds every flow that touches a counted link.
  void count_only(std::vector<char> counted_nodes) { counted_ = std::move(counted_nodes); }
  bool counts(int node) const { return counted_.empty() || node < 0 || counted_[node]; }

  // Max-min over the topology's link capacities; algbw = level at which the first link saturates.
  AlgoBandwidth solve() const;
  int flow_count() const { return static_cast<int>(weights_.size()); }

 private:
  int push(double weight);  // appends scratch_ as a new flow
  const Topology& topo_;
  // Open-addressing map from a flow's (src, dst, nics) key to its index; faster than std::unordered_map here,
  // where building ~10^5 flows dominated the solve.
  int find_or_insert(unsigned long long key, bool* inserted);
  std::vector<unsigned long long> slot_key_;
  std::vector<int> slot_index_;
  mutable FlowSet flows_;  // built in place: no per-flow allocation
  std::vector<double> weights_;
  std::vector<int> scratch_;
  std::vector<char> counted_;  // empty: every node
  // Flows staged in host memory (transport efficiency below 1) and that efficiency: a bottleneck they cross
  // says so, since the factor, not the link's rate, is what binds.
  std::vector<std::pair<int, double>> staged_;
};

// Nodes whose links see the same flows in the same order carry the same loads (a symmetry class); the
// first node of each class represents it. `signature[k]` names node k's class; returns a flag per node.
// With the reduction off (tests compare both) every node represents itself and every flow is built.
std::vector<char> class_representatives(const std::vector<long long>& signature);
void set_symmetry_reduction(bool on);

// Rank orders used by several algorithms.
// The ring of channel `c`: node by node, each node's ranks starting at the rank next to NIC (c mod nics) and
// ending at a rank sharing its PCIe switch, so the ring leaves and enters each node through one NIC rail.
// Every node follows the same local order: position i of the ring is rank (i / g) * g + local[i % g], and
// the edge out of a node's last rank leaves through NIC `nic` (-1: intra-node edges, or no NIC).
struct RingPlan {
  std::vector<int> local;  // local ranks in ring order, the same on every node
  int nic = -1;            // the rail of the edges between nodes
};
RingPlan ring_plan(const Topology& topo, int channel);
// On one full-mesh node of single-die GPUs, the g - 1 arc-disjoint Hamiltonian cycles that ring_plan's
// channels take in turn (coll/mesh_cycles.hpp); empty elsewhere, or where none exists (g = 4, 6).
const std::vector<std::vector<int>>& one_node_mesh_cycles(const Topology& topo);
// Channels of a ring algorithm: the architecture's count, at least one per NIC (so every rail is used).
int ring_channels(const Topology& topo, const CollectiveModel& model);
// The same, capped at NCCL's MAXCHANNELS (64): what protocol caps and channel-dependent corrections use.
int nccl_channels(const Topology& topo, const CollectiveModel& model);

// NCCL's double binary tree (ncclGetDtree): parent of `rank` in tree t (0 or 1) over n ranks, -1 at a root.
int dtree_parent(int n, int rank, int tree);

// Symmetry classes of the nodes of a double binary tree over `nodes` nodes (one rank each in the tree):
// nodes with a parent or not, the same number of children below and above them in each tree, and the same
// coincidences between the two trees' edges see the same tree flows in the same order. Returns the
// representative flags (class_representatives) and the parents, parent[t][node].
struct DtreeClasses {
  std::vector<char> representative;
  std::vector<int> parent[2];
};
DtreeClasses dtree_classes(int nodes);

}  // namespace commsim
