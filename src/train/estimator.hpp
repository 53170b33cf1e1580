// The training-step estimator: compute per stage through the roofline, every process group's collectives
// through the collective simulator, the pipeline schedule, the optimizer step, memory, and the totals.
//
// Per micro-batch on stage k (forward f, backward 2f, recompute r; per-layer TP/CP/EP collectives):
//   tau_k = f_k + 2 f_k + r_k + exposed(TP) + exposed(CP) + exposed(EP) + exposed(ZeRO-3 gathers)
// Step (1F1B, m micro-batches per pipeline, v chunks per stage; Narayanan et al. SC'21):
//   step = m * tau + (p - 1)/v * tau + exposed(PP fill/drain) + exposed(DP) + optimizer,  tau = max_k tau_k
// Overlap defaults follow Megatron-LM: DP gradient buckets overlap the last micro-batch's backward except
// the last bucket; ZeRO-1/2 parameter all-gathers overlap the next forward except the first bucket; TP and
// EP collectives are exposed; CP's K/V exchange hides behind the attention core; PP send/recv is hidden in
// the steady state and exposed during fill and drain (2 (p - 1) transfers). See docs/training.md.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "train/estimate_context.hpp"
#include "train/memory_model.hpp"
#include "train/train_config.hpp"

namespace commsim {

// The model does not fit in the GPU's memory: exit code 3.
class DoesNotFitError : public Error {
 public:
  explicit DoesNotFitError(const std::string& what) : Error(what, kExitWrongData) {}
};

struct StepBreakdown {  // seconds per step; the parts add up to the step time
  double compute = 0, tp = 0, cp = 0, ep = 0, pp = 0, dp = 0, bubble = 0, optimizer = 0;
  double sum() const { return compute + tp + cp + ep + pp + dp + bubble + optimizer; }
};

struct TrainEstimate {
  TrainConfig config;  // resolved (dp filled)
  std::string gpu, gpu_display;
  int gpus = 0;   // packages
  int ranks = 0;  // dies (= gpus except chiplet packages)
  int nodes = 0;
  // Packages in the nodes the run occupies (nodes x the node's GPUs, a partly filled NVL72 rack or supernode
  // whole): what a price is paid for. Above `gpus` where a node is partly used (--gpus-per-node 1 on DGX).
  int gpus_held = 0;
  double microbatches = 0;  // per pipeline per step
  double tokens_per_step = 0;
  double step_time_s = 0;
  StepBreakdown breakdown;
  double bubble_fraction = 0;
  double tokens_per_s = 0, tokens_per_s_per_gpu = 0;
  double model_flops_per_step = 0, hardware_flops_per_step = 0;
  double model_tflops_per_gpu = 0, hardware_tflops_per_gpu = 0;
  double peak_tflops_per_gpu = 0;  // dense bf16 (fp16 for fp16 runs): the MFU denominator
  // Under fp8 / fp8_block / mxfp8 on a GPU with an fp8 rate: its dense fp8 peak and the MFU over it (0 otherwise).
  double peak_fp8_tflops_per_gpu = 0, mfu_fp8 = 0;
  // Under nvfp4: the dense fp4 peak and the MFU over it (0 otherwise).
  double peak_fp4_tflops_per_gpu = 0, mfu_fp4 = 0;
  double mfu = 0, hfu = 0;
  double params_total = 0, params_active = 0;
  MemoryBreakdown memory;                    // the stage that needs the most (it decides `fits`)
  std::vector<MemoryBreakdown> stage_memory;  // every pipeline stage
  double memory_capacity = 0;  // bytes per rank
  bool fits = true;
  // For the configured training.tokens (0 when none). gpu_hours counts the GPUs used, cost_usd the GPUs held.
  double train_tokens = 0, train_time_s = 0, gpu_hours = 0, cost_usd = 0, energy_mwh = 0;
};

TrainEstimate estimate_training(const TrainConfig& config);
// The same with a shared context (the layout search): byte-identical results, memoised parts reused.
TrainEstimate estimate_training(const TrainConfig& config, EstimateContext& ctx);

}  // namespace commsim
