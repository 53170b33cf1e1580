// Ranks onto the parallel dimensions, Megatron-style: rank = sum_i coord_i * stride_i over the dimensions in
// `order`, innermost first (default tp, cp, ep, dp, pp: TP neighbours share a node, PP stages are farthest
// apart). EP is folded inside DP (dp = ep x edp), so "dp" in the order is the edp part.
//
// Example (tested): tp 2, cp 1, ep 1, dp 2, pp 2 on 8 ranks -> TP groups {0,1} {2,3} {4,5} {6,7};
// DP groups {0,2} {1,3} {4,6} {5,7}; PP groups {0,4} {1,5} {2,6} {3,7}.
#pragma once

#include <string>
#include <vector>

#include "train/train_config.hpp"

namespace commsim {

enum class Dim { kTp, kCp, kEp, kEdp, kPp };

class RankMap {
 public:
  RankMap(const Parallelism& p);  // p.dp must be resolved (check_layout)
  int world() const { return world_; }
  // All groups that vary over `dims` (the others fixed); each group ordered innermost dimension first.
  std::vector<std::vector<int>> groups(const std::vector<Dim>& dims) const;
  int coord(int rank, Dim d) const;
  int size(Dim d) const { return size_[static_cast<int>(d)]; }
  int stride(Dim d) const { return stride_[static_cast<int>(d)]; }
  // Ranks in each of groups(dims) without building them.
  int group_size(const std::vector<Dim>& dims) const {
    int n = 1;
    for (Dim d : dims) n *= size(d);
    return n;
  }

 private:
  int size_[5] = {1, 1, 1, 1, 1};
  int stride_[5] = {1, 1, 1, 1, 1};
  std::vector<Dim> order_;
  int world_ = 1;
};

}  // namespace commsim
