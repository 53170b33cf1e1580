// Calibration: the weighted NNLS fit, the size selection, the calibration section of a system file and its
// effect on predictions, and the calibrated file loading back.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "coll/simulator.hpp"
#include "core/error.hpp"
#include "study/calibration.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

TEST_CASE("relative NNLS: exact and boundary solutions", "[calibration]") {
  // T = 1 L + 2 W exactly: L = (1, 1), W = (1, 3), T = (3, 7): x + y = 3, x + 3y = 7 -> x = 1, y = 2.
  const LinearFit f = fit_relative_nnls({1, 1}, {1, 3}, {3, 7});
  CHECK(f.x == Approx(1.0));
  CHECK(f.y == Approx(2.0));
  // T = W / 2 with a latency that can only hurt: x clamps to 0, y = 0.5.
  const LinearFit g = fit_relative_nnls({10, 10, 10}, {2, 4, 8}, {1, 2, 4});
  CHECK(g.x == Approx(0.0).margin(1e-12));
  CHECK(g.y == Approx(0.5).margin(0.05));
  CHECK_THROWS_AS(fit_relative_nnls({1}, {1}, {1}), InputError);
}

TEST_CASE("size selection by index and range", "[calibration]") {
  std::vector<Measurement> rows;
  for (std::uint64_t s : {1024u, 2048u, 4096u, 8192u}) {
    Measurement m;
    m.size_bytes = s;
    m.time_us = 1.0;
    m.file = "f";
    rows.push_back(m);
  }
  CHECK(select_sizes(rows, SizeSelection::parse("even")) == std::vector<bool>{true, false, true, false});
  CHECK(select_sizes(rows, SizeSelection::parse("odd,2K:")) == std::vector<bool>{false, true, false, true});
  CHECK(select_sizes(rows, SizeSelection::parse("2K:4K")) == std::vector<bool>{false, true, true, false});
  CHECK_THROWS_AS(SizeSelection::parse("most"), InputError);
  CHECK_THROWS_AS(SizeSelection::parse("4K:1K"), InputError);
}

TEST_CASE("calibration section scales latency and bandwidth terms", "[calibration]") {
  const SystemSpec base = load_system("localhost");
  CHECK_FALSE(base.calibration.active());
  const SystemSpec cal = load_system("localhost", {"calibration.latency_scale=0.5", "calibration.bandwidth_scale=2"});
  CHECK(cal.calibration.latency_scale == 0.5);
  CHECK(cal.calibration.bandwidth_scale == 2.0);
  const Topology t0(base, resolve_scale(base, 0, 2, 0)), t1(cal, resolve_scale(cal, 0, 2, 0));
  CHECK(t0.ranks() == 2);
  const Prediction p0 = CollectiveSimulator(t0).predict(Op::kAllGather, 1 << 20, DataType::kFloat, "ring", Proto::kSimple);
  const Prediction p1 = CollectiveSimulator(t1).predict(Op::kAllGather, 1 << 20, DataType::kFloat, "ring", Proto::kSimple);
  CHECK(p0.time_us == Approx(p0.latency_us + p0.bandwidth_us));
  // t = 0.5 L + W / 2
  CHECK(p1.time_us == Approx(0.5 * p0.latency_us + p0.bandwidth_us / 2));
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.bandwidth_scale=0"}), Catch::Contains("bandwidth_scale"));
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.speed=2"}), Catch::Contains("unknown key"));
}

TEST_CASE("calibrate recovers known scales and writes a loadable system", "[calibration]") {
  // Synthetic measurements: the uncalibrated model's own times with latency x 0.25 and bandwidth x 1.5.
  const SystemSpec spec = load_system("localhost");
  const Topology topo(spec, resolve_scale(spec, 0, 4, 0));
  CollectiveSimulator truth(topo);
  Calibration c;
  c.latency_scale = 0.25;
  c.bandwidth_scale = 1.5;
  truth.set_calibration(c);
  std::vector<Measurement> rows;
  for (Op op : {Op::kAllReduce, Op::kAllGather, Op::kAllToAll, Op::kBroadcast})
    for (std::uint64_t s = 1024; s <= (16u << 20); s *= 4) {
      Measurement m;
      m.op = op;
      m.size_bytes = truth.predict(op, s, DataType::kFloat).sizes.size_bytes;
      m.time_us = truth.predict(op, s, DataType::kFloat).time_us;
      m.nranks = 4;
      m.file = "synthetic";
      rows.push_back(m);
    }
  const CalibrationResult r = calibrate(spec, ScaleRequest{}, rows, SizeSelection::parse("all"), {"synthetic"});
  CHECK(r.calibration.latency_scale == Approx(0.25).epsilon(1e-6));
  CHECK(r.calibration.bandwidth_scale == Approx(1.5).epsilon(1e-6));
  for (const MeasuredRow& m : r.rows) CHECK(std::fabs(m.time_error()) < 1e-6);

  const std::string path = "calibration_test_localhost.yaml";
  {
    std::ofstream out(path);
    write_calibrated_system(out, "localhost", {}, spec, r.calibration);
  }
  const SystemSpec back = load_system(path);
  CHECK(back.name == "localhost-calibrated");
  CHECK(back.calibration.latency_scale == Approx(0.25).epsilon(1e-5));
  CHECK(back.calibration.bandwidth_scale == Approx(1.5).epsilon(1e-5));
  CHECK(back.calibration.source.find("synthetic") != std::string::npos);
  CHECK(back.node.gpus == spec.node.gpus);
  std::remove(path.c_str());
}

TEST_CASE("per-op calibration scales override the system-wide pair for that op only", "[calibration]") {
  const SystemSpec s = load_system("localhost", {"calibration.bandwidth_scale=0.5", "calibration.ops.all_reduce.bandwidth_scale=2"});
  CHECK(s.calibration.for_op("all_reduce").bandwidth_scale == 2.0);
  CHECK(s.calibration.for_op("all_reduce").latency_scale == 1.0);
  CHECK(s.calibration.for_op("alltoall").bandwidth_scale == 0.5);
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.ops.allmagic.bandwidth_scale=2"}), Catch::Contains("unknown operation"));
}
