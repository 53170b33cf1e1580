// Block recompute (training.recompute_num_layers, Megatron's --recompute-method block) and the least
// recompute that fits (src/train/recompute_fit.hpp), against hand-worked relations: each comment states it.
#include <catch2/catch.hpp>

#include "train/estimator.hpp"
#include "train/activation_memory.hpp"
#include "train/memory_model.hpp"
#include "train/pipeline_layout.hpp"
#include "train/recompute_fit.hpp"

using namespace commsim;

namespace {
TrainConfig on_h100(const std::string& model, int gpus, long seq, long batch, Recompute r, int block_layers = 0) {
  TrainConfig c;
  c.model = load_model(model);
  c.has_model = true;
  c.system = "dgx-h100";
  c.gpus = gpus;
  c.train.seq_len = seq;
  c.train.global_batch = batch;
  c.train.recompute = r;
  c.train.recompute_layers = block_layers;
  return c;
}
// Llama 3 8B (32 layers) on one H100: no TP, CP, EP or DP collective, so a layer's time is its compute.
TrainConfig one_gpu(Recompute r, int block_layers) { return on_h100("llama3-8b", 1, 4096, 4, r, block_layers); }
}  // namespace

TEST_CASE("block recompute: the layers of a stage that run again", "[recompute]") {
  Stage s;
  s.layers = 16;
  TrainConfig c = one_gpu(Recompute::kFull, 1);
  c.par.pp = 8;
  c.par.vpp = 8;  // interleaved: 8 chunks of 2 layers, the first of each recomputed
  CHECK(recomputed_layers(s, c) == 8);
  c.train.recompute_layers = 3;  // 3 per chunk: more than a chunk holds -> every layer
  CHECK(recomputed_layers(s, c) == 16);
  c.par.vpp = 1;  // 1F1B: one chunk, the first 3 layers
  CHECK(recomputed_layers(s, c) == 3);
  c.train.recompute_layers = 0;  // uniform: every layer
  CHECK(recomputed_layers(s, c) == 16);
  c.train.recompute = Recompute::kSelective;
  CHECK(recomputed_layers(s, c) == 0);
}

TEST_CASE("block recompute of half the layers costs half of full recompute's time and FLOPs", "[recompute]") {
  // 16 of 32 layers recomputed: compute(half) = (compute(none) + compute(full)) / 2, layer by layer
  // (the embedding and logits, the same in all three, cancel in the mean); hardware FLOPs likewise.
  const TrainEstimate none = estimate_training(one_gpu(Recompute::kNone, 0));
  const TrainEstimate full = estimate_training(one_gpu(Recompute::kFull, 0));
  const TrainEstimate half = estimate_training(one_gpu(Recompute::kFull, 16));
  CHECK(full.breakdown.compute > none.breakdown.compute * 1.2);
  CHECK(half.breakdown.compute == Approx((none.breakdown.compute + full.breakdown.compute) / 2).epsilon(1e-12));
  CHECK(half.hardware_flops_per_step ==
        Approx((none.hardware_flops_per_step + full.hardware_flops_per_step) / 2).epsilon(1e-12));
  // Every layer named (32 per chunk) is uniform full recompute.
  const TrainEstimate all = estimate_training(one_gpu(Recompute::kFull, 32));
  CHECK(all.step_time_s == full.step_time_s);
  CHECK(all.memory.activations == full.memory.activations);
}

TEST_CASE("block recompute: recomputed layers keep their input, the others their full set", "[recompute]") {
  // Per micro-batch: none keeps 32 full sets (A), full keeps 32 inputs (I) plus, while a layer is
  // recomputed, its full set less its input (already one of the 32): A_none = 32 A, A_full = 31 I + A; half
  // keeps 16 I + 16 A, and rebuilds its first recomputed layer only after the 16 later layers' backward freed
  // their sets (no peak on top) = (A_none + A_full) / 2 - A / 2 + I / 2, with A = A_none / 32 and
  // I = (A_full - A) / 31.
  const double a_none = estimate_training(one_gpu(Recompute::kNone, 0)).memory.activations;
  const double a_full = estimate_training(one_gpu(Recompute::kFull, 0)).memory.activations;
  const double a_half = estimate_training(one_gpu(Recompute::kFull, 16)).memory.activations;
  // (the logits' activations L are in all three: A_none = 32 A + L, A_full = 31 I + A + L)
  TrainConfig c = one_gpu(Recompute::kNone, 0);
  const double logits = logits_activation_bytes(c.model, c);
  const double layer = (a_none - logits) / 32;
  const double input = (a_full - logits - layer) / 31;
  CHECK(input > 0);
  CHECK(input < layer / 4);
  CHECK(a_half == Approx((a_none + a_full) / 2 - layer / 2 + input / 2).epsilon(1e-12));
  CHECK(a_full < a_half);
  CHECK(a_half < a_none);
  // One layer recomputed keeps 1 I + 31 A: less than none's 32 A (it counted a 33rd set on top and needed
  // more).
  const double a_one = estimate_training(one_gpu(Recompute::kFull, 1)).memory.activations;
  CHECK(a_one < a_none);
  CHECK(a_one == Approx(a_none - layer + input).epsilon(1e-12));
  // All but one recomputed (31 I + A: the kept layer frees its set before the first rebuild) holds what all
  // 32 recomputed hold: more recompute never holds more (32 held one input more until 2026-12-07).
  const double a_31 = estimate_training(one_gpu(Recompute::kFull, 31)).memory.activations;
  CHECK(a_31 == Approx(a_full).epsilon(1e-12));
}

TEST_CASE("the least recompute that fits", "[recompute]") {
  // Llama 3 70B, TP 8 PP 4 on 32 H100, seq 8192, micro-batch 2: 85.4 GiB without recompute (4
  // micro-batches in flight on stage 0) on a 79.6 GiB part, so it needs some; the answer is the smallest N
  // that fits.
  TrainConfig c = on_h100("llama3-70b", 32, 8192, 64, Recompute::kNone);
  c.par.tp = 8;
  c.par.pp = 4;
  c.par.sequence_parallel = true;
  c.train.micro_batch = 2;
  REQUIRE(!estimate_training(c).fits);
  const std::optional<TrainConfig> t = least_recompute_that_fits(c);
  REQUIRE(t.has_value());
  CHECK(estimate_training(*t).fits);
  // Selective recompute (the attention core) saves too little here: block recompute of N layers per stage.
  c.train.recompute = Recompute::kSelective;
  CHECK(!estimate_training(c).fits);
  REQUIRE(t->train.recompute == Recompute::kFull);
  REQUIRE(t->train.recompute_layers >= 1);
  CHECK(t->train.recompute_layers < 20);  // fewer than the stage's 20 layers
  if (t->train.recompute_layers > 1) {
    TrainConfig fewer = *t;
    fewer.train.recompute_layers -= 1;
    CHECK(!estimate_training(fewer).fits);
  }
  // A layout that fits as given is returned as given.
  c.train.recompute = Recompute::kFull;
  const std::optional<TrainConfig> same = least_recompute_that_fits(c);
  REQUIRE(same.has_value());
  CHECK(same->train.recompute == Recompute::kFull);
  CHECK(same->train.recompute_layers == 0);
  // Nothing fits: 405B on 8 GPUs.
  c.model = load_model("llama3-405b");
  c.gpus = 8;
  c.par.tp = 8;
  c.par.pp = 1;
  CHECK(!least_recompute_that_fits(c).has_value());
}
