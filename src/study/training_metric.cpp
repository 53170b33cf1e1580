#include "study/training_metric.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <string>

#include "core/text.hpp"
#include "study/mapping_rules.hpp"
#include "study/metric_text.hpp"
#include "train/layer_ops.hpp"

namespace commsim {
namespace {

using namespace metric_text;

// What a published value of each metric can be: outside, the cell is a typo or in another unit (1e30
// tokens/s/GPU made the error -100%, 1e-30 one of 1e34 %).
struct MetricRange {
  double min, max;
  const char* unit;
};
MetricRange metric_range(TrainingMetric m) {
  switch (m) {
    case TrainingMetric::kStepTime: return {1e-3, 1e6, "s"};
    case TrainingMetric::kTokensPerGpu: return {1e-3, 1e9, "tokens/s/GPU"};
    case TrainingMetric::kTokensPerS: return {1e-3, 1e13, "tokens/s"};
    case TrainingMetric::kSamplesPerS: return {1e-6, 1e10, "samples/s"};
    case TrainingMetric::kSamplesPerGpu: return {1e-6, 1e7, "samples/s/GPU"};
    case TrainingMetric::kMfu:
    case TrainingMetric::kMfu6N:
    case TrainingMetric::kMfuFp8:
    case TrainingMetric::kMfuFp4:
    case TrainingMetric::kHfu:
    case TrainingMetric::kFoundryMfu: return {1e-3, 100, "%"};
    case TrainingMetric::kHardwareTflops:
    case TrainingMetric::kMegatronTflops:
    case TrainingMetric::kBridgeModelTflops:
    case TrainingMetric::kModelTflops6N:
    case TrainingMetric::kModelTflops: return {1e-3, 1e5, "TFLOPS/GPU"};
    case TrainingMetric::kGpuHoursPerTokens: return {1e-6, 1e15, "GPU hours"};
    case TrainingMetric::kDaysPerTokens: return {1e-9, 1e9, "days"};
  }
  return {1e-3, 1e13, ""};
}

std::optional<TrainingMetric> metric_named(const std::string& metric, const std::string& source) {
  if (per_tokens(metric) > 0) {
    if (metric.find("gpu hour") != std::string::npos || metric.find("gpu-hour") != std::string::npos ||
        metric.find("gpuh") != std::string::npos || metric.find("gpu day") != std::string::npos ||
        metric.find("gpu-day") != std::string::npos)
      return TrainingMetric::kGpuHoursPerTokens;
    if (metric.rfind("days", 0) == 0 || metric.rfind("day ", 0) == 0 || metric.find("wall-clock days") != std::string::npos)
      return TrainingMetric::kDaysPerTokens;
    return std::nullopt;
  }
  if (metric.rfind("tflops/gpu (counts recompute: 96", 0) == 0) return TrainingMetric::kMegatronTflops;
  // A time or rate per micro-batch is none of a step ("step time per micro-batch (ms)" was the step time); a
  // note naming the micro-batch is ("tokens/s/GPU (micro-batch 1)", helper-137).
  for (const char* mb :
       {"per micro-batch", "per microbatch", "per micro batch", "/micro-batch", "/microbatch"})
    if (metric.find(mb) != std::string::npos) return std::nullopt;
  if (starts_with_any(metric, {"step time", "iteration time", "time per step", "time per iteration", "seconds per step",
                               "seconds per iteration", "seconds/step", "seconds/iteration", "sec/step", "sec/iter",
                               "time/iter", "time per iter", "iter time",
                               "s/step", "s/iter", "ms/step", "ms/iter", "ms per step", "ms per iteration",
                               "elapsed time per iteration", "time/step", "time/iteration", "step duration",
                               "iteration duration"}))
    return TrainingMetric::kStepTime;
  // A rate per node (or per rack, per pod) is no metric here: read as the cluster's it would be 8x off.
  if (has_word(metric, "node") || has_word(metric, "rack") || has_word(metric, "pod") || has_word(metric, "server"))
    return std::nullopt;
  // Nor a rate per group of GPUs: "tokens/s per 8 GPUs", "tokens/s/TP group" (read as the cluster's, 8x and
  // 64x off, 2026-12-06).
  for (const char* w : {"group", "groups", "host", "hosts", "dgx", "instance", "box", "machine"})
    if (has_word(metric, w)) return std::nullopt;  // "tokens/s per host", "per DGX", "per 8-GPU instance"
  // Per replica, data-parallel rank, pipeline or worker (each read as the cluster's rate); these words
  // elsewhere ("(pipeline parallel)", "(incl. pipeline bubble)") qualify a rate per GPU (helper-137).
  // After "per", "per-" or '/', qualifiers aside ("per DP replica", "per data-parallel replica",
  // "/DP-replica", "per-worker": helper-138).
  for (const char* sep : {"per ", "per-", "/"})
    for (std::size_t at = metric.find(sep); at != std::string::npos; at = metric.find(sep, at + 1)) {
      std::size_t i = at + std::strlen(sep);
      bool data_parallel = false;  // "per DP rank" is a replica; "per rank" alone is a GPU
      for (bool again = true; again;) {
        again = false;
        for (const char* q : {"dp ", "dp-", "data-parallel ", "data parallel ", "model ", "pp "})
          if (metric.compare(i, std::strlen(q), q) == 0) {
            data_parallel = data_parallel || q[0] == 'd';
            i += std::strlen(q), again = true;
          }
      }
      for (const char* unit : {"replica", "worker", "pipeline"})
        if (metric.compare(i, std::strlen(unit), unit) == 0) return std::nullopt;
      if (data_parallel && metric.compare(i, 4, "rank") == 0) return std::nullopt;
    }
  // "per 8xH100", "per 8x H100": a count of GPUs
  for (std::size_t at = metric.find("per "); at != std::string::npos; at = metric.find("per ", at + 1)) {
    std::size_t d = at + 4;
    while (d < metric.size() && is_digit(metric[d])) ++d;
    if (d > at + 4 && d < metric.size() && (metric[d] == 'x' || metric[d] == '-' || metric[d] == ' '))
      return std::nullopt;
  }
  // "/8 gpus" ("per 8 gpus" above); not "(8 gpus)", "(all 256 gpus)": a cluster's rate with its size
  for (std::size_t g = metric.find("gpu"); g != std::string::npos; g = metric.find("gpu", g + 1)) {
    std::size_t b = 0;
    const std::string count = word_before(metric, g, &b);
    while (b > 0 && metric[b - 1] == ' ') --b;
    if (!count.empty() && std::all_of(count.begin(), count.end(), is_digit) && b > 0 && metric[b - 1] == '/')
      return std::nullopt;
  }
  if (metric.rfind("model tflops/gpu", 0) == 0 && contains_nocase(source, "Megatron-Bridge")) return TrainingMetric::kBridgeModelTflops;
  // Per GPU where the unit says so ("tokens/sec per GPU"); "tokens/s (all 256 GPUs)" counts the GPUs of a
  // cluster's rate (it was read as per GPU, 256x off).
  const bool per_gpu = metric.find("/gpu") != std::string::npos;
  if (metric.rfind("tokens/s", 0) == 0 && per_gpu) return TrainingMetric::kTokensPerGpu;
  // torchtitan logs "tps" (before, "wps"): tokens per second per device. Elsewhere the short names are ambiguous.
  if ((metric == "tps" || metric == "wps") && contains_nocase(source, "torchtitan")) return TrainingMetric::kTokensPerGpu;
  if (metric.rfind("mfu", 0) == 0 && contains_nocase(source, "llm-foundry")) return TrainingMetric::kFoundryMfu;
  if (metric.rfind("tokens/s", 0) == 0) return TrainingMetric::kTokensPerS;
  // A TFLOPS figure that counts recompute is the hardware's ("TFLOPS/GPU (incl. recompute)"; DeepSpeed's and
  // Megatron's logs): it was read as model FLOPs, 25% low under full recompute.
  if (starts_with_any(metric, {"hardware tflops/gpu", "hfu tflops/gpu"}) ||
      (metric.rfind("tflops/gpu", 0) == 0 && counts_recompute(metric)))
    return TrainingMetric::kHardwareTflops;
  if (metric.rfind("tflops/gpu", 0) == 0 || metric.rfind("model tflops/gpu", 0) == 0) return TrainingMetric::kModelTflops;
  // An MFU over the FP8 peak ("MFU vs FP8 peak %", "FP8 MFU"): half the bf16-peak figure, compared as such;
  // over the FP4 peak likewise ("MFU % of the NVFP4 peak": it was read over the bf16 peak, +286%,
  // helper-140).
  if ((metric.rfind("mfu", 0) == 0 || metric.rfind("fp8 mfu", 0) == 0) &&
      metric.find("fp8") != std::string::npos)
    return TrainingMetric::kMfuFp8;
  if ((metric.rfind("mfu", 0) == 0 || metric.rfind("fp4 mfu", 0) == 0 || metric.rfind("nvfp4 mfu", 0) == 0) &&
      metric.find("fp4") != std::string::npos)
    return TrainingMetric::kMfuFp4;
  if (metric.rfind("mfu", 0) == 0) return TrainingMetric::kMfu;
  if (metric.rfind("hfu", 0) == 0) return TrainingMetric::kHfu;
  if (starts_with_any(metric, {"samples/s", "sequences/s", "samples per second", "sequences per second"}))
    return per_gpu ? TrainingMetric::kSamplesPerGpu : TrainingMetric::kSamplesPerS;
  return std::nullopt;
}

}  // namespace

// Does a model-FLOPs metric count 6 x N per token, attention aside ("(6ND)", "6N approximation", "attention
// excluded", "excl. attention")? Computed with full attention they scored +20.8% for an expected -48% at 128K
// (helper-135).
namespace {
bool six_n(const std::string& metric) {
  // PaLM's "6N + 12LHQT" counts attention; a denied convention ("not 6ND") is none (helper-139).
  if (metric.find("12l") != std::string::npos || metric.find("+ 12") != std::string::npos ||
      metric.find("+12") != std::string::npos)
    return false;
  std::string m = metric;  // "6 * N * D", "6·N·D" (U+00B7), "6*N*D" as "6nd"
  for (const char* joined : {" * ", "*", "\xc2\xb7"})
    for (std::size_t at = m.find(joined); at != std::string::npos; at = m.find(joined))
      m.erase(at, std::strlen(joined));
  auto alnum = [&](std::size_t i) { return std::isalnum(static_cast<unsigned char>(m[i])) != 0; };
  for (const char* w : {"6nd", "6n"})
    for (std::size_t at = m.find(w); at != std::string::npos; at = m.find(w, at + 1)) {
      const std::size_t end = at + std::strlen(w);
      if ((at > 0 && alnum(at - 1)) || (end < m.size() && alnum(end))) continue;
      if ((at >= 4 && m.compare(at - 4, 4, "not ") == 0) || (at >= 3 && m.compare(at - 3, 3, "not") == 0))
        continue;
      return true;
    }
  for (const char* w : {"attention excluded", "excl. attention", "excluding attention", "without attention",
                        "no attention flops"})
    if (metric.find(w) != std::string::npos) return true;
  return false;
}
}  // namespace

std::optional<PublishedMetric> read_published_metric(const CaseRow& row) {
  const std::string written = lower_case(row.at("metric"));
  std::string metric = canonical(written);
  std::optional<TrainingMetric> named = metric_named(metric, row.at("source"));
  if (named == TrainingMetric::kModelTflops && six_n(written)) named = TrainingMetric::kModelTflops6N;
  if (named == TrainingMetric::kMfu && six_n(written)) named = TrainingMetric::kMfu6N;
  // A rate in thousands or millions: the marker read off the text as written (canonical() would join two
  // brackets, "(tokens/s/GPU) (K)"), and taken only where what is left is a rate ("GPU hours (thousands) per
  // 1T tokens" is gpu_hours_unit's).
  double rate_unit = 1;
  {
    std::string stripped = written;
    const double scale = rate_scale(&stripped);
    const std::string m2 = scale != 1 ? canonical(stripped) : std::string();
    const std::optional<TrainingMetric> n2 = scale != 1 ? metric_named(m2, row.at("source")) : std::nullopt;
    const bool rate = n2 && (*n2 == TrainingMetric::kTokensPerGpu || *n2 == TrainingMetric::kTokensPerS ||
                             *n2 == TrainingMetric::kSamplesPerS || *n2 == TrainingMetric::kSamplesPerGpu);
    if (rate && scale == 0) return std::nullopt;  // "k tokens/s (millions)"
    if (rate) metric = m2, named = n2, rate_unit = scale;
  }
  if (!named) return std::nullopt;
  PublishedMetric p;
  p.metric = *named;
  if (p.metric == TrainingMetric::kFoundryMfu) p.params = row.positive("params_B") * 1e9;  // nan made the MFU nan
  if (p.metric == TrainingMetric::kGpuHoursPerTokens || p.metric == TrainingMetric::kDaysPerTokens)
    p.tokens = per_tokens(metric);
  // The published value's unit, in the metric's own: a step time in ms, us, minutes or hours (each but ms was
  // read as seconds), GPU hours in thousands or GPU days.
  double unit = 1;
  const char* unit_name = nullptr;
  if (p.metric == TrainingMetric::kStepTime) {
    auto any = [&metric](std::initializer_list<const char*> words) {
      for (const char* w : words)
        if (has_word(metric, w)) return true;
      return false;
    };
    // ms anywhere (as before); else the unit written right after the metric's name ("step time (min)", "step
    // time us", "iteration time in hours"): a word elsewhere is prose ("step time s (min of 3 runs)", "step
    // time (s), 24 h run" are in seconds), and a unit word followed by "of" is none ("(min of 3 runs)").
    const std::string unit_word = step_time_unit_word(metric);
    const bool seconds =
        unit_word == "s" || unit_word == "sec" || unit_word == "secs" || unit_word == "second" ||
        unit_word == "seconds";  // "step time (s, MS-AMP O2)": seconds, whatever "ms" follows
    if (seconds)
      unit = 1;
    else if (any({"ms", "msec", "millisecond", "milliseconds"}))
      unit = 1e-3, unit_name = "ms";
    else if (unit_word == "us" || unit_word == "usec" || unit_word == "microsecond" ||
             unit_word == "microseconds" || unit_word == "\xc2\xb5s" || unit_word == "\xce\xbcs")
      unit = 1e-6, unit_name = "us";
    else if (unit_word == "min" || unit_word == "mins" || unit_word == "minute" || unit_word == "minutes")
      unit = 60, unit_name = "min";
    else if (unit_word == "h" || unit_word == "hr" || unit_word == "hrs" || unit_word == "hour" ||
             unit_word == "hours")
      unit = 3600, unit_name = "h";
  }
  std::string rate_unit_name;
  if (rate_unit != 1) {
    rate_unit_name = std::string(rate_unit == 1e3 ? "thousand " : "million ") + metric_range(p.metric).unit;
    unit = rate_unit, unit_name = rate_unit_name.c_str();
  }
  if (p.metric == TrainingMetric::kGpuHoursPerTokens && gpu_hours_unit(metric) != 1)
    unit = gpu_hours_unit(metric), unit_name = unit == 24    ? "GPU days"
                                               : unit == 1e3 ? "thousand GPU hours"
                                               : unit == 1e6 ? "million GPU hours"
                                                             : "GPU hours";
  const bool utilisation = p.metric == TrainingMetric::kMfu || p.metric == TrainingMetric::kMfu6N ||
                           p.metric == TrainingMetric::kFoundryMfu || p.metric == TrainingMetric::kHfu ||
                           p.metric == TrainingMetric::kMfuFp8 || p.metric == TrainingMetric::kMfuFp4;
  const bool fraction = utilisation && metric.find('%') == std::string::npos;
  MetricRange range = metric_range(p.metric);
  if (unit_name) range = {range.min / unit, range.max / unit, unit_name};
  if (fraction) range.min = 1e-5;  // 0.45
  else if (utilisation)
    range.min = 1;  // in %: 0.727 is a fraction written under "MFU %", not 0.73%
  p.value = row.number_in("value", range.min, range.max, range.unit);
  p.value *= unit;
  if (fraction && p.value <= 1) p.value *= 100;
  return p;
}

double predicted_metric(TrainingMetric metric, const TrainEstimate& e, const ModelSpec& m, double params,
                        double tokens) {
  const double B = static_cast<double>(e.config.train.global_batch), s = static_cast<double>(e.config.train.seq_len);
  switch (metric) {
    case TrainingMetric::kMegatronTflops:
      return megatron_gpt_flops(96, B, s, m.layers, static_cast<double>(m.hidden), static_cast<double>(m.vocab)) /
             (e.step_time_s * e.gpus) / 1e12;
    case TrainingMetric::kStepTime: return e.step_time_s;
    case TrainingMetric::kBridgeModelTflops: return megatron_bridge_flops_per_token(m, s) * e.tokens_per_s_per_gpu / 1e12;
    case TrainingMetric::kTokensPerGpu: return e.tokens_per_s_per_gpu;
    case TrainingMetric::kTokensPerS: return e.tokens_per_s;
    case TrainingMetric::kSamplesPerS: return e.tokens_per_s / s;
    case TrainingMetric::kSamplesPerGpu: return e.tokens_per_s_per_gpu / s;
    case TrainingMetric::kHfu: return 100.0 * e.hfu;
    case TrainingMetric::kHardwareTflops:
      return e.hardware_tflops_per_gpu;
    case TrainingMetric::kMfuFp8:
      return 100.0 * e.mfu_fp8;
    case TrainingMetric::kMfuFp4:
      return 100.0 * e.mfu_fp4;
    case TrainingMetric::kGpuHoursPerTokens: return tokens / (e.tokens_per_s_per_gpu * 3600.0);
    case TrainingMetric::kDaysPerTokens: return tokens / (e.tokens_per_s * 86400.0);
    case TrainingMetric::kModelTflops: return model_flops_per_token(m, s) * e.tokens_per_s_per_gpu / 1e12;
    case TrainingMetric::kModelTflops6N:
      return 6.0 * m.active_params() * e.tokens_per_s_per_gpu / 1e12;
    case TrainingMetric::kMfu6N:
      return 100.0 * 6.0 * m.active_params() * e.tokens_per_s_per_gpu / (e.peak_tflops_per_gpu * 1e12);
    case TrainingMetric::kMfu:
      return 100.0 * model_flops_per_token(m, s) * e.tokens_per_s_per_gpu / (e.peak_tflops_per_gpu * 1e12);
    case TrainingMetric::kFoundryMfu: {
      // Composer's speed monitor divides by the peak of the run's precision: amp_fp8 by the fp8 peak (1,979
      // TFLOPS on H100 SXM; helper-128: an fp8 row was divided by bf16's, 2x high)
      const double peak = is_fp8(e.config.train.precision) && e.peak_fp8_tflops_per_gpu > 0
                              ? e.peak_fp8_tflops_per_gpu
                              : e.peak_tflops_per_gpu;
      return 100.0 * foundry_flops_per_token(params, m.layers, static_cast<double>(m.hidden), s) *
             e.tokens_per_s_per_gpu / (peak * 1e12);
    }
  }
  return 0;
}

}  // namespace commsim
