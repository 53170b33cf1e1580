#include "study/metric_text.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include "core/text.hpp"

namespace commsim::metric_text {

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

}  // namespace commsim::metric_text
