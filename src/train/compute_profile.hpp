// Where a micro-batch's compute goes: every op of every layer kind, the embedding, the logits and an MTP
// module, each timed as the estimator times it (compute_model.hpp: roofline, or the kernel model for the
// routed-expert GEMMs and the attention core), on one GPU of the layout, for one micro-batch.
//
// Per op:  fwd = fwd_n * t(op),  bwd = backward_time(op)  (dgrad + wgrad; a kernel-modelled attention core
// its backward kernel),  share = count * (fwd + bwd) / sum over every row,
// count = the layers of that kind in the whole model (one model replica; a pipeline stage holds its part).
// A MoE layer whose routed-expert kernels the host issues more slowly than the GPU runs them gets a row
// `experts.host_issue` with the difference (moe_ops.hpp, `expert_launch`): the time the layer waits.
// Recompute is not in the rows (it re-runs forward rows: full every one, selective the modules it lists,
// recompute_cost.hpp). Check (tested): the rows of a layer kind sum to the estimator's layer forward and
// backward times.
#pragma once

#include <string>
#include <vector>

#include "train/layer_ops.hpp"
#include "train/train_config.hpp"

namespace commsim {

struct OpProfile {
  std::string part;   // "dense layer", "moe layer", ..., "embedding", "logits", "mtp module"
  int count = 0;      // how many of `part` the model has
  OpCost op;          // name, unit, FLOPs and bytes of one forward run
  bool lowp = false;  // runs at the low rate (fp8 or nvfp4 training, a GEMM that takes it)
  double fwd_s = 0, bwd_s = 0;
};

// The op rows of `c`'s model on one GPU of its layout, per micro-batch. Throws InputError as estimate_training.
std::vector<OpProfile> compute_profile(const TrainConfig& c);

}  // namespace commsim
