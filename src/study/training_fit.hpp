// Fitting the training estimator's calibrated efficiency constants on published rows, and leave-one-source-
// out validation (`commsim validate training FILE --fit [--loso]`).
//
// The constants are those of topologies/compute-efficiency.yaml `archs:` with kind: calibrated; each names
// its rows with a `fit:` selector (train/compute_model.hpp: the row's GPU arch, precision, dense/MoE,
// sequence length, case_id patterns). study/fit_constants.hpp fits them all together (coordinate descent on
// each constant's median |log(predicted / published)|, the others fixed); a constant with fewer than 2 rows
// keeps its shipped value and is reported as resting on too few rows. Predictions run under
// EfficiencyOverride (no file is touched), the rows of a search in parallel on `threads` threads.
//
// Leave-one-source-out: for each source family F (the mapping's source_families rules), every constant is
// refitted on the rows outside F (from its shipped value), then F's rows are predicted with those values. A
// row of F is not covered when a constant that selects it has fewer than 2 rows outside F (it would rest on
// F's own rows or on one row): it is counted, not scored.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "study/validate_training.hpp"
#include "train/compute_model.hpp"

namespace commsim {

struct TrainingErrorStats {
  int rows = 0;
  double median = 0, worst = 0;  // |error|, fractions
};

struct FittedEfficiency {
  std::string name;              // "hopper.gemm_fp8"
  double shipped = 0, fitted = 0;
  int rows = 0;                  // rows its selector picks
  bool fitted_ok = false;        // false: fewer than 2 rows (keeps the shipped value)
  double loss = 0;               // median |log(pred/published)| of its rows at the fitted value
};

struct TrainingFitReport {
  std::vector<FittedEfficiency> constants;
  std::vector<double> shipped_error, fitted_error;  // per case, signed (predicted - published) / published
  std::vector<double> loso_error;                   // per case; NaN where not covered (or no --loso)
  int sweeps = 0;
  bool converged = false;
  double fit_seconds = 0, loso_seconds = 0;
  long predictions = 0;
  bool loso = false;
  int loso_uncovered = 0;
  TrainingErrorStats fitted_all, loso_all;
  // Groups: "source family", "dense" / "MoE", and "model" tables, by key -> {shipped, fitted, loso}.
  struct Group {
    TrainingErrorStats shipped, fitted, loso;
  };
  std::map<std::string, Group> by_family, by_kind, by_model;
};

// Does `sel` (a constant of architecture `arch`) pick the case?
bool selects(const FitSelector& sel, const std::string& arch, const TrainingCase& c);

// |error| statistics of the finite entries.
TrainingErrorStats error_stats(const std::vector<double>& errors);

// Fits (and with `loso`, validates) on `cases`. threads = 0: the hardware's, at most 8.
TrainingFitReport fit_training(const std::vector<TrainingCase>& cases, bool loso, unsigned threads = 0);

}  // namespace commsim
