// Validation of the training estimator against published runs (shared/validation/training_public.csv
// format). Each row's hardware maps to a shipped system through configs/validation/training-systems.yaml
// (rules on the gpu / interconnect columns, with documented --set derates), its model to a built-in shape
// (rules on the model column) overridden by the dimensions in its `arch` column (L= h= a= kv= ffn= V=), and
// its layout, batch, precision and recompute come from the row (source conventions fill "n/r"). The
// prediction is the row's own metric computed the row's way:
//   "TFLOPS/GPU (counts recompute: 96...)"  96*B*s*L*h^2*(1 + s/6h + V/16Lh) / (step * GPUs)   (SC'21)
//   "step time s"                           the step time                                    (Korthikanti)
//   "tokens/s/GPU"                          global_batch * seq / (step * GPUs)               (NeMo, Bridge, torchtitan)
//   "MFU %" (llm-foundry)                   (6*N + 12*L*h*s) * tokens/s/GPU / peak, N = params_B
// Rows that cannot be predicted honestly are excluded by case_id with a reason in the mapping file.
#pragma once

#include <string>
#include <vector>

namespace commsim {

struct TrainingValidationRow {
  std::string case_id, model, system, metric;
  int gpus = 0;
  std::string layout;  // "TP8 PP8 DP1 ..."
  double published = 0, predicted = 0, error = 0;
  double step_time_s = 0, mfu = 0;
  double memory_gib = 0, capacity_gib = 0;  // the worst stage's memory per GPU, and the GPU's
  bool fits = true;
  bool fits_with_full_recompute = false;  // computed when the row does not fit and its recompute is not reported
};

struct TrainingValidationReport {
  std::vector<TrainingValidationRow> rows;
  std::vector<std::pair<std::string, std::string>> excluded;  // case_id, reason
  double median_abs = 0, worst_abs = 0;
};

TrainingValidationReport validate_training(const std::string& csv_path, const std::string& mapping_path = "");

}  // namespace commsim
