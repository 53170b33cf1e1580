// Validation of the collective model against published nccl-tests results
// (../shared/validation/nccl_public.csv format): each row's hardware is mapped to a shipped system through
// configs/validation/nccl-systems.yaml, forced algorithms noted in the row (NCCL_ALGO=...) are honoured, and
// predicted busbw is compared with the measured one. No per-row tuning: the mapping picks a system, nothing
// else.
#pragma once

#include <string>
#include <vector>

#include "study/not_predicted.hpp"

namespace commsim {

struct ValidationRow {
  std::string case_id;
  std::string op;
  std::string system;
  int nodes = 1, gpus_per_node = 1;
  double size_bytes = 0;
  double measured_busbw = 0, predicted_busbw = 0;
  double measured_time_us = 0, predicted_time_us = 0;
  double error = 0;  // (predicted - measured) / measured, on busbw
  std::string algorithm, protocol, forced_algo;
  bool forced_proto = false;  // the notes' NCCL_PROTO
};

struct ValidationExclusion {
  std::string case_id, reason;
};

struct ErrorSummary {
  int rows = 0;
  double median_abs = 0, worst_abs = 0;
};

struct ValidationReport {
  std::vector<ValidationRow> rows;
  std::vector<ValidationExclusion> excluded;
  // Cases out of the catalog's reach, once per case_id: the reason is the first row's message (file, line,
  // column): hardware no rule maps, a collective or dtype the simulator does not model, a scale the system
  // cannot hold. The file's other rows are predicted; the gates fail on these (cmd_validate.cpp).
  std::vector<NotPredicted> not_predicted;
  ErrorSummary at_least_64m, at_least_1m, all;
};

// The signed errors of the rows of at least `min_size` bytes with a measured busbw (> 0): what the summaries
// and the --max-median-error-* gates (study/gate.hpp) are computed over.
std::vector<double> qualifying_errors(const std::vector<ValidationRow>& rows, double min_size);
ErrorSummary summarize(const std::vector<ValidationRow>& rows, double min_size);

// `mapping` defaults to configs/validation/nccl-systems.yaml in the data directory. Numbers in the CSV must be
// finite and in range (nodes, gpus_per_node >= 1; size_bytes > 0 and below 2^63; time_us, busbw_GBps >= 0):
// anything else is an InputError naming file:line and the column. A row out of reach goes to not_predicted.
ValidationReport validate_collectives(const std::string& csv_path, const std::string& mapping_path = "");

}  // namespace commsim
