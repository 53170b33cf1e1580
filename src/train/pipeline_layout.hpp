// Which layers each pipeline stage holds, and the schedule's bubble.
//
// Stages hold layers / pp layers each, or first_stage_layers and last_stage_layers with the rest spread
// evenly (uneven stages, as Llama 3 405B's 126 layers on 16 stages: 7 + 14 x 8 + 7): one contiguous block,
// or under the interleaved schedule v chunks of it dealt chunk-major, as Megatron places virtual stages
// (stage s holds chunks s, s + p, ...; which layers are MoE follows). The first stage
// also holds the embedding, the last the final norm, logits and loss, and the multi-token-prediction modules.
//
// Default uneven split (first/last_stage_layers not set and pp not dividing the L layers), as Megatron's
// account_for_embedding_in_pipeline_split / account_for_loss_in_pipeline_split (Megatron-Bridge): the
// embedding, the loss and each MTP module count as one layer, u = L + 2 + mtp units over p stages, u/p each:
//   first = u/p - 1, last = u/p - 1 - mtp, the others u/p, when p divides u. Otherwise (Megatron asserts
//   it and wants the split given; a published run that used another framework still ran) the balanced
//   split the layout search uses: the middle stages hold c = ceil(L/p) layers each, the first and last
//   share the rest r = L - (p - 2) c, the first the larger half; none when r < 2 (an end stage would be
//   empty). It is Megatron's wherever p divides u, 2 + mtp < p and mtp <= 1 (at mtp 2 Megatron's last stage
//   holds one layer fewer than the balanced split's). first/last_stage_layers override both.
//   Checks (tested): 126 on 16 -> 7 + 14 x 8 + 7; 126 on 8 -> 15 + 6 x 16 + 15; 94 on 8 -> 11 + 6 x 12 + 11;
//   DeepSeek-V3 61 + 1 MTP on 16 -> 3 + 14 x 4 + 2 (the report's layout), on 8 -> 7 + 6 x 8 + 6; balanced:
//   61 without MTP on 8 -> 7 + 6 x 8 + 6, DeepSeek-V2's 60 on 16 -> 2 + 14 x 4 + 2; 61 on 32: none.
//
// Bubble (Narayanan et al. SC'21, sec. 2.2): with m micro-batches per pipeline, p stages and v model chunks
// per stage (interleaved 1F1B), the pipeline is idle b = (p - 1) / v micro-batch times per step:
//   bubble fraction of the step = b / (m + b);  p = 4, m = 8, v = 1 -> 3/11 = 27.3% (tested). Other
// schedules' b: pipeline_schedule.hpp.
#pragma once

#include <array>
#include <vector>

#include "train/train_config.hpp"

namespace commsim {

struct Stage {
  int first_layer = 0, layers = 0;  // first_layer: of the stage's first chunk
  std::array<int, kLayerKinds> kinds{};  // layers of each LayerKind
  int count(LayerKind k) const { return kinds[static_cast<std::size_t>(k)]; }
  int moe_layers() const { return count(LayerKind::kMoe) + count(LayerKind::kMoeMlp); }
  int mtp_layers = 0;  // multi-token-prediction modules (last stage)
  bool embedding = false, logits = false;
};

std::vector<Stage> pipeline_stages(const ModelSpec& m, const Parallelism& p, int mtp_layers = 0);

// The index of the first stage whose layers `vpp` model chunks do not split evenly, or -1. Shortened first
// and last stages (`uneven`: first_stage_layers / last_stage_layers set) may split unevenly, but leave no
// chunk empty: their layers, with the embedding on the first and the loss and MTP modules on the last, are
// at least vpp (Llama 3 405B's 7-layer end stages under vpp 8, whose first chunk holds only the embedding
// as the Llama 3 report ran it; 5-layer end stages under vpp 7 are refused).
int stage_vpp_does_not_divide(const std::vector<Stage>& stages, int vpp, bool uneven);

// The layers of stage `s` that full recompute re-runs: all of them, or under the block method
// (training.recompute_num_layers N) the first N of each of the stage's model chunks (vpp of them under the
// interleaved schedule, else one): min(layers, N * chunks); 0 without full recompute.
int recomputed_layers(const Stage& s, const TrainConfig& c);
// The share of the stage's layers that block recompute re-runs (recomputed_layers / layers); 1 unless
// training.recompute_num_layers is set with full recompute.
double recomputed_share(const Stage& s, const TrainConfig& c);

struct DefaultSplit {
  bool ok = false;
  bool megatron = false;  // Megatron's embedding-and-loss split (else the balanced one)
  long units = 0;         // layers + 2 + mtp: past INT_MAX for layers near it
  int first = 0, last = 0;
};
// Megatron's split where p divides the units, else the balanced one (above); ok false when neither applies.
DefaultSplit default_uneven_split(int layers, int pp, int mtp_layers);
// The balanced split alone (the layout search's): first and last of ceil(L/p) layers per middle stage.
DefaultSplit balanced_uneven_split(int layers, int pp);

// The bubble's share of the step: b / (m + b) for b idle micro-batch times (pipeline_schedule.hpp).
double bubble_fraction(double bubble_microbatches, double microbatches);

}  // namespace commsim
