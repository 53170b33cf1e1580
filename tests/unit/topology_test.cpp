#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "topo/system_loader.hpp"
#include "topo/topology.hpp"

using namespace commsim;

TEST_CASE("dgx-h100 builds 8 ranks, 8 NICs and NVLink paths", "[topology]") {
  const SystemSpec s = load_system("dgx-h100");
  const Topology t(s, resolve_scale(s, 0, 0, 0));
  CHECK(t.ranks() == 8);
  CHECK(t.nics_per_node() == 8);
  CHECK(t.has_nvls());
  // 18 NVLink4 links x 25 GB/s x 0.824 = 370.8 GB/s usable per GPU per direction.
  CHECK(t.rank_scale_up_bandwidth() == Approx(370.8e9));
  std::vector<int> r;
  t.route(0, 5, r);
  REQUIRE(r.size() == 2);  // GPU -> NVSwitch -> GPU
  CHECK(t.links()[r[0]].tech == "nvlink4");
}

TEST_CASE("overrides given with --set change one value and reject unknown paths", "[topology][errors]") {
  const SystemSpec s = load_system("dgx-h100", {"fabric.nic_speed=200Gb/s", "node.scale_up.bandwidth=400GB/s"});
  CHECK(s.fabric.nic_speed == Approx(25e9));
  REQUIRE(s.node.scale_up_bandwidth.has_value());
  CHECK(*s.node.scale_up_bandwidth == Approx(400e9));
  CHECK_THROWS_WITH(load_system("dgx-h100", {"fabric.nic_sped=200Gb/s"}), Catch::Contains("--set") && Catch::Contains("unknown key"));
  CHECK_THROWS_WITH(load_system("dgx-h100", {"fabric.nic_speed=200"}), Catch::Contains("no unit"));
  CHECK_THROWS_WITH(load_system("dgx-h100", {"colour=blue"}), Catch::Contains("unknown key path"));
  CHECK_THROWS_WITH(load_system("dgx-h100", {"fabric.nic_speed=-5Gb/s"}), Catch::Contains("positive"));
}

TEST_CASE("unknown systems list the valid names", "[topology][errors]") {
  CHECK_THROWS_WITH(load_system("dgx-h900"), Catch::Contains("unknown system") && Catch::Contains("dgx-h100"));
}

TEST_CASE("scale: --gpus, --nodes and partial supernodes", "[topology]") {
  const SystemSpec h = load_system("dgx-h100");
  CHECK(resolve_scale(h, 0, 128, 0).nodes == 16);
  CHECK(resolve_scale(h, 4, 0, 2).gpus_per_node == 2);
  CHECK_THROWS_WITH(resolve_scale(h, 0, 12, 0), Catch::Contains("not a multiple"));
  CHECK_THROWS_WITH(resolve_scale(h, 0, 0, 9), Catch::Contains("exceeds"));
  CHECK_THROWS_WITH(resolve_scale(h, 100000, 0, 0), Catch::Contains("more than commsim models"));
  const SystemSpec nvl = load_system("gb200-nvl72");
  const Scale one = resolve_scale(nvl, 0, 36, 0);
  CHECK(one.nodes == 1);
  CHECK(one.gpus_per_node == 36);
  const Scale two = resolve_scale(nvl, 0, 128, 0);
  CHECK(two.nodes == 2);
  CHECK(two.gpus_per_node == 64);
}

TEST_CASE("a multi-node system without NICs is a disconnected topology", "[topology][errors]") {
  const SystemSpec s = load_system("dgx-h100", {"node.board.nics=0"});
  CHECK_THROWS_WITH(Topology(s, resolve_scale(s, 2, 0, 0)), Catch::Contains("disconnected topology"));
}

TEST_CASE("chiplet packages give one rank per die joined by the d2d link", "[topology]") {
  const SystemSpec s = load_system("chiplet-b200-2die");
  const Topology t(s, resolve_scale(s, 0, 0, 0));
  CHECK(t.ranks() == 16);
  std::vector<int> r;
  t.route(0, 1, r);
  REQUIRE(r.size() == 1);
  CHECK(t.links()[r[0]].tech == "d2d");
}
