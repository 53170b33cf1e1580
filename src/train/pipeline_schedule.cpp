#include "train/pipeline_schedule.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace commsim {

const char* schedule_name(Schedule s) {
  switch (s) {
    case Schedule::k1f1b: return "1f1b";
    case Schedule::kInterleaved: return "interleaved";
    case Schedule::kZeroBubble: return "zero-bubble";
    case Schedule::kDualPipe: return "dualpipe";
  }
  return "?";
}

Schedule parse_schedule(const std::string& s, const std::string& key) {
  if (s == "1f1b") return Schedule::k1f1b;
  if (s == "interleaved") return Schedule::kInterleaved;
  if (s == "zero-bubble") return Schedule::kZeroBubble;
  if (s == "dualpipe") return Schedule::kDualPipe;
  throw InputError(key + ": unknown schedule '" + s + "' (valid: 1f1b, interleaved, zero-bubble, dualpipe)");
}

double schedule_bubble_microbatches(Schedule s, int pp, int vpp, const MicrobatchTimes& t) {
  const double fb = t.f + t.b;
  if (pp < 2 || fb <= 0) return 0.0;
  switch (s) {
    case Schedule::k1f1b: return pp - 1.0;
    case Schedule::kInterleaved: return (pp - 1.0) / vpp;
    case Schedule::kZeroBubble: return (pp - 1.0) * std::max(0.0, t.f + t.b - 2.0 * t.w) / fb;
    case Schedule::kDualPipe: return (pp / 2.0 - 1.0) * std::max(0.0, (t.f + t.b) + t.b - 3.0 * t.w) / fb;
  }
  return pp - 1.0;
}

double schedule_in_flight(Schedule s, int i, int p, int v, double m) {
  switch (s) {
    case Schedule::kDualPipe: return p + 1.0;
    case Schedule::kInterleaved: {
      if (v <= 1) break;
      const double warmup = 2.0 * (p - i - 1) + (v - 1.0) * p;
      return std::max(1.0, std::min(m * v, warmup + 1.0)) / v;
    }
    case Schedule::k1f1b:
    case Schedule::kZeroBubble: break;
  }
  return std::max(1.0, std::min(m, static_cast<double>(p - i)));
}

}  // namespace commsim
