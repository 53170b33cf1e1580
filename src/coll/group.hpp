// Collectives on process groups: subsets of the ranks (a TP group inside a node, a DP group strided across
// nodes), several groups running the same collective at the same time. All groups' flows are solved
// together by max-min sharing, so eight DP groups on the same rails, or two GPUs behind one NIC, slow each
// other down exactly as they share links.
//
//   time = L * latency(group) + (S + ramp * min(S, S_sat)) / (B(S) * algbw),   algbw = max-min level of all
//   flows
//
// L and B(S) are the system's calibration for the op (its `calibration:` section, as CollectiveSimulator
// applies it; 1 without one).
//
// Algorithms: ring (all_reduce, all_gather, reduce_scatter, broadcast, reduce; each group's ring follows
// its rank order, and a ring over several nodes runs a channel per rail: channel c leaves each node through
// the c-th distinct NIC of the group's ranks there, as NCCL's channels do), NVLS (every group inside one NVLS
// node), mesh (all_reduce, all_gather, reduce_scatter with every group inside one full-mesh node: each rank
// exchanges S/n with every peer at once, as coll/mesh.cpp), direct (alltoall: all pairs of a group; sendrecv:
// rank i of a group sends to rank i+1). The fastest applicable one is used.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "coll/algorithm.hpp"

namespace commsim {

struct GroupTiming {
  double time_s = 0;
  double algbw = 0;       // bytes of S per second, protocol and calibration applied
  std::string algorithm;  // "ring", "nvls", "mesh", "direct"
  Proto proto = Proto::kSimple;
};

// The time of one collective on fixed groups as a function of S: every applicable algorithm and protocol
// with its fixed part (launch + latency) and its algbw, so that new byte counts cost a few flops each
// (the layout search asks the same groups for many sizes). at(S) is the fastest, as time() computes it.
struct GroupCurve {
  struct Choice {
    double fixed_s = 0;  // launch overhead + latency
    double algbw = 0;
    std::string algorithm;
    Proto proto = Proto::kSimple;
    double max_bytes = std::numeric_limits<double>::infinity();  // larger S do not run it (p2p LL)
  };
  std::vector<Choice> choices;  // empty: groups of one rank (cost nothing)
  double ramp_factor = 0, ramp_saturation = 0;
  CalibrationScales scales;  // the system's calibration for the op
  GroupTiming at(double bytes) const;
};

class GroupCollectives {
 public:
  explicit GroupCollectives(const Topology& topo, const CollectiveModel& model = CollectiveModel::shipped());

  // `groups`: lists of global ranks, all the same size >= 1, disjoint. `bytes` is S as nccl-tests counts it
  // (the full buffer for all_reduce, the gathered output for all_gather, the per-rank buffer for alltoall,
  // the message for sendrecv). A group of one rank costs nothing. Throws InputError on bad groups.
  GroupTiming time(Op op, const std::vector<std::vector<int>>& groups, double bytes) const;
  // time(op, groups, S) == curve(op, groups).at(S) for every S.
  GroupCurve curve(Op op, const std::vector<std::vector<int>>& groups) const;

  // Asymptotic Simple-protocol bandwidth of one algorithm for these concurrent groups (cached).
  double bandwidth(const std::string& algo, Op op, const std::vector<std::vector<int>>& groups) const;

 private:
  // `ranks` on `nodes` nodes; `intra`: the latency class of the groups' hops inside a node
  double latency(const std::string& algo, Op op, Proto p, int ranks, int nodes, LinkClass intra) const;
  const Topology& topo_;
  const CollectiveModel& model_;
  mutable std::map<std::vector<int>, double> cache_;  // algorithm, op, group size, the ranks -> bandwidth
};

}  // namespace commsim
