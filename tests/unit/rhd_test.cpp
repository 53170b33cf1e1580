#include <catch2/catch.hpp>

#include "coll/algorithms.hpp"
#include "coll/group.hpp"
#include "coll/simulator.hpp"
#include "core/error.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

TEST_CASE("recursive halving-doubling: steps and bandwidth by hand", "[rhd]") {
  int inter = -1;
  CHECK(rhd_steps(Op::kAllReduce, 8, &inter, 1) == 6);  // 3 halvings, 3 doublings
  CHECK(inter == 0);
  CHECK(rhd_steps(Op::kAllGather, 8, &inter, 1) == 3);
  CHECK(rhd_steps(Op::kAllReduce, 384, &inter, 1) == 18);  // 256 carry 2 x 8 steps; 128 fold in and out
  CHECK(rhd_steps(Op::kAllReduce, 16, &inter, 2) == 8);    // 2 nodes of 8: the distance-8 exchange, twice
  CHECK(inter == 2);
  CHECK(rhd_bandwidth_factor(Op::kAllReduce, 256) == Approx(1.0));
  CHECK(rhd_bandwidth_factor(Op::kAllReduce, 384) ==
        Approx((383.0 / 384) / (255.0 / 256 + 1)));  // about a half
  // Broadcast: a scatter then an all_gather (8 steps on 16 ranks), the fold once, after (384: 2 x 8 + 1).
  CHECK(rhd_steps(Op::kBroadcast, 16, &inter, 2) == 8);
  CHECK(inter == 2);
  CHECK(rhd_steps(Op::kBroadcast, 384, &inter, 1) == 17);
  CHECK(rhd_steps(Op::kReduce, 384, &inter, 1) == 17);
  CHECK(rhd_bandwidth_factor(Op::kBroadcast, 256) == Approx(1.0 / (2 * 255.0 / 256)));   // about a half
  CHECK(rhd_bandwidth_factor(Op::kReduce, 384) == Approx(1.0 / (2 * 255.0 / 256 + 1)));  // about a third
}

TEST_CASE("broadcast and reduce on CloudMatrix 384: log steps for small data, the chain for large", "[rhd]") {
  // The 383-hop chain took 1.3 ms at 8 B, against all_reduce's 76 us.
  const SystemSpec cm = load_system("cloudmatrix-384");
  const Topology t(cm, resolve_scale(cm, 0, 384, 0));
  const CollectiveSimulator sim(t);
  for (Op op : {Op::kBroadcast, Op::kReduce}) {
    const Prediction small = sim.predict(op, 8, DataType::kFloat);
    CHECK(small.algorithm == "rhd");
    CHECK(small.time_us < sim.predict(op, 8, DataType::kFloat, "ring").time_us / 10);
    CHECK(sim.predict(op, 1ull << 30, DataType::kFloat).algorithm == "ring");
  }
}

TEST_CASE("HCCL's recursive halving-doubling on Ascend: small all_reduce in log steps, never on GPUs",
          "[rhd]") {
  const SystemSpec cm = load_system("cloudmatrix-384");
  const Topology t(cm, resolve_scale(cm, 0, 384, 0));
  const CollectiveSimulator sim(t);
  const Prediction small = sim.predict(Op::kAllReduce, 8, DataType::kFloat);
  CHECK(small.algorithm == "rhd");
  CHECK(small.time_us < 100);  // the flat ring over 384 ranks: 2.6 ms
  CHECK(sim.predict(Op::kAllReduce, 8, DataType::kFloat, "ring").time_us > 2000);
  // At 1 GiB the fold halves its bandwidth: the ring again.
  CHECK(sim.predict(Op::kAllReduce, 1ull << 30, DataType::kFloat).algorithm == "ring");
  // Training's groups take it too.
  std::vector<int> all(384);
  for (int i = 0; i < 384; ++i) all[i] = i;
  CHECK(GroupCollectives(t).time(Op::kAllReduce, {all}, 8).algorithm == "rhd");
  // NCCL does not run it: auto never picks it on a GPU, and --algo rhd is refused there.
  const SystemSpec h = load_system("dgx-h100");
  const Topology th(h, resolve_scale(h, 2, 0, 0));
  const CollectiveSimulator gpu(th);
  CHECK(gpu.predict(Op::kAllReduce, 8, DataType::kFloat).algorithm != "rhd");
  CHECK_THROWS_WITH(gpu.predict(Op::kAllReduce, 8, DataType::kFloat, "rhd"), Catch::Contains("HCCL"));
  CHECK(GroupCollectives(th).time(Op::kAllReduce, {{0, 8}}, 8).algorithm != "rhd");
  // Inside one full-mesh 910B node an exchange takes one HCCS link: the mesh algorithm, not rhd.
  const SystemSpec a = load_system("ascend-910b-8");
  const Topology one(a, resolve_scale(a, 1, 0, 0)), two(a, resolve_scale(a, 2, 0, 0));
  CHECK_THROWS_WITH(CollectiveSimulator(one).predict(Op::kAllReduce, 8, DataType::kFloat, "rhd"),
                    Catch::Contains("mesh"));
  CHECK(GroupCollectives(two).time(Op::kAllReduce, {{0, 1, 2, 3, 4, 5, 6, 7}}, 8).algorithm != "rhd");
  std::vector<int> both(16);
  for (int i = 0; i < 16; ++i) both[i] = i;
  CHECK(GroupCollectives(two).time(Op::kAllReduce, {both}, 8).algorithm == "rhd");  // 8 steps, the ring's 30
}
