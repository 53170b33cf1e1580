// FP8 training's quantisation work: every GEMM that runs at the fp8 rate needs its activation input and,
// in the backward, its output gradient in FP8, each row-wise (for the forward / dgrad GEMM) and
// column-wise (the transposed copy for the wgrad GEMM). Weights are quantised once per step and cached
// across micro-batches (Transformer Engine's is_first_microbatch), so they are not charged per micro-batch.
// What stays in BF16 (attention core, router, logits, norms, residuals) gets no cast and no speed-up.
//
// Bytes moved per quantised element (memory-bound, at the roofline's HBM rate), by recipe:
// clang-format off
//   fp8 (per-tensor, delayed)  cast-transpose, amax in the same pass: read 2, write 1 + 1   = 4
//   fp8_block (1x128 scales)   read 2, write 1 + 1, an fp32 scale per 128 each way         = 4 + 8/128
//   mxfp8 (E8M0 per 32)        read 2, write 1 + 1, a 1-byte scale per 32 each way         = 4 + 2/32
//   nvfp4 (E4M3 per 16, FP32   an amax pass first (read 2: the tensor's scale comes before = 5 + 2/16
//     per tensor)              any block), then read 2, write 0.5 + 0.5, a scale per 16 each way
// clang-format on
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
