// FP8 training's quantisation work: every GEMM that runs at the fp8 rate needs its activation input and,
// in the backward, its output gradient in FP8, each row-wise (for the forward / dgrad GEMM) and
// column-wise (the transposed copy for the wgrad GEMM). Weights are quantised once per step and cached
// across micro-batches (Transformer Engine's is_first_microbatch), so they are not charged per micro-batch.
// What stays in BF16 (attention core, router, logits, norms, residuals) gets no cast and no speed-up.
//
// Bytes moved per quantised element (memory-bound, at the roofline's HBM rate), by recipe:
//   fp8 (per-tensor, delayed scaling)   cast-transpose, amax taken in the same pass (read 2 B, write 1 + 1 B)
//   = 4 fp8_block (1x128 activation scales) read 2 B, write 1 + 1 B, an fp32 scale per 128 each way     = 4 +
//   8/128 mxfp8 (32-element E8M0 scales)      read 2 B, write 1 + 1 B, a 1-byte scale per 32 each way     = 4
//   + 2/32 nvfp4 (16-element E4M3 scales and   an amax pass first (read 2 B: the per-tensor scale must be
//   known
//     an FP32 scale per tensor)         before any block is cast), then read 2 B, write 0.5 + 0.5 B and a
//                                       1-byte scale per 16 each way                                 = 5 +
//                                       2/16
// (Transformer Engine's default DelayedScaling recipe, NeMo/Megatron's `--fp8-format hybrid`; current scaling
// would add an amax pass, 2 B more.) Sources: Transformer Engine's cast_transpose / quantize kernels
// (common/transpose, common/util/cast), DeepSeek-V3 report sec. 3.3 (1x128 tile-wise activation scales), OCP
// MX spec v1.0 (32-element blocks). Inputs produced by a fused norm (TE LayerNormLinear / LayerNormMLP: QKV,
// MLA down/up projections, the dense MLP's fc1, the router) are quantised inside the norm kernel: no forward
// cast, except under nvfp4, whose per-tensor scale needs the whole tensor's amax first. The output gradient
// of every low-precision GEMM is cast in the backward. NVFP4's column-wise copies (for wgrad) pass a 16-point
// random Hadamard transform and the gradients stochastic rounding in the same kernel (TE's NVFP4BlockScaling
// recipe; NVIDIA, "Pretraining Large Language Models with NVFP4", arXiv 2509.25149): arithmetic in a
// memory-bound pass, not charged.
//   forward cast  c * M * K * G bytes (if the input is not fused)     backward cast  c * M * N * G bytes
// Check (tested): Qwen3-30B-A3B expert fc1 under fp8_block, 16 groups of 2048 x 1536 x 2048: forward
// 4.0625 * 2048 * 2048 * 16 = 272.6 MB, backward 4.0625 * 2048 * 1536 * 16 = 204.5 MB.
#pragma once

#include <vector>

#include "train/layer_ops.hpp"

namespace commsim {

// Bytes moved per quantised element for a low precision (fp8 formats, nvfp4; 0 for bf16/fp16).
double fp8_cast_bytes_per_element(Precision p);
// Appends the casts of every low-precision GEMM in `ops` (name.cast forward, name.dcast backward).
void add_fp8_casts(std::vector<OpCost>& ops, Precision p);

}  // namespace commsim
