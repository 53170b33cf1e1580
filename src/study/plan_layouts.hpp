// Layout finders for `commsim plan`. quick_layout_search (plan --layouts quick) is a small search: TP in
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

namespace commsim {

// The global batch a cluster of `ranks` is searched with: the multiple of M nearest to `target` (at least M),
// where M = ranks / 2^max(0, v2(ranks) - v2(target)) (v2: the power of two in a number), so that every DP
// made of the ranks' odd part and the target's powers of two divides it. 2048 on 72 ranks: M = 72, 2016;
// on 384: M = 384, 1920; on 16,384: M = 2048, 2048.
long plan_global_batch(long ranks, long target);

// `parallelism: auto`'s search (train/layout_search.hpp) at plan_global_batch: the fastest layout that fits.
std::optional<TrainEstimate> auto_layout_search(const TrainConfig& cfg);

}  // namespace commsim
