// Google Benchmark of one sweep point (figures in docs/performance.md):
//   BM_SweepPoint70B   a point of tests/data/sweep/speed_10k.yaml (Llama 3 70B, 64-1,024 H100, layouts, NIC
//                      speeds), cycling through the 10,000 points: config from the cached base + the point's
//                      overrides, then the full estimate (the work of `commsim sweep` per point, one thread)
#include <benchmark/benchmark.h>

#include "core/data_path.hpp"
#include "core/yaml_reader.hpp"
#include "study/sweep_run.hpp"

using namespace commsim;

static void BM_SweepPoint70B(benchmark::State& state) {
  const SweepSpec spec = load_sweep(data_file("tests/data/sweep/speed_10k.yaml"));
  const std::vector<SweepPoint> points = sweep_points(spec);
  const SweepRunner runner(spec);
  const YamlFileCache cache;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(runner.run(points[i]).status);
    i = (i + 7919) % points.size();  // a stride through the grid: small and large scales alike
  }
}
BENCHMARK(BM_SweepPoint70B)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
