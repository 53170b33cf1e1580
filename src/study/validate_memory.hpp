// Validation of the memory model against published per-GPU memory figures (../shared/validation/
// training_memory.csv format). configs/validation/memory-mapping.yaml maps each row's model to a built-in
// (or inline) shape and its source to that framework's conventions (what it leaves unreported, how it
// computes the loss); the row gives the layout, batch, precision and recompute. What is compared depends on
// `memory_kind`:
//   allocated ("peak allocated", Megatron's mem-max-allocated-bytes)  the allocated peak of the logged stage
//                                     (rank 0 -> stage 0, "last rank" -> the last stage, else the worst)
//   reserved (torchtitan's max_reserved_gib, max over GPUs)   allocated * (1 + fragmentation), worst stage
//   used (nvidia-smi)                 reserved + the CUDA context + NCCL buffers (memory-overhead.yaml),
//   worst stage
// Allocated and reserved do not include the CUDA context or NCCL buffers (outside PyTorch's allocator). Rows
// that cannot be expressed are excluded by case_id with the reason in the mapping file; a row naming a model
// without a rule is an input error (exit 2) naming file, line and column.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "study/not_predicted.hpp"

namespace commsim {

struct MemoryValidationRow {
  std::string case_id, source, kind, layout;
  double published_gib = 0, predicted_gib = 0, error = 0;
  int stage = 0;
  // The compared stage's allocated parts (GiB) and the micro-batches of activations it holds: what a row's
  // error is made of (predicted_gib adds the kind's overhead to their sum).
  double weights_gib = 0, gradients_gib = 0, optimizer_gib = 0, activations_gib = 0, in_flight = 0;
};

struct MemoryValidationReport {
  std::vector<MemoryValidationRow> rows;
  std::vector<std::pair<std::string, std::string>> excluded;  // case_id, reason
  // Rows whose columns name what the mapping's `unsupported` rules list (Mamba layers, LoRA), whose rule maps
  // a model of the other kind, or whose memory_kind is none the model compares: case_id and the message naming
  // file, line and column. The gate fails on them.
  std::vector<NotPredicted> not_predicted;
  std::vector<std::pair<std::string, double>> median_by_source;
  // The mapping's exclusions that name no row of the file (a misspelt case_id excluded nothing, without a
  // word).
  std::vector<std::string> unmatched_exclusions;
  double median_abs = 0, worst_abs = 0;
};

MemoryValidationReport validate_memory(const std::string& csv_path, const std::string& mapping_path = "");

}  // namespace commsim
