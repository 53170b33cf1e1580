// Fitting named constants to published rows by coordinate descent (`commsim validate training --fit`).
//
// Each constant c has the rows it is fitted on, R(c) (rows may belong to several constants). Its loss is
//   loss_c(x) = median_{i in R(c)} |log(pred_i(x) / published_i)|
// and the fit minimises one objective, J(x) = sum_c loss_c(x) over the fitted constants. A sweep minimises J
// over each constant in turn by a 1-D search in log x_c, the others fixed (moving x_c changes loss_c and the
// losses of the constants sharing rows with c, so only those are evaluated): each step lowers J, and the
// descent converges. (Until 2026-12-04 each constant minimised its own loss_c alone: constants sharing rows,
// the H100 GEMM and attention fractions, could trade error with no common optimum and did not converge.)
// The first search scans 7 points evenly over [lo, hi] (and the start value), then runs a golden-
// section search in +-1 grid step around the best point down to a 0.4% bracket (~22 predictions of R(c));
// later searches run the golden section over [x/1.25, 1.25x] (~12). A constant is searched again only when
// a constant sharing rows with it has moved by more than 0.5% since (constants on disjoint rows are fitted
// once); the fit has converged when none is left to search (at most 8 sweeps). A constant with fewer than
// 2 rows is not fitted: it keeps its start value and is reported as resting on too few rows (no constant
// may rest on a single row).
//
// Example (tested): rows published 1, 2, 4 with pred_i = a_i / x, a = (0.5, 1, 2.2): |log(a_i / (x p_i))|
// = |log(0.5 / x)|, |log(0.5 / x)|, |log(0.55 / x)|, whose median is minimised at x = 0.5.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace commsim {

struct FitConstant {
  std::string name;
  double start = 0, lo = 0, hi = 0;  // 0 < lo <= start <= hi (start is clamped into the range)
  std::vector<std::size_t> rows;     // indices into `published`
};

// Predictions of `rows` (in that order) with the constants at `values` (one per constant).
using PredictRows = std::function<std::vector<double>(const std::vector<double>& values, const std::vector<std::size_t>& rows)>;

struct FitResult {
  std::vector<double> values;  // fitted (or start, where not fitted)
  std::vector<bool> fitted;    // false: fewer than 2 rows
  std::vector<double> loss;    // each constant's own loss_c at the end (NaN: not fitted)
  int sweeps = 0;
  bool converged = false;
  long predictions = 0;        // row predictions made
};

// Median |log(predicted / published)| of the rows (0 for none).
double median_abs_log_error(const std::vector<double>& predicted, const std::vector<double>& published);

// Throws RuntimeError if a prediction is not finite and positive.
FitResult fit_constants(const std::vector<FitConstant>& constants, const std::vector<double>& published,
                        const PredictRows& predict);

}  // namespace commsim
