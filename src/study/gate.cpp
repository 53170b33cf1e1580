#include "study/gate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/stats.hpp"

namespace commsim {
namespace {

std::string pct(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f%%", v);
  return buf;
}

}  // namespace

void check_gate_bound(const Gate& g) {
  if (!g.bound) return;
  if (!std::isfinite(*g.bound) || *g.bound < 0)
    throw InputError(g.flag + ": the bound must be a finite percentage >= 0, got " + std::to_string(*g.bound));
}

void enforce_gate(const Gate& g, const std::vector<double>& errors) {
  if (!g.bound) return;
  check_gate_bound(g);
  if (errors.empty()) throw RuntimeError(g.flag + ": no " + g.rows + " to check (the gate fails on nothing)");
  std::vector<double> abs;
  abs.reserve(errors.size());
  for (double e : errors) {
    if (!std::isfinite(e))
      throw RuntimeError(g.flag + ": a compared value among the " + g.rows + " is not finite (error " + std::to_string(e) + ")");
    abs.push_back(std::fabs(e));
  }
  const double v = 100.0 * (g.stat == GateStat::kMedian ? median(abs) : *std::max_element(abs.begin(), abs.end()));
  if (v > *g.bound) {
    // One decimal, or as many as tell the statistic from the bound ("0.0%, above the bound 0.0%" read as a
    // contradiction when the median was 0.004%).
    int digits = 1;
    while (digits < 6 && std::round(v * std::pow(10.0, digits)) == std::round(*g.bound * std::pow(10.0, digits))) ++digits;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f%%", digits, v);
    const std::string shown = buf;
    throw RuntimeError(std::string(g.stat == GateStat::kMedian ? "median" : "worst") + " |error| over " +
                       std::to_string(errors.size()) + " " + g.rows + " is " + shown + ", above the bound " + pct(*g.bound) +
                       " (" + g.flag + ")");
  }
}

}  // namespace commsim
