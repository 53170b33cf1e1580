// The work of one transformer layer (and of the embedding and logits) on one GPU for one micro-batch:
// every GEMM with its local shape, the attention core, and the memory-bound elementwise ops, each with
// FLOPs and HBM bytes. Forward only; backward is 2x forward (dgrad + wgrad), recompute re-runs forward.
//
// Each op carries how often it runs per micro-batch: forward `fwd_n` (1) and backward `bwd_n` (2: dgrad +
// wgrad for GEMMs; 1 for gathers such as permute; an FP8 cast of the output gradient runs only backward).
// The MoE part of a layer (router, permute, grouped expert GEMMs with their shapes, shared experts) is in
// moe_ops.hpp, the FP8 casts in fp8_casts.hpp.
//
// Per token, forward, whole model (no parallelism), dense GQA layer with dh = head dim:
//   QKV 2*h*dh*(a + 2kv), attention core 2*s*a*dh (QK^T) + 2*s*a*dh (AV), out proj 2*a*dh*h,
//   MLP 2*h*f*(2 gelu | 3 swiglu), logits 2*h*V.
// Model FLOPs per token = 3 x forward, attention counted full (non-causal) as Megatron-LM does; for GPT
// (ffn 4h, MHA) that is 72*h^2 + 12*s*h per layer, i.e. Megatron's 72*B*s*L*h^2*(1 + s/(6h)) plus 6*V*h
// for the logits (Megatron's closed form writes 4.5*V*h; megatron_gpt_flops() keeps that form).
// Executed attention (for time) is causal: FlashAttention does half of the s^2 work.
#pragma once

#include <string>
#include <vector>

#include "train/kernel_model.hpp"
#include "train/model_spec.hpp"
#include "train/train_config.hpp"

namespace commsim {

enum class OpUnit { kGemm, kAttention, kMemory };

struct OpCost {
  std::string name;
  OpUnit unit = OpUnit::kGemm;
  double flops = 0;  // executed FLOPs
  double bytes = 0;  // HBM bytes read + written
  double kernels = 1;
  bool low_precision = false;  // a GEMM that runs at the low rate (fp8, fp4) under low-precision training
  bool grouped = false;        // a routed-expert grouped GEMM (MoE): timed from `shape` by the kernel model
  bool fused_input = false;    // its input comes quantised from a fused norm (TE LayerNormLinear): no cast
  GemmShape shape;             // GEMMs: M x N x K and groups (per group for grouped GEMMs)
  AttentionShape attn;         // a FlashAttention core (attn.seq > 0): timed by the kernel model where the arch has
                               // attention_sustained (compute_model.hpp); batch = (b/cp)·(heads/tp), seq = keys
  double fwd_n = 1, bwd_n = 2;  // runs per micro-batch forward / backward
  unsigned recompute_modules = 0;  // the selective-recompute modules that re-run it (recompute_cost.hpp)
  double op_sac = 0;               // the share of it torchtitan's op-level SAC re-runs (dense layers)
};

// What one GPU holds of a micro-batch.
struct LocalShape {
  double tokens = 0;   // b * s / cp: the tokens this GPU's sequence shard holds
  double seq_kv = 0;   // s: the keys each query attends to (CP gathers K/V)
  int tp = 1, ep = 1;
  int cp = 1;          // context parallel
  bool cp_ring = true; // ... as a ring of cp steps (Megatron's P2P, overlap.cp; the cp_merge op), not one
                       // pass after an all-gather of K/V
  int etp = 0;         // expert tensor parallel (0: tp); experts see T * k * ep * etp / (E * tp) tokens each
  bool sp = false;     // sequence parallel: norms and residuals on tokens / tp
  Precision precision = Precision::kBf16;
  bool low_precision() const { return is_low_precision(precision); }  // GEMM inputs quantised (fp8, nvfp4)
  double imbalance = 1.0;  // tokens of the busiest expert / the balanced count (training.moe_imbalance)
  bool flash = true;   // FlashAttention; false: scores materialised (Megatron before 2022)
  bool kernel_attention = true;  // the attention core may be timed by the kernel model (not PyTorch SDPA)
  bool eager = false;            // PyTorch eager (training.compile: false): norms, rotary, activation unfused
                                 // (eager_elementwise.hpp)
};

// What one GPU of `c`'s layout holds of a micro-batch.
LocalShape local_shape(const TrainConfig& c);

// One layer of kind `kind` (a hybrid block: its mixer or MLP only, with its pre-norm and residual add), each op
// tagged with the recompute modules that re-run it.
std::vector<OpCost> layer_forward_ops(const ModelSpec& m, LayerKind kind, const LocalShape& s);
// A transformer layer: attention and the dense MLP, or the MoE block where `moe_layer`.
std::vector<OpCost> layer_forward_ops(const ModelSpec& m, bool moe_layer, const LocalShape& s);
// A GEMM of (m x k) by (k x n), `count` groups; `lowp`: runs at the low rate under fp8 or nvfp4 training.
OpCost gemm_op(const std::string& name, double m, double n, double k, const LocalShape& s, double count = 1, bool lowp = true);
// A memory-bound op moving `bytes` through HBM.
OpCost memory_op(const std::string& name, double bytes, double fwd_n = 1, double bwd_n = 2);
// The MLP's first GEMM output width: 2f (SwiGLU: gate and up) or f.
double mlp_in_width(const ModelSpec& m, double f);
// fc1, activation, fc2 of an MLP of width f split by tp, `count` groups of `tokens` tokens each.
void add_mlp(std::vector<OpCost>& ops, const ModelSpec& m, const std::string& name, double tokens, double f, int tp,
             const LocalShape& s, double count = 1);

std::vector<OpCost> embedding_forward_ops(const ModelSpec& m, const LocalShape& s);
std::vector<OpCost> logits_forward_ops(const ModelSpec& m, const LocalShape& s);

// A multi-token-prediction module's projection of [norm(h); norm(emb)] (2h) to h, split by tp (DeepSeek-V3
// report sec. 2.2); its layer and logits are the model's own ops.
OpCost mtp_projection_op(const ModelSpec& m, const LocalShape& s);

// Model FLOPs per token (forward + backward, no recompute, active parameters, full attention).
double model_flops_per_token(const ModelSpec& m, double seq_len);
// FLOPs per token that full recompute adds: one more forward of every layer's matmuls and mixers (selective
// recompute: recompute_cost.hpp).
double full_recompute_flops_per_token(const ModelSpec& m, double seq_len);
// Megatron's closed form for GPT: coeff * B * s * L * h^2 * (1 + s/(6h) + V/(16*L*h)); coeff 72 (model
// FLOPs) or 96 (with full recompute, Narayanan et al. SC'21 eq. 3). Check (tested): GPT-175B, B 64, s 2048,
// 64 A100, 13.75 s -> 1.4097e17 FLOPs, 160.2 TFLOPS/GPU = 51.3% of 312 (published 160 TFLOPS, 51.3%).
double megatron_gpt_flops(double coeff, double batch, double seq, double layers, double hidden, double vocab);
// Megatron-Bridge's "model TFLOP/s/GPU" numerator per token (Megatron-LM num_floating_point_operations as
// Megatron-Bridge's flop_utils computes it): model_flops_per_token with the attention core causal (half).
// Check (tested): Llama 3 70B at s 4096: 433.1 GFLOP/token; MB 26.06 SFT row: 1638 tok/s/GPU <-> 710 TFLOP/s.
double megatron_bridge_flops_per_token(const ModelSpec& m, double seq_len);
// llm-foundry's MFU numerator per token: 6*N + 12*L*h*s (scripts/train/benchmarking/README.md).
double foundry_flops_per_token(double params, double layers, double hidden, double seq);

}  // namespace commsim
