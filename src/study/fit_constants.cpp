#include "study/fit_constants.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/stats.hpp"

namespace commsim {
namespace {

constexpr int kGrid = 7;           // points of the coarse grid of the first search
constexpr double kTol = 0.004;     // the golden-section search stops when its bracket is this narrow (log x)
constexpr double kStill = 0.005;   // a constant that moves less than this (relative) does not disturb others
constexpr double kLocal = 1.25;    // later searches: [x / kLocal, x kLocal]
constexpr int kMaxSweeps = 8;
constexpr double kGolden = 0.6180339887498949;

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
  std::vector<bool> dirty(n);
  for (std::size_t c = 0; c < n; ++c) {
    r.values[c] = std::clamp(constants[c].start, constants[c].lo, constants[c].hi);
    r.fitted[c] = constants[c].rows.size() >= 2;
    dirty[c] = r.fitted[c];
  }
  auto shares_rows = [&](std::size_t c, std::size_t d) {
    for (std::size_t i : constants[c].rows)
      if (std::find(constants[d].rows.begin(), constants[d].rows.end(), i) != constants[d].rows.end()) return true;
    return false;
  };
  for (r.sweeps = 0; r.sweeps < kMaxSweeps && std::find(dirty.begin(), dirty.end(), true) != dirty.end();) {
    ++r.sweeps;
    for (std::size_t c = 0; c < n; ++c) {
      if (!dirty[c]) continue;
      dirty[c] = false;
      const FitConstant& k = constants[c];
      std::vector<double> values = r.values;
      // One objective for all constants: the sum of each fitted constant's median |log error| over its rows.
      // Moving c changes the terms of c and of the constants that share rows with it; the others are constant.
      std::vector<std::size_t> group, rows;
      for (std::size_t d = 0; d < n; ++d)
        if (d == c || (r.fitted[d] && shares_rows(c, d))) group.push_back(d);
      std::vector<std::vector<std::size_t>> at_pos(group.size());  // each group constant's rows in `rows`
      for (std::size_t g = 0; g < group.size(); ++g)
        for (std::size_t i : constants[group[g]].rows) {
          auto it = std::find(rows.begin(), rows.end(), i);
          if (it == rows.end()) it = rows.insert(rows.end(), i);
          at_pos[g].push_back(static_cast<std::size_t>(it - rows.begin()));
        }
      auto at = [&](double t) {
        values[c] = std::exp(t);
        const std::vector<double> pred = predict(values, rows);
        r.predictions += static_cast<long>(pred.size());
        double sum = 0;
        for (std::size_t g = 0; g < group.size(); ++g) {
          std::vector<double> p, pub;
          for (std::size_t k = 0; k < at_pos[g].size(); ++k) {
            p.push_back(pred[at_pos[g][k]]);
            pub.push_back(published[constants[group[g]].rows[k]]);
          }
          sum += median_abs_log_error(p, pub);
        }
        return sum;
      };
      const double x0 = r.values[c];
      double best_t = std::log(x0), best = at(best_t);  // ties keep the current value
      auto consider = [&](double t, double l) {
        if (l < best - 1e-12) best = l, best_t = t;
      };
      // Bracket: the first search scans a coarse grid over the whole range; later ones stay near x0.
      const double a = std::log(r.sweeps == 1 ? k.lo : std::max(k.lo, x0 / kLocal));
      const double b = std::log(r.sweeps == 1 ? k.hi : std::min(k.hi, x0 * kLocal));
      double lo = a, hi = b;
      if (r.sweeps == 1) {
        const double step = (b - a) / (kGrid - 1);
        for (int i = 0; i < kGrid; ++i) consider(a + i * step, at(a + i * step));
        lo = std::max(a, best_t - step);
        hi = std::min(b, best_t + step);
      }
      double t1 = hi - kGolden * (hi - lo), t2 = lo + kGolden * (hi - lo);
      double f1 = at(t1), f2 = at(t2);
      while (hi - lo > kTol) {
        if (f1 <= f2) {
          hi = t2, t2 = t1, f2 = f1, t1 = hi - kGolden * (hi - lo), f1 = at(t1);
        } else {
          lo = t1, t1 = t2, f1 = f2, t2 = lo + kGolden * (hi - lo), f2 = at(t2);
        }
      }
      consider(t1, f1);
      consider(t2, f2);
      r.values[c] = std::exp(best_t);
      if (std::fabs(r.values[c] / x0 - 1) > kStill)  // its move changes the rows it shares with others
        for (std::size_t d = 0; d < n; ++d)
          if (d != c && r.fitted[d] && shares_rows(c, d)) dirty[d] = true;
    }
  }
  r.converged = std::find(dirty.begin(), dirty.end(), true) == dirty.end();
  for (std::size_t c = 0; c < n; ++c) {  // each constant's own loss at the fitted values
    if (!r.fitted[c]) continue;
    const std::vector<double> pred = predict(r.values, constants[c].rows);
    r.predictions += static_cast<long>(pred.size());
    std::vector<double> pub;
    for (std::size_t i : constants[c].rows) pub.push_back(published[i]);
    r.loss[c] = median_abs_log_error(pred, pub);
  }
  return r;
}

}  // namespace commsim
