// The cache cliffs of a calibration: the fit (study/cliff_fit.hpp) on synthetic rows with known cliffs, and the
// simulator applying cache_bytes / dram_bandwidth_scale from a system file.
#include <catch2/catch.hpp>

#include "coll/simulator.hpp"
#include "core/error.hpp"
#include "study/cliff_fit.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

namespace {
FitRow row(double S, double T) {
  FitRow r;
  r.size = S, r.time = T, r.latency = {1}, r.bandwidth = {S};
  return r;
}
}  // namespace

TEST_CASE("cliff fit: a known cliff, no cliff, too few rows above", "[calibration]") {
  // L = 1, W = S; x = 1, bandwidth_scale 2 up to S = 4, dram_bandwidth_scale 0.5 above: the first 4 units of W
  // at y_0 = 1/2, the rest at y_1 = 2, so T = 1 + S/2 for S <= 4 and 1 + 2 + 2 (S - 4) above:
  // S = 1..8 -> 1.5, 2, 2.5, 3 | 5, 7, 9, 11.
  std::vector<FitRow> rows;
  for (int S = 1; S <= 8; ++S) rows.push_back(row(S, S <= 4 ? 1 + S / 2.0 : 3 + 2.0 * (S - 4)));
  const CliffFit f = fit_cliff(rows);
  REQUIRE(f.cliff());
  CHECK(f.cache_bytes == std::vector<double>{4});
  CHECK(f.rows_below == 4);
  CHECK(f.rows_above == std::vector<std::size_t>{4});
  CHECK(f.below.x == Approx(1).epsilon(1e-6));
  CHECK(1 / f.below.y == Approx(2).epsilon(1e-6));
  REQUIRE(f.y_above.size() == 1);
  CHECK(1 / f.y_above[0] == Approx(0.5).epsilon(1e-6));
  CHECK(f.loss == Approx(0).margin(1e-8));
  CHECK(f.loss_without > 0.5);
  // The step case (every byte at one y), x = 1: T = 1 + 2 S gives y = 2 exactly (loss 0).
  std::vector<FitRow> step;
  for (int S = 5; S <= 8; ++S) step.push_back(row(S, 1 + 2.0 * S));
  double F = 1;
  CHECK(fit_dram_scale(step, 1.0, &F) == Approx(2).epsilon(1e-6));
  CHECK(F == Approx(0).margin(1e-8));
  CHECK_THROWS_AS(fit_dram_scale({}, 1.0, nullptr), InputError);

  // The rows in any order: the same cliff (the fit sorts by size).
  std::vector<FitRow> shuffled(rows.rbegin(), rows.rend());
  CHECK(fit_cliff(shuffled).cache_bytes == std::vector<double>{4});

  // One line through every row: no cliff, the plain fit.
  std::vector<FitRow> line;
  for (int S = 1; S <= 8; ++S) line.push_back(row(S, 1 + S / 2.0));
  const CliffFit g = fit_cliff(line);
  CHECK_FALSE(g.cliff());
  CHECK(g.cache_bytes.empty());
  CHECK(1 / g.below.y == Approx(2).epsilon(1e-6));

  // Five rows (S = 1..5, the cliff above 4): kCliffMinRows = 4 at or below the cliff leaves one row above it,
  // fewer than kLevelMinRows = 2, so no cliff.
  std::vector<FitRow> few(rows.begin(), rows.begin() + 5);
  const CliffFit h = fit_cliff(few);
  CHECK_FALSE(h.cliff());
  CHECK(h.loss == Approx(h.loss_without));
}

TEST_CASE("cliff fit: two cache levels (L2, L3, DRAM)", "[calibration]") {
  // x = 1; y_0 = 1/2 up to S = 4, y_1 = 1 from 4 to 7, y_2 = 4 above 7 (bandwidth scales 2, 1, 0.25):
  // T = 1 + S/2 (S <= 4), 1 + 2 + (S - 4) (S = 5..7), 1 + 2 + 3 + 4 (S - 7) (S = 8..10).
  auto T = [](double S, double y2) { return S <= 4 ? 1 + S / 2 : S <= 7 ? 3 + (S - 4) : 6 + y2 * (S - 7); };
  std::vector<FitRow> rows;
  for (int S = 1; S <= 10; ++S) rows.push_back(row(S, T(S, 4)));
  const CliffFit f = fit_cliff(rows);
  REQUIRE(f.cache_bytes == std::vector<double>{4, 7});
  CHECK(f.rows_below == 4);
  CHECK(f.rows_above == std::vector<std::size_t>{3, 3});
  CHECK(f.below.x == Approx(1).epsilon(1e-6));
  CHECK(1 / f.below.y == Approx(2).epsilon(1e-6));
  CHECK(1 / f.y_above[0] == Approx(1).epsilon(1e-6));
  CHECK(1 / f.y_above[1] == Approx(0.25).epsilon(1e-6));
  CHECK(f.loss == Approx(0).margin(1e-8));

  // A second level that gains too little is not kept: the top level 3% slower than the middle one
  // (y_2 = 1.03) leaves one cliff.
  std::vector<FitRow> near;
  for (int S = 1; S <= 10; ++S) near.push_back(row(S, T(S, 1.03)));
  CHECK(fit_cliff(near).cache_bytes == std::vector<double>{4});
}

TEST_CASE("cliff fit: a level is slower than the one below it and spans two sizes",
          "[calibration][regression]") {
  // Noisy small sizes (3 ranks on 2 cores) fitted a "DRAM" level 14x faster than the cache below it, resting
  // on one size. Rows S = 1..8 with T = 1 + S/2 up to 4 and 1 + 2 + (S - 4) / 8 above (the bytes beyond 4
  // four times faster than below): a level faster than the cache under it is not kept.
  std::vector<FitRow> faster;
  for (int S = 1; S <= 8; ++S) faster.push_back(row(S, S <= 4 ? 1 + S / 2.0 : 3 + (S - 4) / 8.0));
  const CliffFit f = fit_cliff(faster);
  CHECK_FALSE(f.cliff());
  CHECK(f.loss == Approx(f.loss_without));
  // The first case's cliff at 4 (T = 1 + S/2 up to 4, then y_1 = 2: T = 3 + 2 (S - 4)) seen only at S = 8, in
  // two rows (in-place and out-of-place): one size is not a level, so no cliff; seen at S = 6 and 8, it is
  // one.
  std::vector<FitRow> one_size, two_sizes;
  for (int S = 1; S <= 4; ++S) one_size.push_back(row(S, 1 + S / 2.0));
  two_sizes = one_size;
  for (int i = 0; i < 2; ++i) one_size.push_back(row(8, 3 + 2.0 * 4));
  CHECK_FALSE(fit_cliff(one_size).cliff());
  for (int S : {6, 8}) two_sizes.push_back(row(S, 3 + 2.0 * (S - 4)));
  const CliffFit g = fit_cliff(two_sizes);
  REQUIRE(g.cliff());
  CHECK(g.cache_bytes == std::vector<double>{4});
  CHECK(1 / g.y_above[0] == Approx(0.5).epsilon(1e-6));
}

TEST_CASE("simulator applies the cache cliff of the calibration section", "[calibration]") {
  const SystemSpec base = load_system("localhost");
  const SystemSpec cal = load_system("localhost", {"calibration.bandwidth_scale=2", "calibration.cache_bytes=1MiB",
                                                   "calibration.dram_bandwidth_scale=0.5"});
  CHECK(cal.calibration.system.cliffs == std::vector<CacheCliff>{{1048576, 0.5}});
  CHECK(cal.calibration.active());
  const Topology t0(base, resolve_scale(base, 0, 2, 0)), t1(cal, resolve_scale(cal, 0, 2, 0));
  for (std::uint64_t bytes : {std::uint64_t{1} << 20, std::uint64_t{1} << 21}) {
    const Prediction p0 = CollectiveSimulator(t0).predict(Op::kAllReduce, bytes, DataType::kFloat, "ring", Proto::kSimple);
    const Prediction p1 = CollectiveSimulator(t1).predict(Op::kAllReduce, bytes, DataType::kFloat, "ring", Proto::kSimple);
    // S = 1 MiB <= cache_bytes: t = L + W / 2; S = 2 MiB: the first MiB at 2, the second at 0.5, so
    // t = L + W (0.5 / 2 + 0.5 / 0.5) = L + W / 0.8.
    const double scale = p0.sizes.size_bytes <= 1048576 ? 2 : 0.8;
    CHECK(p0.sizes.size_bytes == bytes);
    CHECK(p1.time_us == Approx(p0.latency_us + p0.bandwidth_us / scale));
  }
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.cache_bytes=1MiB"}), Catch::Contains("go together"));
  // Two levels: lists of one length, sizes ascending; the first MiB at 2, the next 3 MiB at 1, the rest at 0.25:
  // 2 MiB take 0.5 + 1 = 1.5 MiB-units (scale 2 / 1.5), 8 MiB 0.5 + 3 + 4 / 0.25 = 19.5 (scale 8 / 19.5).
  const SystemSpec two = load_system("localhost", {"calibration.bandwidth_scale=2", "calibration.cache_bytes=[1MiB, 4MiB]",
                                                   "calibration.dram_bandwidth_scale=[1, 0.25]"});
  const CalibrationScales& sc = two.calibration.system;
  const double MiB = 1048576;
  CHECK(sc.bandwidth_scale_at(MiB) == 2);
  CHECK(sc.bandwidth_scale_at(2 * MiB) == Approx(2 / 1.5));
  CHECK(sc.bandwidth_scale_at(4 * MiB) == Approx(4 / 3.5));
  CHECK(sc.bandwidth_scale_at(8 * MiB) == Approx(8 / 19.5));
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.cache_bytes=[1MiB, 4MiB]", "calibration.dram_bandwidth_scale=0.5"}),
                    Catch::Contains("one scale per cache size"));
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.cache_bytes=[4MiB, 1MiB]", "calibration.dram_bandwidth_scale=[1, 2]"}),
                    Catch::Contains("cache_bytes must ascend"));
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.cache_bytes=[]", "calibration.dram_bandwidth_scale=[]"}),
                    Catch::Contains("non-empty list"));
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.cache_bytes=[1MiB, 4MiB]", "calibration.dram_bandwidth_scale=[1, 0]"}),
                    Catch::Contains("dram_bandwidth_scale[1]"));
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.cache_bytes=1MiB", "calibration.dram_bandwidth_scale=0"}),
                    Catch::Contains("dram_bandwidth_scale"));
}
