// Layout checks. check_layout (declared in train_config.hpp, defined in layout_checks.cpp) checks the sizes
// against the model, the GPUs and the batch, and calls these for the rest: the expert layout folded
// over TP x CP x DP and the pipeline schedule. `fail(key, what)` throws InputError naming where key came from.
//   experts   ep divides experts; etp divides expert_ffn_hidden; etp x ep divides tp x cp x dp (Megatron's
//             parallel folding: expert group ETP x EP x EDP = TP x CP x DP)
//   schedule  interleaved needs vpp >= 2 (and vpp > 1 needs interleaved); vpp divides the layers of every stage
//             but shortened first/last ones (uneven splits);
//             dualpipe needs an even pp and (batch) an even number of micro-batches, at least 2 pp
#pragma once

#include <functional>
#include <string>

#include "train/train_config.hpp"

namespace commsim {

using LayoutFail = std::function<void(const std::string& key, const std::string& what)>;

void check_expert_layout(const TrainConfig& c, const LayoutFail& fail);
void check_dp_shard(const TrainConfig& c,
                    const LayoutFail& fail);  // hybrid sharding: divides dp and the expert-DP group
void check_mamba_layout(const TrainConfig& c, const LayoutFail& fail);    // TP splits the groups; no CP
void check_schedule(const TrainConfig& c, const LayoutFail& fail);        // the schedule against pp and vpp
void check_vpp_stages(const TrainConfig& c, const LayoutFail& fail);      // after the stage split is known
void check_schedule_batch(const TrainConfig& c, const LayoutFail& fail);  // after dp is resolved

}  // namespace commsim
