#include "study/scale_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace commsim {

LinearFit fit_relative_nnls(const std::vector<double>& L, const std::vector<double>& W, const std::vector<double>& T,
                            const std::vector<double>& weights) {
  double saa = 0, sab = 0, sbb = 0, sa = 0, sb = 0;
  int n = 0;
  for (std::size_t i = 0; i < T.size(); ++i) {
    if (!(T[i] > 0) || !std::isfinite(L[i]) || !std::isfinite(W[i])) continue;
    const double w = weights.empty() ? 1.0 : weights[i];
    const double a = L[i] / T[i], b = W[i] / T[i];
    saa += w * a * a, sab += w * a * b, sbb += w * b * b, sa += w * a, sb += w * b;
    ++n;
  }
  if (n < 2) throw InputError("calibration needs at least 2 measured rows with positive times (got " + std::to_string(n) + ")");
  // Objective up to a constant: x^2 saa + 2xy sab + y^2 sbb - 2x sa - 2y sb.
  auto cost = [&](double x, double y) { return x * x * saa + 2 * x * y * sab + y * y * sbb - 2 * x * sa - 2 * y * sb; };
  const double det = saa * sbb - sab * sab;
  if (det > 1e-12 * saa * sbb) {
    const double x = (sa * sbb - sb * sab) / det, y = (sb * saa - sa * sab) / det;
    if (x >= 0 && y >= 0) return LinearFit{x, y};
  }
  const LinearFit only_x{saa > 0 ? sa / saa : 0, 0}, only_y{0, sbb > 0 ? sb / sbb : 0};
  return cost(only_x.x, only_x.y) < cost(only_y.x, only_y.y) ? only_x : only_y;
}

namespace {

constexpr double kWeightFloor = 1e-4;  // |r| below this weighs as 1e-4 (IRLS for L1)
constexpr int kMaxRounds = 200;
constexpr int kMaxHalvings = 30;
constexpr double kSettled = 1e-9;

// The tuner's choice and the relative residual of every row at (x, y); returns F.
double evaluate(const std::vector<FitRow>& rows, double x, double y, std::vector<std::size_t>* choice = nullptr,
                std::vector<double>* residual = nullptr) {
  double sum = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const FitRow& r = rows[i];
    double best = std::numeric_limits<double>::infinity();
    std::size_t c = 0;
    for (std::size_t k = 0; k < r.latency.size(); ++k) {
      const double t = x * r.latency[k] + y * r.bandwidth[k];
      if (t < best) best = t, c = k;
    }
    const double res = (best - r.time) / r.time;
    sum += std::fabs(res);
    if (choice) (*choice)[i] = c;
    if (residual) (*residual)[i] = res;
  }
  return sum / static_cast<double>(rows.size());
}

bool settled(double a, double b) { return std::fabs(a - b) <= kSettled * std::max(std::fabs(a), std::fabs(b)); }

// Steps 2-3 from (x, y).
ScaleFit descend(const std::vector<FitRow>& rows, double x, double y) {
  const std::size_t n = rows.size();
  std::vector<std::size_t> choice(n);
  std::vector<double> res(n), L(n), W(n), T(n), w(n);
  ScaleFit f;
  double F = evaluate(rows, x, y, &choice, &res);
  for (f.rounds = 1; f.rounds <= kMaxRounds; ++f.rounds) {
    for (std::size_t i = 0; i < n; ++i) {
      L[i] = rows[i].latency[choice[i]];
      W[i] = rows[i].bandwidth[choice[i]];
      T[i] = rows[i].time;
      w[i] = 1.0 / std::max(std::fabs(res[i]), kWeightFloor);
    }
    const LinearFit target = fit_relative_nnls(L, W, T, w);
    double step = 1, nx = x, ny = y, nF = F;
    for (int h = 0; h <= kMaxHalvings; ++h, step /= 2) {
      const double tx = x + step * (target.x - x), ty = y + step * (target.y - y);
      const double tF = evaluate(rows, tx, ty);
      if (tF < F) {
        nx = tx, ny = ty, nF = tF;
        break;
      }
    }
    const bool done = settled(nx, x) && settled(ny, y);
    x = nx, y = ny, F = nF;
    evaluate(rows, x, y, &choice, &res);
    if (done) {
      f.converged = true;
      break;
    }
  }
  f.rounds = std::min(f.rounds, kMaxRounds);
  f.x = x, f.y = y, f.mean_abs_error = F, f.choice = choice;
  return f;
}

}  // namespace

ScaleFit fit_scales(const std::vector<FitRow>& rows) {
  if (rows.size() < 2) throw InputError("calibration needs at least 2 measured rows (got " + std::to_string(rows.size()) + ")");
  for (const FitRow& r : rows)
    if (!(r.time > 0) || r.latency.empty() || r.latency.size() != r.bandwidth.size())
      throw InputError("calibration: a fitted row has no positive time or no candidate");
  // Step 1: the start points.
  struct Start {
    double F, x, y;
  };
  std::vector<Start> grid;
  constexpr int kGrid = 13;
  for (int i = 0; i < kGrid; ++i)
    for (int j = 0; j < kGrid; ++j) {
      const double x = std::pow(10.0, -4 + 8.0 * i / (kGrid - 1)), y = std::pow(10.0, -4 + 8.0 * j / (kGrid - 1));
      grid.push_back({evaluate(rows, x, y), x, y});
    }
  std::partial_sort(grid.begin(), grid.begin() + 3, grid.end(), [](const Start& a, const Start& b) { return a.F < b.F; });
  std::vector<Start> starts{{0, 1, 1}, grid[0], grid[1], grid[2]};
  ScaleFit best;
  bool have = false;
  for (const Start& s : starts) {
    ScaleFit f = descend(rows, s.x, s.y);
    const bool better = !have || (f.converged && !best.converged) ||
                        (f.converged == best.converged && f.mean_abs_error < best.mean_abs_error);
    if (better) best = std::move(f), have = true;
  }
  return best;
}

}  // namespace commsim
