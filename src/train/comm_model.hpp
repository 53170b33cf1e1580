// Collective costs of the training step's process groups, through GroupCollectives (max-min link sharing
// of all concurrent groups of one kind).
//
// Symmetry reduction: a kind of group (all TP groups, all DP groups, ...) is solved on the smallest set of
// nodes that is closed under "shares a node with": starting from the first group, add every group that
// touches one of its nodes, and so on. Those nodes are laid out as a smaller cluster of the same system
// (ranks renumbered node by node, local positions kept), so contention on NICs, rails and scale-up links
// inside the closure is exact; traffic of other closures could only meet it at the spine, which the
// shipped fabrics aggregate. 128 DP groups of 128 on 16,384 GPUs (TP 8, PP 16) solve on 128 nodes, 8 groups.
//
// On an oversubscribed fabric (leaf uplink below its downlinks) the spine is shared: a kind of group whose
// first group spans more than one leaf block (the nodes whose NICs share their leaves: `leaf_ports` nodes on
// a rail-optimized fabric, leaf_ports / NICs per node on a fat tree) is closed under "shares a leaf block"
// instead, whole blocks in node order, so a flow that crosses the spine in the cluster crosses it in the
// closure, beside every other flow of that leaf. PP sends of a PP-outermost layout (node i to node i + 128)
// then meet the uplink: at 4:1 on 32-node rail leaves, 32 sends share 8 NICs' worth of uplink.
//
// Groups with k > 1 ranks on each of several nodes (a DP group under TP 2, FSDP over whole nodes) also get
// NCCL's multi-channel behaviour, where every local rank's NIC carries a share: the hierarchical form
//   reduce_scatter(S) = RS(S) inside each node + RS(S / k) across nodes, k lanes at once (one rank per node)
//   all_gather(S)     = AG(S / k) across nodes + AG(S) inside each node;  all_reduce = RS + AR(S / k) + AG
// and the faster of it and the flat ring is taken. (GroupCollectives' ring follows the rank order, so a
// flat ring of such a group leaves the node through one NIC.)
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "coll/group.hpp"
#include "topo/topology.hpp"

namespace commsim {

class CommModel {
 public:
  CommModel(const SystemSpec& spec, const Scale& scale);
  // Time of one collective run by all `groups` at once (the time of the slowest; they are symmetric).
  double time(Op op, const std::vector<std::vector<int>>& groups, double bytes);
  int ranks_per_node() const { return ranks_per_node_; }
  int nodes() const { return scale_.nodes; }

  // The closure of the first group (symmetry reduction): the groups with a rank on a node it touches, and so
  // on; its nodes renumbered 0.. in node order, its groups in list order. time(op, groups, bytes) == time(op,
  // reduce(groups), bytes); a cache may key on the closure. Built by the rank-by-rank form below.
  struct Reduced {
    int nodes = 0;
    std::vector<std::vector<int>> groups;
  };
  Reduced reduce(const std::vector<std::vector<int>>& groups) const;
  // The same closure when the groups are only known rank by rank: group_of(rank, &ranks) gives the index of
  // the group holding `rank` in the full list (-1: in none) and, unless null, its ranks; the closure is the
  // one of the group holding `start`. Costs the closure's size, not the world's (the layout search meets
  // 65,536-rank clusters).
  Reduced reduce(int world, const std::function<long(int, std::vector<int>*)>& group_of, int start = 0) const;
  double time(Op op, const Reduced& closure, double bytes);

  // time(op, closure, S) as a function of S: the flat curve and, where it applies, the hierarchical form's
  // stages (each a curve at S / divisor), so that a cache keyed on (op, closure) serves every byte count.
  struct Curve {
    GroupCurve flat;
    struct Stage {
      GroupCurve curve;
      double divisor = 1;
    };
    std::vector<Stage> hierarchical;  // empty: no hierarchical form
    double at(double bytes) const;
  };
  Curve curve(Op op, const Reduced& closure);
  // The usable bandwidth of the route between two ranks' local positions on one node (its slowest link):
  // which in-node pipeline boundary is the slowest (an NVLink-bridged pair, then PCIe, then the socket link).
  double local_path_capacity(int local_a, int local_b);  // its slowest link x the transport's efficiency

 private:
  GroupCurve flat(Op op, const std::vector<std::vector<int>>& groups);
  std::vector<Curve::Stage> hierarchical(Op op, const std::vector<std::vector<int>>& groups);
  GroupCollectives& collectives(int nodes);

  SystemSpec spec_;
  Scale scale_;
  int ranks_per_node_ = 1;
  int leaf_block_ = 1;  // nodes per leaf block on an oversubscribed fabric; 1: closures by node (above)
  std::map<int, std::pair<std::unique_ptr<Topology>, std::unique_ptr<GroupCollectives>>> by_nodes_;
};

}  // namespace commsim
