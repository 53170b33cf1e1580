// Google Benchmark of the training estimator (figures in docs/performance.md).
//   BM_TrainLlama405B_16k   Llama 3 405B on 16,384 H100 (TP8 PP16 DP128): one full estimate per iteration
//                           (system load, layer costs, every process group's collectives, memory)
//   BM_TrainDeepSeekV3_2k   DeepSeek-V3 on 2,048 H800 (PP16 EP64 DP128, fp8): the MoE path (expert GEMMs
//                           through the kernel model, casts, EP all-to-all)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "core/data_path.hpp"
#include "train/estimator.hpp"

using namespace commsim;

static void run(benchmark::State& state, const char* config) {
  const TrainConfig cfg = load_train_config(data_file(config));
  for (auto _ : state) benchmark::DoNotOptimize(estimate_training(cfg).step_time_s);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["max_rss_MB"] = ru.ru_maxrss / 1024.0;
}

static void BM_TrainLlama405B_16k(benchmark::State& state) { run(state, "configs/train/llama3-405b-h100-16k.yaml"); }
BENCHMARK(BM_TrainLlama405B_16k)->Unit(benchmark::kMillisecond);

static void BM_TrainDeepSeekV3_2k(benchmark::State& state) { run(state, "configs/train/deepseek-v3-h800.yaml"); }
BENCHMARK(BM_TrainDeepSeekV3_2k)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
