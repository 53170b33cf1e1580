// The model chunks per pipeline stage (VPP) of a published row that does not give them as a count.
//
// unstated_interleave: a VPP cell that says "interleaved" without a count, where no source rule gives one:
// two layers per model chunk, the middle of what published recipes run (one: the Llama 3 report, NeMo's Llama
// 2 70B and Nemotron-4 340B on H100; two: GPT-3 175B, Llama 3.1 405B, DeepSeek-V3, Nemotron-4 340B on B200;
// four: Llama 3 70B), i.e. the largest V up to half the (longest) stage's layers whose chunks the stages
// split into; 1 (1F1B) if none. Check (tested): Llama 3 8B on PP 4 (8 layers a stage) -> 4.
// vpp_from_layers_per_chunk: Megatron's --num-layers-per-virtual-pipeline-stage N: V = L / (PP x N) where the
// stages split into it (GPT 7B-class, 32 layers on PP 4 at N 1: 8).
#pragma once

#include <optional>

#include "train/train_config.hpp"

namespace commsim {

// Do the stages of c's layout (the default split where pp does not divide L, as check_layout gives it)
// split into v chunks each?
bool interleave_divides(const TrainConfig& c, int v);
int unstated_interleave(const TrainConfig& c);
std::optional<int> vpp_from_layers_per_chunk(const TrainConfig& c, int layers_per_chunk);

}  // namespace commsim
