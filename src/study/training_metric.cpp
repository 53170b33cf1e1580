#include "study/training_metric.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <string>

#include "core/text.hpp"
#include "study/mapping_rules.hpp"
#include "train/layer_ops.hpp"

namespace commsim {
namespace {

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

bool starts_with_any(const std::string& s, std::initializer_list<const char*> prefixes) {
  for (const char* p : prefixes)
    if (s.rfind(p, 0) == 0) return true;
  return false;
}

// Is `word` one of the cell's words (letters and digits, split at anything else)? "step time (ms)" has "ms".
bool has_word(const std::string& cell, const std::string& word) {
  std::string w;
  for (std::size_t i = 0; i <= cell.size(); ++i) {
    if (i < cell.size() && std::isalnum(static_cast<unsigned char>(cell[i]))) {
      w += cell[i];
      continue;
    }
    if (w == word) return true;
    w.clear();
  }
  return false;
}

// The word (letters and digits) that ends at `end`, spaces before `end` skipped; `*begin` where it starts.
std::string word_before(const std::string& s, std::size_t end, std::size_t* begin) {
  while (end > 0 && s[end - 1] == ' ') --end;
  std::size_t b = end;
  while (b > 0 && std::isalnum(static_cast<unsigned char>(s[b - 1]))) --b;
  *begin = b;
  return s.substr(b, end - b);
}

// One spelling per unit: "TFLOP/s per GPU" and "Model TFLOP/sec/GPU" are "tflops/gpu", "tokens/sec",
// "tok/s" and "tokens per second" are "tokens/s"; "throughput (tokens/s/GPU)" is its unit in parentheses.
std::string canonical(std::string m) {
  // A qualifier before the metric names no other metric: "achieved TFLOPS per GPU", "average tokens/s".
  for (bool again = true; again;) {
    again = false;
    for (const char* q : {"achieved ", "measured ", "average ", "avg. ", "avg ", "mean ", "effective ",
                          "sustained ", "train ", "training "})
      if (m.rfind(q, 0) == 0) m = trim(m.substr(std::string(q).size())), again = true;
  }
  // "per-GPU tokens/s", "Per-GPU throughput (tokens/s)": the per-GPU first (they were unknown metrics).
  for (const char* first : {"per-gpu ", "per gpu "})
    if (m.rfind(first, 0) == 0) m = trim(m.substr(std::string(first).size())) + " per gpu";
  auto replace_all = [&m](const std::string& from, const std::string& to) {
    for (std::size_t i = m.find(from); i != std::string::npos; i = m.find(from, i + to.size()))
      m.replace(i, from.size(), to);
  };
  // Other names of one accelerator, read before a "throughput per NPU (tokens/s)" sheds what is outside its
  // brackets ("per NPU", "per device", "per H100" there made the row the cluster's rate, 64-16,384x off,
  // helper-135): MindSpeed's "tokens/s/p" (per processor) and NPU, a card, chip or device.
  for (const char* dev : {"npu", "card", "chip", "device", "accelerator", "xpu", "gcd", "processor", "p"})
    for (const char* sep : {"/", " per ", " / "}) {
      const std::string from = sep + std::string(dev);
      for (std::size_t i = m.find(from); i != std::string::npos; i = m.find(from, i + 1)) {
        const std::size_t end = i + from.size();
        if (end < m.size() && std::isalnum(static_cast<unsigned char>(m[end])))
          continue;  // "/param", "/npus" stay
        m.replace(i, from.size(), "/gpu");
      }
    }
  replace_all(" per gpu", "/gpu");
  replace_all("per-gpu", "/gpu");
  replace_all("per gpu", "/gpu");  // "(per GPU)"
  for (const char* one : {"per 1 gpu", "each gpu", "single gpu", " a gpu"})
    replace_all(one, "/gpu");  // one GPU's rate
  // "per H100", "per MI300X", "per 910B": one accelerator named by its part
  for (const char* part : {"h100", "h200", "h800", "h20", "a100", "a800", "b200", "b300", "gb200", "gb300",
                           "mi300", "mi325", "mi355", "910b", "910c", "l40", "l20", "rtx"}) {
    replace_all(std::string(" per ").append(part), "/gpu");
    replace_all(std::string("/").append(part), "/gpu");
  }
  for (const char* head : {"throughput", "training throughput", "speed", "performance"})
    if (m.rfind(head, 0) == 0) {
      const std::size_t open = m.find('('), close = m.rfind(')');
      if (open != std::string::npos && close != std::string::npos && close > open + 1) {
        // "Throughput per GPU (tokens/s)": the unit is in parentheses, "per GPU" outside them (it was
        // dropped, and the row read as the cluster's tokens/s).
        const std::string outside = m.substr(0, open) + " " + m.substr(close + 1);
        m = trim(m.substr(open + 1, close - open - 1));
        if (m.find("/gpu") == std::string::npos && m.find("per gpu") == std::string::npos &&
            (outside.find("per gpu") != std::string::npos || outside.find("/gpu") != std::string::npos))
          m = m.substr(0, std::min(m.find(','), m.size())) + "/gpu";  // "(tokens/s, 64 GPUs)": the unit
      }
      break;
    }
  // "tokens / s / GPU": a slash with spaces around it is a slash.
  for (const char* spaced : {" / ", " /", "/ "}) replace_all(spaced, "/");
  replace_all("tflop/sec", "tflops");
  replace_all("tflops/sec", "tflops");
  replace_all("tflop/s", "tflops");
  replace_all("tflops/s/", "tflops/");
  replace_all("model flops utilization", "mfu");
  replace_all("model flop utilization", "mfu");
  replace_all("model flops utilisation", "mfu");
  replace_all("model flop/s utilization", "mfu");  // helper-122: "Model FLOP/s Utilization (MFU) %"
  replace_all("model flop/s utilisation", "mfu");
  // "BF16 MFU %" (the Llama 3 report's Table 4 header): an MFU over the bf16 peak, the estimator's own
  for (const std::string prec : {"bf16 mfu", "fp16 mfu"})
    if (m.rfind(prec, 0) == 0) m = "mfu" + m.substr(prec.size());
  replace_all("hardware flops utilization", "hfu");
  replace_all("hardware flop utilization", "hfu");
  replace_all("tokens per gpu per second", "tokens/s/gpu");
  replace_all("tokens/gpu/second", "tokens/s/gpu");
  replace_all("tokens/gpu/sec", "tokens/s/gpu");
  replace_all("tokens/gpu/s", "tokens/s/gpu");
  replace_all("tokens per second", "tokens/s");
  replace_all("tokens/second", "tokens/s");
  replace_all("tokens/sec", "tokens/s");
  replace_all("tok/sec", "tokens/s");
  replace_all("tok/s", "tokens/s");
  replace_all("samples/sec", "samples/s");
  replace_all("sequences/sec", "sequences/s");
  replace_all("seqs/s", "sequences/s");
  replace_all("seq/s", "sequences/s");
  replace_all(" / gpu", "/gpu");
  replace_all("/ gpu", "/gpu");
  replace_all("tokens/gpu/s", "tokens/s/gpu");  // MindSpeed's "tokens/p/s", reordered
  // Tokens per GPU per second by its short names: TGS (InternEvo, MindSpeed), TPS/GPU (torchtitan's tables).
  for (const std::string short_name : {"tgs", "tps/gpu"}) {
    const std::size_t n = short_name.size();
    if (m.rfind(short_name, 0) == 0 && (m.size() == n || !std::isalnum(static_cast<unsigned char>(m[n])))) {
      m = "tokens/s/gpu" + m.substr(n);
      break;
    }
  }
  return m;
}

// Does a TFLOPS metric say it counts recompute? "recompute", "recomputation" or "checkpointing" there, not
// negated just before it ("no", "without", "w/o", "excl.", "not counting"; "(incl. recompute, excl.
// embedding)" counts it), or "HFU" or "hardware" as a word, not negated ("TFLOPS/GPU (HFU)": BLOOM's and
// others' hardware figures were read as model FLOPs, a +29% row scored -2.6%, helper-135).
bool counts_recompute(const std::string& metric) {
  bool named = false;
  for (const char* word : {"recomput", "checkpointing", "hfu", "hardware"})
    for (std::size_t i = metric.find(word); i != std::string::npos; i = metric.find(word, i + 1)) {
      const std::size_t end = i + std::strlen(word);
      // "hfu" and "hardware" as words ("TFLOPS/GPU (HFU)"), not inside one
      if ((std::strcmp(word, "hfu") == 0 || std::strcmp(word, "hardware") == 0) &&
          ((i > 0 && std::isalpha(static_cast<unsigned char>(metric[i - 1]))) ||
           (end < metric.size() && std::isalpha(static_cast<unsigned char>(metric[end])))))
        continue;
      const std::string before = metric.substr(i >= 14 ? i - 14 : 0, i >= 14 ? 14 : i);
      for (const char* neg : {"no ", "not ", "without ", "w/o ", "excl", "not counting "})
        if (before.find(neg) != std::string::npos) return false;  // "(model FLOPs, not hardware)": helper-137
      named = true;
    }
  return named;
}

// The tokens a "per ... tokens" metric counts: "per trillion tokens", "per 1T tokens", "/T tokens", "per 2
// trillion tokens", "per 2.1T tokens", "per 2 T tokens" (1e12 each, times the number); "billion" and "B" 1e9.
// Only a count after "per" or '/' ("tokens/s/GPU (2T tokens run)" is no cost metric). 0 for none, or for a
// count that does not read ("per 1x tokens"). The number is read whole: "per 11T tokens" was read as per 1T
// (a "1t token" inside it), 11x off.
double per_tokens(const std::string& metric) {
  for (std::size_t tok = metric.find(" token"); tok != std::string::npos;
       tok = metric.find(" token", tok + 1)) {
    // Backwards from " token": the scale word (trillion, billion, t, b, or NUMBER{t,b} as one word), then
    // maybe a number, then "per" or '/'.
    std::size_t e = tok, b = tok;
    while (b > 0 && (std::isalnum(static_cast<unsigned char>(metric[b - 1])) || metric[b - 1] == '.')) --b;
    std::string word = metric.substr(b, e - b), count;
    double scale = 0;
    if (word == "trillion" || word == "t")
      scale = 1e12;
    else if (word == "billion" || word == "b")
      scale = 1e9;
    else if (word.size() > 1 && (word.back() == 't' || word.back() == 'b'))
      scale = word.back() == 't' ? 1e12 : 1e9, count = word.substr(0, word.size() - 1);
    else
      continue;
    std::size_t at = b;   // before the scale word, or before its glued count
    if (count.empty()) {  // a separate count: "per 2 trillion", "per 2 T"
      std::size_t n = at;
      while (n > 0 && metric[n - 1] == ' ') --n;
      std::size_t m = n;
      while (m > 0 && (is_digit(metric[m - 1]) || metric[m - 1] == '.')) --m;
      if (m < n) count = metric.substr(m, n - m), at = m;
    }
    std::size_t p = at;
    while (p > 0 && metric[p - 1] == ' ') --p;
    const bool introduced =
        (p > 0 && metric[p - 1] == '/') || (p >= 3 && metric.compare(p - 3, 3, "per") == 0);
    if (!introduced) continue;
    if (count.empty()) return scale;  // "per trillion tokens", "/T tokens"
    if (count.find_first_not_of("0123456789.") != std::string::npos || count.find('.') != count.rfind('.') ||
        count.front() == '.' || count.back() == '.')
      return 0;
    const double n = std::stod(count);
    return n > 0 ? n * scale : 0;
  }
  return 0;
}

// The scale a word names: "k", "thousand(s)", "x1000", "(in thousands)" 1e3; "m", "million(s)" 1e6; else 1.
double scale_word(const std::string& word) {
  std::string w = word;
  if (w.rfind("in ", 0) == 0) w = trim(w.substr(3));  // "(in thousands)"
  std::string squeezed;                               // "x 1,000" as "x1000"
  for (char ch : w)
    if (ch != ' ' && ch != ',') squeezed += ch;
  for (const char* k : {"k", "1k", "thousand", "thousands", "kilo", "x1000", "x1e3",
                        "\xc3\x97"
                        "1000",
                        "1e3", "10^3", "'000", "000s"})
    if (w == k || squeezed == k) return 1e3;
  for (const char* mm : {"m", "1m", "million", "millions", "mega", "x1e6",
                         "\xc3\x97"
                         "1e6",
                         "1e6", "10^6"})
    if (w == mm || squeezed == mm) return 1e6;
  return 1;
}

// GPU hours in the unit the metric names: "K GPU hours" / "thousand GPU hours" 1e3, "M" / "million" 1e6 (the
// word right before "GPU"; each was read as plain GPU hours, 1000x off), "GPU days" 24. Another word there
// ("H200 GPU hours") names the GPU: 1.
double gpu_hours_unit(const std::string& metric) {
  const std::size_t at = metric.find("gpu");
  const bool days =
      metric.find("gpu day") != std::string::npos || metric.find("gpu-day") != std::string::npos;
  const double per = days ? 24 : 1;
  if (at == std::string::npos) return per;
  // In brackets, anywhere: "GPU hours (thousands) per 1T tokens", "GPU hours (M)", "GPU hours [K] per 1T
  // tokens"
  // ("(K)" and "(M)" were read as plain GPU hours, 1000x and 10^6 x off; 2026-12-06)
  for (std::size_t open = metric.find_first_of("(["); open != std::string::npos;
       open = metric.find_first_of("([", open + 1)) {
    const std::size_t close = metric.find(metric[open] == '(' ? ')' : ']', open);
    if (close == std::string::npos) break;
    if (const double scale = scale_word(trim(metric.substr(open + 1, close - open - 1))); scale != 1)
      return scale * per;
  }
  // The words before "gpu", up to three ("million H100 GPU hours")
  std::size_t e = at;
  for (int w = 0; w < 3; ++w) {
    const std::string word = word_before(metric, e, &e);
    if (const double scale = scale_word(word); scale != 1) return scale * per;
    if (word.empty()) break;
  }
  return per;
}

// A rate published in thousands or millions: "tokens/s/GPU (K)", "tokens/s [millions]", "tokens/s/GPU in
// thousands", "tokens/s, thousands", "K tokens/s/GPU", "ktokens/s", "million tokens/s". The marker is taken
// out of `metric` and its scale returned: 1 where there is none, 0 where two markers disagree. `tokens/s/GPU
// (K)` was read as tokens/s/GPU, 1000x off (2026-12-06).
double rate_scale(std::string* metric) {
  std::string& m = *metric;
  double scale = 1;
  auto found = [&scale](double s) {
    if (s == 1) return false;
    scale = scale == 1 || scale == s ? s : 0;
    return true;
  };
  // In brackets: the whole of "(K)", "[thousands]", "(x1000)"
  for (std::size_t open = m.find_first_of("(["); open != std::string::npos;) {
    const std::size_t close = m.find(m[open] == '(' ? ')' : ']', open);
    if (close == std::string::npos) break;
    if (found(scale_word(trim(m.substr(open + 1, close - open - 1))))) {
      m = trim(m.substr(0, open) + m.substr(close + 1));
      open = m.find_first_of("([");
    } else {
      open = m.find_first_of("([", open + 1);
    }
  }
  // After the unit: "in thousands", ", millions"
  for (const char* lead : {" in ", ", ", ","}) {
    const std::size_t at = m.rfind(lead);
    if (at != std::string::npos && found(scale_word(trim(m.substr(at + std::string(lead).size())))))
      m = trim(m.substr(0, at));
  }
  // Before it: "k tokens/s", "ktokens/s", "million tokens/s", "thousands of tokens/s" (the text as written:
  // "k tok/s", "thousand tokens per second")
  for (const char* unit : {"tok", "sample", "sequence", "seq/"}) {
    const std::size_t at = m.find(unit);
    if (at == std::string::npos || at == 0) continue;
    std::string head = trim(m.substr(0, at));
    if (head.size() > 3 && head.compare(head.size() - 3, 3, " of") == 0)
      head = trim(head.substr(0, head.size() - 3));
    if (found(scale_word(head))) m = m.substr(at);
    break;  // the first unit word only
  }
  return scale;
}

// The word right after a step-time metric's name ("step time", "iteration time", "time per step", ...),
// past "(", "[" and "in": "min" of "step time (min)", "us" of "step time us"; "" where none follows, or where
// "of" follows it ("(min of 3 runs)").
std::string step_time_unit_word(const std::string& metric) {
  std::size_t at = std::string::npos;
  for (const char* name :
       {"step time", "iteration time", "time per step", "time per iteration", "iter time", "step duration",
        "iteration duration", "time/iter", "time/step", "time/iteration", "elapsed time per iteration"})
    if (metric.rfind(name, 0) == 0) at = std::max(at == std::string::npos ? 0 : at, std::string(name).size());
  if (at == std::string::npos) return "";
  auto skip = [&metric](std::size_t i) {
    while (i < metric.size() &&
           (metric[i] == ' ' || metric[i] == '(' || metric[i] == '[' || metric[i] == ','))
      ++i;
    return i;
  };
  auto word_at = [&metric](std::size_t i) {
    std::size_t e = i;
    while (e < metric.size() && (std::isalnum(static_cast<unsigned char>(metric[e])) ||
                                 static_cast<unsigned char>(metric[e]) >= 0x80))
      ++e;
    return metric.substr(i, e - i);
  };
  std::size_t i = skip(at);
  std::string word = word_at(i);
  if (word == "in") i = skip(i + 2), word = word_at(i);
  const std::size_t next = skip(i + word.size());
  if (word_at(next) == "of") return "";
  return word;
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
  for (const char* unit : {"replica", "replicas", "worker", "workers", "pipeline", "pipelines", "dp rank",
                           "data-parallel rank", "data parallel rank", "model replica"})
    for (const char* sep : {"per ", "/"})
      if (metric.find(std::string(sep) + unit) != std::string::npos) return std::nullopt;
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
  // An MFU over the FP8 peak ("MFU vs FP8 peak %", "FP8 MFU"): half the bf16-peak figure, compared as such.
  if ((metric.rfind("mfu", 0) == 0 || metric.rfind("fp8 mfu", 0) == 0) &&
      metric.find("fp8") != std::string::npos)
    return TrainingMetric::kMfuFp8;
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
  for (const char* w : {"6nd", "6 nd", "6n ", "6n)", "6 n ", "6*n", "6xn", "6 x n", "attention excluded",
                        "excl. attention", "excluding attention", "without attention", "no attention flops"})
    if (metric.find(w) != std::string::npos) return true;
  return metric.size() >= 2 && metric.compare(metric.size() - 2, 2, "6n") == 0;
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
                           p.metric == TrainingMetric::kMfuFp8;
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
