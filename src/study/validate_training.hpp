// Validation of the training estimator against published runs (../shared/validation/training_public.csv
// format). Each row's hardware maps to a shipped system through configs/validation/training-systems.yaml
// (rules on the gpu / interconnect columns, with documented --set derates), its model to a built-in shape
// (rules on the model column) overridden by the dimensions in its `arch` column (L= h= a= kv= ffn= V=), and
// its layout, batch, precision and recompute come from the row (source conventions fill "n/r"). The
// prediction is the row's own metric computed the row's way (study/training_metric.hpp).
// Rows that cannot be predicted honestly are excluded by case_id with a reason in the mapping file. A row
// outside the catalog's reach is not predicted and is named with why, while the file's other rows are: its
// hardware or model has no rule (and no dense arch cell), its arch or model column names an architecture the
// mapping's `unsupported` rules list (hybrid Mamba-2 layers), the model its rule maps is dense where the arch
// column says MoE (or the reverse), or that model's parameter count is more than 25% from the row's params_B
// (a generic rule, "8B" or "GPT", caught a model it does not describe). Gates fail on such rows
// (cmd_validate_training). Each row's source column maps to a source family (the mapping's `source_families`
// rules, first match), the unit that leave-one-source-out holds out (study/training_fit.hpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "study/not_predicted.hpp"
#include "study/training_metric.hpp"
#include "train/estimate_context.hpp"
#include "train/train_config.hpp"

namespace commsim {

struct TrainingValidationRow {
  std::string case_id, model, system, metric;
  std::string family;  // source family (mapping's source_families); empty when the mapping has none
  int gpus = 0;
  std::string layout;  // "TP8 PP8 DP1 ..."
  double published = 0, predicted = 0, error = 0;
  double step_time_s = 0, mfu = 0;
  double memory_gib = 0, capacity_gib = 0;  // the worst stage's memory per GPU, and the GPU's
  double needed_gib = 0;  // memory_gib without the allocator's cache: what decides `fits` (memory_model.hpp)
  bool fits = true;
  bool moe = false;  // a mixture-of-experts model
  // A row that does not fit whose source does not report its recompute: the least recompute with which it
  // fits (train/recompute_fit.hpp), or empty when none does. The row counts as fitting when it is not empty.
  std::string fits_with;
};

struct TrainingValidationReport {
  std::vector<TrainingValidationRow> rows;
  std::vector<std::pair<std::string, std::string>> excluded;  // case_id, reason
  std::vector<NotPredicted> not_predicted;
  std::vector<std::string> unmatched_exclusions;  // as TrainingCases has them
  double median_abs = 0, worst_abs = 0;
};


// A row read and mapped, ready to predict (again, under other efficiency constants: the fitter's unit).
struct TrainingCase {
  std::string case_id, model, system, metric_text, family;
  std::string arch;  // the GPU architecture of the mapped system ("hopper")
  bool moe = false;
  TrainConfig config;
  TrainingMetric metric = TrainingMetric::kStepTime;
  double published = 0, params = 0;  // params: the row's params_B * 1e9 (llm-foundry MFU)
  double tokens = 0;                  // a "per trillion / billion tokens" metric's count, else 0
  bool recompute_reported = false;
  std::string fits_with;  // as TrainingValidationRow's, when the source's default does not fit
  SourceLoc row;  // the CSV row (file, line): an estimate that fails on a refit is reported there
  // The row's system, topology and memoised collectives, made at its first prediction and kept for the
  // fitter's thousands of re-predictions (the compute side follows EfficiencyOverride: estimate_context.hpp).
  // One thread predicts a row at a time.
  mutable std::shared_ptr<EstimateContext> context;
};

struct TrainingCases {
  std::vector<TrainingCase> cases;
  std::vector<std::pair<std::string, std::string>> excluded;  // case_id, reason
  std::vector<NotPredicted> not_predicted;
  // The mapping's exclusions that name no row of the file (a misspelt case_id excluded nothing, without a
  // word); none with `only`.
  std::vector<std::string> unmatched_exclusions;
};

// Reads and maps every row: InputError naming file, line and column for a row that is malformed (a cell that
// is no number, sizes whose product is not num_gpus, a DP that cannot be derived); a row outside the
// catalog's reach, or a layout the estimator cannot split (a VPP that does not divide a stage), goes to
// not_predicted. With `only`, every row is still read and its case_id checked, but only that row is mapped
// and estimated
// (`validate training --row`: one estimate, not the file's).
TrainingCases read_training_cases(const std::string& csv_path, const std::string& mapping_path = "",
                                  const std::optional<std::string>& only = std::nullopt);

// Predicts one case with the efficiency constants in force (train/compute_model.hpp).
TrainingValidationRow predict_training_case(const TrainingCase& c);

// The median and worst |error| of rows.
void summarise(TrainingValidationReport& rep);

TrainingValidationReport validate_training(const std::string& csv_path, const std::string& mapping_path = "");
TrainingValidationReport validate_training(const TrainingCases& cases);  // rows in the order of the cases

}  // namespace commsim
