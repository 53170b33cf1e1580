#include "train/comm_model.hpp"

#include <algorithm>
#include <limits>

namespace commsim {

CommModel::CommModel(const SystemSpec& spec, const Scale& scale)
    : spec_(spec), scale_(scale), ranks_per_node_(scale.gpus_per_node * spec.ranks_per_package()) {
  const FabricSpec& f = spec_.fabric;
  if (scale_.nodes > 1 && f.oversubscription > 1.0 && f.leaf_ports > 0) {
    collectives(1);  // a one-node topology knows the leaf layout
    leaf_block_ = by_nodes_.at(1).first->leaf_block_nodes();
  }
}

GroupCollectives& CommModel::collectives(int nodes) {
  auto& slot = by_nodes_[nodes];
  if (!slot.first) {
    Scale s = scale_;
    s.nodes = nodes;
    slot.first = std::make_unique<Topology>(spec_, s);
    slot.second = std::make_unique<GroupCollectives>(*slot.first);
  }
  return *slot.second;
}

double CommModel::local_path_capacity(int local_a, int local_b) {
  collectives(1);
  const Topology& t = *by_nodes_[1].first;
  std::vector<int> route;
  t.route(local_a, local_b, route);
  double slowest = std::numeric_limits<double>::infinity();
  for (int id : route) slowest = std::min(slowest, t.links()[static_cast<std::size_t>(id)].capacity);
  return slowest * t.transport_efficiency(local_a, local_b);  // a pair staged in host memory (NCCL's SHM)
}

CommModel::Reduced CommModel::reduce(const std::vector<std::vector<int>>& groups) const {
  if (groups.empty() || groups.front().empty()) return {};
  int world = 0;
  for (const auto& g : groups)
    for (int r : g) world = std::max(world, r + 1);
  std::vector<long> index(static_cast<std::size_t>(world), -1);  // rank -> its group (-1: in none)
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (int r : groups[g]) index[static_cast<std::size_t>(r)] = static_cast<long>(g);
  return reduce(
      world,
      [&](int r, std::vector<int>* members) {
        const long g = index[static_cast<std::size_t>(r)];
        if (g >= 0 && members) *members = groups[static_cast<std::size_t>(g)];
        return g;
      },
      groups.front().front());
}

CommModel::Reduced CommModel::reduce(int world, const std::function<long(int, std::vector<int>*)>& group_of,
                                     int start) const {
  // From the group holding `start`, add every group with a rank on a node the kept groups touch. A rank not
  // yet covered by a kept group is in a new one (groups are disjoint), so each group is built once.
  const int R = ranks_per_node_;
  const int nodes = (world + R - 1) / R;
  std::vector<char> covered(static_cast<std::size_t>(world), 0), seen_node(static_cast<std::size_t>(nodes), 0);
  std::vector<std::pair<long, std::vector<int>>> kept;  // group index, ranks
  std::vector<std::size_t> queue;
  std::vector<int> members;
  auto keep = [&](int q) {
    const long h = group_of(q, &members);
    covered[static_cast<std::size_t>(q)] = 1;
    if (h < 0) return;
    for (int r : members) covered[static_cast<std::size_t>(r)] = 1;
    queue.push_back(kept.size());
    kept.emplace_back(h, members);
  };
  keep(start);
  // Whole leaf blocks when the first group crosses one (oversubscribed fabrics; the header says why).
  int block = 1;
  if (leaf_block_ > 1 && !kept.empty())
    for (int r : kept.front().second)
      if (r / R / leaf_block_ != kept.front().second.front() / R / leaf_block_) block = leaf_block_;
  while (!queue.empty()) {
    const std::size_t k = queue.back();
    queue.pop_back();
    for (std::size_t i = 0; i < kept[k].second.size(); ++i) {
      const int first = kept[k].second[i] / R / block * block;
      for (int node = first; node < std::min(nodes, first + block); ++node) {
        if (seen_node[static_cast<std::size_t>(node)]) continue;
        seen_node[static_cast<std::size_t>(node)] = 1;
        for (int q = node * R; q < std::min(world, (node + 1) * R); ++q)
          if (!covered[static_cast<std::size_t>(q)]) keep(q);
      }
    }
  }
  std::vector<int> node_index(static_cast<std::size_t>(nodes), -1);  // old node -> new node, in node order
  Reduced out;
  for (int n = 0; n < nodes; ++n)
    if (seen_node[static_cast<std::size_t>(n)]) node_index[static_cast<std::size_t>(n)] = out.nodes++;
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out.groups.reserve(kept.size());
  for (auto& [g, ranks] : kept) {
    for (int& r : ranks) r = node_index[static_cast<std::size_t>(r / R)] * R + r % R;
    out.groups.push_back(std::move(ranks));
  }
  return out;
}

GroupCurve CommModel::flat(Op op, const std::vector<std::vector<int>>& groups) {
  const Reduced r = reduce(groups);
  return collectives(r.nodes).curve(op, r.groups);
}

std::vector<CommModel::Curve::Stage> CommModel::hierarchical(Op op, const std::vector<std::vector<int>>& groups) {
  // Split every group into its per-node parts (intra) and its per-lane parts (one rank per node).
  const int R = ranks_per_node_;
  std::vector<std::vector<int>> intra, inter;
  std::size_t k = 0;  // ranks of a group per node: one count for every part of every group
  for (const auto& g : groups) {
    std::map<int, std::vector<int>> by_node;
    for (int r : g) by_node[r / R].push_back(r);
    if (k == 0) k = by_node.begin()->second.size();
    for (const auto& [node, ranks] : by_node) {
      // Uneven (72 + 56 of a group on two NVL72 racks, or groups split 36/36 beside 24/24/24): no
      // hierarchical form; the flat curve stands.
      if (ranks.size() != k) return {};
      intra.push_back(ranks);
    }
    for (std::size_t lane = 0; lane < k; ++lane) {
      std::vector<int> l;
      for (const auto& [node, ranks] : by_node) l.push_back(ranks[lane]);
      inter.push_back(l);
    }
  }
  const double per_node = static_cast<double>(k);
  switch (op) {
    case Op::kReduceScatter: return {{flat(op, intra), 1.0}, {flat(op, inter), per_node}};
    case Op::kAllGather: return {{flat(op, inter), per_node}, {flat(op, intra), 1.0}};
    case Op::kAllReduce:
      return {{flat(Op::kReduceScatter, intra), 1.0}, {flat(Op::kAllReduce, inter), per_node}, {flat(Op::kAllGather, intra), 1.0}};
    default: return {};
  }
}

double CommModel::time(Op op, const std::vector<std::vector<int>>& groups, double bytes) {
  if (groups.empty() || groups.front().size() < 2 || bytes <= 0) return 0.0;
  return time(op, reduce(groups), bytes);
}

double CommModel::time(Op op, const Reduced& red, double bytes) {
  if (red.groups.empty() || red.groups.front().size() < 2 || bytes <= 0) return 0.0;
  return curve(op, red).at(bytes);
}

CommModel::Curve CommModel::curve(Op op, const Reduced& red) {
  // The closure of the first group stands for all (symmetry, above); the hierarchical form of the closure's
  // groups is the hierarchical form of all groups, as their intra- and inter-node parts close the same way.
  Curve c;
  if (red.groups.empty() || red.groups.front().size() < 2) return c;
  c.flat = collectives(red.nodes).curve(op, red.groups);
  const auto& g = red.groups.front();
  const int R = ranks_per_node_;
  const bool multi_node = g.front() / R != g.back() / R;
  int local = 0;
  for (int r : g) local += r / R == g.front() / R;
  if (multi_node && local > 1 && (op == Op::kAllReduce || op == Op::kAllGather || op == Op::kReduceScatter))
    c.hierarchical = hierarchical(op, red.groups);
  return c;
}

double CommModel::Curve::at(double bytes) const {
  if (bytes <= 0) return 0.0;
  double t = flat.at(bytes).time_s;
  if (!hierarchical.empty()) {
    double h = 0;
    for (const Stage& s : hierarchical) h += s.curve.at(bytes / s.divisor).time_s;
    t = std::min(t, h);
  }
  return t;
}

}  // namespace commsim
