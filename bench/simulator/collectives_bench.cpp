// Google Benchmark suite for the simulator's hot paths (figures in docs/performance.md).
//   BM_AllReduce1GiB/N      contention-aware 1 GiB all_reduce on N dgx-h100 GPUs (topology + auto tuner)
//   BM_SweepSevenOps        8 B .. 8 GiB (x2) of all seven ops on one dgx-h100, from a cold simulator
//   BM_AllOpsAtCap/S        `collective --op all` (32 MiB, every op, auto tuner) on system S at the rank
//                           cap: 0 = cloudmatrix-384 x 261,888, 1 = dgx-h100 x 32,768 nodes
//   BM_MaxMinRing           the max-min solver alone on a 4,096-rank ring step
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "coll/simulator.hpp"
#include "net/maxmin.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

static void BM_AllReduce1GiB(benchmark::State& state) {
  const SystemSpec spec = load_system("dgx-h100");
  const int gpus = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const Topology topo(spec, resolve_scale(spec, 0, gpus, 0));
    const CollectiveSimulator sim(topo);
    benchmark::DoNotOptimize(sim.predict(Op::kAllReduce, 1ULL << 30, DataType::kBfloat16));
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["max_rss_MB"] = ru.ru_maxrss / 1024.0;
}
BENCHMARK(BM_AllReduce1GiB)->Arg(512)->Arg(4096)->Arg(16384)->Arg(131072)->Unit(benchmark::kMillisecond);

static void BM_AllOpsAtCap(benchmark::State& state) {
  const bool cloudmatrix = state.range(0) == 0;
  const SystemSpec spec = load_system(cloudmatrix ? "cloudmatrix-384" : "dgx-h100");
  const int gpus = cloudmatrix ? 261888 : 262144;
  for (auto _ : state) {
    const Topology topo(spec, resolve_scale(spec, 0, gpus, 0));
    const CollectiveSimulator sim(topo);
    for (Op op : all_ops()) benchmark::DoNotOptimize(sim.predict(op, 32ULL << 20, DataType::kFloat));
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["max_rss_MB"] = ru.ru_maxrss / 1024.0;
}
BENCHMARK(BM_AllOpsAtCap)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

static void BM_SweepSevenOps(benchmark::State& state) {
  const SystemSpec spec = load_system("dgx-h100");
  const std::vector<std::uint64_t> sizes = sweep_sizes(8, 8ULL << 30, 2, 0);
  for (auto _ : state) {
    const Topology topo(spec, resolve_scale(spec, 0, 0, 0));
    const CollectiveSimulator sim(topo);
    for (Op op : all_ops())
      for (std::uint64_t s : sizes) benchmark::DoNotOptimize(sim.predict(op, s, DataType::kFloat));
  }
  state.counters["predictions"] = static_cast<double>(all_ops().size() * sizes.size());
}
BENCHMARK(BM_SweepSevenOps)->Unit(benchmark::kMillisecond);

static void BM_MaxMinRing(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  FlowSet flows;
  for (int r = 0; r < n; ++r) flows.add({r, n + (r + 1) % n}, 1.0);  // up-link of r, down-link of r+1
  const std::vector<double> cap(2 * n, 50e9);
  for (auto _ : state) benchmark::DoNotOptimize(solve_max_min(cap, flows));
}
BENCHMARK(BM_MaxMinRing)->Arg(4096)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
