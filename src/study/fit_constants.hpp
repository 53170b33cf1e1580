// Fitting named constants to published rows by coordinate descent (`commsim validate training --fit`).
//
// Each constant c has the rows it is fitted on, R(c) (rows may belong to several constants). Its loss is
//   loss_c(x) = median_{i in R(c)} |log(pred_i(x) / published_i)|
// with every other constant fixed. A sweep minimises loss_c for each constant in turn by a 1-D search in
// log space: 9 points spread evenly in log x over the range, then 9 points over +-1 step around the best,
// and so on (4 levels on the first sweep over [lo, hi]; 3 levels over [x/2, 2x] afterwards), so a search
// costs 27-36 predictions of R(c) and resolves x to ~0.5%. Sweeps repeat until no constant moves by more
// than 0.5% (converged) or 8 sweeps have run. A constant with fewer than 2 rows is not fitted: it keeps
// its start value and is reported as resting on too few rows (no constant may rest on a single row).
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
  std::vector<double> loss;    // each constant's loss at the end (NaN: not fitted)
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
