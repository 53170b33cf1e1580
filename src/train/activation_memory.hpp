// Activation memory per layer and micro-batch on one GPU, as Megatron-Core keeps it, for each recompute
// choice. Generalises Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large Transformer
// Models", sec. 4, eq. 1-6) from GPT (MHA, GeLU, dropout) to GQA, MLA, SwiGLU and MoE layers.
//
// Bytes per token of a layer (T = b*s/cp tokens per micro-batch; t = tp; r = 1/t with sequence
// parallelism, else 1; g = bytes of a tensor kept only as a GEMM input: 2, or 1 when FP8 training caches
// the FP8 copy as Transformer Engine does):
//   norms            2h*r (input norm input = layer input) + 2h*r (pre-MLP norm input)
//   norm outputs     g*h*r each (the QKV / MLP input; 2h*r before a MoE router)   [dropped by `layernorm`]
//   dropout masks    h*r each, two per layer, only for models with dropout
//   attention        Q, K: 2(q + k)/t; V: 2v/t; output O (the projection input): 2v/t (FlashAttention keeps
//                    O in bf16); + 5*a*s/t without FlashAttention unless the core is recomputed
//   MLA              latents, not split by TP: q-norm input 2*ql + q_up input g*ql, kv-norm input 2*kvl +
//                    kv_up input g*kvl, k_rope 2*rope; Q and K (a*(nope+rope) each) and V come from the
//                    up-projections                                            [Q, K, V dropped by
//                    `mla_up_proj`]
//   dense MLP        FC1 output 2*f1/t (f1 = 2f SwiGLU, f otherwise) + activation output g*f/t   [`mlp`;
//                    the activation output alone by `mlp_act`]
//   MoE              router probabilities 4E*r (fp32); per routed copy (k of them, tokens gathered over
//                    the expert-TP group as Megatron's expert TP does): FC1 input g*h*min(1, etp*r), FC1
//                    output 2*2fe/t, activation output g*fe/t [dropped by `moe_act`; the FC1 output then
//                    1*2fe/t with moe_act_input_fp8 under fp8: DeepSeek-V3's FP8-cached SwiGLU input]; shared
//                    experts: 2*2fs/t + g*fs/t each
//                    [`shared_experts`]; `moe` drops all of the MoE block but its input
//   full recompute   2h*r (the layer input only); the recomputed layer's full set less that input is added
//   once
//                    per stage
//   op_sac           (torchtitan's op-level selective AC, dense layers) the outputs of every other matmul and
//                    of the attention: layer input 2h*r + Q 2q/t + V 2k/t + O 2v/t + w1 output 2f/t + w2
//                    output 2h*r; MoE layers as layernorm + moe_act
// Check (tested, Korthikanti eq. 5): GPT-175B (h 12288, a 96), s 2048, b 1, t 8 with SP and selective
// recompute: 34*s*b*h/t = 2048*12288*34/8 B = 102 MiB per layer.
#pragma once

#include "train/train_config.hpp"

namespace commsim {

// The recompute modules in effect: training.recompute_modules, else Megatron's default for the policy
// (selective: core_attn; none and full: none).
unsigned effective_recompute_modules(const TrainingParams& t);
// The modules selective recompute would re-run under `t`, whatever its policy.
unsigned selective_modules(const TrainingParams& t);

// Bytes of activations one layer keeps for one micro-batch on one GPU.
double layer_activation_bytes(const ModelSpec& m, bool moe_layer, const TrainConfig& c);
// The same from the layout and training parameters alone (no copy of a whole config to vary one).
double layer_activation_bytes(const ModelSpec& m, bool moe_layer, const Parallelism& p, const TrainingParams& tr);
// One layer of kind `kind` (a hybrid block keeps one norm input, one norm output and its own tensors).
//   Mamba-2 (mamba_ops.hpp)  2(2di + 2gN + H)/t (in_proj output) + 2(di + 2gN)/t (conv output) + 4H/t (dt,
//                            fp32) + 2di/t (scan output y) + g*di/t (gated norm output)
double layer_activation_bytes(const ModelSpec& m, LayerKind kind, const Parallelism& p, const TrainingParams& tr);

// The extra bytes of the last stage while the loss is computed, training.loss_bytes_per_logit per logit:
// 6 for Megatron's fused vocab-parallel cross-entropy (the fp32 softmax it saves, 4 B, and the bf16 logits
// or their gradient alive beside it, 2 B); an unfused fp32 PyTorch loss keeps more (docs/training.md):
//   bytes * T * V / t.  Check (tested): 6 B, T 8192, V 131073, t 1 -> 6.0 GiB.
double logits_activation_bytes(const ModelSpec& m, const TrainConfig& c);

}  // namespace commsim
