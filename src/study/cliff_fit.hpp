// The cache cliff of a calibration (docs/benchmark.md, "Calibrating the simulator").
//
// On a host whose collectives run through memory (MPI over shared memory) the effective bandwidth drops once
// the per-rank working set S leaves the last-level cache; two scales cannot follow that. The calibrated
// time becomes
//
//   p_i = min_c (x L_ic + y(S_i) W_ic),   y(S) = y_c (= 1 / bandwidth_scale) if S <= B else y_d (= 1 / dram_bandwidth_scale)
//
// Fit: for every breakpoint B among the measured sizes with at least kCliffMinRows rows on each side,
// (x, y_c) is the scale fit (study/scale_fit.hpp) of the rows with S <= B, and y_d, with x fixed, minimises
// the Cauchy loss of the rows above B: ln y_d on a grid of step 0.01 within +-4 of the Cauchy location of
// ln(T_i / min_c W_ic), refined by golden-section search between the best point's neighbours. The total
// loss is the row-weighted sum of the two sides; the best breakpoint is kept only when its loss is at most
// (1 - kCliffGain) times the loss of the fit without a cliff and lower by at least kCliffMinDrop per row.
// Example (tested): one candidate L = 1, W = S; rows S = 1..8 with T = 1 + S/2 for S <= 4 and 1 + 2 S above
// give x = 1, bandwidth_scale = 2, cache_bytes = 4, dram_bandwidth_scale = 0.5 and loss 0.
#pragma once

#include <cstddef>
#include <vector>

#include "study/scale_fit.hpp"

namespace commsim {

constexpr std::size_t kCliffMinRows = 4;  // rows each side at least: residual freedom beyond the 2 + 1 parameters
constexpr double kCliffGain = 0.2;        // a cliff must cut the loss by 20% ...
constexpr double kCliffMinDrop = 0.05;    // ... and by 0.05 per row (a 2.3% log error in every row)

struct CliffFit {
  ScaleFit below;               // the fit of the rows at or below the breakpoint (or of all rows: no cliff)
  bool cliff = false;           // a breakpoint was kept
  double cache_bytes = 0;       // B (the largest measured size on the cache side)
  double y_dram = 0;            // 1 / dram_bandwidth_scale
  double loss = 0;              // total loss per row (the no-cliff loss when there is no cliff)
  double loss_without = 0;      // the no-cliff fit's loss per row
  std::size_t rows_below = 0, rows_above = 0;
};

// The best y for rows with x fixed: minimises sum ln(1 + (ln(min_c(x L + y W) / T) / c)^2). Returns the
// loss sum in *loss. Throws InputError with no rows.
double fit_dram_scale(const std::vector<FitRow>& rows, double x, double* loss);

// The fit above; `rows` as fit_scales, with sizes. Throws as fit_scales.
CliffFit fit_cliff(const std::vector<FitRow>& rows);

}  // namespace commsim
