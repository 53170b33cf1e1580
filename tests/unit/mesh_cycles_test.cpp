#include "coll/mesh_cycles.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <utility>

#include "coll/simulator.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

TEST_CASE("a complete digraph splits into g - 1 Hamiltonian cycles, every link once, except at 4 and 6",
          "[mesh]") {
  for (int g = 3; g <= 12; ++g) {
    INFO("g = " << g);
    const auto& cycles = mesh_hamiltonian_cycles(g);
    if (g == 4 || g == 6) {  // none exists (Tillson 1980)
      CHECK(cycles.empty());
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
