// Google Benchmark of the training estimator (figures in docs/performance.md).
//   BM_TrainLlama405B_16k   Llama 3 405B on 16,384 H100 (TP8 PP16 DP128): one full estimate per iteration
//                           (system load, layer costs, every process group's collectives, memory)
//   BM_TrainDeepSeekV3_2k   DeepSeek-V3 on 2,048 H800 (PP16 EP64 DP128, fp8): the MoE path (expert GEMMs
//                           through the kernel model, casts, EP all-to-all)
//   BM_TrainNemotron3Nano_16  Nemotron 3 Nano on 16 H100 (EP8, fp8): a hybrid stack (Mamba-2, attention and
//   MoE
//                           blocks, each kind's costs and collectives)
//   BM_AutoLlama70B_1024    parallelism: auto for Llama 3 70B on 1,024 H100 (llama3-70b-h100.yaml, 1,024
//   GPUs) BM_AutoDeepSeekV3_2048  parallelism: auto for DeepSeek-V3 on 2,048 H800 (deepseek-v3-h800.yaml)
//   BM_AutoLlama70B_1024_exhaustive  the first without the lower-bound pruning (every layout that fits)
//   BM_AutoLlama70B_1024_hybrid  the first with search.hybrid_sharding (every shard group of each ZeRO
//   layout)
// The auto cases report layouts/s: layouts tried per second of the whole search (one thread, cold caches:
// each iteration makes a fresh EstimateContext, system load included).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "core/data_path.hpp"
#include "train/estimator.hpp"
#include "train/layout_search.hpp"

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
static void BM_TrainNemotron3Nano_16(benchmark::State& state) { run(state, "configs/train/nemotron3-nano-h100.yaml"); }
BENCHMARK(BM_TrainNemotron3Nano_16)->Unit(benchmark::kMillisecond);
static void search(benchmark::State& state, const char* config, int gpus, bool prune, bool hybrid = false) {
  TrainConfig cfg = load_train_config(data_file(config));
  if (gpus) cfg.gpus = gpus, cfg.nodes = 0;
  LayoutSearchOptions o;
  o.prune = prune;
  cfg.search.hybrid_sharding = o.limits.hybrid_sharding = hybrid;
  long tried = 0, evaluated = 0;
  for (auto _ : state) {
    const LayoutSearchResult r = search_layouts(cfg, o);
    benchmark::DoNotOptimize(r.top.front().step_time_s);
    tried += r.tried, evaluated += r.evaluated;
  }
  state.counters["layouts_per_s"] = benchmark::Counter(static_cast<double>(tried), benchmark::Counter::kIsRate);
  state.counters["layouts"] = static_cast<double>(tried) / state.iterations();
  state.counters["estimated"] = static_cast<double>(evaluated) / state.iterations();
}

static void BM_AutoLlama70B_1024(benchmark::State& state) { search(state, "configs/train/llama3-70b-h100.yaml", 1024, true); }
BENCHMARK(BM_AutoLlama70B_1024)->Unit(benchmark::kMillisecond)->Iterations(3);
static void BM_AutoLlama70B_1024_exhaustive(benchmark::State& state) {
  search(state, "configs/train/llama3-70b-h100.yaml", 1024, false);
}
BENCHMARK(BM_AutoLlama70B_1024_exhaustive)->Unit(benchmark::kMillisecond)->Iterations(1);
static void BM_AutoLlama70B_1024_hybrid(benchmark::State& state) {
  search(state, "configs/train/llama3-70b-h100.yaml", 1024, true, true);
}
BENCHMARK(BM_AutoLlama70B_1024_hybrid)->Unit(benchmark::kMillisecond)->Iterations(3);
static void BM_AutoDeepSeekV3_2048(benchmark::State& state) { search(state, "configs/train/deepseek-v3-h800.yaml", 0, true); }
BENCHMARK(BM_AutoDeepSeekV3_2048)->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
