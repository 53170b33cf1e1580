// The metric a published training row reports, read as its source states it and predicted the same way.
//
// metric (the row's cell)                 predicted as                                       (source)
//   "TFLOPS/GPU (counts recompute: 96...)"  96*B*s*L*h^2*(1 + s/6h + V/16Lh) / (step * GPUs)   (SC'21)
//   "step time s" (or "iteration time")     the step time; in ms where it names ms or msec     (Korthikanti)
//   "tokens/s/GPU"                          global_batch * seq / (step * GPUs)   (NeMo, Bridge, torchtitan)
//   "tokens/s"                              the cluster's rate
//   "samples/s", "sequences/s" [per GPU]    tokens/s [per GPU] / seq
//   "model TFLOPS/GPU" (Megatron-Bridge)    megatron_bridge_flops_per_token * tokens/s/GPU
//   "MFU %" (llm-foundry)                   (6*N + 12*L*h*s) * tokens/s/GPU / peak, N = params_B
//   "TFLOPS/GPU", "MFU %" (any other)       model FLOPs (3 x forward, full attention, no recompute: the
//                                           PaLM / Megatron convention) per second per GPU, and that over
//                                           the dense bf16 peak
//   "HFU %"                                 hardware FLOPs (recompute counted) per second per GPU / peak
//   "TFLOPS/GPU (incl. recompute)",         hardware FLOPs per second per GPU (a TFLOPS metric that says it
//   "hardware TFLOPS/GPU"                   counts recompute: the SC'21 formula above where it names it,
//                                           else the estimator's own count)
//   "MFU % of the FP8 peak" (FP8 named)     model FLOPs over the dense fp8 peak
//   "MFU % of the FP4 peak" (FP4 named)     model FLOPs over the dense fp4 peak (an nvfp4 run's)
//   "TFLOPS/GPU (6ND)", "MFU (6N approx.)",  6 x the active parameters per token (the 6ND convention: no
//   "(attention excluded)"                  attention FLOPs), per second per GPU, and that over the bf16 peak
//   "GPU hours per trillion tokens"         1e12 / (tokens/s/GPU * 3600) (the DeepSeek-V3 report's "180K
//                                           H800 GPU hours per trillion tokens"; "... per billion": 1e9)
//   "days per trillion tokens"              1e12 / (tokens/s * 86400), the row's whole cluster ("3.7 days")
//   units in the metric                     "per 2T tokens", "per 2 trillion tokens" (2e12); "K GPU hours",
//                                           "thousand GPU hours" (x 1e3), "M" / "million" (x 1e6), "GPU
//                                           days" (x 24); a step time in s (default), ms, us, min or h
// Spellings: "TFLOP/s" and "TFLOP/sec" are TFLOPS, "tokens/sec", "tok/s" and "tokens per second" are
// tokens/s, " per GPU" is "/GPU", "throughput (UNIT)" is UNIT; "s/iter", "sec/step", "seconds per iteration"
// and "elapsed time per iteration (ms)" are step times. An MFU or HFU whose metric has no "%" and whose value
// is at most 1 is a fraction (0.45 is 45%: no published run trains at under 1% MFU); one whose metric has "%"
// is from 1 to 100 (0.727 under "MFU %" was read as 0.73%: the cell is an error naming the fraction). Example
// (tested, tests/cli/other_sources.sh): 8 H200 at 8,751 tokens/s/GPU with seq 8192 are 70,010 tokens/s
// and 8.55 samples/s; a published "step time (ms)" of 2000 is 2 s.
#pragma once

#include <optional>

#include "study/case_cells.hpp"
#include "train/estimator.hpp"

namespace commsim {

enum class TrainingMetric {
  kMegatronTflops,
  kStepTime,
  kBridgeModelTflops,
  kTokensPerGpu,
  kTokensPerS,
  kFoundryMfu,
  kModelTflops,
  kMfu,
  kSamplesPerS,
  kSamplesPerGpu,
  kHfu,
  kGpuHoursPerTokens,
  kDaysPerTokens,
  kHardwareTflops,
  kMfuFp8,
  kMfuFp4,
  kModelTflops6N,  // "TFLOPS/GPU (6ND)", "(attention excluded)": 6 x the active parameters per token
  kMfu6N
};

// The metrics read, for a message naming a metric that is not one of them.
inline constexpr const char* kMetricsComputed =
    "tokens/s/GPU, tokens/s, samples/s [per GPU], step time s, ms, us, min or h, TFLOPS/GPU or model "
    "TFLOPS/GPU, "
    "MFU %, HFU %, [K or M] GPU hours, GPU days or days per [N] trillion (billion) tokens";

struct PublishedMetric {
  TrainingMetric metric = TrainingMetric::kStepTime;
  double value = 0;   // in the unit predicted_metric returns (a step time in s, an MFU in %)
  double params = 0;  // the row's params_B * 1e9 (llm-foundry MFU), else 0
  double tokens = 0;  // the tokens a "per trillion / billion tokens" metric counts (1e12, 1e9), else 0
};

// The row's metric and value (columns metric, value, source, params_B): none where the metric is not one
// commsim computes; InputError naming the cell where the value is no number or out of the metric's range.
std::optional<PublishedMetric> read_published_metric(const CaseRow& row);

// The metric of an estimate of model `m` (params: PublishedMetric::params).
double predicted_metric(TrainingMetric metric, const TrainEstimate& e, const ModelSpec& m, double params,
                        double tokens = 1e12);

}  // namespace commsim
