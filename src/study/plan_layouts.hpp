// Layout finders for `commsim plan`. quick_layout_search (plan --layouts quick) is a small search: TP in
// {1, 2, 4, 8} within a scale-up domain and dividing the heads, PP dividing the layers (up to 32), EP (MoE)
// dividing the experts and DP, selective recompute (full when selective does not fit), ZeRO-1, micro-batch
// 1, at the config's global batch (held: a DP that does not divide it is skipped). The fastest layout that
// fits wins; ties keep the first in that order.
#pragma once

#include <optional>

#include "train/estimator.hpp"

namespace commsim {

std::optional<TrainEstimate> quick_layout_search(const TrainConfig& cfg);

}  // namespace commsim

namespace commsim {

// `parallelism: auto`'s search (train/layout_search.hpp) at the config's global batch, held at every cluster
// size (it is a hyperparameter: plans compared at different batches compare different training runs; until
// 2026-12-04 it was rounded to a multiple of a size's ranks, 2048 to 6144 on 49,152 GPUs): the fastest layout
// that fits, or none where no DP the cluster allows divides the batch.
std::optional<TrainEstimate> auto_layout_search(const TrainConfig& cfg);

}  // namespace commsim
