#include "study/fit_constants.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/stats.hpp"

namespace commsim {
namespace {

constexpr int kPoints = 9;
constexpr double kStill = 0.005;  // a sweep that moves no constant by more than this (relative) has converged
constexpr int kMaxSweeps = 8;

}  // namespace

double median_abs_log_error(const std::vector<double>& predicted, const std::vector<double>& published) {
  std::vector<double> e;
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    if (!(predicted[i] > 0) || !std::isfinite(predicted[i]))
      throw RuntimeError("fit: a prediction is not a finite positive number (" + std::to_string(predicted[i]) + ")");
    e.push_back(std::fabs(std::log(predicted[i] / published[i])));
  }
  return e.empty() ? 0.0 : median(e);
}

FitResult fit_constants(const std::vector<FitConstant>& constants, const std::vector<double>& published,
                        const PredictRows& predict) {
  FitResult r;
  const std::size_t n = constants.size();
  r.values.resize(n);
  r.fitted.resize(n);
  r.loss.assign(n, NAN);
  for (std::size_t c = 0; c < n; ++c) {
    r.values[c] = std::clamp(constants[c].start, constants[c].lo, constants[c].hi);
    r.fitted[c] = constants[c].rows.size() >= 2;
  }
  auto loss = [&](std::size_t c, std::vector<double>& values) {
    const std::vector<double> pred = predict(values, constants[c].rows);
    r.predictions += static_cast<long>(pred.size());
    std::vector<double> pub;
    for (std::size_t i : constants[c].rows) pub.push_back(published[i]);
    return median_abs_log_error(pred, pub);
  };
  for (r.sweeps = 1; r.sweeps <= kMaxSweeps; ++r.sweeps) {
    double moved = 0;
    for (std::size_t c = 0; c < n; ++c) {
      if (!r.fitted[c]) continue;
      const FitConstant& k = constants[c];
      const double x0 = r.values[c];
      double a = std::log(r.sweeps == 1 ? k.lo : std::max(k.lo, x0 / 2));
      double b = std::log(r.sweeps == 1 ? k.hi : std::min(k.hi, x0 * 2));
      std::vector<double> values = r.values;
      values[c] = x0;  // ties keep the current value
      double best_x = std::log(x0), best = loss(c, values);
      for (int level = 0; level < (r.sweeps == 1 ? 4 : 3); ++level) {
        const double step = (b - a) / (kPoints - 1);
        for (int i = 0; i < kPoints; ++i) {
          values[c] = std::exp(a + i * step);
          const double l = loss(c, values);
          if (l < best - 1e-12) best = l, best_x = a + i * step;
        }
        a = std::max(std::log(k.lo), best_x - step);
        b = std::min(std::log(k.hi), best_x + step);
      }
      r.values[c] = std::exp(best_x);
      r.loss[c] = best;
      moved = std::max(moved, std::fabs(r.values[c] / x0 - 1));
    }
    if (moved <= kStill) {
      r.converged = true;
      break;
    }
  }
  r.sweeps = std::min(r.sweeps, kMaxSweeps);
  return r;
}

}  // namespace commsim
