// Memory per GPU at the peak of a step, for the stage that needs the most.
//
// Model states (mixed-precision Adam; ZeRO paper, Rajbhandari et al. 2020): per parameter 2 B bf16 weight,
// grad_bytes gradient (4: fp32 accumulation as Megatron), 12 B optimizer (fp32 master, Adam m and v).
// Parameters are split by tp and pp (experts also by ep); ZeRO-1 divides the optimizer by the
// data-parallel size (dp*cp; dp*cp/ep for experts), ZeRO-2 also the gradients, ZeRO-3 also the weights
// (plus two unsharded layers in flight). Check (tested): GPT-175B, t = p = 8, no ZeRO, a middle stage:
// 18 B x 2.7185e9 local params = 45.57 GiB (Korthikanti Fig. 1 / Calculon: 45.56 GiB params + optimizer).
//
// Activations per layer and micro-batch (Korthikanti et al. 2022, eq. 1-6), T = b*s/cp tokens, 2-byte values:
//   none/selective, no SP:  T*h*(10 + 24/t)  (8 instead of 10 without dropout masks) [+ 5*a*s*T/t without FlashAttention and without recompute]
//   with SP:                T*h*34/t        [+ same]
//   full:                   2*T*h (/t with SP)   (the layer input), plus one layer's full set during backward
// generalised to GQA/MLA widths and SwiGLU (3 matrices: 6f instead of 16h for the MLP intermediates) and to
// MoE (top_k copies of the routed tokens). GPT-175B check (tested): s 2048, b 1, t 8, SP + selective:
// 2048*12288*34/8 B = 102 MiB per layer.
// In flight on the first stage: min(p, m) micro-batches (1F1B), times 1 + (p-1)/(p*v) when interleaved.
#pragma once

#include <string>

#include "hw/gpu_spec.hpp"
#include "train/pipeline_layout.hpp"

namespace commsim {

struct MemoryBreakdown {
  double weights = 0, gradients = 0, optimizer = 0, activations = 0;
  double total() const { return weights + gradients + optimizer + activations; }
  int stage = 0;  // the stage it was computed for
};

// Bytes of activations one layer keeps for one micro-batch on one GPU.
double layer_activation_bytes(const ModelSpec& m, bool moe_layer, const TrainConfig& c);
// Local parameters of a stage on one GPU: dense (split by tp) and experts (split by tp and ep).
struct StageParams {
  double dense = 0, experts = 0;
  double total() const { return dense + experts; }
};
StageParams stage_params(const ModelSpec& m, const Stage& s, const Parallelism& p);

// Stage `index` of `stages`, with m micro-batches per step.
MemoryBreakdown stage_memory(const TrainConfig& c, const Stage& s, int index, int stages, double microbatches);
MemoryBreakdown peak_memory(const TrainConfig& c, const std::vector<Stage>& stages, double microbatches);

}  // namespace commsim
