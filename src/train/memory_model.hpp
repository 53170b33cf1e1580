// Memory per GPU at the peak of a step, per pipeline stage, as Megatron-Core allocates it. The worst stage
// decides whether a layout fits. Sources: Korthikanti et al. 2022 (activations, pipeline in-flight counts),
// Megatron-LM's distributed-optimizer docs (docs/source/api-guide/dist_optimizer.md: "bf16 param, fp32 grad
// buffer, and a 12/d optimizer shard"), shared/docs/llm-perf-models.md (MoE folding, FP8). docs/training.md.
//
// Model states per local parameter (mixed-precision Adam):
//   weights 2 B (bf16; also under FP8 training: Megatron keeps bf16 weights and fp32 masters; the FP8
//           copies of a GEMM's weight live while that layer runs, or replace the bf16 weights with
//           --fp8-param-gather: neither adds persistent memory here)
//   gradients grad_bytes (4: Megatron's fp32 main_grad buffer; 2 with bf16 grads)
//   optimizer 4 + 2 * moment_bytes B (fp32 master; Adam m and v, fp32: 12 B, or bf16 as DeepSeek-V3 keeps
//   them: 8 B)
// Parameters are split by tp and pp, routed experts by etp*ep. The distributed optimizer (ZeRO-1) shards the
// optimizer over the data-parallel group: dp*cp for dense weights, the expert-data-parallel group
// edp = tp*cp*dp/(etp*ep) for expert weights (EP folded over TP x CP x DP); ZeRO-2 also the gradients, ZeRO-3
// also the weights (plus two unsharded layers in flight). Check (tested): GPT-175B, t = p = 8, no ZeRO, a
// middle stage: 18 B x 2.7185e9 local params = 45.57 GiB (Korthikanti Fig. 1 / Calculon: 45.56 GiB params +
// optimizer).
//
// Activations (train/activation_memory.hpp) per layer and micro-batch, times the micro-batches a stage
// holds at its peak (m per pipeline per step, stage i of p, v chunks per stage):
//   1F1B, zero-bubble  min(m, p - i)
//   DualPipe     p + 1 (DeepSeek-V3 report, table 2), of the mean of the rank's two stages (i, p - 1 - i),
//                whose model states it both holds (2x parameters)
//   interleaved  min(m*v, 2(p - i - 1) + (v - 1)p + 1) chunk micro-batches of 1/v of the stage's layers
//                (Megatron's warm-up count + 1); on stage 0 that is p + (p - 1)/v = Korthikanti's
//                p(1 + (p - 1)/(p v)). Check (tested): p 4, v 2, m 8: stage 0 5.5, stage 3 2.5.
// plus one layer's full set less its input (held as its checkpoint) during the backward under full recompute,
// and on the last stage the loss (6 B per logit). The first stage holds the embedding, the last the output
// layer (tied embeddings: one more copy when pp > 1).
#pragma once

#include <vector>

#include "train/activation_memory.hpp"
#include "train/memory_overhead.hpp"
#include "train/pipeline_layout.hpp"

namespace commsim {

struct MemoryBreakdown {
  double weights = 0, gradients = 0, optimizer = 0, activations = 0;  // allocated tensors, bytes
  double runtime = 0;  // CUDA context, NCCL buffers, allocator fragmentation (memory_overhead.hpp)
  double cache = 0;    // the part of runtime that is the allocator's cache beyond its allocated peak
  double in_flight = 0;  // micro-batches of activations held at the peak
  int stage = 0;         // the stage it was computed for
  double allocated() const { return weights + gradients + optimizer + activations; }
  double total() const { return allocated() + runtime; }
  // What the GPU must hold: the allocated peak, the CUDA context and NCCL's buffers. The caching allocator
  // hands its cache back and retries before it fails an allocation, so its cache does not decide `fits`.
  double needed() const { return total() - cache; }
};

// Local parameters of a stage on one GPU: dense (split by tp) and routed experts (split by tp and ep).
struct StageParams {
  double dense = 0, experts = 0;
  double total() const { return dense + experts; }
};
StageParams stage_params(const ModelSpec& m, const Stage& s, const Parallelism& p);

// Micro-batches of the stage's activations that stage `index` of `stages` holds at its peak under 1F1B
// (vpp 1) or interleaving (pipeline_schedule.hpp's schedule_in_flight for the others).
double activation_microbatches(int index, int stages, int vpp, double microbatches);

// Stage `index` of `stages`, with m micro-batches per step (runtime overhead included).
MemoryBreakdown stage_memory(const TrainConfig& c, const Stage& s, int index, int stages, double microbatches);
// Every stage (the estimator reports them all; the one with the largest total() is reported, and its needed()
// decides `fits`); under
// DualPipe entry i is rank i's pair of stages i and p - 1 - i.
std::vector<MemoryBreakdown> stage_memories(const TrainConfig& c, const std::vector<Stage>& stages, double microbatches);
// The largest needed() of stage_memories, without building the list (the layout search's memory check).
double peak_stage_memory(const TrainConfig& c, const std::vector<Stage>& stages, double microbatches);

}  // namespace commsim
