#include "train/rank_map.hpp"

namespace commsim {
namespace {

Dim dim_of(const std::string& n) {
  if (n == "tp") return Dim::kTp;
  if (n == "cp") return Dim::kCp;
  if (n == "ep") return Dim::kEp;
  if (n == "dp") return Dim::kEdp;
  return Dim::kPp;
}

}  // namespace

RankMap::RankMap(const Parallelism& p) {
  size_[static_cast<int>(Dim::kTp)] = p.tp;
  size_[static_cast<int>(Dim::kCp)] = p.cp;
  size_[static_cast<int>(Dim::kEp)] = p.ep;
  size_[static_cast<int>(Dim::kEdp)] = p.dp / p.ep;
  size_[static_cast<int>(Dim::kPp)] = p.pp;
  int stride = 1;
  for (const std::string& n : p.order) {
    const Dim d = dim_of(n);
    order_.push_back(d);
    stride_[static_cast<int>(d)] = stride;
    stride *= size_[static_cast<int>(d)];
  }
  world_ = stride;
}

int RankMap::coord(int rank, Dim d) const { return rank / stride_[static_cast<int>(d)] % size_[static_cast<int>(d)]; }

std::vector<std::vector<int>> RankMap::groups(const std::vector<Dim>& dims) const {
  // Varied dimensions in the rank order (innermost first), fixed ones enumerate the groups.
  std::vector<Dim> varied, fixed;
  for (Dim d : order_) {
    bool v = false;
    for (Dim x : dims) v = v || x == d;
    (v ? varied : fixed).push_back(d);
  }
  int group_size = 1, groups_n = 1;
  for (Dim d : varied) group_size *= size_[static_cast<int>(d)];
  for (Dim d : fixed) groups_n *= size_[static_cast<int>(d)];
  std::vector<std::vector<int>> out(groups_n);
  for (int g = 0; g < groups_n; ++g) {
    int base = 0, rest = g;
    for (Dim d : fixed) {
      const int s = size_[static_cast<int>(d)];
      base += (rest % s) * stride_[static_cast<int>(d)];
      rest /= s;
    }
    std::vector<int>& grp = out[g];
    grp.reserve(group_size);
    for (int k = 0; k < group_size; ++k) {
      int r = base, kk = k;
      for (Dim d : varied) {
        const int s = size_[static_cast<int>(d)];
        r += (kk % s) * stride_[static_cast<int>(d)];
        kk /= s;
      }
      grp.push_back(r);
    }
  }
  return out;
}

}  // namespace commsim
