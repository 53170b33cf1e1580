// Google Benchmark of calibration on large measurement sets (figures in docs/performance.md).
//   BM_SelectSizes/N   --fit-sizes odd,64K: over N generated rows: 10 files x 4 ops x N/40 distinct sizes
//                      (worst case for a per-row walk of the sweep's sizes, which made 30k rows take 14 s)
//   BM_Calibrate/N     the whole `calibrate` fit of localhost on 4 ranks over those rows (candidates of
//                      every row, the system-wide and four per-op fits, the final prediction)
#include <benchmark/benchmark.h>

#include "study/calibration.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

namespace {

// N rows: 10 files x 4 ops, sizes 1 KiB + 1 KiB x k, time = 5 us + size / 2 GB/s (a clean latency +
// bandwidth curve, so the fit has something to find).
std::vector<Measurement> generated_rows(std::size_t n) {
  std::vector<Measurement> rows;
  rows.reserve(n);
  const Op ops[] = {Op::kAllReduce, Op::kAllGather, Op::kAllToAll, Op::kBroadcast};
  const std::size_t per_sweep = std::max<std::size_t>(n / 40, 1);
  for (int f = 0; f < 10; ++f)
    for (Op op : ops)
      for (std::size_t k = 0; k < per_sweep && rows.size() < n; ++k) {
        Measurement m;
        m.op = op;
        m.size_bytes = 1024 * (k + 1);
        m.count = m.size_bytes / 4;
        m.time_us = 5.0 + static_cast<double>(m.size_bytes) / 2e3;
        m.nranks = 4;
        m.file = "generated-" + std::to_string(f) + ".json";
        rows.push_back(m);
      }
  return rows;
}

}  // namespace

static void BM_SelectSizes(benchmark::State& state) {
  const std::vector<Measurement> rows = generated_rows(static_cast<std::size_t>(state.range(0)));
  const SizeSelection sel = SizeSelection::parse("odd,64K:");
  for (auto _ : state) benchmark::DoNotOptimize(select_sizes(rows, sel));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows.size()));
}
BENCHMARK(BM_SelectSizes)->Arg(30000)->Arg(300000)->Unit(benchmark::kMillisecond);

static void BM_Calibrate(benchmark::State& state) {
  const std::vector<Measurement> rows = generated_rows(static_cast<std::size_t>(state.range(0)));
  const SystemSpec spec = load_system("localhost");
  const SizeSelection sel = SizeSelection::parse("all");
  for (auto _ : state) benchmark::DoNotOptimize(calibrate(spec, ScaleRequest{0, 4, 0}, rows, sel, {"generated"}).rounds);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows.size()));
}
BENCHMARK(BM_Calibrate)->Arg(30000)->Arg(300000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
