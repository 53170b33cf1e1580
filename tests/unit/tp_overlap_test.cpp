// Transformer Engine's TP communication overlap (tp_overlap.hpp): every TP collective hides only behind its
// paired GEMM. Every expected value is computed by hand in the comment above it.
#include <catch2/catch.hpp>

#include "train/estimator.hpp"
#include "train/tp_overlap.hpp"

using namespace commsim;

TEST_CASE("tp overlap: a collective hides behind its paired GEMM only", "[train][tp]") {
  // max(0, C - G): 3 behind 1 -> 2; 2 behind 5 -> 0.
  CHECK(tp_pair_exposed(3.0, 1.0) == Approx(2.0));
  CHECK(tp_pair_exposed(2.0, 5.0) == Approx(0.0));
}

TEST_CASE("tp overlap: sequence parallel, AG/RS pairs forward and backward", "[train][tp]") {
  // AG 3, RS 2; G_qkv 1, G_o 2, G_1 4, G_2 4.
  // forward:  AG->QKV (3-1) 2, out-proj->RS (2-2) 0, AG->FC1 (3-4) 0, FC2->RS (2-4) 0           = 2
  // backward: AG->out-proj dgrad (3-2) 1, QKV->RS (2-1) 1, AG->FC2 dgrad 0, FC1->RS 0            = 2
  // -> 4 per layer (20 = 4 x (3 + 2) without overlap); full recompute repeats the forward: 6.
  TpPairGemms g;
  g.qkv = 1.0, g.out_proj = 2.0, g.fc1 = 4.0, g.fc2 = 4.0;
  CHECK(tp_exposed_sp(3.0, 2.0, g, 1) == Approx(4.0));
  CHECK(tp_exposed_sp(3.0, 2.0, g, 2) == Approx(6.0));
  // GEMMs longer than every collective hide all of it.
  TpPairGemms big;
  big.qkv = big.out_proj = big.fc1 = big.fc2 = 10.0;
  CHECK(tp_exposed_sp(3.0, 2.0, big, 1) == Approx(0.0));
  // No GEMM to pair with (a MoE layer without a shared expert: fc1 = fc2 = 0): the MLP side is exposed,
  // forward 3 + 2, backward 3 + 2; the attention side as above with G 10: 0 -> 10.
  TpPairGemms moe;
  moe.qkv = moe.out_proj = 10.0;
  CHECK(tp_exposed_sp(3.0, 2.0, moe, 1) == Approx(10.0));
}

TEST_CASE("tp overlap: without sequence parallel the all-reduces pair with the GEMM before them", "[train][tp]") {
  // AR 5; forward out-proj (5-2) 3 + FC2 (5-4) 1, backward QKV dgrad (5-1) 4 + FC1 dgrad (5-4) 1 -> 9
  // (20 = 4 x 5 without overlap); full recompute: 9 + 4 = 13.
  TpPairGemms g;
  g.qkv = 1.0, g.out_proj = 2.0, g.fc1 = 4.0, g.fc2 = 4.0;
  CHECK(tp_exposed_ar(5.0, g, 1) == Approx(9.0));
  CHECK(tp_exposed_ar(5.0, g, 2) == Approx(13.0));
}

TEST_CASE("tp overlap in the estimator: between nothing and everything exposed, compute unchanged", "[train][tp]") {
  // Llama 3 70B, TP 8 with SP on 8 H100 (fp8, s 4096): the QKV (N = 128*(64+16)/8 = 1280) and out-proj
  // GEMMs are shorter than an 8-way all-gather of 4096 x 8192 x 2 B over NVLink, the MLP GEMMs longer:
  // overlap.tp exposes part of the TP time, not all of it and not none (it would not fit in memory: not
  // the point here).
  TrainConfig c;
  c.model = load_model("llama3-70b");
  c.has_model = true;
  c.system = "dgx-h100";
  c.gpus = 8;
  c.par.tp = 8;
  c.par.pp = 1;
  c.par.zero = 3;
  c.train.seq_len = 4096;
  c.train.global_batch = 8;
  c.train.precision = Precision::kFp8;
  c.overlap.tp = false;
  const TrainEstimate off = estimate_training(c);
  c.overlap.tp = true;
  const TrainEstimate on = estimate_training(c);
  CHECK(on.breakdown.compute == off.breakdown.compute);
  CHECK(on.breakdown.tp > 0.0);
  CHECK(on.breakdown.tp < 0.5 * off.breakdown.tp);
}
