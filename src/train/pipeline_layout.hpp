// Which layers each pipeline stage holds, and the schedule's bubble.
//
// Stages hold contiguous layers: layers / pp each, or first_stage_layers and last_stage_layers with the rest
// spread evenly (uneven stages, as Llama 3 405B's 126 layers on 16 stages: 7 + 14 x 8 + 7). The first stage
// also holds the embedding, the last the final norm, logits and loss.
//
// Bubble (Narayanan et al. SC'21, sec. 2.2): with m micro-batches per pipeline, p stages and v model chunks
// per stage (interleaved 1F1B), the pipeline is idle (p - 1) / v micro-batch times per step:
//   bubble fraction of the step = (p - 1) / (v * m + p - 1);  p = 4, m = 8, v = 1 -> 3/11 = 27.3% (tested).
#pragma once

#include <vector>

#include "train/train_config.hpp"

namespace commsim {

struct Stage {
  int first_layer = 0, layers = 0;
  int dense_layers = 0, moe_layers = 0;
  bool embedding = false, logits = false;
};

std::vector<Stage> pipeline_stages(const ModelSpec& m, const Parallelism& p);

// Idle micro-batch times per step: (p - 1) / v.
double bubble_microbatches(int pp, int vpp);
double bubble_fraction(int pp, int vpp, double microbatches);

}  // namespace commsim
