// Fitting a calibration's two scales to measured times with the tuner in the loop (docs/benchmark.md).
//
// Row i has the candidates c the tuner may choose (algorithm x protocol), each with its unscaled terms L_ic
// and W_ic (CollectiveSimulator::split_of). With x = latency_scale and y = 1 / bandwidth_scale the model
// predicts the fastest candidate, p_i(x, y) = min_c (x L_ic + y W_ic), and the fit minimises the mean
// absolute log residual
//
//   F(x, y) = (1/n) sum_i |ln(p_i(x, y) / T_i)|        (x, y >= 0)
//
// Why this objective: it is median regression of the log time. The project's figure of merit is the
// median |time error|; an L1 loss fits the majority regime where a latency + bandwidth line cannot follow
// every one of a host (a protocol switch, a cache cliff, rows slowed by another tenant), where least
// squares spread the misfit over every row; and on the log scale 2x too fast costs as much as 2x too
// slow (a loss on relative residuals (p - T) / T caps an underestimate at 1 and so fits below a slow
// regime). Why the tuner in the loop: the choice c_i depends on (x, y), so fitting with the choices
// frozen and re-choosing afterwards can cycle (the fit moves the protocol switch points, the new choice
// moves them back) or stop in a local minimum.
//
// Method, exact in one variable and a global search in the other. The choice depends only on the ratio
// r = x / y: p_i = y q_i(r) with q_i(r) = min_c (r L_ic + W_ic). For a fixed r,
//   F = (1/n) sum_i |ln y - ln(T_i / q_i)|
// is minimised by ln y = the median of ln(T_i / q_i) (exact, O(n)). So F*(r) = min_y F is a continuous
// function of r alone; the fit evaluates it on a grid of log10 r from -8 to 8 in steps of 0.05 and at
// r = infinity (latency alone: q_i = min_c L_ic, the median scaling x, y = 0), then refines the best grid
// point by golden-section search between its neighbours. Converged: the bracket shrank below 1e-9
// relative within 200 steps (r = infinity needs no refinement).
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
};

struct ScaleFit {
  double x = 1, y = 1;              // latency_scale, 1 / bandwidth_scale (y = 0: latency alone)
  double mean_abs_log_error = 0;    // F at (x, y)
  std::vector<std::size_t> choice;  // per row: the candidate the tuner chooses at (x, y)
  int rounds = 0;                   // golden-section steps
  bool converged = false;
};

// The lower median (element (n - 1) / 2 in order; 0 for none): it minimises sum_i |y - v_i|.
// Example (tested): (10, 1, 2) gives 2; (4, 1) gives 1.
double median_low(std::vector<double> v);

// The fit above. Throws InputError with fewer than 2 rows, a non-positive time or a row without candidates.
ScaleFit fit_scales(const std::vector<FitRow>& rows);

}  // namespace commsim
