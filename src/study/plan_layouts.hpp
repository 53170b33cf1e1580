// A small layout search for `commsim plan` until the full one (`parallelism: auto`) is merged: TP in
// {1, 2, 4, 8} within a scale-up domain and dividing the heads, PP dividing the layers (up to 32), EP (MoE)
// dividing the experts and DP, selective recompute (full when selective does not fit), ZeRO-1, micro-batch
// 1. The global batch is rounded to a multiple of DP (at least DP). The fastest layout that fits wins; ties
// keep the first in that order.
#pragma once

#include <optional>

#include "train/estimator.hpp"

namespace commsim {

std::optional<TrainEstimate> quick_layout_search(const TrainConfig& cfg);

}  // namespace commsim
