#include "train/rank_map.hpp"

namespace commsim {
namespace {

int idx(Dim d) { return static_cast<int>(d); }
bool is_expert(Dim d) { return d == Dim::kEtp || d == Dim::kEp || d == Dim::kEdp; }
bool has(const std::vector<Dim>& v, Dim d) {
  for (Dim x : v)
    if (x == d) return true;
  return false;
}

}  // namespace

RankMap::RankMap(const Parallelism& p) {
  size_[idx(Dim::kTp)] = p.tp;
  size_[idx(Dim::kCp)] = p.cp;
  size_[idx(Dim::kDp)] = p.dp;
  size_[idx(Dim::kPp)] = p.pp;
  size_[idx(Dim::kEtp)] = p.expert_tp();
  size_[idx(Dim::kEp)] = p.ep;
  size_[idx(Dim::kEdp)] = p.edp();
  int stride = 1, slice = 1;
  for (const std::string& n : p.order) {
    const Dim d = n == "tp" ? Dim::kTp : n == "cp" ? Dim::kCp : n == "dp" ? Dim::kDp : n == "pp" ? Dim::kPp : Dim::kEp;
    if (d == Dim::kEp) continue;  // folded: no dense extent
    order_.push_back(d);
    stride_[idx(d)] = stride;
    stride *= size_[idx(d)];
    if (d != Dim::kPp) slice_stride_[idx(d)] = slice, slice *= size_[idx(d)];
  }
  world_ = stride;
}

int RankMap::rank_of_slice(int s, int pp_coord) const {
  int r = pp_coord * stride_[idx(Dim::kPp)];
  for (Dim d : {Dim::kTp, Dim::kCp, Dim::kDp}) r += (s / slice_stride_[idx(d)] % size_[idx(d)]) * stride_[idx(d)];
  return r;
}

int RankMap::coord(int rank, Dim d) const {
  if (!is_expert(d)) return rank / stride_[idx(d)] % size_[idx(d)];
  int s = 0;
  for (Dim x : {Dim::kTp, Dim::kCp, Dim::kDp}) s += coord(rank, x) * slice_stride_[idx(x)];
  const int etp = size_[idx(Dim::kEtp)], ep = size_[idx(Dim::kEp)];
  if (d == Dim::kEtp) return s % etp;
  if (d == Dim::kEp) return s / etp % ep;
  return s / (etp * ep);
}

std::vector<std::vector<int>> RankMap::expert_groups(const std::vector<Dim>& dims) const {
  const Dim inner[3] = {Dim::kEtp, Dim::kEp, Dim::kEdp};
  std::vector<Dim> varied, fixed;
  for (Dim d : inner) (has(dims, d) ? varied : fixed).push_back(d);
  int group_size = 1, fixed_n = 1;
  for (Dim d : varied) group_size *= size_[idx(d)];
  for (Dim d : fixed) fixed_n *= size_[idx(d)];
  auto slice_of = [&](const int c[3]) {  // etp, ep, edp coordinates -> slice index
    return c[0] + size_[idx(Dim::kEtp)] * (c[1] + size_[idx(Dim::kEp)] * c[2]);
  };
  auto set = [&](int c[3], const std::vector<Dim>& ds, int k) {
    for (Dim d : ds) {
      const int pos = d == Dim::kEtp ? 0 : d == Dim::kEp ? 1 : 2;
      c[pos] = k % size_[idx(d)];
      k /= size_[idx(d)];
    }
  };
  std::vector<std::vector<int>> out;
  out.reserve(static_cast<std::size_t>(fixed_n) * size_[idx(Dim::kPp)]);
  for (int pp = 0; pp < size_[idx(Dim::kPp)]; ++pp)
    for (int g = 0; g < fixed_n; ++g) {
      int c[3] = {0, 0, 0};
      set(c, fixed, g);
      std::vector<int> grp;
      grp.reserve(group_size);
      for (int k = 0; k < group_size; ++k) {
        set(c, varied, k);
        grp.push_back(rank_of_slice(slice_of(c), pp));
      }
      out.push_back(std::move(grp));
    }
  return out;
}

std::vector<std::vector<int>> RankMap::groups(const std::vector<Dim>& dims) const {
  for (Dim d : dims)
    if (is_expert(d)) return expert_groups(dims);
  // Varied dimensions in the rank order (innermost first), fixed ones enumerate the groups.
  std::vector<Dim> varied, fixed;
  for (Dim d : order_) (has(dims, d) ? varied : fixed).push_back(d);
  int group_size = 1, groups_n = 1;
  for (Dim d : varied) group_size *= size_[idx(d)];
  for (Dim d : fixed) groups_n *= size_[idx(d)];
  std::vector<std::vector<int>> out(groups_n);
  for (int g = 0; g < groups_n; ++g) {
    int base = 0, rest = g;
    for (Dim d : fixed) {
      const int s = size_[idx(d)];
      base += (rest % s) * stride_[idx(d)];
      rest /= s;
    }
    std::vector<int>& grp = out[g];
    grp.reserve(group_size);
    for (int k = 0; k < group_size; ++k) {
      int r = base, kk = k;
      for (Dim d : varied) {
        const int s = size_[idx(d)];
        r += (kk % s) * stride_[idx(d)];
        kk /= s;
      }
      grp.push_back(r);
    }
  }
  return out;
}

long RankMap::group_containing(int rank, const std::vector<Dim>& dims, std::vector<int>* members) const {
  if (members) members->clear();
  bool expert = false;
  for (Dim d : dims) expert = expert || is_expert(d);
  if (expert) {
    const Dim inner[3] = {Dim::kEtp, Dim::kEp, Dim::kEdp};
    int c[3] = {coord(rank, Dim::kEtp), coord(rank, Dim::kEp), coord(rank, Dim::kEdp)};
    const int pp = coord(rank, Dim::kPp);
    long g = 0, mult = 1, group_size = 1;
    std::vector<int> varied;  // positions in c, innermost first
    for (int pos = 0; pos < 3; ++pos) {
      const int s = size_[idx(inner[pos])];
      if (has(dims, inner[pos])) {
        varied.push_back(pos);
        group_size *= s;
      } else {
        g += c[pos] * mult;
        mult *= s;
      }
    }
    for (long k = 0; members && k < group_size; ++k) {
      long kk = k;
      for (int pos : varied) {
        const int s = size_[idx(inner[pos])];
        c[pos] = static_cast<int>(kk % s);
        kk /= s;
      }
      const int slice = c[0] + size_[idx(Dim::kEtp)] * (c[1] + size_[idx(Dim::kEp)] * c[2]);
      members->push_back(rank_of_slice(slice, pp));
    }
    return pp * mult + g;
  }
  long g = 0, mult = 1;
  int base = rank, group_size = 1;
  for (Dim d : order_) {
    const int c = coord(rank, d);
    if (has(dims, d)) {
      base -= c * stride_[idx(d)];
      group_size *= size_[idx(d)];
    } else {
      g += c * mult;
      mult *= size_[idx(d)];
    }
  }
  if (!members) return g;
  members->reserve(group_size);
  for (int k = 0; k < group_size; ++k) {
    int r = base, kk = k;
    for (Dim d : order_) {
      if (!has(dims, d)) continue;
      const int s = size_[idx(d)];
      r += (kk % s) * stride_[idx(d)];
      kk /= s;
    }
    members->push_back(r);
  }
  return g;
}

}  // namespace commsim
