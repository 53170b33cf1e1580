// One Mamba-2 block on one GPU for one micro-batch (a hybrid model's 'M' layer): Dao & Gu 2024,
// "Transformers are SSMs" (arXiv:2405.21060), sec. 6-7, as Megatron-Core's MambaMixer runs it.
//
// T tokens on this GPU, t = tp (heads and B/C groups split over TP), h hidden, H heads of P channels
// (di = H*P inner width), g groups of state size N, conv width w, chunk length Q:
//   norm, in_proj      pre-norm 2*T'*h*2 B (T' = T/t with SP); GEMM T x (2di + 2gN + H)/t x h (z, x, B, C, dt),
//                      its FP8 input from the fused norm (TE LayerNormColumnParallelLinear)
//   conv1d + SiLU      causal depthwise conv over the di + 2gN channels of x, B, C: read and write,
//                      4*T*(di + 2gN)/t B
//   SSD scan           mamba_chunk_scan_combined (Triton, 5 kernels forward); FLOPs per token, forward:
//                        2QN*g (C B^T per chunk) + 2QP*H (its masked product with X) + 2NP*H (chunk states)
//                        + 2NP*H (states to outputs), all / t, run in bf16;
//                      HBM bytes per token: x, B, C read twice (chunk states, chunk scan) 4(di + 2gN), y
//                      written 2di, the fp32 chunk states written, passed and read 4 * 4*H*P*N/Q, the fp32
//                      C B^T blocks 2 * 4*Q*g, dt and its cumulative sum 12H; all / t. Timed as the larger of
//                      its FLOPs at the bf16 GEMM rate and its bytes at the memory rate (roofline); the
//                      backward twice the forward, as every op here
//   gated norm         RMSNorm(y * SiLU(z)): reads y and z, writes the out_proj input: 6*T*di/t B
//   out_proj           GEMM T x h x di/t, then the residual add 3*T'*h*2 B
// Check (tested): Nemotron 3 Nano (h 2688, H 64, P 64, N 128, g 8, Q 128), T 8192, t 1: in_proj
// 8192 x 10304 x 2688; SSD 3,407,872 FLOPs and 107,264 B per token.
#pragma once

#include <vector>

#include "train/layer_ops.hpp"

namespace commsim {

// The SSD scan's forward FLOPs and HBM bytes per token on one GPU of a TP group of `tp`.
double mamba_ssd_flops_per_token(const MambaSpec& b, int tp);
double mamba_ssd_bytes_per_token(const MambaSpec& b, int tp);
// Appends a Mamba-2 block's ops (names: norm1, mamba.in_proj, mamba.conv1d, mamba.ssd, mamba.gated_norm,
// mamba.out_proj, residual1).
void add_mamba_ops(std::vector<OpCost>& ops, const ModelSpec& m, const LocalShape& s);

}  // namespace commsim
