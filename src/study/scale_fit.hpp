// Fitting a calibration's two scales to measured times with the tuner in the loop (docs/benchmark.md).
//
// Row i has the candidates c the tuner may choose (algorithm x protocol), each with its unscaled terms L_ic
// and W_ic (CollectiveSimulator::split_of). With x = latency_scale and y = 1 / bandwidth_scale the model
// predicts the fastest candidate, p_i(x, y) = min_c (x L_ic + y W_ic), and the fit minimises a Cauchy
// (Lorentzian) loss of the log residuals
//
//   F(x, y) = (1/n) sum_i ln(1 + (e_i / c)^2),   e_i = ln(p_i(x, y) / T_i),   c = 0.1      (x, y >= 0)
//
// Why this objective. The project's figure of merit is the median |time error|, and what spoils it is
// gross, not Gaussian: a latency + bandwidth line cannot follow every regime of a host (a protocol switch,
// a cache cliff) and rows slowed 2-100x by another tenant of a shared host come in clusters. Least
// squares spread the misfit over every row; a median (L1) regression lands between two clusters of
// similar size (on a 2-rank measurement here: 78% median error, least squares 25%); the Cauchy loss is
// redescending (a row 2x off weighs 2% of a fitting row), so the fit follows the largest set of rows one
// line explains. The log scale makes 2x too fast cost as much as 2x too slow (a loss on (p - T) / T caps
// an underestimate at 1 and so fits below a slow regime). Why the tuner in the loop: the choice c_i
// depends on (x, y), so fitting with the choices frozen and re-choosing afterwards can cycle (the fit
// moves the protocol switch points, the new choice moves them back) or stop in a local minimum.
//
// Method: the choice depends only on the ratio r = x / y: p_i = y q_i(r), q_i(r) = min_c (r L_ic + W_ic),
// so e_i = ln y - ln(T_i / q_i), and for a fixed r the best ln y is the Cauchy location of
// v_i = ln(T_i / q_i) (cauchy_location). F*(r) = min_y F is evaluated on a grid of log10 r from -8 to 8 in
// steps of 0.05 (on every k-th row when there are more than 4096, so that 300k rows take seconds), and the
// best grid point is refined on all rows by golden-section search between its neighbours. Converged: the
// bracket shrank below 1e-9 relative within 200 steps. r = infinity (latency alone: q_i = min_c L_ic, y = 0)
// is no calibration (an infinite bandwidth_scale); the fit says when it would fit better.
// Example (tested): two candidates, A (L = 10, W = S) and B (L = 1, W = 3S), rows S = 0.5, 1, 2, 4, 8, 16
// with T = min(0.5 L + 2 W) = 3.5, 6.5, 9, 13, 21, 37 give x = 0.5, y = 2, F = 0 and the choices B, B, A,
// A, A, A (a descent that freezes the choices at its current point, reweighted least squares started
// from (1, 1) and the best points of a coarse grid, stopped in a local minimum at x = 2.27, y = 0.89).
#pragma once

#include <cstddef>
#include <vector>

namespace commsim {

// One measured row: its time and the unscaled terms of every candidate the tuner may choose.
struct FitRow {
  double time = 0;
  std::vector<double> latency, bandwidth;  // per candidate, same length
  double size = 0;  // per-rank size S in bytes (the cache cliff's breakpoint variable; study/cliff_fit.hpp)
};

struct ScaleFit {
  double x = 1, y = 1;              // latency_scale, 1 / bandwidth_scale
  double loss = 0;                  // F at (x, y), per row
  std::vector<std::size_t> choice;  // per row: the candidate the tuner chooses at (x, y)
  int rounds = 0;                   // golden-section steps
  bool converged = false;
  bool latency_alone_fits_better = false;  // the rows do not constrain the bandwidth term
  // A term the rows cannot fit, held at 1: where the bandwidth term is under kTermShare of every row's
  // predicted time at scales (1, 1) and stays so at the fitted latency_scale (small messages: its scale was
  // any value the noise gave, 0.44 for 1% noise on 8 B - 4 KiB broadcasts, or 1e8 and exit 2), only
  // latency_scale is fitted; the same for the latency term. `term_share`: the held term's largest share at
  // the fit.
  enum class Held { kNone, kBandwidth, kLatency } held = Held::kNone;
  double term_share = 0;
};

// Below this share of every row's time a term is not fitted (ScaleFit::held).
constexpr double kTermShare = 0.1;

// The Cauchy loss scale c (log units: residuals beyond about 10% lose their pull).
constexpr double kCauchyScale = 0.1;
// sum_i ln(1 + ((m - v_i) / c)^2), and the m that minimises it: reweighted means from the middle of the
// densest window of width 2c and from the median, the better of the two. Example (tested): v = (0, 0, 0,
// 1.1) gives m = 0.0030 (the outlier weighs 1 / (1 + 11^2) = 0.008 of a fitting row; its mean would be
// 0.275, its median 0).
double cauchy_loss(const std::vector<double>& v, double m);
double cauchy_location(std::vector<double> v);

// The fit above. Throws InputError with fewer than 2 rows, a non-positive time or a row without candidates.
ScaleFit fit_scales(const std::vector<FitRow>& rows);

}  // namespace commsim
