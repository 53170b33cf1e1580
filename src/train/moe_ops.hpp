// The MoE part of a layer on one GPU for one micro-batch (after the pre-MLP norm): router, permute, the
// routed experts as grouped GEMMs with their real shapes, unpermute, and the shared experts.
//
// T tokens on this GPU, E experts, top-k routing, ep = expert-parallel size, tp, h hidden, fe expert FFN,
// u = training.moe_imbalance (tokens of the busiest expert / the balanced count; 1 = balanced, as the
// Megatron-Bridge performance tables force with --moe-router-force-load-balancing):
//   tokens per local expert   n_e = T * ep * k / E * r * etp / tp (the mean of the E / ep local experts on
//   the
//                             busiest rank: r = min((u + L - 1) / L, ep * min(k, L) / k), L = max(1, E / ep),
//                             its busiest expert at u times the balanced share and, as an assumption, the
//                             others balanced, within what routing allows; the EP exchange takes the same
//                             rank, ep_layer_comm.hpp)
//   router                    GEMM T x E x h (bf16) + softmax/top-k: 16 * T * E bytes (fp32 logits written,
//                             read by softmax, probabilities written, read by top-k); backward once
//   permute, unpermute        each reads and writes the routed tokens: 2 * (T * k * h * 2 B) * r, forward
//                             and once backward (a gather is its own transpose)
//   routed experts            fc1: E/ep groups of n_e x (2 fe / etp) x h; activation; fc2: n_e x h x (fe /
//   etp)
//                             (etp the expert tensor-parallel size, tp when not given)
//                             timed from their shape by the kernel model (compute_model.hpp)
//   shared experts            an MLP of width s * fs on all T tokens
//
// Host-bound expert section. Megatron's token dispatcher syncs the tokens-per-expert counts to the host
// (Transformer Engine's GroupedLinear takes them as a Python list), so after that sync the GPU queue is
// empty and the expert section runs no faster than the CPU issues its per-expert kernels:
//   t_experts = max(GPU time of the expert GEMMs, activation and casts,  n_kernels * t_launch)
// n_kernels per local expert: bf16 forward 2 GEMMs, backward 4 (dgrad, wgrad); each FP8 quantisation of
// an expert GEMM input (2 forward) or output gradient (2 backward) adds one quantisation kernel (TE's
// per-expert quantizers: cast-transpose, amax fused under delayed scaling). t_launch is data
// (compute-efficiency.yaml `archs.ARCH.expert_launch`).
// Check (tested): Qwen3-30B-A3B (h 2048, E 128, k 8, fe 768), T 4096, ep 8, tp 1: n_e = 4096*8*8/128 = 2048
// tokens per expert, 16 local experts; fc1 16 x (2048 x 1536 x 2048); permute 2 * 4096*8*2048*2 = 268.4 MB;
// launches under fp8 16 * (2 + 2) = 64 forward, 16 * (4 + 2) = 96 backward (bf16: 32, 64).
#pragma once

#include <vector>

#include "train/layer_ops.hpp"

namespace commsim {

// Tokens each local expert computes on the busiest EP rank.
// r above: the busiest EP rank's tokens over the balanced count (1 when u = 1; u when each rank holds one
// expert), at most ep * min(k, L) / k (a token picks an expert once: 1 with every expert on one rank).
double busiest_rank_factor(int experts, int ep, int top_k, double u);
double tokens_per_local_expert(const MoeSpec& e, const LocalShape& s);
// Kernels the host issues for the local experts per micro-batch and layer, forward and backward.
struct ExpertLaunches {
  double fwd = 0, bwd = 0;
};
ExpertLaunches expert_launches(const MoeSpec& e, const LocalShape& s);
// Appends the MoE ops to `ops` (names: router, router.topk, permute, experts.*, unpermute, shared.*).
void add_moe_ops(std::vector<OpCost>& ops, const ModelSpec& m, const LocalShape& s);

}  // namespace commsim
