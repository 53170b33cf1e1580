#include "train/rank_map.hpp"

namespace commsim {
namespace {

int idx(Dim d) { return static_cast<int>(d); }
bool is_expert(Dim d) {
  return d == Dim::kEtp || d == Dim::kEp || d == Dim::kEdp || d == Dim::kEdpShard || d == Dim::kEdpRep;
}
bool has(const std::vector<Dim>& v, Dim d) {
  for (Dim x : v)
    if (x == d) return true;
  return false;
}
// Whether a group over `dims` varies `part` (a dimension or one of the two parts of kDp or kEdp).
bool varies(const std::vector<Dim>& dims, Dim part) {
  if (has(dims, part)) return true;
  if (part == Dim::kDpShard || part == Dim::kDpRep) return has(dims, Dim::kDp);
  if (part == Dim::kEdpShard || part == Dim::kEdpRep) return has(dims, Dim::kEdp);
  return false;
}
// The expert slice's parts, innermost first: etp, ep, edp's shard index, edp's copy index.
constexpr Dim kInner[4] = {Dim::kEtp, Dim::kEp, Dim::kEdpShard, Dim::kEdpRep};

}  // namespace

RankMap::RankMap(const Parallelism& p) {
  size_[idx(Dim::kTp)] = p.tp;
  size_[idx(Dim::kCp)] = p.cp;
  size_[idx(Dim::kDp)] = p.dp;
  size_[idx(Dim::kPp)] = p.pp;
  size_[idx(Dim::kEtp)] = p.expert_tp();
  size_[idx(Dim::kEp)] = p.ep;
  size_[idx(Dim::kEdp)] = p.edp();
  size_[idx(Dim::kDpShard)] = p.zero_dp();
  size_[idx(Dim::kDpRep)] = p.dp_replicas();
  size_[idx(Dim::kEdpShard)] = p.edp_shard();
  size_[idx(Dim::kEdpRep)] = p.dp_replicas();
  int stride = 1, slice = 1;
  for (const std::string& n : p.order) {
    const Dim d = n == "tp" ? Dim::kTp : n == "cp" ? Dim::kCp : n == "dp" ? Dim::kDp : n == "pp" ? Dim::kPp : Dim::kEp;
    if (d == Dim::kEp) continue;  // folded: no dense extent
    stride_[idx(d)] = stride;
    if (d == Dim::kDp) {
      parts_.push_back({Dim::kDpShard, stride, size_[idx(Dim::kDpShard)]});
      parts_.push_back({Dim::kDpRep, stride * size_[idx(Dim::kDpShard)], size_[idx(Dim::kDpRep)]});
    } else {
      parts_.push_back({d, stride, size_[idx(d)]});
    }
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
  if (d == Dim::kDpShard) return coord(rank, Dim::kDp) % size_[idx(Dim::kDpShard)];
  if (d == Dim::kDpRep) return coord(rank, Dim::kDp) / size_[idx(Dim::kDpShard)];
  if (d == Dim::kEdpShard) return coord(rank, Dim::kEdp) % size_[idx(Dim::kEdpShard)];
  if (d == Dim::kEdpRep) return coord(rank, Dim::kEdp) / size_[idx(Dim::kEdpShard)];
  if (!is_expert(d)) return rank / stride_[idx(d)] % size_[idx(d)];
  int s = 0;
  for (Dim x : {Dim::kTp, Dim::kCp, Dim::kDp}) s += coord(rank, x) * slice_stride_[idx(x)];
  const int etp = size_[idx(Dim::kEtp)], ep = size_[idx(Dim::kEp)];
  if (d == Dim::kEtp) return s % etp;
  if (d == Dim::kEp) return s / etp % ep;
  return s / (etp * ep);
}

std::vector<std::vector<int>> RankMap::expert_groups(const std::vector<Dim>& dims) const {
  std::vector<int> varied, fixed;  // positions in kInner
  for (int pos = 0; pos < 4; ++pos) (varies(dims, kInner[pos]) ? varied : fixed).push_back(pos);
  int group_size = 1, fixed_n = 1;
  for (int pos : varied) group_size *= size_[idx(kInner[pos])];
  for (int pos : fixed) fixed_n *= size_[idx(kInner[pos])];
  auto slice_of = [&](const int c[4]) {  // etp, ep, edp shard, edp copy coordinates -> slice index
    return c[0] +
           size_[idx(Dim::kEtp)] * (c[1] + size_[idx(Dim::kEp)] * (c[2] + size_[idx(Dim::kEdpShard)] * c[3]));
  };
  auto set = [&](int c[4], const std::vector<int>& positions, int k) {
    for (int pos : positions) {
      c[pos] = k % size_[idx(kInner[pos])];
      k /= size_[idx(kInner[pos])];
    }
  };
  std::vector<std::vector<int>> out;
  out.reserve(static_cast<std::size_t>(fixed_n) * size_[idx(Dim::kPp)]);
  for (int pp = 0; pp < size_[idx(Dim::kPp)]; ++pp)
    for (int g = 0; g < fixed_n; ++g) {
      int c[4] = {0, 0, 0, 0};
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
  // Varied parts in the rank order (innermost first), fixed ones enumerate the groups.
  std::vector<Part> varied, fixed;
  for (const Part& part : parts_) (varies(dims, part.dim) ? varied : fixed).push_back(part);
  int group_size = 1, groups_n = 1;
  for (const Part& part : varied) group_size *= part.size;
  for (const Part& part : fixed) groups_n *= part.size;
  std::vector<std::vector<int>> out(groups_n);
  for (int g = 0; g < groups_n; ++g) {
    int base = 0, rest = g;
    for (const Part& part : fixed) {
      base += (rest % part.size) * part.stride;
      rest /= part.size;
    }
    std::vector<int>& grp = out[g];
    grp.reserve(group_size);
    for (int k = 0; k < group_size; ++k) {
      int r = base, kk = k;
      for (const Part& part : varied) {
        r += (kk % part.size) * part.stride;
        kk /= part.size;
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
    int c[4];
    for (int pos = 0; pos < 4; ++pos) c[pos] = coord(rank, kInner[pos]);
    const int pp = coord(rank, Dim::kPp);
    long g = 0, mult = 1, group_size = 1;
    std::vector<int> varied;  // positions in c, innermost first
    for (int pos = 0; pos < 4; ++pos) {
      const int s = size_[idx(kInner[pos])];
      if (varies(dims, kInner[pos])) {
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
        const int s = size_[idx(kInner[pos])];
        c[pos] = static_cast<int>(kk % s);
        kk /= s;
      }
      const int slice = c[0] + size_[idx(Dim::kEtp)] *
                                   (c[1] + size_[idx(Dim::kEp)] * (c[2] + size_[idx(Dim::kEdpShard)] * c[3]));
      members->push_back(rank_of_slice(slice, pp));
    }
    return pp * mult + g;
  }
  long g = 0, mult = 1;
  int base = rank, group_size = 1;
  for (const Part& part : parts_) {
    const int c = rank / part.stride % part.size;
    if (varies(dims, part.dim)) {
      base -= c * part.stride;
      group_size *= part.size;
    } else {
      g += c * mult;
      mult *= part.size;
    }
  }
  if (!members) return g;
  members->reserve(group_size);
  for (int k = 0; k < group_size; ++k) {
    int r = base, kk = k;
    for (const Part& part : parts_) {
      if (!varies(dims, part.dim)) continue;
      r += (kk % part.size) * part.stride;
      kk /= part.size;
    }
    members->push_back(r);
  }
  return g;
}

}  // namespace commsim
