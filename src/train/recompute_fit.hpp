// The least activation recompute with which a layout fits in memory: what a recipe's author picks when memory
// is short, and what a published run whose recompute is not reported must have used (it ran, so it fit).
//
// Candidates, cheapest first: the config's own policy; selective (the attention core); full recompute of the
// first N layers of each model chunk (Megatron's --recompute-method block --recompute-num-layers N), for the
// smallest N that fits; full recompute of every layer. Memory falls as N grows (each recomputed layer keeps
// only its input), so N is found by bisection: about log2(layers per chunk) estimates.
#pragma once

#include <optional>

#include "train/train_config.hpp"

namespace commsim {

// `c` with the least recompute that fits (check_layout must pass), or nullopt when not even full recompute
// of every layer fits. Throws what estimate_training throws.
std::optional<TrainConfig> least_recompute_that_fits(const TrainConfig& c);

}  // namespace commsim
