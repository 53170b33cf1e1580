// The cache cliffs of a calibration (docs/benchmark.md, "Cache cliffs").
//
// On a host whose collectives run through memory (MPI over shared memory) the effective bandwidth drops once
// the per-rank working set S leaves a cache level: the last-level cache on one host, L2 and then L3 on
// another (2026-12-04's CI host: busbw 8.3 GB/s at 2 MiB, 3.8 at 8 MiB, 1.6 at 32 MiB, on 2 ranks). Two
// scales cannot follow that. With cache sizes C_1 < C_2 (none, one or two) the calibrated time is an average
// memory access time: the bytes up to C_1 move at y_0 per unit of W, those from C_k up at y_k:
//
//   p_i = min_c (x L_ic + y(S_i) W_ic),   y(S) = y_0 if S <= C_1, else (A_k + (S - C_k) y_k) / S for
//   C_k < S <= C_k+1,   A_k = C_1 y_0 + sum_{j=1}^{k-1} (C_j+1 - C_j) y_j
//
// (y_0 = 1 / bandwidth_scale, y_k = 1 / dram_bandwidth_scale[k-1]; CalibrationScales::bandwidth_scale_at).
// Fit: for every set of breakpoints among the measured sizes with at least kCliffMinRows rows at or below C_1
// and kLevelMinRows rows of kLevelMinSizes sizes in every level above, each level slower than the one below
// it (y_k > y_k-1: a "level" faster than the cache under it is noise), (x, y_0) is the scale fit
// (study/scale_fit.hpp) of the rows with S <= C_1 (one that constrains y_0: not latency alone, not its
// bandwidth term held at 1; else no cliff there), and each y_k in turn, with x and y_0..y_k-1 fixed,
// minimises the Cauchy loss of its level's rows: ln y_k on a grid of step 0.01 within +-4 of the Cauchy
// location of the rows' own estimates ln((T_i / min_c W_ic - A_k / S_i) / (1 - C_k / S_i)), refined by
// golden-section search between the best point's neighbours. The total loss is the row-weighted sum over the
// levels. A model with one more cliff is kept only when its best loss is at most (1 - kCliffGain) times the
// best loss with one cliff fewer and lower by at least kCliffMinDrop per row: each level earns its keep
// against the model without it. The search looks at every measured size when there are at most 16 candidates
// (a sweep of nccl-tests sizes has ~20, of which the end ones cannot be cliffs), else at 16 evenly spaced
// ones, and at most kCliffSearchRows rows (evenly strided by size); the kept cliffs are refitted on every
// row. Examples (tested): one candidate L = 1, W = S; rows S = 1..8 with T = 1 + S/2 for S <= 4 and 1 + 2 + 2
// (S - 4) above give x = 1, bandwidth_scale = 2, cache_bytes = 4, dram_bandwidth_scale = 0.5 and loss 0; rows
// S = 1..10 with T = 1 + S/2 for S <= 4, 3 + (S - 4) for S = 5..7 and 6 + 4 (S - 7) above give cache_bytes
// [4, 7], dram_bandwidth_scale [1, 0.25] and loss 0.
#pragma once

#include <cstddef>
#include <vector>

#include "study/scale_fit.hpp"

namespace commsim {

constexpr std::size_t kCliffMinRows = 4;   // rows at or below the first cliff: freedom beyond (x, y_0)
constexpr std::size_t kLevelMinRows = 2;   // rows in each level above a cliff: freedom beyond its one y_k
constexpr std::size_t kLevelMinSizes = 2;  // ... of at least two sizes, each level slower than the one below
constexpr std::size_t kMaxCliffs = 2;      // L2 -> L3 -> DRAM
constexpr std::size_t kCliffSearchRows = 256;   // rows the breakpoint search looks at (evenly strided by size)
constexpr double kCliffGain = 0.2;         // a cliff must cut the loss by 20% ...
constexpr double kCliffMinDrop = 0.05;     // ... and by 0.05 per row (a 2.3% log error in every row)

struct CliffFit {
  ScaleFit below;                      // the fit of the rows at or below the first cliff (all rows: no cliff)
  std::vector<double> cache_bytes;     // C_1 < C_2 ...: the largest measured size of each cache side (empty: no cliff)
  std::vector<double> y_above;         // y_k per cliff: 1 / the dram_bandwidth_scale of the bytes beyond C_k
  std::vector<std::size_t> rows_above; // rows in the level above each cliff
  double loss = 0;                     // total loss per row (the no-cliff loss when there is no cliff)
  double loss_without = 0;             // the no-cliff fit's loss per row
  std::size_t rows_below = 0;
  bool cliff() const { return !cache_bytes.empty(); }
};

// The best y for rows with x fixed, every byte at y (a level with no faster one below it): minimises
// sum ln(1 + (ln(min_c(x L + y W) / T) / c)^2). Returns the loss sum in *loss. Throws InputError with no rows.
double fit_dram_scale(const std::vector<FitRow>& rows, double x, double* loss);

// The fit above; `rows` as fit_scales, with sizes. Throws as fit_scales.
CliffFit fit_cliff(const std::vector<FitRow>& rows);

}  // namespace commsim
