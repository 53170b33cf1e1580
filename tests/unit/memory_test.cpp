// Memory model (src/train/memory_model.hpp, activation_memory.hpp) against hand-computed values: each
// comment states the arithmetic.
#include <catch2/catch.hpp>

#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "study/validate_memory.hpp"
#include "study/validate_training.hpp"
#include "train/estimator.hpp"
#include "train/memory_model.hpp"

using namespace commsim;
using Catch::Matchers::Contains;

namespace {
TrainConfig config(const std::string& model, long seq, int tp, bool sp) {
  TrainConfig c;
  c.model = load_model(model);
  c.has_model = true;
  c.train.seq_len = seq;
  c.train.micro_batch = 1;
  c.train.recompute = Recompute::kSelective;
  c.par.tp = tp;
  c.par.sequence_parallel = sp;
  return c;
}
}  // namespace

TEST_CASE("activations of a dense GQA SwiGLU layer by recompute module", "[memory]") {
  // llama3-70b (h 8192, q 64x128, kv 8x128, ffn 28672), s 4096, b 1, t 8 with SP; bytes per token:
  //   norm inputs 4h/8 = 4096; norm outputs 2*2h/8 = 4096; Q, K, V (2*(8192+1024) + 2*1024)/8 = 2560;
  //   O 2*8192/8 = 2048; MLP (2*2f + 2f)/8 = 6*28672/8 = 21504  -> 34304 B
  TrainConfig c = config("llama3-70b", 4096, 8, true);
  const ModelSpec& m = c.model;
  CHECK(layer_activation_bytes(m, false, c) == Approx(4096.0 * 34304));
  c.train.recompute_modules = kRecomputeLayernorm;  // norm outputs dropped: 34304 - 4096
  CHECK(layer_activation_bytes(m, false, c) == Approx(4096.0 * 30208));
  c.train.recompute_modules = kRecomputeMlp;  // MLP dropped: 34304 - 21504
  CHECK(layer_activation_bytes(m, false, c) == Approx(4096.0 * 12800));
  // FP8 caches GEMM-only inputs in 1 byte: norm outputs 2048, MLP (4f + f)/8 = 17920 -> 28672
  c.train.recompute_modules = 0;
  c.train.precision = Precision::kFp8;
  CHECK(layer_activation_bytes(m, false, c) == Approx(4096.0 * 28672));
  c.train.fp8_activation_cache = false;
  CHECK(layer_activation_bytes(m, false, c) == Approx(4096.0 * 34304));
  // full recompute: the layer input only, 2h/8 = 2048 B per token
  c.train.recompute = Recompute::kFull;
  CHECK(layer_activation_bytes(m, false, c) == Approx(4096.0 * 2048));
}

TEST_CASE("torchtitan's op-level selective AC (op_sac) on a dense layer", "[memory]") {
  // llama3-8b (h 4096, q 32x128, kv 8x128, ffn 14336), t 1: layer input 2h + Q 8192 + V 2048 + O 8192 +
  // w1 output 2*14336 + w2 output 2h = 63488 B per token (15.5h; Megatron's "none" keeps 34h)
  TrainConfig c = config("llama3-8b", 8192, 1, false);
  c.train.recompute_modules = kRecomputeOpSac;
  CHECK(layer_activation_bytes(c.model, false, c) == Approx(8192.0 * 63488));
  c.train.recompute_modules = kRecomputeLayernorm | kRecomputeMlpAct;  // 34h - 4h - 2f = 16384+12288+8192+57344
  CHECK(layer_activation_bytes(c.model, false, c) == Approx(8192.0 * 94208));
}

TEST_CASE("activations of a MoE layer (Qwen3-30B-A3B) by recompute module", "[memory]") {
  // h 2048, q 32x128, kv 4x128, 128 experts top-8 of ffn 768, t 1, s 4096; bytes per token:
  //   norm inputs 4h = 8192; norm outputs 2h + 2h = 8192; Q, K, V 2*(4096+512) + 2*512 = 10240; O 8192;
  //   router 4*128 = 512; routed 8 * (2h + 2*2*768 + 2*768) = 8 * 8704 = 69632  -> 104960 B
  TrainConfig c = config("qwen3-30b-a3b", 4096, 1, false);
  const ModelSpec& m = c.model;
  CHECK(layer_activation_bytes(m, true, c) == Approx(4096.0 * 104960));
  c.train.recompute_modules = kRecomputeMoeAct;  // - 8 * 2*768 = 12288
  CHECK(layer_activation_bytes(m, true, c) == Approx(4096.0 * 92672));
  c.train.recompute_modules = kRecomputeMoe;  // - router - routed = 104960 - 512 - 69632
  CHECK(layer_activation_bytes(m, true, c) == Approx(4096.0 * 34816));
}

TEST_CASE("a routed copy's input under expert TP 1 is the rank's own tokens'", "[memory]") {
  // Qwen3-30B-A3B as above at t 2 with SP (r 1/2); bytes per token: norm inputs 4h/2 = 4096, outputs 4096,
  // Q, K, V 10240/2 = 5120, O 4096, router 512/2 = 256; routed at etp = tp: 8 * (2h + 6*768/2) = 8 * 6400 =
  // 51200 -> 68864 B. At etp 1 the dispatcher gathers over no TP rank: each routed input is the rank's own
  // T/2 tokens, 8 * (2h/2 + 2304) = 34816 -> 52480 B (helper-123: counted as at etp = tp).
  TrainConfig c = config("qwen3-30b-a3b", 4096, 2, true);
  const ModelSpec& m = c.model;
  c.par.etp = 2;
  CHECK(layer_activation_bytes(m, true, c) == Approx(4096.0 * 68864));
  c.par.etp = 1;
  CHECK(layer_activation_bytes(m, true, c) == Approx(4096.0 * 52480));
}

TEST_CASE("the experts' SwiGLU input cached in FP8 (moe_act_input_fp8)", "[memory]") {
  // Qwen3-30B-A3B as above, fp8 (GEMM inputs 1 B: g = 1), moe_act recomputed: bytes per token
  //   norm inputs 8192; norm outputs h + 2h (the MoE router reads bf16) = 6144; Q, K, V 10240; O 8192;
  //   router 512; routed 8 * (h + 2*2*768) = 8 * 5120 = 40960 -> 74240 B.
  // With moe_act_input_fp8 the FC1 output is 1 B: routed 8 * (2048 + 1536) = 28672 -> 61952 B.
  TrainConfig c = config("qwen3-30b-a3b", 4096, 1, false);
  const ModelSpec& m = c.model;
  c.train.precision = Precision::kFp8;
  c.train.recompute_modules = kRecomputeMoeAct;
  const double base = layer_activation_bytes(m, true, c);
  CHECK(base == Approx(4096.0 * 74240));
  c.train.moe_act_input_fp8 = true;
  CHECK(base - layer_activation_bytes(m, true, c) == Approx(4096.0 * 8 * 1536));
  c.train.recompute_modules = 0;  // the activation's output kept: its input stays bf16 (nothing to recompute from)
  const double kept = layer_activation_bytes(m, true, c);
  c.train.moe_act_input_fp8 = false;
  CHECK(layer_activation_bytes(m, true, c) == Approx(kept));
  c.train.precision = Precision::kBf16;  // bf16 training: no FP8 copy to keep
  c.train.recompute_modules = kRecomputeMoeAct;
  const double bf16 = layer_activation_bytes(m, true, c);
  c.train.moe_act_input_fp8 = true;
  CHECK(layer_activation_bytes(m, true, c) == Approx(bf16));
}

TEST_CASE("activations of an MLA layer (DeepSeek-V3) with mla_up_proj", "[memory]") {
  // Dense layer 0, h 7168, a 128, q_lora 1536, kv_lora 512, nope 128, rope 64, v 128, ffn 18432, t 1:
  //   norms 4h = 28672; norm outputs 4h = 28672; latents 4*1536 + 4*512 + 2*64 = 8320;
  //   Q, K 2*2*128*192 = 98304, V 2*128*128 = 32768; O 32768; MLP 6*18432 = 110592  -> 340096 B
  TrainConfig c = config("deepseek-v3", 4096, 1, false);
  const ModelSpec& m = c.model;
  CHECK(layer_activation_bytes(m, false, c) == Approx(4096.0 * 340096));
  c.train.recompute_modules = kRecomputeMlaUpProj;  // Q, K, V rebuilt: - 131072
  CHECK(layer_activation_bytes(m, false, c) == Approx(4096.0 * 209024));
}

TEST_CASE("recompute module names (Megatron's spelling)", "[memory]") {
  CHECK(recompute_module_bit("moe_act") == kRecomputeMoeAct);
  CHECK(recompute_module_bit("mla_up_proj") == kRecomputeMlaUpProj);
  CHECK(recompute_module_bit("attention") == 0);
  CHECK(recompute_module_names(kRecomputeCoreAttn | kRecomputeLayernorm) == std::vector<std::string>{"core_attn", "layernorm"});
  TrainingParams t;
  CHECK(effective_recompute_modules(t) == kRecomputeCoreAttn);  // selective: Megatron's default [core_attn]
  t.recompute = Recompute::kNone;
  CHECK(effective_recompute_modules(t) == 0);
}

TEST_CASE("micro-batches in flight per stage (1F1B and interleaved)", "[memory]") {
  // 1F1B: stage i of p holds min(m, p - i)
  CHECK(activation_microbatches(0, 4, 1, 8) == 4);
  CHECK(activation_microbatches(3, 4, 1, 8) == 1);
  CHECK(activation_microbatches(0, 4, 1, 2) == 2);
  // interleaved p 4, v 2, m 8: stage 0 (2*3 + 1*4 + 1)/2 = 5.5 = 4 * (1 + 3/8) (Korthikanti); stage 3 (0 + 4 + 1)/2
  CHECK(activation_microbatches(0, 4, 2, 8) == Approx(5.5));
  CHECK(activation_microbatches(3, 4, 2, 8) == Approx(2.5));
  // Megatron CI gpt3_7b_tp1_pp4 (v 8, m 4), last stage: min(32, 0 + 7*4 + 1) / 8 = 29/8
  CHECK(activation_microbatches(3, 4, 8, 4) == Approx(29.0 / 8));
}

TEST_CASE("distributed optimizer shards dense weights over dp*cp and experts over the expert-DP group", "[memory]") {
  // Qwen3-30B-A3B, tp 1, pp 1, dp 16, ep 16, ZeRO-1: per rank
  //   experts 48 * 128 * 3*2048*768 / 16 = 1,811,939,328 (edp = 16/16 = 1: optimizer not sharded)
  //   dense 48 * (2048*128*(64+8) + 2048*128 + 2*2048) + 2*151936*2048 = 1,541,079,040 (sharded by 16)
  TrainConfig c = config("qwen3-30b-a3b", 4096, 1, false);
  c.par.dp = 16;
  c.par.ep = 16;
  c.par.zero = 1;
  const auto st = pipeline_stages(c.model, c.par);
  const StageParams sp = stage_params(c.model, st[0], c.par);
  const double experts = 1811939328.0, dense = 1541079040.0;
  CHECK(sp.experts == Approx(experts));
  CHECK(sp.dense == Approx(dense));
  MemoryBreakdown b = stage_memory(c, st[0], 0, 1, 64);
  CHECK(b.weights == Approx(2 * (dense + experts)));
  CHECK(b.gradients == Approx(4 * (dense + experts)));
  CHECK(b.optimizer == Approx(12 * (dense / 16 + experts / 1)));
  c.par.dp = 32;  // edp 2: experts' optimizer halves
  CHECK(stage_memory(c, st[0], 0, 1, 64).optimizer == Approx(12 * (dense / 32 + experts / 2)));
  // ZeRO-3 adds two adjacent units gathered (current + prefetched, 2 B per parameter) of what is sharded only.
  // A layer's dense part 2048*128*72 + 2048*128 + 2*2048 = 19,140,608 (x 48 + 2 x 311,164,928 = dense); the
  // embedding and output layers 151936*2048 = 311,164,928 each; the largest pair is the output layer and the
  // layer before it. At edp 1 the experts stay whole and are not gathered.
  const double layer_dense = 19140608.0, layer_experts = experts / 48, vocab_layer = 311164928.0;
  c.par.dp = 16;
  c.par.zero = 3;
  CHECK(stage_memory(c, st[0], 0, 1, 64).weights == Approx(2 * (dense / 16 + experts) + 2 * (vocab_layer + layer_dense)));
  c.par.dp = 32;  // edp 2: both gathered
  CHECK(stage_memory(c, st[0], 0, 1, 64).weights ==
        Approx(2 * (dense / 32 + experts / 2) + 2 * (vocab_layer + layer_dense + layer_experts)));
  // A one-layer middle stage gathers its one layer: what it gathers is never more than ZeRO-2's whole weights
  // (before: 2 x 2 x the stage's parameters / its layers, two layers it does not have). 48 stages of one layer.
  c.par.pp = 48;
  const auto one_layer = pipeline_stages(c.model, c.par);
  const MemoryBreakdown z3 = stage_memory(c, one_layer[24], 24, 48, 64);
  REQUIRE(one_layer[24].layers == 1);
  CHECK(z3.weights == Approx(2 * (layer_dense / 32 + layer_experts / 2) + 2 * (layer_dense + layer_experts)));
  c.par.zero = 2;
  const double shard = 2 * (layer_dense / 32 + layer_experts / 2);
  CHECK(z3.weights - shard == Approx(stage_memory(c, one_layer[24], 24, 48, 64).weights));
  c.par.pp = 1;
  c.par.zero = 1;
  c.train.moment_bytes = 2;  // bf16 Adam moments: 4 + 2 + 2 = 8 B per parameter
  CHECK(stage_memory(c, st[0], 0, 1, 64).optimizer == Approx(8 * (dense / 32 + experts / 2)));
  c.train.moment_bytes = 4;
  c.train.grad_bytes = 2;  // bf16 gradient buffer (grad_reduce_in_fp32 = False): 2 B per parameter
  CHECK(stage_memory(c, st[0], 0, 1, 64).gradients == Approx(2 * (dense + experts)));
  c.train.grad_bytes = 4;
  // FP8: bf16 weights and fp32 masters kept; the FP8 weight copies are transient (no persistent bytes)
  c.train.precision = Precision::kFp8;
  CHECK(stage_memory(c, st[0], 0, 1, 64).weights == Approx(2 * (dense + experts)));
}

TEST_CASE("hybrid sharding shards over one copy's DP ranks", "[memory]") {
  // Qwen3-30B-A3B as above at dp 64, ep 16 (edp 4), ZeRO-1 with dp_shard 16: 4 copies; the dense optimizer
  // state over 16 ranks, the experts' over edp / copies = 1: 12 x (dense / 16 + experts / 1).
  TrainConfig c = config("qwen3-30b-a3b", 4096, 1, false);
  c.par.dp = 64, c.par.ep = 16, c.par.zero = 1, c.par.dp_shard = 16;  // 4 copies, edp 4 -> 1 per copy
  const auto st = pipeline_stages(c.model, c.par);
  const double experts = 1811939328.0, dense = 1541079040.0;
  CHECK(c.par.edp_shard() == 1);
  CHECK(stage_memory(c, st[0], 0, 1, 64).optimizer == Approx(12 * (dense / 16 + experts / 1)));
  c.par.dp_shard = 32;  // 2 copies: edp 4 / 2 = 2
  CHECK(stage_memory(c, st[0], 0, 1, 64).optimizer == Approx(12 * (dense / 32 + experts / 2)));
  // ZeRO-3 (HSDP): weights and gradients sharded alike; each gathered unit is the layer's whole weight.
  c.par.zero = 3;
  const double layer_dense = 19140608.0, layer_experts = experts / 48, vocab_layer = 311164928.0;
  const MemoryBreakdown b = stage_memory(c, st[0], 0, 1, 64);
  CHECK(b.gradients == Approx(4 * (dense / 32 + experts / 2)));
  CHECK(b.weights ==
        Approx(2 * (dense / 32 + experts / 2) + 2 * (vocab_layer + layer_dense + layer_experts)));
  // dp_shard = dp is the default: the same bytes as no dp_shard.
  c.par.dp_shard = 64;
  const MemoryBreakdown all = stage_memory(c, st[0], 0, 1, 64);
  c.par.dp_shard = 0;
  CHECK(stage_memory(c, st[0], 0, 1, 64).total() == Approx(all.total()));
}

TEST_CASE("loss memory and runtime overhead", "[memory]") {
  // 6 B per logit (fp32 softmax + bf16 logits): T 8192, V 131073, t 1 -> 6 * 8192 * 131073 B = 6.0 GiB
  TrainConfig c = config("llama3-8b", 8192, 1, false);
  c.model.vocab = 131073;
  CHECK(logits_activation_bytes(c.model, c) / kGiB == Approx(6.0).epsilon(1e-3));
  // 60 GiB allocated: 60 * 1.05 + 0.5 + 1 = 64.5 GiB on the GPU (topologies/memory-overhead.yaml)
  CHECK(memory_overhead().used(60 * kGiB) / kGiB == Approx(64.5));
  CHECK(memory_overhead().used(60 * kGiB, false) / kGiB == Approx(63.5));  // one GPU: no NCCL communicator
  CHECK(memory_overhead().reserved(60 * kGiB) / kGiB == Approx(63.0));
}

TEST_CASE("train reports memory per stage, and the worst decides fits", "[memory]") {
  TrainConfig c;
  c.model = load_model("llama3-70b");
  c.has_model = true;
  c.system = "dgx-h100";
  c.gpus = 64;
  c.par.tp = 8;
  c.par.pp = 4;
  c.train.seq_len = 8192;
  c.train.global_batch = 64;
  const TrainEstimate e = estimate_training(c);
  REQUIRE(e.stage_memory.size() == 4);
  double worst = 0;
  for (const MemoryBreakdown& m : e.stage_memory) worst = std::max(worst, m.total());
  CHECK(e.memory.total() == worst);
  CHECK(e.stage_memory[0].in_flight == 4);  // 1F1B, m = 64/2 = 32 >= p
  CHECK(e.stage_memory[3].in_flight == 1);
  CHECK(e.fits == (e.memory.needed() <= e.memory_capacity));
}

TEST_CASE("fits counts the allocated peak, the context and NCCL, not the allocator's cache", "[memory]") {
  // The Llama 3 report's 8K run (arXiv:2407.21783 Table 4: 8,192 H100, TP8 PP16 DP64, V = 8, ZeRO-2, no
  // activation checkpointing) ran. Its worst stage holds 17.6 micro-batches of 8 layers: allocated A, then
  // total = 1.05 A + 1.5 GiB is past the 79.6 GiB of an H100, needed = A + 1.5 GiB is not.
  TrainConfig c = load_train_config(data_file("configs/train/llama3-405b-h100-16k.yaml"), {"cluster.gpus=8192", "parallelism.dp=64"});
  const TrainEstimate e = estimate_training(c);
  const MemoryBreakdown& m = e.memory;
  CHECK(m.cache == Approx(0.05 * m.allocated()));
  CHECK(m.needed() == Approx(m.allocated() + 1.5 * kGiB));
  CHECK(m.total() == Approx(m.needed() + m.cache));
  CHECK(m.total() > e.memory_capacity);
  CHECK(m.needed() <= e.memory_capacity);
  CHECK(e.fits);
}

TEST_CASE("memory validation: a row naming an unknown model is not predicted, with file and line",
          "[memory]") {
  // As a training row (2026-12-06: it stopped the whole file); a file of nothing else is its error
  // (cmd_validate).
  const MemoryValidationReport rep = validate_memory(data_file("tests/data/bad/memory_unknown_model.csv"));
  REQUIRE(rep.not_predicted.size() == 1);
  CHECK_THAT(rep.not_predicted[0].message, Contains("memory_unknown_model.csv:2") && Contains("model") &&
                                               Contains("no rule maps model 'Llama 9 1T'"));
}

TEST_CASE("every published run the estimator can express is predicted to fit", "[memory]") {
  // A run that ran fits. Where the source does not report its recompute policy, the run is expressible
  // when some recompute fits (train/recompute_fit.hpp: the least that does).
  const TrainingValidationReport rep = validate_training(data_file("tests/data/validation/training_public_2024.csv"));
  REQUIRE(!rep.rows.empty());
  for (const auto& r : rep.rows) {
    INFO(r.case_id << " " << r.layout << ": " << r.memory_gib << " GiB of " << r.capacity_gib);
    CHECK((r.fits || !r.fits_with.empty()));
  }
}

TEST_CASE("memory validation rows carry the compared stage's parts, which make the prediction", "[memory]") {
  // allocated rows: w + g + opt + act; reserved: that x (1 + 0.05); used: reserved + 0.5 + 1 GiB
  // (topologies/memory-overhead.yaml).
  const MemoryValidationReport rep = validate_memory(data_file("tests/data/validation/training_memory.csv"));
  REQUIRE(rep.rows.size() > 30);
  std::size_t allocated = 0, reserved = 0;
  for (const MemoryValidationRow& r : rep.rows) {
    INFO(r.case_id << " " << r.kind);
    const double parts = r.weights_gib + r.gradients_gib + r.optimizer_gib + r.activations_gib;
    CHECK(r.weights_gib > 0);
    CHECK(r.activations_gib > 0);
    CHECK(r.in_flight >= 1);
    if (r.kind == "allocated") {
      ++allocated;
      CHECK(r.predicted_gib == Approx(parts));
    }
    if (r.kind == "reserved") {
      ++reserved;
      CHECK(r.predicted_gib == Approx(1.05 * parts));
    }
    if (r.kind == "used") CHECK(r.predicted_gib == Approx(1.05 * parts + 1.5));
  }
  CHECK(allocated > 5);
  CHECK(reserved > 20);
}

TEST_CASE("training validation: a row's own NICs, on 2 nodes of 4 GPUs too", "[validate]") {
  // helper-128, -130: the inter_node_link cell was ignored, then read only where num_gpus passed a whole node
  // (8 GPUs at 4 per node are 2 nodes): one 25 GbE NIC per node is slower than eight of 400 Gb/s.
  const TrainingValidationReport rep = validate_training(data_file("tests/data/mapping/reworded_rows.csv"));
  double own = 0, slow = 0;
  for (const TrainingValidationRow& r : rep.rows) {
    if (r.case_id == "RW-NIC-OWN") own = r.predicted;
    if (r.case_id == "RW-NIC-25G") slow = r.predicted;
  }
  REQUIRE(own > 0);
  REQUIRE(slow > 0);
  CHECK(slow < 0.8 * own);
}
