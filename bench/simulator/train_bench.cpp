// Google Benchmark of the training estimator (figures in docs/performance.md).
//   BM_TrainLlama405B_16k   Llama 3 405B on 16,384 H100 (TP8 PP16 DP128): one full estimate per iteration
//                           (system load, layer costs, every process group's collectives, memory)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "core/data_path.hpp"
#include "train/estimator.hpp"

using namespace commsim;

static void BM_TrainLlama405B_16k(benchmark::State& state) {
  const TrainConfig cfg = load_train_config(data_file("configs/train/llama3-405b-h100-16k.yaml"));
  for (auto _ : state) benchmark::DoNotOptimize(estimate_training(cfg).step_time_s);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["max_rss_MB"] = ru.ru_maxrss / 1024.0;
}
BENCHMARK(BM_TrainLlama405B_16k)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
