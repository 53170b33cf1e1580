#include "study/cliff_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "core/error.hpp"

namespace commsim {

namespace {

// Per row i of a level: p_i = min_c (x L_ic + (a_i + w_i y) W_ic), a_i the bytes term per unit W of the
// faster levels (0 for a step), w_i the share of the bytes at this level's y (1 for a step).
struct LevelTerms {
  std::vector<double> a, w;  // empty: a = 0, w = 1
};

double loss_at(const std::vector<FitRow>& rows, const LevelTerms& lt, double x, double y) {
  double F = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const FitRow& r = rows[i];
    const double per_w = lt.a.empty() ? y : lt.a[i] + lt.w[i] * y;
    double p = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < r.latency.size(); ++k) p = std::min(p, x * r.latency[k] + per_w * r.bandwidth[k]);
    if (!(p > 0) || !std::isfinite(p)) return std::numeric_limits<double>::infinity();
    const double e = std::log(p / r.time);
    F += std::log1p(e * e / (kCauchyScale * kCauchyScale));
  }
  return F;
}

// The best y of a level with x fixed (the grid and refinement of fit_dram_scale).
double fit_level(const std::vector<FitRow>& rows, const LevelTerms& lt, double x, double* loss) {
  if (rows.empty()) throw InputError("calibration: no rows above the cache breakpoint");
  // Start: the Cauchy location of ln((T_i / min_c W_ic - a_i) / w_i) (exact when the latency term vanishes).
  std::vector<double> v;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const FitRow& r = rows[i];
    double w = std::numeric_limits<double>::infinity();
    for (double b : r.bandwidth) w = std::min(w, b);
    const double rest = lt.a.empty() ? r.time / w : (r.time / w - lt.a[i]) / lt.w[i];
    if (w > 0 && std::isfinite(w) && rest > 0 && std::isfinite(rest)) v.push_back(std::log(rest));
  }
  const double centre = v.empty() ? 0.0 : cauchy_location(v);
  // The grid looks at most at 4,096 rows (evenly strided), as fit_scales' does; the refinement at all.
  constexpr std::size_t kGridRows = 4096;
  const std::size_t stride = (rows.size() + kGridRows - 1) / kGridRows;
  std::vector<FitRow> sample;
  LevelTerms sample_lt;
  if (stride > 1)
    for (std::size_t i = 0; i < rows.size(); i += stride) {
      sample.push_back(rows[i]);
      if (!lt.a.empty()) sample_lt.a.push_back(lt.a[i]), sample_lt.w.push_back(lt.w[i]);
    }
  const std::vector<FitRow>& grid_rows = stride > 1 ? sample : rows;
  const LevelTerms& grid_lt = stride > 1 ? sample_lt : lt;
  constexpr double kHalf = 4, kStep = 0.01;
  double best_t = centre, best_F = std::numeric_limits<double>::infinity();
  for (double t = centre - kHalf; t <= centre + kHalf + 1e-12; t += kStep) {
    const double F = loss_at(grid_rows, grid_lt, x, std::exp(t));
    if (F < best_F) best_F = F, best_t = t;
  }
  if (stride > 1) best_F = loss_at(rows, lt, x, std::exp(best_t));
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = best_t - kStep, b = best_t + kStep, c = b - g * (b - a), d = a + g * (b - a);
  double Fc = loss_at(rows, lt, x, std::exp(c)), Fd = loss_at(rows, lt, x, std::exp(d));
  for (int i = 0; i < 200 && b - a > 1e-10; ++i) {
    if (Fc < Fd) b = d, d = c, Fd = Fc, c = b - g * (b - a), Fc = loss_at(rows, lt, x, std::exp(c));
    else a = c, c = d, Fc = Fd, d = a + g * (b - a), Fd = loss_at(rows, lt, x, std::exp(d));
    if (Fc < best_F) best_F = Fc, best_t = c;
    if (Fd < best_F) best_F = Fd, best_t = d;
  }
  if (loss) *loss = best_F;
  return std::exp(best_t);
}

// The terms of the rows of level k (1-based, sizes in (C_k, C_k+1]) given the faster levels' y_0..y_k-1:
// y(S) = (A_k + (S - C_k) y_k) / S, A_k = C_1 y_0 + sum_{j=1}^{k-1} (C_j+1 - C_j) y_j.
LevelTerms level_terms(const std::vector<FitRow>& rows, const std::vector<double>& C, const std::vector<double>& y) {
  const std::size_t k = y.size();  // y_0..y_k-1 known
  double A = C[0] * y[0];
  for (std::size_t j = 1; j < k; ++j) A += (C[j] - C[j - 1]) * y[j];
  LevelTerms lt;
  for (const FitRow& r : rows) lt.a.push_back(A / r.size), lt.w.push_back(1 - C[k - 1] / r.size);
  return lt;
}

}  // namespace

double fit_dram_scale(const std::vector<FitRow>& rows, double x, double* loss) { return fit_level(rows, LevelTerms{}, x, loss); }

namespace {

// A level beyond a cache is slower than the one below it (more time per byte): a fit that says otherwise is
// noise, not a cache.
bool slower(const std::vector<double>& y) {
  return y.size() < 2 || y.back() > y[y.size() - 2];
}

// The cache side of a cliff must say how fast its bytes move: rows below it that fit better with latency
// alone (times that do not grow with the size), or whose bandwidth term was held at 1 as too small to fit,
// give a y_0 that means nothing, and any level above looked "slower" than it (a 4-rank sendrecv measured flat
// to 64K: bandwidth_scale 5.6e7 below a cliff, and calibrate stopped with exit 2 on a normal run,
// 2026-12-07).
bool constrains_bandwidth(const ScaleFit& f) {
  return !f.latency_alone_fits_better && f.held != ScaleFit::Held::kBandwidth;
}

// The breakpoint search of fit_cliff on a set of rows sorted by size: candidate cliffs, the cache-side fit
// of each (memoised), and the loss of a set of cliffs.
class CliffSearch {
 public:
  explicit CliffSearch(std::vector<FitRow> rows) : rows_(std::move(rows)) {
    for (std::size_t i = 0; i < rows_.size(); ++i)
      if (i + 1 == rows_.size() || rows_[i + 1].size != rows_[i].size) sizes_.push_back(rows_[i].size), ends_.push_back(i + 1);
    std::vector<std::size_t> valid;
    for (std::size_t j = 0; j < sizes_.size(); ++j)
      if (ends_[j] >= kCliffMinRows && rows_.size() - ends_[j] >= kLevelMinRows) valid.push_back(j);
    // At most kMaxCandidates, evenly spaced among the valid ones (a sweep of nccl-tests sizes has ~20).
    const std::size_t m = std::min(valid.size(), kMaxCandidates);
    for (std::size_t k = 0; k < m; ++k) candidates_.push_back(valid[m == valid.size() ? k : k * (valid.size() - 1) / (m - 1)]);
    below_.resize(sizes_.size());
  }

  const std::vector<std::size_t>& candidates() const { return candidates_; }
  double loss_none() const { return fit_scales(rows_).loss; }
  double size(std::size_t j) const { return sizes_[j]; }
  std::size_t rows() const { return rows_.size(); }

  // Total loss per row of the cliffs above sizes_[js[0]] < sizes_[js[1]] ...; infinity when a level has too
  // few rows or the cache side cannot be fitted.
  double loss(const std::vector<std::size_t>& js) {
    const std::size_t first = ends_[js.front()];
    const ScaleFit& f = below(js.front());
    if (!(f.y > 0) || !std::isfinite(f.y) || !(f.x > 0) || !constrains_bandwidth(f))
      return std::numeric_limits<double>::infinity();
    double total = f.loss * static_cast<double>(first);
    std::vector<double> C, y{f.y};
    for (std::size_t j : js) C.push_back(sizes_[j]);
    for (std::size_t k = 0; k < js.size(); ++k) {
      const std::size_t lo = ends_[js[k]], hi = k + 1 < js.size() ? ends_[js[k + 1]] : rows_.size();
      if (hi - lo < kLevelMinRows) return std::numeric_limits<double>::infinity();
      // Two sizes in every level: a level of one size (its in-place and out-of-place rows) is a single noisy
      // point, not a cache level (a "DRAM" 14x faster than the cache below it rested on one size).
      const std::size_t next = k + 1 < js.size() ? js[k + 1] : sizes_.size() - 1;
      if (next - js[k] < kLevelMinSizes) return std::numeric_limits<double>::infinity();
      const std::vector<FitRow> level(rows_.begin() + static_cast<std::ptrdiff_t>(lo), rows_.begin() + static_cast<std::ptrdiff_t>(hi));
      double F = 0;
      y.push_back(fit_level(level, level_terms(level, C, y), f.x, &F));
      if (!slower(y)) return std::numeric_limits<double>::infinity();
      total += F;
    }
    return total / static_cast<double>(rows_.size());
  }

 private:
  static constexpr std::size_t kMaxCandidates = 16;
  const ScaleFit& below(std::size_t j) {
    if (!below_[j]) below_[j] = fit_scales({rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(ends_[j])});
    return *below_[j];
  }
  std::vector<FitRow> rows_;
  std::vector<double> sizes_;
  std::vector<std::size_t> ends_;  // rows with size <= sizes_[j]
  std::vector<std::size_t> candidates_;
  std::vector<std::optional<ScaleFit>> below_;
};

// Every increasing choice of k candidates, each passed to f.
template <class F>
void each_choice(const std::vector<std::size_t>& cand, std::size_t k, std::vector<std::size_t>& cur, std::size_t from, F&& f) {
  if (cur.size() == k) return f(cur);
  for (std::size_t i = from; i < cand.size(); ++i) {
    cur.push_back(cand[i]);
    each_choice(cand, k, cur, i + 1, f);
    cur.pop_back();
  }
}

}  // namespace

CliffFit fit_cliff(const std::vector<FitRow>& rows) {
  CliffFit out;
  out.below = fit_scales(rows);
  out.loss = out.loss_without = out.below.loss;
  out.rows_below = rows.size();
  std::vector<FitRow> sorted = rows;
  std::stable_sort(sorted.begin(), sorted.end(), [](const FitRow& a, const FitRow& b) { return a.size < b.size; });
  // The search runs on at most kCliffSearchRows rows, evenly strided by size (all of them for a few sweeps).
  const std::size_t stride = (sorted.size() + kCliffSearchRows - 1) / kCliffSearchRows;
  std::vector<FitRow> sample;
  if (stride > 1)
    for (std::size_t i = 0; i < sorted.size(); i += stride) sample.push_back(sorted[i]);
  CliffSearch search(stride > 1 ? std::move(sample) : sorted);
  double prev = stride > 1 ? search.loss_none() : out.loss_without;  // the best loss with fewer cliffs
  std::vector<std::size_t> kept;
  for (std::size_t k = 1; k <= kMaxCliffs; ++k) {
    double best = std::numeric_limits<double>::infinity();
    std::vector<std::size_t> best_js, cur;
    each_choice(search.candidates(), k, cur, 0, [&](const std::vector<std::size_t>& js) {
      const double F = search.loss(js);
      if (F < best) best = F, best_js = js;
    });
    if (!std::isfinite(best)) break;
    if (best <= (1 - kCliffGain) * prev && prev - best >= kCliffMinDrop) kept = best_js;
    prev = std::min(prev, best);
  }
  if (kept.empty()) return out;

  // Refit the kept cliffs on every row.
  std::vector<double> B;
  for (std::size_t j : kept) B.push_back(search.size(j));
  auto first_above = [&](double b) {
    return static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), b, [](double v, const FitRow& r) { return v < r.size; }) -
                                    sorted.begin());
  };
  const std::size_t n_lo = first_above(B.front());
  const ScaleFit f = fit_scales({sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n_lo)});
  if (!(f.y > 0) || !std::isfinite(f.y) || !(f.x > 0) || !constrains_bandwidth(f)) return out;
  double total = f.loss * static_cast<double>(n_lo);
  CliffFit c;
  c.below = f, c.rows_below = n_lo, c.loss_without = out.loss_without, c.cache_bytes = B;
  std::vector<double> y{f.y};
  for (std::size_t k = 0; k < B.size(); ++k) {
    const std::size_t lo = first_above(B[k]), hi = k + 1 < B.size() ? first_above(B[k + 1]) : sorted.size();
    const std::vector<FitRow> level(sorted.begin() + static_cast<std::ptrdiff_t>(lo), sorted.begin() + static_cast<std::ptrdiff_t>(hi));
    double F = 0;
    y.push_back(fit_level(level, level_terms(level, B, y), f.x, &F));
    if (!slower(y)) return out;  // the refit on every row turned a level faster: no cliff
    c.y_above.push_back(y.back());
    c.rows_above.push_back(hi - lo);
    total += F;
  }
  c.loss = total / static_cast<double>(sorted.size());
  return c;
}

}  // namespace commsim
