// What selective recompute re-runs: the forward ops of the modules Megatron's recompute_modules lists
// (recompute_modules.hpp), and the FLOPs they add. Megatron drops a module's saved activations after the
// forward pass and runs the module's forward again in the backward pass, so its cost is that module's
// forward time; the memory it saves is activation_memory.hpp's.
//
// An op of a layer (the names layer_ops.hpp, moe_ops.hpp and fp8_casts.hpp give) belongs to the modules
// whose recompute re-runs it:
//   core_attn       attention (the FlashAttention core); softmax (without FlashAttention: scores' softmax,
//                   mask and dropout, as Korthikanti et al. 2022 recompute them)
//   mla_up_proj     q_up (q without a Q latent), kv_up and rope, in MLA layers (Q, K, V rebuilt)
//   layernorm       norm1, norm2
//   mlp             mlp.fc1, mlp.act, mlp.fc2          mlp_act          mlp.act
//   moe             router, router.topk, permute, experts.*, unpermute, shared.*, and the host's issue time
//                   of the experts' kernels beyond their GPU time
//   moe_act         experts.act                        shared_experts   shared.*
// with the op's FP8 input cast (name.cast; the gradient casts run only backward); under FP8 moe_act and
// mlp_act also re-quantise the FC2 input they rebuild (experts.fc2.cast, mlp.fc2.cast). Modules nest as
// Megatron's do: moe holds moe_act and shared_experts, mlp holds mlp_act, and a layer's recompute time is
// the sum over the outermost modules listed, each op counted once.
//
// torchtitan's op-level SAC (op_sac; in dense layers, where activation_memory.hpp applies it) counts a
// layer's matmuls in call order, saves the odd ones and the attention, and re-runs the even ones and the
// elementwise ops (norms, rope, activation, residual adds). GQA SwiGLU (wq wk wv wo w1 w3 w2): wk
// (kv_heads / (heads + 2·kv_heads) of the fused QKV GEMM), wo, w3 (half of fc1); a GELU MLP (w1 w2): wk, wo,
// w2. MLA (wq_a wq_b wkv_a wkv_b wo w1 w3 w2): q_up, kv_up, w1, w2; without a Q latent (wq wkv_a wkv_b wo
// ...): kv_down, wo, w3. In a dense layer op_sac replaces the other modules listed (as its memory does);
// MoE layers follow those. Not modelled: under FP8 torchtitan's counter sees _scaled_mm, not mm, and the
// sequence-parallel gathers op SAC does not save.
//
// Collectives inside what is recomputed run again (estimator.cpp): the TP gather and scatter of a
// recomputed MLP or MoE block, the CP gather of K/V under core_attn, the EP dispatch and combine under moe.
//
// FLOPs per token that one forward of the recomputed ops adds (whole model; hardware FLOPs), with h hidden,
// s sequence, a heads, f FFN width, k top_k, E experts, F = 3 (SwiGLU) or 2 (GELU):
//   core_attn 2·s·(q_dim + v_dim) per attention layer (full, as model FLOPs count attention);
//   mla_up_proj 2·(q_lora·q_dim + kv_lora·a·(nope + v)) per attention layer (no Q latent: h·q_dim for q_lora);
//   mlp F·2·h·f per dense-MLP layer; moe 2·h·E + k·F·2·h·f_e + n_s·F·2·h·f_s per MoE layer;
//   shared_experts n_s·F·2·h·f_s per MoE layer (outside moe); op_sac the even matmuls' (GQA SwiGLU:
//   2·h·(kv_dim + v_dim + f)) per dense layer;
//   layernorm, mlp_act, moe_act none (elementwise). Full recompute: one forward of every matmul and mixer.
// Check (tested): GPT-3 175B (h 12288, f 4h, GELU, a 96, L 96, s 2048) with [core_attn, mlp]:
//   96 · (2·2048·24576 + 2·2·12288·49152) = 96 · (100.7M + 2416M) = 241.6 GFLOPs per token.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "train/model_spec.hpp"
#include "train/recompute_modules.hpp"
#include "train/train_config.hpp"

namespace commsim {

struct OpCost;

// The modules whose recompute re-runs op `name` of a layer of kind `kind` (RecomputeModule bits), and the
// share of its forward that op_sac re-runs in a dense layer (0 elsewhere).
struct OpRecompute {
  unsigned modules = 0;
  double op_sac = 0;
};
OpRecompute op_recompute(const ModelSpec& m, LayerKind kind, const std::string& name);

// Tags each op of a layer of kind `kind` with op_recompute (layer_forward_ops calls it).
void tag_recompute(std::vector<OpCost>& ops, const ModelSpec& m, LayerKind kind);

// A layer's forward time by module: [i] the ops of module 1 << i (op_sac: the shares it re-runs).
using ModuleTimes = std::array<double, kRecomputeModuleBits>;

// The forward time selective recompute of `modules` re-runs in a layer with module times `t`; `op_sac_layer`:
// op_sac applies to the layer (a dense layer), where it replaces the other modules.
double selective_recompute_time(const ModuleTimes& t, unsigned modules, bool op_sac_layer);

// Whether recompute `r` of `modules` re-runs the attention core of a layer of kind `kind` (full; selective
// core_attn, except where op_sac keeps it), and whether selective recompute re-runs its MLP or MoE block
// (mlp in a dense-MLP layer outside op_sac; moe in a MoE layer).
bool reruns_attention(Recompute r, LayerKind kind, unsigned modules);
bool reruns_ffn(LayerKind kind, unsigned modules);
// The recompute the EP exchange of a layer of kind `kind` sees: full where the MoE block runs again (full, or
// selective `moe`: dispatch and combine again), else none. `modules`: the effective list (0 unless selective).
Recompute ep_recompute(Recompute r, LayerKind kind, unsigned modules);

// FLOPs per token that recompute adds (above): full, selective of `modules` (the effective list,
// activation_memory.hpp's effective_recompute_modules), none 0.
double recompute_flops_per_token(const ModelSpec& m, double seq_len, Recompute r, unsigned modules);

}  // namespace commsim
