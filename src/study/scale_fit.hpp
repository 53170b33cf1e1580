// Fitting a calibration's two scales to measured times with the tuner in the loop (docs/benchmark.md).
//
// Row i has the candidates c the tuner may choose (algorithm x protocol), each with its unscaled terms L_ic
// and W_ic (CollectiveSimulator::split_of). With x = latency_scale and y = 1 / bandwidth_scale the model
// predicts the fastest candidate, p_i(x, y) = min_c (x L_ic + y W_ic), and the fit minimises the mean
// absolute relative residual
//
//   F(x, y) = (1/n) sum_i |r_i|,   r_i = (p_i(x, y) - T_i) / T_i      (x, y >= 0)
//
// Why this objective: the project's figure of merit is the median |time error|, and the L1 loss is its
// M-estimator; a row slowed 10x by another tenant of a shared host moves F by a bounded amount instead of
// dominating a squared loss. Why the tuner in the loop: the choice c_i depends on (x, y), so fitting with
// the choices frozen and re-choosing afterwards can cycle (the fit moves the protocol switch points, the
// new choice moves the fit back).
//
// Method (iteratively reweighted least squares with a monotone line search):
//   1. Start points: the uncalibrated (1, 1) and the best 3 points of a 13 x 13 grid of x, y over
//      [1e-4, 1e4] (log-spaced) by F.
//   2. From each start: freeze the choices c_i at the current point, weight w_i = 1 / max(|r_i|, 1e-4), and
//      solve the weighted 2-variable NNLS  min sum_i w_i (x a_i + y b_i - 1)^2 with a_i = L_ic/T_i,
//      b_i = W_ic/T_i (fit_relative_nnls). Move toward its solution only as far as F decreases (step
//      halved up to 30 times). F never increases, so the descent ends.
//   3. Converged: a round that changes neither x nor y by more than 1e-9 relative (the point is a fixed
//      point of step 2: the tuner's choices at the fitted scales are the ones the fit used). Not converged:
//      200 rounds without that; the best point found is kept and the result says so.
// The best converged descent wins (the lowest F among all when none converged).
// Example (tested): one candidate, L = (1, 1, 1), W = (1, 2, 4), T = (3, 5, 9) (T = L + 2W exactly) gives
// x = 1, y = 2 and F = 0; adding T = 50 for a fourth row with L = 1, W = 8 (an interference spike; exact
// would be 17) leaves x = 1, y = 2 (the squared loss gives x = 0.11, y = 2.65).
#pragma once

#include <cstddef>
#include <vector>

namespace commsim {

struct LinearFit {
  double x = 0, y = 0;
};
// The weighted NNLS of step 2: min sum_i w_i ((x L_i + y W_i - T_i) / T_i)^2 over x, y >= 0; rows with
// T_i <= 0 or non-finite terms are skipped; with no weights all are 1. The 2x2 normal equations, or the
// better one-variable fit when their solution has a negative part.
// Example (tested): L = (1, 1), W = (1, 3), T = (3, 7) gives x = 1, y = 2 exactly.
// Throws InputError with fewer than 2 usable rows.
LinearFit fit_relative_nnls(const std::vector<double>& L, const std::vector<double>& W, const std::vector<double>& T,
                            const std::vector<double>& weights = {});

// One measured row: its time and the unscaled terms of every candidate the tuner may choose.
struct FitRow {
  double time = 0;
  std::vector<double> latency, bandwidth;  // per candidate, same length
};

struct ScaleFit {
  double x = 1, y = 1;           // latency_scale, 1 / bandwidth_scale
  double mean_abs_error = 0;     // F at (x, y)
  std::vector<std::size_t> choice;  // per row: the candidate the tuner chooses at (x, y)
  int rounds = 0;                // IRLS rounds of the winning descent
  bool converged = false;
};

// The fit above. Throws InputError with fewer than 2 rows.
ScaleFit fit_scales(const std::vector<FitRow>& rows);

}  // namespace commsim
