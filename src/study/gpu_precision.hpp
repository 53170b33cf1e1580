// Whether the GPU a validation row names (its `gpu` cell, as `validate training` maps it through the
// hardware rules of configs/validation/training-systems.yaml) can train in a precision: for files without
// interconnect columns (training_memory.csv), the first rule that names the GPU.
#pragma once

#include <string>

#include "train/train_config.hpp"

namespace commsim {

// Why that GPU cannot train in `precision` (compute_model's unsupported_precision: "fp8 needs a GPU with an
// fp8 rate; a100-sxm-80gb has none"), or "" when it can or when no rule names the GPU. Systems are loaded
// once per process.
std::string gpu_cell_unsupported_precision(const std::string& gpu_cell, Precision precision);

}  // namespace commsim
