#include "study/scale_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace commsim {

double cauchy_loss(const std::vector<double>& v, double m) {
  double F = 0;
  for (double e : v) F += std::log1p((m - e) * (m - e) / (kCauchyScale * kCauchyScale));
  return F;
}

double cauchy_location(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  // Start 1: the middle of the densest window of width 2c; start 2: the median.
  std::size_t best_i = 0, best_j = 0;
  for (std::size_t i = 0, j = 0; i < v.size(); ++i) {
    while (v[i] - v[j] > 2 * kCauchyScale) ++j;
    if (i - j > best_i - best_j) best_i = i, best_j = j;
  }
  double best = 0, best_F = std::numeric_limits<double>::infinity();
  const double dense = v[(best_i + best_j) / 2], median = v[(v.size() - 1) / 2];
  for (int start = 0; start < 2; ++start) {
    if (start == 1 && std::fabs(median - dense) <= kCauchyScale) break;  // the same basin
    double m = start == 0 ? dense : median;
    // Reweighted mean: w_i = 1 / (1 + ((m - v_i) / c)^2); the loss falls at every step.
    for (int it = 0; it < 100; ++it) {
      double sw = 0, swv = 0;
      for (double e : v) {
        const double w = 1 / (1 + (m - e) * (m - e) / (kCauchyScale * kCauchyScale));
        sw += w, swv += w * e;
      }
      const double next = swv / sw;
      const bool done = std::fabs(next - m) <= 1e-10 * std::max(1.0, std::fabs(m));
      m = next;
      if (done) break;
    }
    const double F = cauchy_loss(v, m);
    if (F < best_F) best_F = F, best = m;
  }
  return best;
}

namespace {

constexpr double kGridLo = -8, kGridHi = 8, kGridStep = 0.05;  // log10 of the ratio r = x / y
constexpr std::size_t kGridRows = 4096;  // rows the grid stage looks at (evenly strided); the refinement uses all
constexpr int kMaxSteps = 200;
constexpr double kTolerance = 1e-9;

struct Point {
  double F = std::numeric_limits<double>::infinity();
  double x = 0, y = 0;
};

// F*(r): the best scale for the ratio r (the Cauchy location of ln(T_i / q_i)) and F there; infinite when a
// row has no positive time at this ratio. `latency_only`: r = infinity.
Point best_for_ratio(const std::vector<FitRow>& rows, double r, bool latency_only) {
  std::vector<double> v;
  v.reserve(rows.size());
  for (const FitRow& row : rows) {
    double q = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < row.latency.size(); ++k)
      q = std::min(q, latency_only ? row.latency[k] : r * row.latency[k] + row.bandwidth[k]);
    if (!(q > 0) || !std::isfinite(q)) return Point{};
    v.push_back(std::log(row.time / q));
  }
  const double ls = cauchy_location(v);
  const double F = cauchy_loss(v, ls);
  Point p;
  p.F = F / static_cast<double>(rows.size());
  const double s = std::exp(ls);
  if (latency_only) {
    p.x = s, p.y = 0;
  } else {
    p.x = r * s, p.y = s;
  }
  return p;
}

}  // namespace

ScaleFit fit_scales(const std::vector<FitRow>& rows) {
  if (rows.size() < 2) throw InputError("calibration needs at least 2 measured rows (got " + std::to_string(rows.size()) + ")");
  for (const FitRow& r : rows)
    if (!(r.time > 0) || !std::isfinite(r.time) || r.latency.empty() || r.latency.size() != r.bandwidth.size())
      throw InputError("calibration: a fitted row has no positive time or no candidate");

  // The grid (on every k-th row when there are more than kGridRows).
  std::vector<FitRow> sample;
  const std::size_t stride = (rows.size() + kGridRows - 1) / kGridRows;
  if (stride > 1)
    for (std::size_t i = 0; i < rows.size(); i += stride) sample.push_back(rows[i]);
  const std::vector<FitRow>& grid_rows = stride > 1 ? sample : rows;
  Point best;
  double best_t = -std::numeric_limits<double>::infinity(), best_grid_F = best.F;
  const int steps = static_cast<int>(std::lround((kGridHi - kGridLo) / kGridStep));
  for (int k = 0; k <= steps; ++k) {
    const double t = kGridLo + k * kGridStep;
    const Point p = best_for_ratio(grid_rows, std::pow(10.0, t), false);
    if (p.F < best_grid_F) best_grid_F = p.F, best_t = t;
  }
  if (std::isfinite(best_t)) best = best_for_ratio(rows, std::pow(10.0, best_t), false);

  ScaleFit f;
  f.converged = true;
  if (std::isfinite(best_t)) {
    // Golden-section search of F*(10^t) between the neighbours of the best grid point.
    const double g = (std::sqrt(5.0) - 1) / 2;
    double a = std::max(kGridLo, best_t - kGridStep), b = std::min(kGridHi, best_t + kGridStep);
    double c = b - g * (b - a), d = a + g * (b - a);
    Point pc = best_for_ratio(rows, std::pow(10.0, c), false), pd = best_for_ratio(rows, std::pow(10.0, d), false);
    f.converged = false;
    for (f.rounds = 1; f.rounds <= kMaxSteps; ++f.rounds) {
      if (pc.F < pd.F) {
        b = d, d = c, pd = pc, c = b - g * (b - a), pc = best_for_ratio(rows, std::pow(10.0, c), false);
      } else {
        a = c, c = d, pc = pd, d = a + g * (b - a), pd = best_for_ratio(rows, std::pow(10.0, d), false);
      }
      if (pc.F < best.F) best = pc;
      if (pd.F < best.F) best = pd;
      // |b - a| in log10 r: a relative width of the ratio of ln(10) (b - a).
      if (std::log(10.0) * (b - a) < kTolerance) {
        f.converged = true;
        break;
      }
    }
    f.rounds = std::min(f.rounds, kMaxSteps);
  }
  f.x = best.x, f.y = best.y, f.loss = best.F;
  // r = infinity (no bandwidth term at all) is not a calibration (bandwidth_scale would be infinite); say
  // when it would fit better, i.e. these rows do not constrain the bandwidth term.
  f.latency_alone_fits_better = best_for_ratio(rows, 0, true).F < best.F;
  f.choice.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    double t = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < rows[i].latency.size(); ++k) {
      const double p = f.x * rows[i].latency[k] + f.y * rows[i].bandwidth[k];
      if (p < t) t = p, f.choice[i] = k;
    }
  }
  return f;
}

}  // namespace commsim
