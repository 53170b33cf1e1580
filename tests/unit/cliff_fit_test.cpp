// The cache cliff of a calibration: the fit (study/cliff_fit.hpp) on synthetic rows with a known cliff, and the
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
  // L = 1, W = S; T = 1 + S / 2 for S <= 4 (x = 1, bandwidth_scale 2), T = 1 + 2 S above (dram_bandwidth_scale 0.5):
  // S = 1..8 -> 1.5, 2, 2.5, 3 | 11, 13, 15, 17.
  std::vector<FitRow> rows;
  for (int S = 1; S <= 8; ++S) rows.push_back(row(S, S <= 4 ? 1 + S / 2.0 : 1 + 2.0 * S));
  const CliffFit f = fit_cliff(rows);
  REQUIRE(f.cliff);
  CHECK(f.cache_bytes == 4);
  CHECK(f.rows_below == 4);
  CHECK(f.rows_above == 4);
  CHECK(f.below.x == Approx(1).epsilon(1e-6));
  CHECK(1 / f.below.y == Approx(2).epsilon(1e-6));
  CHECK(1 / f.y_dram == Approx(0.5).epsilon(1e-6));
  CHECK(f.loss == Approx(0).margin(1e-8));
  CHECK(f.loss_without > 0.5);
  // The dram scale alone, x = 1: rows above give y = 2 exactly (loss 0).
  double F = 1;
  CHECK(fit_dram_scale({rows.begin() + 4, rows.end()}, 1.0, &F) == Approx(2).epsilon(1e-6));
  CHECK(F == Approx(0).margin(1e-8));
  CHECK_THROWS_AS(fit_dram_scale({}, 1.0, nullptr), InputError);

  // One line through every row: no cliff, the plain fit.
  std::vector<FitRow> line;
  for (int S = 1; S <= 8; ++S) line.push_back(row(S, 1 + S / 2.0));
  const CliffFit g = fit_cliff(line);
  CHECK_FALSE(g.cliff);
  CHECK(g.cache_bytes == 0);
  CHECK(1 / g.below.y == Approx(2).epsilon(1e-6));

  // Five rows (S = 1..5, the cliff above 4): no breakpoint leaves kCliffMinRows = 4 rows on each side, so no cliff.
  std::vector<FitRow> few(rows.begin(), rows.begin() + 5);
  const CliffFit h = fit_cliff(few);
  CHECK_FALSE(h.cliff);
  CHECK(h.loss == Approx(h.loss_without));
}

TEST_CASE("simulator applies the cache cliff of the calibration section", "[calibration]") {
  const SystemSpec base = load_system("localhost");
  const SystemSpec cal = load_system("localhost", {"calibration.bandwidth_scale=2", "calibration.cache_bytes=1MiB",
                                                   "calibration.dram_bandwidth_scale=0.5"});
  CHECK(cal.calibration.cache_bytes == 1048576);
  CHECK(cal.calibration.dram_bandwidth_scale == 0.5);
  CHECK(cal.calibration.active());
  const Topology t0(base, resolve_scale(base, 0, 2, 0)), t1(cal, resolve_scale(cal, 0, 2, 0));
  for (std::uint64_t bytes : {std::uint64_t{1} << 20, std::uint64_t{1} << 21}) {
    const Prediction p0 = CollectiveSimulator(t0).predict(Op::kAllReduce, bytes, DataType::kFloat, "ring", Proto::kSimple);
    const Prediction p1 = CollectiveSimulator(t1).predict(Op::kAllReduce, bytes, DataType::kFloat, "ring", Proto::kSimple);
    // S = 1 MiB <= cache_bytes: t = L + W / 2; S = 2 MiB > cache_bytes: t = L + W / 0.5.
    const double scale = p0.sizes.size_bytes <= 1048576 ? 2 : 0.5;
    CHECK(p0.sizes.size_bytes == bytes);
    CHECK(p1.time_us == Approx(p0.latency_us + p0.bandwidth_us / scale));
  }
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.cache_bytes=1MiB"}), Catch::Contains("go together"));
  CHECK_THROWS_WITH(load_system("localhost", {"calibration.cache_bytes=1MiB", "calibration.dram_bandwidth_scale=0"}),
                    Catch::Contains("dram_bandwidth_scale"));
}
