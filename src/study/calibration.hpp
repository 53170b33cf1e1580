// Calibration of a system from measured collectives (`commsim calibrate`, docs/benchmark.md).
//
// The fit (study/scale_fit.hpp): for each fitted row the simulator lists every candidate the tuner may
// choose (auto algorithms x protocols) with its unscaled terms L = launch overhead + latency and
// W = (S + ramp) / algbw (CollectiveSimulator::split_of); the calibrated time of a row is the tuner's
// choice min_c (x L_c + y W_c), with latency_scale = x and bandwidth_scale = 1 / y, and x, y minimise a
// Cauchy loss of ln(predicted / measured) over the out-of-place times, the choice inside the objective.
// The system-wide pair is fitted on all fitted rows; each op with at least 3 fitted rows gets its own pair
// fitted on its rows alone (calibration.ops in the system file). Every fit reports whether it converged.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "study/measured_compare.hpp"
#include "study/scale_fit.hpp"

namespace commsim {

struct CalibrationResult {
  Calibration calibration;         // fitted scales, kind and source filled in
  std::vector<MeasuredRow> rows;   // every measured row, predicted with the fitted scales
  std::vector<bool> fitted;        // rows the fit used
  int rounds = 0;                  // the most rounds any of the fits took
  bool converged = false;          // every fit (system-wide and per op) converged
  std::vector<std::string> notes;  // diagnostics for stderr
  std::map<std::string, std::vector<std::size_t>> cliff_rows;  // by op ("" system-wide): rows above each fitted cache cliff
};

// Fits latency_scale and bandwidth_scale on the selected rows. `files` names the measured files for the
// calibration's source. Throws InputError when the rows cannot be predicted or do not constrain the fit.
CalibrationResult calibrate(const SystemSpec& spec, const ScaleRequest& req, const std::vector<Measurement>& rows,
                            const SizeSelection& sel, const std::vector<std::string>& files);

// Writes the calibrated system file: the system as loaded (system_document: parts by name or inline, --set
// applied), renamed NAME-calibrated, with the calibration section.
// The name a calibrated system is written under: NAME-calibrated (kept when it already ends so).
std::string calibrated_system_name(const std::string& name);
void write_calibrated_system(std::ostream& out, const std::string& system_arg, const std::vector<std::string>& sets,
                             const SystemSpec& spec, const Calibration& cal);

}  // namespace commsim
