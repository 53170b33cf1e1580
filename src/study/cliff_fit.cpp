#include "study/cliff_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/error.hpp"

namespace commsim {

namespace {

double loss_at(const std::vector<FitRow>& rows, double x, double y) {
  double F = 0;
  for (const FitRow& r : rows) {
    double p = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < r.latency.size(); ++k) p = std::min(p, x * r.latency[k] + y * r.bandwidth[k]);
    if (!(p > 0) || !std::isfinite(p)) return std::numeric_limits<double>::infinity();
    const double e = std::log(p / r.time);
    F += std::log1p(e * e / (kCauchyScale * kCauchyScale));
  }
  return F;
}

}  // namespace

double fit_dram_scale(const std::vector<FitRow>& rows, double x, double* loss) {
  if (rows.empty()) throw InputError("calibration: no rows above the cache breakpoint");
  // Start: the Cauchy location of ln(T_i / min_c W_ic) (exact when the latency term vanishes).
  std::vector<double> v;
  for (const FitRow& r : rows) {
    double w = std::numeric_limits<double>::infinity();
    for (double b : r.bandwidth) w = std::min(w, b);
    if (w > 0 && std::isfinite(w)) v.push_back(std::log(r.time / w));
  }
  const double centre = v.empty() ? 0.0 : cauchy_location(v);
  constexpr double kHalf = 4, kStep = 0.01;
  double best_t = centre, best_F = std::numeric_limits<double>::infinity();
  for (double t = centre - kHalf; t <= centre + kHalf + 1e-12; t += kStep) {
    const double F = loss_at(rows, x, std::exp(t));
    if (F < best_F) best_F = F, best_t = t;
  }
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = best_t - kStep, b = best_t + kStep, c = b - g * (b - a), d = a + g * (b - a);
  double Fc = loss_at(rows, x, std::exp(c)), Fd = loss_at(rows, x, std::exp(d));
  for (int i = 0; i < 200 && b - a > 1e-10; ++i) {
    if (Fc < Fd) b = d, d = c, Fd = Fc, c = b - g * (b - a), Fc = loss_at(rows, x, std::exp(c));
    else a = c, c = d, Fc = Fd, d = a + g * (b - a), Fd = loss_at(rows, x, std::exp(d));
    if (Fc < best_F) best_F = Fc, best_t = c;
    if (Fd < best_F) best_F = Fd, best_t = d;
  }
  if (loss) *loss = best_F;
  return std::exp(best_t);
}

CliffFit fit_cliff(const std::vector<FitRow>& rows) {
  CliffFit out;
  out.below = fit_scales(rows);
  out.loss = out.loss_without = out.below.loss;
  out.rows_below = rows.size();
  const double n = static_cast<double>(rows.size());
  std::set<double> sizes;
  for (const FitRow& r : rows) sizes.insert(r.size);
  double best = out.loss_without;
  for (double B : sizes) {
    std::vector<FitRow> lo, hi;
    for (const FitRow& r : rows) (r.size <= B ? lo : hi).push_back(r);
    if (lo.size() < kCliffMinRows || hi.size() < kCliffMinRows) continue;
    const ScaleFit f = fit_scales(lo);
    if (!(f.y > 0) || !std::isfinite(f.y) || !(f.x > 0)) continue;
    double F_hi = 0;
    const double y_d = fit_dram_scale(hi, f.x, &F_hi);
    const double total = (f.loss * static_cast<double>(lo.size()) + F_hi) / n;
    if (total < best) {
      best = total;
      out.below = f, out.cache_bytes = B, out.y_dram = y_d, out.loss = total;
      out.rows_below = lo.size(), out.rows_above = hi.size();
    }
  }
  out.cliff = out.cache_bytes > 0 && out.loss <= (1 - kCliffGain) * out.loss_without &&
              out.loss_without - out.loss >= kCliffMinDrop;
  if (!out.cliff) {
    out.below = fit_scales(rows);
    out.cache_bytes = 0, out.y_dram = 0, out.loss = out.loss_without;
    out.rows_below = rows.size(), out.rows_above = 0;
  }
  return out;
}

}  // namespace commsim
