// Mechanisms of the training estimator added for issue 8's worst rows (dp_overlap, the kernel-model
// attention core): every expected
// value is computed by hand in the comment above it.
#include <catch2/catch.hpp>

#include "hw/catalog.hpp"
#include "train/compute_model.hpp"
#include "train/dp_overlap.hpp"
#include "train/layer_ops.hpp"

using namespace commsim;

TEST_CASE("dp overlap: without interleaving the last micro-batch's backward hides the reduction", "[train][dp]") {
  // v 1, G 5 s, B 2 s, last bucket 0.5 s: max(last, G - B) = 3 s.
  CHECK(dp_overlap_exposed(5.0, 0.5, 2.0, 1, 8.0) == Approx(3.0));
  // G 1 s < B: only the last bucket, 0.5 s.
  CHECK(dp_overlap_exposed(1.0, 0.5, 2.0, 1, 8.0) == Approx(0.5));
}

TEST_CASE("dp overlap: interleaved chunks reduce during the cool-down", "[train][dp]") {
  // v 4, n 4, G 8, B 4, last 0.5: chunk c final at -c*n*B/v = -12, -8, -4, 0; each chunk's 2 s start 1 s
  // before its end: the DP stream is free at -11, -7, -3, 1 -> 1 s exposed (4 s without interleaving).
  CHECK(dp_overlap_exposed(8.0, 0.5, 4.0, 4, 4.0) == Approx(1.0));
  // A reduction longer than the cool-down queues up: G 40 -> chunks of 10 s from -13: free -3, 7, 17, 27.
  CHECK(dp_overlap_exposed(40.0, 0.5, 4.0, 4, 4.0) == Approx(27.0));
  // Nothing to reduce: nothing exposed beyond the (zero) bucket.
  CHECK(dp_overlap_exposed(0.0, 0.0, 4.0, 4, 4.0) == Approx(0.0));
}

TEST_CASE("Roofline: a FlashAttention core from the kernel model at the sustained fraction", "[train][attention]") {
  // H100 SXM (989.4 TFLOPS bf16), shipped Hopper kernel constants: attention 0.830, attention_s0 25 keys,
  // attention_bwd 0.709, launch 2 us; end-to-end attention_sustained 0.640.
  // Llama-3-8B-like core: 4096 tokens of one sequence, 32 heads of d 128, causal: per head
  // n_e = 4096*4097/2 = 8,390,656 elements, 2048.5 keys per query.
  //   forward  2*n_e*(128+128)*32 = 137.47 GFLOP / (989.4e12*0.830) * (1 + 25/2048.5) + 2 us = 171.45 us
  //            / 0.640 = 267.89 us
  //   backward 2*n_e*(3*128+2*128)*32 = 343.68 GFLOP / (989.4e12*0.830*0.709) * 1.0122 + 2 us = 599.49 us
  //            / 0.640 = 936.70 us (bwd_n 2 counts it once)
  // Under PyTorch SDPA (no kernel shape) the roofline's 0.177: 137.44 GFLOP / (989.4e12*0.177) = 784.8 us.
  const GpuSpec gpu = load_gpu("h100-sxm");
  const Roofline rl(gpu, 1, Precision::kBf16);
  OpCost o;
  o.name = "attention";
  o.unit = OpUnit::kAttention;
  o.flops = 0.5 * 2.0 * 4096.0 * 4096.0 * 32.0 * 256.0;
  o.attn = AttentionShape{32.0, 1.0, 4096.0, 128.0, 128.0, true, false};
  CHECK(rl.time(o) == Approx(267.89e-6).epsilon(1e-3));
  CHECK(rl.backward_time(o) == Approx(936.70e-6).epsilon(1e-3));
  OpCost sdpa = o;
  sdpa.attn = AttentionShape{};
  sdpa.attn.seq = 0;
  CHECK(rl.time(sdpa) == Approx(784.8e-6).epsilon(1e-3));
  CHECK(rl.backward_time(sdpa) == Approx(2.0 * 784.8e-6).epsilon(1e-3));
}
