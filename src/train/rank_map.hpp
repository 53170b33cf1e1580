// Ranks onto the parallel dimensions, Megatron-style: rank = sum_i coord_i * stride_i over the dense
// dimensions in `order`, innermost first (default tp, cp, dp, pp: TP neighbours share a node, PP stages are
// farthest apart; "ep" in the order is accepted and has no dense extent).
//
// Experts use Megatron's parallel folding (Liu et al. 2025, "MoE Parallel Folding"; Megatron-Core's
// RankGenerator with an expert order tp-ep-dp-pp): inside each pipeline stage the TP x CP x DP ranks, taken
// in their dense order (slice index s), are re-split as ETP x EP x EDP, innermost first:
//   etp = s mod ETP, ep = (s / ETP) mod EP, edp = s / (ETP EP),  EDP = TP CP DP / (ETP EP).
// So EP may exceed DP (it spans TP and CP ranks), and with ETP = TP, CP = 1 EP sits inside DP as before.
//
// Examples (tested): tp 2, dp 2, pp 2 on 8 ranks -> TP groups {0,1} {2,3} {4,5} {6,7}; DP groups {0,2} {1,3}
// {4,6} {5,7}; PP groups {0,4} {1,5} {2,6} {3,7}. tp 2, dp 4, ep 2 (etp = tp): EP {0,2}, EDP {0,4};
// tp 2, dp 4, etp 1, ep 8: EP {0..7} (across TP), EDP of size 1.
//
// Hybrid sharding (parallelism.dp_shard = s): the DP coordinate splits into a shard index (dp mod s,
// kDpShard, the inner, nearer ranks) and a copy index (dp / s, kDpRep); the expert-DP coordinate likewise
// into kEdpShard (edp mod EDP/copies) and kEdpRep. Groups over kDp (kEdp) vary both parts. Example (tested):
// dp 4, dp_shard 2, tp 2: shard groups {0,2} {1,3} {4,6} {5,7}, copy groups {0,4} {1,5} {2,6} {3,7}.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "train/train_config.hpp"

namespace commsim {

// Dense dimensions (kTp, kCp, kDp, kPp; kDpShard, kDpRep the parts of kDp) and the expert ones (kEtp, kEp,
// kEdp; kEdpShard, kEdpRep the parts of kEdp; pipeline stages fixed).
enum class Dim { kTp, kCp, kDp, kPp, kEtp, kEp, kEdp, kDpShard, kDpRep, kEdpShard, kEdpRep };
constexpr int kDims = 11;

class RankMap {
 public:
  RankMap(const Parallelism& p);  // p.dp must be resolved (check_layout)
  int world() const { return world_; }
  // All groups that vary over `dims` (the others fixed); each group ordered innermost dimension first.
  // `dims` are all dense or all expert dimensions.
  std::vector<std::vector<int>> groups(const std::vector<Dim>& dims) const;
  // The group of groups(dims) that holds `rank`: its index in that list, and its ranks in *members (in the
  // same order; skipped when null), without building the others.
  long group_containing(int rank, const std::vector<Dim>& dims, std::vector<int>* members) const;
  int coord(int rank, Dim d) const;
  int size(Dim d) const { return size_[static_cast<int>(d)]; }
  // Appends what determines every group's ranks (all sizes, the dense strides, the slice strides): two rank
  // maps with equal keys have equal groups(dims) for every dims (the estimate context's memo key).
  void append_key(std::vector<std::int64_t>& key) const {
    key.insert(key.end(), std::begin(size_), std::end(size_));
    key.insert(key.end(), std::begin(stride_), std::end(stride_));
    key.insert(key.end(), std::begin(slice_stride_), std::end(slice_stride_));
  }
  // Ranks in each of groups(dims) without building them.
  int group_size(const std::vector<Dim>& dims) const {
    int n = 1;
    for (Dim d : dims) n *= size(d);
    return n;
  }

 private:
  // A dense dimension in the rank order with kDp split in its two parts (innermost first).
  struct Part {
    Dim dim;
    int stride, size;
  };
  std::vector<std::vector<int>> expert_groups(const std::vector<Dim>& dims) const;
  int rank_of_slice(int s, int pp_coord) const;  // the rank at slice index s of pipeline stage pp_coord
  int size_[kDims] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  int stride_[4] = {1, 1, 1, 1};
  int slice_stride_[3] = {1, 1, 1};  // tp, cp, dp in the slice index (the dense order without pp)
  std::vector<Part> parts_;
  int world_ = 1;
};

}  // namespace commsim
