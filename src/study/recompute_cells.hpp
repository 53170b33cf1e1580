// How a validation CSV's act_recompute cell reads: the recompute policy, Megatron's block method with its
// count, and the recompute_modules it lists (case_cells.hpp's CaseRow::recompute_modules turns the list into
// RecomputeModule bits, with errors naming the cell).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "train/train_config.hpp"

namespace commsim {

// The activation recompute the cell names: none ("none", "no", "off", "disabled", or "without activation
// checkpointing" anywhere), selective ("selective", torchtitan's op-level "SAC"), full ("full", "block",
// "uniform", "activation checkpointing"); none for a cell that names no policy ("n/r", "recipe-specific
// (n/r)", "none stated", "not stated").
std::optional<Recompute> recompute_cell(const std::string& cell);
// Megatron's block method with its count (training.recompute_num_layers): N where a full-recompute cell says
// "block" and N layers ("full (block, 2 layers)", "block, recompute_num_layers=4", a bare "block, 2"); none
// otherwise (every
// layer: "full", "uniform", or "block" without a count).
std::optional<int> recompute_block_layers(const std::string& cell);
// The count a block cell writes where one stands but does not read as a whole number of layers from 1
// ("block 2.5", "block, 0", "1.5 layers"); empty otherwise. It recomputed every layer
// (CaseRow::recompute_layers refuses it, naming the cell).
std::string recompute_block_count_unread(const std::string& cell);
// Megatron's recompute_modules a recompute cell lists after the key ("selective (recompute_modules: mla_up_proj,
// moe_act)", "recompute_modules=[core_attn, mlp]", "--recompute-modules core_attn mlp"): the names, lower
// case, as written (recompute_modules.hpp knows which are modules); none where the cell has no such key.
std::optional<std::vector<std::string>> recompute_modules_cell(const std::string& cell);
}  // namespace commsim
