// Symmetry reduction (docs/model.md, section 3a): solving one representative node of each class must give
// exactly what building every flow gives. Each case builds the same topology twice, with the reduction on
// and off, and compares algbw (bit for bit) and the bottleneck link for every algorithm in the auto tuner.
#include <catch2/catch.hpp>
#include <memory>

#include "coll/algorithms.hpp"
#include "coll/flows.hpp"
#include "core/error.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

namespace {

struct Solve {
  AlgoBandwidth reduced, full;
};

Solve both(const Algorithm& a, Op op, const Topology& topo) {
  Solve s;
  set_symmetry_reduction(false);
  s.full = a.bandwidth(op, topo, CollectiveModel::shipped());
  set_symmetry_reduction(true);
  s.reduced = a.bandwidth(op, topo, CollectiveModel::shipped());
  return s;
}

}  // namespace

TEST_CASE("symmetry: reduced solves equal full solves on every shipped system", "[symmetry]") {
  // Node counts that cover one node, the wrap of two and three, a partial leaf (leaves hold 32 NICs) and
  // several leaves with a partial last one; at most 8 GPUs per node keeps the full solve small.
  int compared = 0;
  for (const std::string& name : system_names()) {
    const SystemSpec spec = load_system(name);
    for (int nodes : {1, 2, 3, 5, 33, 70}) {
      const int gpn = std::min(spec.node.gpus, 8);
      if (nodes == 1 && gpn * spec.node.dies_per_package < 2) continue;
      std::unique_ptr<Topology> built;
      try {
        built = std::make_unique<Topology>(spec, resolve_scale(spec, nodes, 0, gpn));
      } catch (const InputError&) {
        continue;  // e.g. several nodes of a system without NICs
      }
      const Topology& topo = *built;
      for (Op op : all_ops()) {
        for (const Algorithm* a : algorithms()) {
          if (!a->in_auto() || !a->unsupported(op, topo).empty()) continue;
          const Solve s = both(*a, op, topo);
          INFO(name << " nodes " << nodes << " " << a->name() << " " << op_name(op));
          CHECK(s.reduced.algbw == s.full.algbw);
          CHECK(s.reduced.bottleneck == s.full.bottleneck);
          ++compared;
        }
      }
    }
  }
  CHECK(compared > 500);
}

TEST_CASE("symmetry: representatives of a 97-node double binary tree", "[symmetry]") {
  // Tree 0 over 97 nodes (ncclGetBtree): node 0 is the root, odd nodes are leaves (node 1's parent is
  // (1 ^ 1) | 2 = 2); tree 1 is tree 0 shifted by one.
  // Node 0 is always a representative (the first of its class), and far fewer classes than nodes exist.
  const DtreeClasses c = dtree_classes(97);
  int reps = 0;
  for (char r : c.representative) reps += r;
  CHECK(c.representative[0] == 1);
  CHECK(c.parent[0][0] == -1);
  CHECK(c.parent[0][1] == 2);
  CHECK(c.parent[1][1] == -1);  // shifted: node 1 is tree 1's root
  CHECK(reps < 40);
  set_symmetry_reduction(false);
  const DtreeClasses all = dtree_classes(97);
  set_symmetry_reduction(true);
  int all_reps = 0;
  for (char r : all.representative) all_reps += r;
  CHECK(all_reps == 97);
}

TEST_CASE("symmetry: link_node and crosses_spine on two leaves of dgx-h100", "[symmetry]") {
  // 40 nodes, rail-optimized leaves of 32 nodes: nodes 31 and 32 sit on different leaves of every rail.
  const SystemSpec spec = load_system("dgx-h100");
  const Topology topo(spec, resolve_scale(spec, 40, 0, 0));
  const int g = topo.ranks_per_node();
  CHECK(topo.crosses_spine(31 * g, 32 * g));
  CHECK_FALSE(topo.crosses_spine(30 * g, 31 * g));
  CHECK_FALSE(topo.crosses_spine(0, 1));  // same node
  CHECK(topo.link_node(0) == 0);
  std::vector<int> route;
  topo.route(31 * g, 32 * g, route);
  // rank -> ... -> NIC (node 31), NIC -> leaf (node 31), leaf -> spine, spine -> leaf, leaf -> NIC (node 32) ...
  int spine_links = 0;
  for (int id : route) spine_links += topo.link_node(id) < 0;
  CHECK(spine_links == 2);
  CHECK(topo.link_node(route.front()) == 31);
  CHECK(topo.link_node(route.back()) == 32);
}
