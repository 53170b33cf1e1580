// Calibration of a system from measured collectives (`commsim calibrate`, docs/benchmark.md).
//
// For each measured row i the simulator's chosen algorithm gives two terms (CollectiveSimulator::split_of):
// L_i = launch overhead + latency, W_i = (S + ramp) / algbw. The calibrated time is x L_i + y W_i, with
// latency_scale = x and bandwidth_scale = 1 / y. x, y >= 0 minimise the squared relative residuals
//
//   sum_i ((x L_i + y W_i - T_i) / T_i)^2     (T_i: the measured out-of-place time)
//
// a 2-variable non-negative least squares: with a_i = L_i/T_i, b_i = W_i/T_i the normal equations are
//   [sum a^2  sum ab] [x]   [sum a]
//   [sum ab  sum b^2] [y] = [sum b]
// and when their solution has a negative part, the better of the two one-variable fits (x = 0 or y = 0).
// Example (tested): L = (1, 1), W = (1, 3), T = (3, 7) gives x = 1, y = 2 exactly.
// The system-wide pair is fitted on all fitted rows; each op with at least 3 fitted rows gets its own pair
// fitted on its rows alone (calibration.ops in the system file).
// The choice of algorithm and protocol depends on the scales, so the fit is repeated with the new choice
// until it no longer changes (at most 20 rounds).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "study/measured_compare.hpp"

namespace commsim {

struct LinearFit {
  double x = 0, y = 0;
};
// The weighted NNLS above; throws InputError with fewer than 2 rows or no positive T.
LinearFit fit_relative_nnls(const std::vector<double>& L, const std::vector<double>& W, const std::vector<double>& T);

struct CalibrationResult {
  Calibration calibration;         // fitted scales, kind and source filled in
  std::vector<MeasuredRow> rows;   // every measured row, predicted with the fitted scales
  std::vector<bool> fitted;        // rows the fit used
  int rounds = 0;
  std::vector<std::string> notes;  // diagnostics for stderr
};

// Fits latency_scale and bandwidth_scale on the selected rows. `files` names the measured files for the
// calibration's source. Throws InputError when the rows cannot be predicted or do not constrain the fit.
CalibrationResult calibrate(const SystemSpec& spec, const ScaleRequest& req, const std::vector<Measurement>& rows,
                            const SizeSelection& sel, const std::vector<std::string>& files);

// Writes the calibrated system file: the system as loaded (system_document: parts by name or inline, --set
// applied), renamed NAME-calibrated, with the calibration section.
void write_calibrated_system(std::ostream& out, const std::string& system_arg, const std::vector<std::string>& sets,
                             const SystemSpec& spec, const Calibration& cal);

}  // namespace commsim
