#include "coll/mesh_cycles.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <utility>

#include "coll/group.hpp"
#include "coll/protocols.hpp"
#include "coll/simulator.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

TEST_CASE("a complete digraph splits into g - 1 Hamiltonian cycles, every link once, except at 4 and 6",
          "[mesh]") {
  // Odd g built (Walecki), even g from 8 to 18 searched; none exists for 4 and 6 (Tillson 1980): there every
  // link twice. Even g above 18 is not searched (the closed paths stay).
  for (int g = 3; g <= 33; ++g) {
    INFO("g = " << g);
    const auto& cycles = mesh_hamiltonian_cycles(g);
    if (g % 2 == 0 && g > 18) {
      CHECK(cycles.empty());
      continue;
    }
    if (g == 4 || g == 6) {  // every link in exactly two of 2(g - 1) cycles
      REQUIRE(static_cast<int>(cycles.size()) == 2 * (g - 1));
      std::map<std::pair<int, int>, int> uses;
      for (const auto& c : cycles) {
        CHECK(std::set<int>(c.begin(), c.end()).size() == static_cast<std::size_t>(g));
        for (int i = 0; i < g; ++i) ++uses[{c[i], c[(i + 1) % g]}];
      }
      CHECK(static_cast<int>(uses.size()) == g * (g - 1));
      for (const auto& [link, n] : uses) CHECK(n == 2);
      continue;
    }
    REQUIRE(static_cast<int>(cycles.size()) == g - 1);
    std::set<std::pair<int, int>> links;
    for (const auto& c : cycles) {
      REQUIRE(static_cast<int>(c.size()) == g);
      CHECK(c.front() == 0);
      CHECK(std::set<int>(c.begin(), c.end()).size() == static_cast<std::size_t>(g));  // each rank once
      for (int i = 0; i < g; ++i) links.insert({c[i], c[(i + 1) % g]});
    }
    CHECK(static_cast<int>(links.size()) ==
          g * (g - 1));  // g(g-1) distinct directed links: each exactly once
  }
  CHECK(mesh_hamiltonian_cycles(2).empty());
  CHECK(mesh_hamiltonian_cycles(1001).size() == 1000);                // built, not searched: any odd size
  CHECK(&mesh_hamiltonian_cycles(8) == &mesh_hamiltonian_cycles(8));  // memoized
}

TEST_CASE("one full-mesh node broadcasts over every link: as fast as its mesh all_gather", "[mesh]") {
  // Closed Walecki paths loaded g links twice: MI300X 1 GiB broadcast 196 GB/s busbw on one node against 368
  // on two (NIC-bound) and 343 for its mesh all_gather. Seven cycles, 14 channels: every link alike.
  for (const char* name : {"mi300x-8", "ascend-910b-8"}) {
    INFO(name);
    const SystemSpec s = load_system(name);
    const Topology t(s, resolve_scale(s, 1, 0, 0));
    const CollectiveSimulator sim(t);
    const double bcast = sim.predict(Op::kBroadcast, 1ull << 30, DataType::kFloat).busbw_GBps;
    const double ag = sim.predict(Op::kAllGather, 1ull << 30, DataType::kFloat).busbw_GBps;
    CHECK(bcast == Approx(ag).epsilon(0.01));
  }
}

TEST_CASE("LL128 on bridged pairs: a group inside one pair runs it, a group across pairs does not",
          "[mesh][protocols]") {
  // NCCL builds each communicator's graph over its own ranks: a TP2 group on one NVLink bridge has typeIntra
  // NVL; the same node's ring over all 8 GPUs crosses PCIe between the pairs.
  const SystemSpec s = load_system("h100-pcie-nvlbridge");
  const Topology t(s, resolve_scale(s, 2, 0, 0));
  CHECK(group_intra_nvlink(t, {{0, 1, 8, 9}, {2, 3, 10, 11}}));
  CHECK_FALSE(group_intra_nvlink(t, {{0, 2}}));
  CHECK_FALSE(ring_intra_nvlink(t));
  const GroupCollectives gc(t);
  bool ll128 = false;
  for (const GroupCurve::Choice& c : gc.curve(Op::kAllReduce, {{0, 1, 8, 9}}).choices)
    ll128 = ll128 || c.proto == Proto::kLL128;
  CHECK(ll128);
  for (const GroupCurve::Choice& c : gc.curve(Op::kAllReduce, {{0, 2, 8, 10}}).choices)
    CHECK(c.proto != Proto::kLL128);
}
