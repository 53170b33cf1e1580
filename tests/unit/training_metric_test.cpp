// The metric a published training row reports (study/training_metric.hpp): which metric its text names, in
// which unit its value is read, and the prediction computed the same way, by hand.
#include "study/training_metric.hpp"

#include <catch2/catch.hpp>

#include "core/csv.hpp"
#include "core/error.hpp"

using namespace commsim;

namespace {

std::optional<PublishedMetric> read(const std::string& metric, const std::string& value,
                                    const std::string& source = "a made-up source") {
  const std::vector<CsvRow> rows =
      parse_csv("case_id,metric,value,source,params_B\nX," + metric + "," + value + "," + source + ",7\n", "m.csv");
  return read_published_metric(CaseRow(rows.front(), "mapping.yaml"));
}

}  // namespace

TEST_CASE("training metric: the text names the metric, the source its convention", "[validation][metric]") {
  CHECK(read("tokens/s/GPU", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("tokens/sec per GPU", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("tokens/s", "100")->metric == TrainingMetric::kTokensPerS);
  CHECK(read("samples/s", "1")->metric == TrainingMetric::kSamplesPerS);
  CHECK(read("sequences/s per GPU", "1")->metric == TrainingMetric::kSamplesPerGpu);
  CHECK(read("iteration time s", "2")->metric == TrainingMetric::kStepTime);
  CHECK(read("MFU %", "40")->metric == TrainingMetric::kMfu);
  CHECK(read("MFU %", "40", "llm-foundry benchmarks")->metric == TrainingMetric::kFoundryMfu);
  CHECK(read("MFU %", "40", "llm-foundry benchmarks")->params == 7e9);
  CHECK(read("BF16 MFU %", "41")->metric == TrainingMetric::kMfu);  // helper-122: both were unknown metrics
  CHECK(read("Model FLOP/s Utilization (MFU) %", "41")->metric == TrainingMetric::kMfu);
  CHECK(read("HFU %", "40")->metric == TrainingMetric::kHfu);
  CHECK(read("model TFLOPS/GPU", "500", "NVIDIA-NeMo/Megatron-Bridge docs")->metric == TrainingMetric::kBridgeModelTflops);
  CHECK(read("model TFLOPS/GPU", "500")->metric == TrainingMetric::kModelTflops);
  CHECK(read("tok/s/GPU", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("Model TFLOP/s per GPU", "500")->metric == TrainingMetric::kModelTflops);
  CHECK(read("TFLOP/s/GPU", "500")->metric == TrainingMetric::kModelTflops);
  CHECK(read("samples/sec", "1")->metric == TrainingMetric::kSamplesPerS);
  CHECK(read("Tokens / s / GPU", "100")->metric == TrainingMetric::kTokensPerGpu);  // spaced slashes
  CHECK(read("TFLOP /s/ GPU", "500")->metric == TrainingMetric::kModelTflops);
  CHECK(read("H800 GPU hours per trillion tokens", "180000")->metric == TrainingMetric::kGpuHoursPerTokens);
  CHECK(read("H800 GPU hours per trillion tokens", "180000")->tokens == 1e12);
  CHECK(read("GPU-hours/1T tokens", "180000")->metric == TrainingMetric::kGpuHoursPerTokens);
  CHECK(read("GPU hours per billion tokens", "180")->tokens == 1e9);
  CHECK(read("days per trillion tokens", "3.7")->metric == TrainingMetric::kDaysPerTokens);
  // A TFLOPS figure that counts recompute is the hardware's; one over the FP8 peak is its own MFU.
  CHECK(read("TFLOPS/GPU (counts recompute)", "150")->metric == TrainingMetric::kHardwareTflops);
  CHECK(read("TFLOPS/GPU (incl. recompute)", "150")->metric == TrainingMetric::kHardwareTflops);
  CHECK(read("hardware TFLOPS per GPU", "150")->metric == TrainingMetric::kHardwareTflops);
  CHECK(read("TFLOPS/GPU (no recompute)", "150")->metric == TrainingMetric::kModelTflops);
  CHECK(read("TFLOPS/GPU (counts recompute: 96BslH^2 formula)", "150")->metric ==
        TrainingMetric::kMegatronTflops);
  CHECK(read("MFU vs FP8 peak %", "30")->metric == TrainingMetric::kMfuFp8);
  CHECK(read("FP8 MFU", "0.3")->value == Approx(30.0));
  // Over the FP4 peak (an NVFP4 run's): it was read over the bf16 peak (+286%, helper-140).
  CHECK(read("MFU % of the NVFP4 peak", "20")->metric == TrainingMetric::kMfuFp4);
  CHECK(read("MFU vs FP4 peak %", "20")->metric == TrainingMetric::kMfuFp4);
  CHECK(read("NVFP4 MFU", "0.2")->value == Approx(20.0));
  CHECK_FALSE(read("watts per trillion tokens", "1").has_value());
  CHECK_FALSE(read("tokens/day", "1e9").has_value());
  CHECK_FALSE(read("samples/day", "1e6").has_value());
}

TEST_CASE("training metric: per GPU only where the unit says so, recompute excluded in other words",
          "[validation][metric]") {
  // "per GPU" outside the parentheses that hold the unit (it was dropped: a cluster rate, 7x off)
  CHECK(read("Throughput per GPU (tokens/s)", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("Throughput (tokens/s)", "100")->metric == TrainingMetric::kTokensPerS);
  // GPUs counted in a note are the cluster's (they were read as per GPU: 256x off)
  CHECK(read("tokens/s (all 256 GPUs)", "384000")->metric == TrainingMetric::kTokensPerS);
  CHECK(read("Tokens/s (64 GPUs)", "640000")->metric == TrainingMetric::kTokensPerS);
  CHECK(read("tokens/s (per-GPU)", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("samples/s (8 GPUs)", "10")->metric == TrainingMetric::kSamplesPerS);
  CHECK(read("TFLOPS/GPU (w/o recompute)", "400")->metric == TrainingMetric::kModelTflops);
  CHECK(read("TFLOPS/GPU (excl. recompute)", "400")->metric == TrainingMetric::kModelTflops);
  CHECK(read("TFLOPS/GPU (incl. recompute)", "400")->metric == TrainingMetric::kHardwareTflops);
  CHECK(read("Train step time (ms)", "900")->metric == TrainingMetric::kStepTime);
  CHECK(read("tokens/p/s", "3000")->metric ==
        TrainingMetric::kTokensPerGpu);  // MindSpeed's per-NPU, reordered
  // One GPU in other words is per GPU; a clause that excludes something else keeps the recompute counted.
  CHECK(read("tokens/s (each GPU)", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("\"tokens/s, single GPU\"", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("tokens/s per H100", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("per-GPU tokens/s", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("Per-GPU throughput (tokens/s)", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("\"Throughput per GPU (tokens/s, 64 GPUs)\"", "100")->metric == TrainingMetric::kTokensPerGpu);
  CHECK(read("\"TFLOPS/GPU (incl. recompute, excl. embedding)\"", "400")->metric ==
        TrainingMetric::kHardwareTflops);
}

TEST_CASE("training metric: a step time in ms, an MFU as a fraction", "[validation][metric]") {
  CHECK(read("step time s", "2")->value == 2.0);
  CHECK(read("step time (ms)", "2000")->value == Approx(2.0));
  CHECK(read("iteration time ms", "1500")->value == Approx(1.5));
  CHECK(read("step time (msec)", "1500")->value == Approx(1.5));
  CHECK(read("step time in milliseconds", "1500")->value == Approx(1.5));
  CHECK(read("step time (seconds)", "1500")->value == 1500.0);  // "ms" must be a word: "seconds" is not
  CHECK(read("MFU", "0.45")->value == Approx(45.0));
  CHECK(read("MFU", "45")->value == 45.0);
  // The metric says %: 0.45 is a fraction written under it (read as 0.45%, the row was +9000%), an error.
  CHECK_THROWS_WITH(read("MFU %", "0.45"), Catch::Contains("'0.45' is not from 1 to 100 %"));
  CHECK(read("MFU %", "1")->value == 1.0);
  CHECK(read("MFU %", "72.7%")->value == Approx(72.7));  // the value with its sign
  CHECK(read("MFU", "45%")->value == Approx(45.0));
  CHECK_THROWS_AS(read("tokens/s/GPU", "100%"), InputError);  // not a percentage metric
  CHECK(read("HFU", "0.5")->value == Approx(50.0));
  // The range follows the unit: 0.5 ms is under the 1 ms floor, 2e9 ms over the 1e9 ms ceiling.
  CHECK_THROWS_AS(read("step time (ms)", "0.5"), InputError);
  CHECK_THROWS_AS(read("step time (ms)", "2e9"), InputError);
  CHECK_THROWS_AS(read("MFU %", "120"), InputError);
  // Other units of time (2026-12-06: each was read as seconds).
  CHECK(read("step time (min)", "2")->value == Approx(120.0));
  CHECK(read("iteration time (minutes)", "0.5")->value == Approx(30.0));
  CHECK(read("time per step (hours)", "0.5")->value == Approx(1800.0));
  CHECK(read("step time us", "2000000")->value == Approx(2.0));
  CHECK(read("step time (s)", "2")->value == 2.0);
  // The unit is the word after the metric's name; elsewhere a word is prose (helper-113: these were 540 s and
  // 32,400 s).
  CHECK(read("step time s (min of 3 runs)", "9")->value == 9.0);
  CHECK(read("step time (min of 3 runs)", "9")->value == 9.0);
  CHECK(read("\"step time (s), 24 h run\"", "9")->value == 9.0);
  CHECK(read("step time (minutes)", "0.5 minutes")->value ==
        Approx(30.0));  // the value's unit spelled as the metric's
  CHECK(read("step time in hours", "0.5")->value == Approx(1800.0));
  CHECK(read("\"step time (s, MS-AMP O2)\"", "1")->value == 1.0);  // seconds written, whatever ms follows
  CHECK(read("step time (\xce\xbcs)", "2000000")->value == Approx(2.0));  // Greek mu
}

TEST_CASE("training metric: the tokens and GPU hours a cost metric counts", "[validation][metric]") {
  CHECK(read("GPU hours per trillion tokens", "180000")->tokens == 1e12);
  CHECK(read("GPU hours per 1T tokens", "180000")->tokens == 1e12);
  CHECK(read("GPU hours per 11T tokens", "180000")->tokens == Approx(11e12));  // was per 1T
  CHECK(read("GPU hours per 2.1T tokens", "180000")->tokens == Approx(2.1e12));
  CHECK(read("GPU hours per 2 trillion tokens", "180000")->tokens == Approx(2e12));
  CHECK(read("days per 15T tokens", "54")->tokens == Approx(15e12));
  CHECK(read("GPU hours per billion tokens", "180")->tokens == 1e9);
  CHECK_FALSE(read("GPU hours per 1x tokens", "180").has_value());
  CHECK(read("GPU hours per 2 T tokens", "180000")->tokens == Approx(2e12));  // was per 1T
  CHECK(read("GPU hours per T tokens", "180000")->tokens == 1e12);
  // A count of tokens not after "per" or '/' is no cost metric (it was an unknown metric).
  CHECK(read("tokens/s/GPU (2T tokens run)", "5000")->metric == TrainingMetric::kTokensPerGpu);
  // K / M GPU hours and GPU days, in hours (each was read as hours, 1000x off).
  CHECK(read("K GPU hours per trillion tokens", "180")->value == Approx(180000.0));
  CHECK(read("million GPU hours per trillion tokens", "0.18")->value == Approx(180000.0));
  CHECK(read("GPU days per trillion tokens", "7500")->value == Approx(180000.0));
  CHECK(read("H800 GPU hours per trillion tokens", "180000")->value ==
        180000.0);  // a GPU named, no multiplier
  CHECK(read("million H100 GPU hours per 1T tokens", "0.18")->value == Approx(180000.0));  // helper-115
  REQUIRE(read("GPU hours (thousands) per 1T tokens", "180").has_value());  // not ->value of nothing
  CHECK(read("GPU hours (thousands) per 1T tokens", "180")->value == Approx(180000.0));
  // helper-122: a bracketed letter, as rates take it (read as plain GPU hours, +86,358,981%)
  CHECK(read("GPU hours (M) per 14.8T tokens", "2.664")->value == Approx(2.664e6));
  CHECK(read("H800 GPU hours (K) per trillion tokens", "180")->value == Approx(180000.0));
  CHECK(read("GPU hours [K] per 1T tokens", "180")->value == Approx(180000.0));
  CHECK(read("GPU hours (H800) per 1T tokens", "180000")->value == 180000.0);  // a GPU in brackets
}

TEST_CASE("training metric: a rate in thousands or millions", "[validation][metric]") {
  // Each was read as tokens/s/GPU, 1000x off, or was an unknown metric (2026-12-06).
  for (const char* k : {"tokens/s/GPU (K)", "tokens/s/GPU (thousands)", "tokens/s/GPU [k]",
                        "tokens/s/GPU in thousands", "\"tokens/s/GPU, thousands\"", "K tokens/s/GPU",
                        "kilo tokens/s/GPU", "thousands of tokens/s per GPU", "tokens/s/GPU (x1000)",
                        "tokens/s/GPU (\xc3\x97"
                        "1000)"}) {
    INFO(k);
    const auto p = read(k, "5.993");
    REQUIRE(p.has_value());
    CHECK(p->metric == TrainingMetric::kTokensPerGpu);
    CHECK(p->value == Approx(5993.0));
  }
  CHECK(read("tokens/s (M)", "1.5")->metric == TrainingMetric::kTokensPerS);
  CHECK(read("million tokens/s", "1.5")->value == Approx(1.5e6));
  CHECK(read("samples/s (K)", "2")->value == Approx(2000.0));
  // The range is the metric's, in the stated unit: 2e6 thousand tokens/s/GPU is 2e9, over the 1e9 ceiling.
  CHECK_THROWS_WITH(read("tokens/s/GPU (K)", "2e6"), Catch::Contains("thousand tokens/s/GPU"));
  // Two scales that disagree name no metric; one on a metric without a rate is not read as one.
  CHECK_FALSE(read("K tokens/s (millions)", "2").has_value());
  REQUIRE(read("GPU hours (thousands) per 1T tokens", "180").has_value());
  CHECK(read("GPU hours (thousands) per 1T tokens", "180")->value == Approx(180000.0));
  // helper-118: more spellings, and a bracket after a bracketed unit (canonical() joined the two)
  for (const char* k : {"tokens/s/GPU (in thousands)", "tokens/s/GPU (1k)", "tokens/s/GPU (x1e3)",
                        "\"tokens/s/GPU (x 1,000)\"", "Throughput (tokens/s/GPU) (K)", "k tok/s/GPU"}) {
    INFO(k);
    const auto p = read(k, "5.993");
    REQUIRE(p.has_value());
    CHECK(p->metric == TrainingMetric::kTokensPerGpu);
    CHECK(p->value == Approx(5993.0));
  }
  // Not a scale: a note in brackets, a sequence length
  CHECK(read("tokens/s/GPU (8k seq)", "5993")->value == 5993.0);
  CHECK(read("tokens/s/GPU (mean)", "5993")->value == 5993.0);
}

TEST_CASE("training metric: a rate per group of GPUs is none the estimator gives", "[validation][metric]") {
  CHECK_FALSE(read("tokens/s per 8 GPUs", "180000").has_value());  // was the cluster's rate
  CHECK_FALSE(read("tokens/s/TP group", "180000").has_value());
  CHECK_FALSE(read("tokens/s / 8 GPUs", "180000").has_value());
  CHECK_FALSE(read("tokens/s per node", "180000").has_value());
  CHECK(read("tokens/s per H100 GPU", "5000")->metric == TrainingMetric::kTokensPerGpu);
  for (const char* group : {"tokens/s per 8 H100 GPUs", "tokens/s per 8xH100", "tokens/s per host",
                            "tokens/s per DGX", "tokens/s per 8-GPU instance"})
    CHECK_FALSE(read(group, "180000").has_value());  // helper-115: each was the cluster's rate
  // helper-135: a replica, a DP rank, a pipeline or a worker is a group too; a micro-batch's time no step's
  for (const char* group :
       {"tokens/s per replica", "tokens/s per DP rank", "tokens/s per pipeline", "tokens/s/worker",
        "step time per micro-batch (ms)", "tokens/s per DP replica", "tokens/s per data-parallel replica",
        "tokens/s per-replica", "tokens/s/DP-replica", "tokens/s per-worker"})
    CHECK_FALSE(read(group, "180000").has_value());
  // ... and one accelerator by another name outside a throughput's brackets is per GPU (each was the
  // cluster's rate, off by the GPU count)
  for (const char* one :
       {"throughput per NPU (tokens/s)", "throughput per device (tokens/s)", "Throughput per H100 (tokens/s)",
        "throughput (tokens/s) per accelerator", "throughput per chip (tokens/s)"}) {
    INFO(one);
    CHECK(read(one, "100")->metric == TrainingMetric::kTokensPerGpu);
  }
  // hardware FLOPs in other words (BLOOM's "(HFU)" and "with recomputation" were model FLOPs: -2.6% for +29%)
  for (const char* hw :
       {"TFLOPS/GPU (HFU)", "TFLOPS/GPU (hardware)", "TFLOPS/GPU (incl. activation recomputation)",
        "TFLOPS/GPU (with activation checkpointing)"}) {
    INFO(hw);
    CHECK(read(hw, "150")->metric == TrainingMetric::kHardwareTflops);
  }
  CHECK(read("TFLOPS/GPU (without recomputation)", "150")->metric == TrainingMetric::kModelTflops);
  // helper-137: denied, or a word inside another, is no hardware figure; a group word that is no denominator
  // qualifies a per-GPU rate
  CHECK(read("\"TFLOPS/GPU (model FLOPs, not hardware)\"", "150")->metric == TrainingMetric::kModelTflops);
  CHECK(read("TFLOPS/GPU (not HFU)", "150")->metric == TrainingMetric::kModelTflops);
  for (const char* per_gpu : {"tokens/s/GPU (pipeline parallel)", "tokens/s/GPU (micro-batch 1)"}) {
    INFO(per_gpu);
    CHECK(read(per_gpu, "100")->metric == TrainingMetric::kTokensPerGpu);
  }
  CHECK(read("MFU % (incl. pipeline bubble)", "40")->metric == TrainingMetric::kMfu);
  // the 6ND convention named: 6 x N per token, no attention FLOPs (helper-135: computed with full attention)
  CHECK(read("\"TFLOPS/GPU (6ND, attention excluded)\"", "380")->metric == TrainingMetric::kModelTflops6N);
  CHECK(read("MFU % (6N approximation)", "38")->metric == TrainingMetric::kMfu6N);
  CHECK(read("MFU % (excl. attention)", "38")->metric == TrainingMetric::kMfu6N);
  CHECK(read("MFU % (6 * N * D)", "38")->metric == TrainingMetric::kMfu6N);
  // PaLM's 6N + 12LHQT counts attention; a denied 6ND is none (helper-139)
  CHECK(read("MFU % (6N + 12LHQT attention)", "38")->metric == TrainingMetric::kMfu);
  CHECK(read("\"MFU % (not 6ND: full attention)\"", "38")->metric == TrainingMetric::kMfu);
  CHECK(read("MFU %", "38")->metric == TrainingMetric::kMfu);
}

TEST_CASE("training metric: predicted the row's way, by hand", "[validation][metric]") {
  TrainEstimate e;
  e.config.train.global_batch = 64;
  e.config.train.seq_len = 8192;
  e.gpus = 8;
  e.step_time_s = 2.0;
  e.tokens_per_s = 64.0 * 8192 / 2.0;  // 262,144
  e.tokens_per_s_per_gpu = e.tokens_per_s / 8;
  e.hfu = 0.42;
  const ModelSpec m;
  CHECK(predicted_metric(TrainingMetric::kStepTime, e, m, 0) == 2.0);
  CHECK(predicted_metric(TrainingMetric::kTokensPerS, e, m, 0) == 262144.0);
  CHECK(predicted_metric(TrainingMetric::kSamplesPerS, e, m, 0) == Approx(32.0));   // 64 sequences / 2 s
  CHECK(predicted_metric(TrainingMetric::kSamplesPerGpu, e, m, 0) == Approx(4.0));  // over 8 GPUs
  CHECK(predicted_metric(TrainingMetric::kHfu, e, m, 0) == Approx(42.0));
  e.hardware_tflops_per_gpu = 415.5, e.mfu_fp8 = 0.15;
  CHECK(predicted_metric(TrainingMetric::kHardwareTflops, e, m, 0) == 415.5);
  CHECK(predicted_metric(TrainingMetric::kMfuFp8, e, m, 0) == Approx(15.0));
  e.mfu_fp4 = 0.09;
  CHECK(predicted_metric(TrainingMetric::kMfuFp4, e, m, 0) == Approx(9.0));
  // 32,768 tokens/s/GPU: 1e12 / (32,768 * 3600) = 8,477 GPU hours per trillion tokens; the 8 GPUs' 262,144
  // tokens/s: 1e12 / (262,144 * 86,400) = 44.15 days.
  CHECK(predicted_metric(TrainingMetric::kGpuHoursPerTokens, e, m, 0) == Approx(8477.03).epsilon(1e-5));
  CHECK(predicted_metric(TrainingMetric::kGpuHoursPerTokens, e, m, 0, 1e9) == Approx(8.47703).epsilon(1e-5));
  CHECK(predicted_metric(TrainingMetric::kDaysPerTokens, e, m, 0) == Approx(44.1516).epsilon(1e-5));
  // 6ND: Llama 3 8B's active parameters, 6 N per token at 32,768 tokens/s/GPU, over a 989.4 TFLOPS peak
  const ModelSpec llama = load_model("llama3-8b");
  e.peak_tflops_per_gpu = 989.4;
  const double n = llama.active_params();
  CHECK(predicted_metric(TrainingMetric::kModelTflops6N, e, llama, 0) == Approx(6.0 * n * 32768.0 / 1e12));
  CHECK(predicted_metric(TrainingMetric::kMfu6N, e, llama, 0) ==
        Approx(100.0 * 6.0 * n * 32768.0 / 989.4e12));
  CHECK(predicted_metric(TrainingMetric::kModelTflops6N, e, llama, 0) <
        predicted_metric(TrainingMetric::kModelTflops, e, llama, 0));
}
