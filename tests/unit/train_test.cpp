// Training estimator formulas against hand-computed values (each comment states the arithmetic).
#include <catch2/catch.hpp>
#include <optional>

#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/yaml_reader.hpp"
#include "train/ep_layer_comm.hpp"
#include "train/estimator.hpp"
#include "train/layer_ops.hpp"
#include "train/memory_model.hpp"
#include "train/pipeline_layout.hpp"
#include "train/rank_map.hpp"
#include "train/recompute_modules.hpp"
#include "train_base.hpp"

using namespace commsim;
using Catch::Matchers::Contains;

namespace {
TrainConfig base(const std::string& model, const std::string& system, int gpus) { return test::train_base(model, system, gpus); }
}  // namespace

TEST_CASE("Korthikanti 175B: 13.75 s per step on 64 A100 is 51.3% MFU", "[train]") {
  // 72 * 64 * 2048 * 96 * 12288^2 = 1.36796e17, * (1 + 2048/73728 + 51200/(16*96*12288)) = * 1.030491:
  // 1.40967e17 FLOPs per step; / (13.75 s * 64 GPUs) = 160.19 TFLOPS/GPU = 51.34% of 312 (published: 160
  // TFLOPS, 51.3%; MFU 51.4%).
  const double f = megatron_gpt_flops(72, 64, 2048, 96, 12288, 51200);
  const double tflops = f / (13.75 * 64) / 1e12;
  CHECK(f == Approx(1.40967e17).epsilon(1e-5));
  CHECK(tflops == Approx(160.19).epsilon(1e-4));
  CHECK(tflops / 312.0 == Approx(0.5134).epsilon(1e-3));
}

TEST_CASE("parameter counts", "[train]") {
  // llama3-70b: 80 * (8192*128*(2*64 + 2*8) + 3*8192*28672 + 2*8192) + 2*128256*8192 + 8192 = 70.554e9
  const ModelSpec l = load_model("llama3-70b");
  CHECK(l.total_params() == Approx(70.554e9).epsilon(1e-3));
  CHECK(l.active_params() == l.total_params());
  // gpt3-175b (tied): 96 * (4*12288^2 + 8*12288^2 + 2*12288) + 51200*12288 + 12288 = 174.59e9
  CHECK(load_model("gpt3-175b").total_params() == Approx(174.59e9).epsilon(1e-3));
  // mixtral-8x7b: 46.7B total, 12.9B active (Mistral: 46.7B / 12.9B)
  const ModelSpec mx = load_model("mixtral-8x7b");
  CHECK(mx.total_params() == Approx(46.7e9).epsilon(0.01));
  CHECK(mx.active_params() == Approx(12.9e9).epsilon(0.01));
  // deepseek-v3: 671B total, 37B active (report: 671B incl. the 14B MTP module not modelled here -> ~671-0.0B main)
  const ModelSpec ds = load_model("deepseek-v3");
  CHECK(ds.total_params() == Approx(671e9).epsilon(0.01));
  CHECK(ds.active_params() == Approx(37.5e9).epsilon(0.03));
}

TEST_CASE("model FLOPs per token follow Megatron's 72 form for GPT", "[train]") {
  // GPT-175B: 72*L*h^2*(1 + s/6h) per token plus 6*V*h for the logits (the closed form writes 4.5*V*h).
  const ModelSpec g = load_model("gpt3-175b");
  const double L = 96, h = 12288, s = 2048, V = 51200;
  const double expect = 72 * L * h * h * (1 + s / (6 * h)) + 6 * V * h;
  // the per-layer norms are not GEMMs; the router is absent: exact up to the 2h norm parameters per layer
  CHECK(model_flops_per_token(g, s) == Approx(expect).epsilon(1e-4));
  // full recompute adds one forward: 24*L*h^2*(1 + s/6h) (the 96 form minus the 72 form)
  CHECK(recompute_flops_per_token(g, s, Recompute::kFull, 0) == Approx(24 * L * h * h * (1 + s / (6 * h))).epsilon(1e-4));
  CHECK(foundry_flops_per_token(6.66e9, 32, 4096, 2048) == Approx(6 * 6.66e9 + 12 * 32 * 4096 * 2048.0));
}

TEST_CASE("activations per layer (Korthikanti eq. 2-6)", "[train]") {
  TrainConfig c = base("gpt3-175b", "dgx-a100", 64);
  c.par.tp = 8;
  c.par.sequence_parallel = true;
  c.train.recompute = Recompute::kSelective;
  const ModelSpec& m = c.model;
  // SP + selective: s*b*h*34/t = 2048*12288*34/8
  CHECK(layer_activation_bytes(m, false, c) == Approx(2048.0 * 12288 * 34 / 8));
  // no SP, selective: s*b*h*(10 + 24/t)
  c.par.sequence_parallel = false;
  CHECK(layer_activation_bytes(m, false, c) == Approx(2048.0 * 12288 * (10 + 24.0 / 8)));
  // no SP, no recompute, no FlashAttention: + 5*a*s^2*b/t
  c.train.recompute = Recompute::kNone;
  c.train.flash_attention = false;
  CHECK(layer_activation_bytes(m, false, c) == Approx(2048.0 * 12288 * (10 + 24.0 / 8) + 5.0 * 96 * 2048 * 2048 / 8));
  // full recompute: 2*s*b*h (input only)
  c.train.recompute = Recompute::kFull;
  CHECK(layer_activation_bytes(m, false, c) == Approx(2.0 * 2048 * 12288));
}

TEST_CASE("model states by ZeRO stage", "[train]") {
  TrainConfig c = base("gpt3-175b", "dgx-a100", 64);
  c.par.tp = 8;
  c.par.pp = 8;
  c.par.dp = 1;
  c.par.zero = 0;
  const auto st = pipeline_stages(c.model, c.par);
  // middle stage: 12 layers * (12*h^2 + 2h) / 8 = 2.7185e9 local params; 2 + 4 + 12 = 18 B each = 45.6 GiB
  const MemoryBreakdown z0 = stage_memory(c, st[3], 3, 8, 1);
  const double local = 12 * (12.0 * 12288 * 12288 + 2 * 12288) / 8;
  CHECK(z0.weights == Approx(2 * local));
  CHECK(z0.gradients == Approx(4 * local));
  CHECK(z0.optimizer == Approx(12 * local));
  CHECK((z0.weights + z0.gradients + z0.optimizer) / 1073741824.0 == Approx(45.57).epsilon(0.002));
  // ZeRO-1/2/3 over dp = 4 divide optimizer, then gradients, then weights
  c.par.dp = 4;
  c.par.zero = 1;
  CHECK(stage_memory(c, st[3], 3, 8, 1).optimizer == Approx(12 * local / 4));
  c.par.zero = 2;
  CHECK(stage_memory(c, st[3], 3, 8, 1).gradients == Approx(4 * local / 4));
  c.par.zero = 3;
  CHECK(stage_memory(c, st[3], 3, 8, 1).weights == Approx(2 * local / 4 + 2 * 2 * local / 12));
  // dp 1: nothing is sharded or gathered, so ZeRO-3 holds what ZeRO-2 holds (before: + 2 x 2 x local / 12)
  c.par.dp = 1;
  const MemoryBreakdown z3 = stage_memory(c, st[3], 3, 8, 1);
  CHECK(z3.weights == Approx(2 * local));
  c.par.zero = 2;
  CHECK(z3.total() == Approx(stage_memory(c, st[3], 3, 8, 1).total()));
}

TEST_CASE("pipeline stages and bubbles", "[train]") {
  // 1F1B: (p-1)/(m+p-1): p 4, m 8 -> 3/11; interleaved v 2 -> 3/(16+3)
  const MicrobatchTimes t{1, 2, 1};
  CHECK(bubble_fraction(schedule_bubble_microbatches(Schedule::k1f1b, 4, 1, t), 8) == Approx(3.0 / 11));
  CHECK(bubble_fraction(schedule_bubble_microbatches(Schedule::kInterleaved, 4, 2, t), 8) == Approx(3.0 / 19));
  CHECK(bubble_fraction(schedule_bubble_microbatches(Schedule::k1f1b, 1, 1, t), 8) == 0);
  // Llama 3 405B: 126 layers on 16 stages, 7 on the first and last, 8 on the others
  Parallelism p;
  p.pp = 16;
  p.first_stage_layers = p.last_stage_layers = 7;
  const auto st = pipeline_stages(load_model("llama3-405b"), p);
  CHECK(st.front().layers == 7);
  CHECK(st[1].layers == 8);
  CHECK(st.back().layers == 7);
  CHECK(st.back().first_layer == 119);
  // deepseek-v3: 3 dense layers all on stage 0 of 61/... (pp 1 here): 3 dense + 58 MoE
  Parallelism one;
  const auto ds = pipeline_stages(load_model("deepseek-v3"), one);
  CHECK(ds.front().count(LayerKind::kDense) == 3);
  CHECK(ds.front().moe_layers() == 58);
}

TEST_CASE("rank mapping to process groups (Megatron order tp, cp, ep, dp, pp)", "[train]") {
  Parallelism p;
  p.tp = 2;
  p.dp = 2;
  p.pp = 2;
  const RankMap r(p);
  CHECK(r.world() == 8);
  CHECK(r.groups({Dim::kTp}) == std::vector<std::vector<int>>{{0, 1}, {2, 3}, {4, 5}, {6, 7}});
  CHECK(r.groups({Dim::kDp}) == std::vector<std::vector<int>>{{0, 2}, {1, 3}, {4, 6}, {5, 7}});
  CHECK(r.groups({Dim::kPp}) == std::vector<std::vector<int>>{{0, 4}, {1, 5}, {2, 6}, {3, 7}});
  // EP folded inside DP: dp 4 = ep 2 x edp 2 -> EP groups {0,2} ..., expert-DP groups {0,4} ...
  Parallelism q;
  q.tp = 2;
  q.dp = 4;
  q.ep = 2;
  const RankMap e(q);
  CHECK(e.groups({Dim::kEp}).front() == std::vector<int>{0, 2});
  CHECK(e.groups({Dim::kEdp}).front() == std::vector<int>{0, 4});
  CHECK(e.groups({Dim::kEp, Dim::kEdp}).front() == std::vector<int>{0, 2, 4, 6});
}

TEST_CASE("counts with suffixes", "[train]") {
  CHECK(parse_count("15T", "k") == 15e12);
  CHECK(parse_count("2.5B", "k") == 2.5e9);
  CHECK(parse_count("4096", "k") == 4096);
  CHECK_THROWS_AS(parse_count("15X", "training.tokens"), InputError);
  // Whole counts only, up to the rounding of mantissa x suffix: 4.1 x 1e6 is 4099999.9999999995 in doubles.
  CHECK(parse_count("4.1M", "k") == 4100000);
  CHECK(parse_count("8.2M", "k") == 8200000);
  CHECK(parse_count("16.1K", "k") == 16100);
  CHECK(parse_count("14.8T", "k") == 14.8e12);
  CHECK_THROWS_WITH(parse_count("1.5", "--tokens"), Contains("'1.5' is not a whole count"));
  CHECK_THROWS_WITH(parse_count("1.0005K", "--tokens"), Contains("is not a whole count"));
  CHECK_THROWS_WITH(parse_count("1e-10", "--tokens"), Contains("is not a whole count"));  // rounds to 0: not none
  CHECK(parse_count("0", "--tokens") == 0);
}

TEST_CASE("layout errors name the key", "[train]") {
  TrainConfig c = base("llama3-70b", "dgx-h100", 64);
  c.par.tp = 3;
  CHECK_THROWS_WITH(check_layout(c, 64), Contains("parallelism.tp: 3 does not divide heads (64)"));
  c.par.tp = 16;
  CHECK_THROWS_WITH(check_layout(c, 64), Contains("does not divide kv_heads (8)"));
  c.par.tp = 1;
  c.par.pp = 64;  // 80 layers: 2 per middle stage are 124 (no default split)
  CHECK_THROWS_WITH(check_layout(c, 64), Contains("parallelism.pp: 64 does not divide layers (80)"));
  c.par.tp = 8;
  c.par.pp = 2;
  c.par.dp = 2;
  CHECK_THROWS_WITH(check_layout(c, 64), Contains("does not equal the 64 GPUs"));
  c.par.dp = 0;
  c.train.global_batch = 6;
  CHECK_THROWS_WITH(check_layout(c, 64), Contains("training.global_batch"));
}

TEST_CASE("end-to-end estimate: consistent outputs", "[train]") {
  TrainConfig c = base("llama3-8b", "dgx-h100", 8);
  c.train.seq_len = 8192;
  c.train.global_batch = 128;
  c.par.zero = 3;
  const TrainEstimate e = estimate_training(c);
  CHECK(e.config.par.dp == 8);
  CHECK(e.breakdown.sum() == Approx(e.step_time_s));
  CHECK(e.tokens_per_s == Approx(128.0 * 8192 / e.step_time_s));
  CHECK(e.tokens_per_s_per_gpu == Approx(e.tokens_per_s / 8));
  CHECK(e.hardware_tflops_per_gpu >= e.model_tflops_per_gpu);
  CHECK(e.mfu > 0.2);
  CHECK(e.mfu < 0.8);
  CHECK(e.fits);
}

TEST_CASE("pipeline send/receive: a boundary that crosses nodes is timed when stages 0 and 1 share one", "[train]") {
  // Llama 3 8B on 16 DGX H100 at TP2 PP32 DP2: four stages per node, stages 0 and 1 on node 0. Only the
  // fabric carries boundaries 3-4, 7-8, ...: a 1000x slower NIC must slow the pipeline exchange.
  TrainConfig c = base("llama3-8b", "dgx-h100", 128);
  c.par.tp = 2, c.par.pp = 32, c.par.dp = 2;
  c.train.seq_len = 8192;
  c.train.global_batch = 256;
  const double fast = estimate_training(c).breakdown.pp;
  c.sets = {"fabric.nic_speed=400Mb/s"};  // 1000x below the 400 Gb/s NICs
  const double slow = estimate_training(c).breakdown.pp;
  CHECK(fast > 0);
  CHECK(slow > 100 * fast);
  // With the stages one per node apart (TP8 PP16: stage k on node k), the first boundary is the crossing one.
  TrainConfig d = base("llama3-8b", "dgx-h100", 128);
  d.par.tp = 8, d.par.pp = 16, d.par.dp = 1;
  d.train.seq_len = 8192;
  d.train.global_batch = 256;
  const double apart = estimate_training(d).breakdown.pp;
  d.sets = {"fabric.nic_speed=400Mb/s"};
  CHECK(estimate_training(d).breakdown.pp > 100 * apart);
}

TEST_CASE("pipeline send/receive: the slowest boundary inside a node is timed, not only the first",
          "[train]") {
  // Llama 3 8B at PP8 on one bridged H100 PCIe box: stages 0-1 share an NVLink bridge, 1-2 cross PCIe, 3-4
  // the sockets. Only 0-1 was timed: the bridged box's exchange was 4x the plain PCIe box's speed, and a
  // socket link of any speed left it unchanged.
  auto pp_time = [](const std::string& system, const std::vector<std::string>& sets) {
    TrainConfig c = base("llama3-8b", system, 8);
    c.par.tp = 1, c.par.pp = 8, c.par.dp = 1;
    c.train.seq_len = 4096;
    c.train.global_batch = 32;
    c.overlap.pp = false;
    c.sets = sets;
    return estimate_training(c).breakdown.pp;
  };
  const double pcie = pp_time("h100-pcie", {}), bridged = pp_time("h100-pcie-nvlbridge", {});
  CHECK(bridged == Approx(pcie).epsilon(0.05));  // the PCIe hops bound both boxes
  CHECK(pp_time("dgx-h100", {}) < pcie / 3);     // NVSwitch: every boundary on NVLink
  CHECK(pp_time("h100-pcie-nvlbridge", {"node.inter_socket.bandwidth=1GB/s"}) > 10 * bridged);
}

TEST_CASE("EP exchange: the busiest rank under load imbalance sets its time", "[train][moe]") {
  // Mixtral 8x7B at EP 8: one expert per rank, so the busiest rank's exchange is u times the balanced one.
  TrainConfig c = base("mixtral-8x7b", "dgx-h100", 64);
  c.par.tp = 1, c.par.ep = 8;
  c.train.seq_len = 4096;
  c.train.global_batch = 256;
  c.par.etp = 1;
  const double balanced = estimate_training(c).breakdown.ep;
  c.train.moe_imbalance = 3.0;
  CHECK(balanced > 0);
  CHECK(estimate_training(c).breakdown.ep == Approx(3.0 * balanced).epsilon(0.02));
}

TEST_CASE("ZeRO-3 gathers and an overlapped EP exchange do not share one compute window twice", "[train][moe]") {
  // DeepSeek-V3 under DualPipe (EP hidden behind the paired compute) with ZeRO-3 on a 100 Gb/s fabric: more
  // compute (selective recompute) hid the EP exchange and the weight gathers each in full, and the step got
  // faster. Recompute only adds work: the step may not get faster.
  auto step = [](const std::string& recompute) {  // as `train CONFIG --zero 3 --recompute R --set ...`
    TrainConfig c = load_train_config(data_file("configs/train/deepseek-v3-h800-dualpipe.yaml"), {"fabric.nic_speed=100Gb/s"});
    TrainFlags f;
    f.zero = 3;
    f.recompute = recompute;
    apply_flags(c, f);
    return estimate_training(c).step_time_s;
  };
  CHECK(step("selective") >= step("none"));
}

TEST_CASE("MFU: over the bf16 peak, and over the fp8 peak for fp8-class runs", "[train]") {
  // H100 SXM: dense bf16 989.4 TFLOPS, fp8 1978.9. The same model TFLOPS over each: the fp8 figure is
  // model_tflops / 1978.9 = mfu x 989.4 / 1978.9; a bf16 run has none.
  TrainConfig c = base("llama3-8b", "dgx-h100", 8);
  c.par.zero = 1;
  c.train.precision = Precision::kFp8;
  const TrainEstimate e = estimate_training(c);
  CHECK(e.peak_tflops_per_gpu == Approx(989.4));
  CHECK(e.peak_fp8_tflops_per_gpu == Approx(1978.9));
  CHECK(e.mfu == Approx(e.model_tflops_per_gpu / 989.4));
  CHECK(e.mfu_fp8 == Approx(e.mfu * 989.4 / 1978.9));
  c.train.precision = Precision::kBf16;
  CHECK(estimate_training(c).mfu_fp8 == 0);
}

TEST_CASE("gradient bytes: the data-parallel reduction moves grad_bytes per parameter", "[train][dp]") {
  // Llama 3 8B (8,030,261,248 parameters) on two DGX H100 nodes, DP 16, ZeRO-0, no overlap: the DP time is
  // the gradient all-reduce in buckets of B parameters, floor(P / B) full buckets of B x grad_bytes and the
  // remainder's (Megatron's last bucket, the first layers', is partial).
  // fp32 gradients in 40M buckets: 200 all-reduces of 160 MB and one of 30,261,248 x 4 = 121,044,992 B;
  // bf16 gradients (Megatron's grad_reduce_in_fp32 = False) in 80M buckets: 100 of 160 MB and one of
  // 30,261,248 x 2 = 60,522,496 B.
  TrainConfig c = base("llama3-8b", "dgx-h100", 16);
  c.train.seq_len = 8192;
  c.train.global_batch = 16;
  c.par.zero = 0, c.par.dp = 16;
  c.overlap.dp_grad_reduce = false;
  c.dp_bucket_params = 40e6;
  EstimateContext ctx(c);
  const RankMap rm(c.par);
  auto ar = [&](double bytes) { return ctx.comm(Op::kAllReduce, rm, {Dim::kDpShard, Dim::kCp}, bytes); };
  const double fp32 = estimate_training(c, ctx).breakdown.dp;
  CHECK(fp32 > 0.1);
  CHECK(fp32 == Approx(200 * ar(160e6) + ar(121044992)));
  c.train.grad_bytes = 2;
  c.dp_bucket_params = 80e6;
  const double bf16 = estimate_training(c, ctx).breakdown.dp;
  CHECK(bf16 == Approx(100 * ar(160e6) + ar(60522496)));
  // At one bucket size, half the bytes: less time, but more than half (the all-reduce of 80 MB is not yet
  // bandwidth-bound: NVLS tree across two nodes).
  c.dp_bucket_params = 40e6;
  const double bf16_same = estimate_training(c, ctx).breakdown.dp;
  CHECK(bf16_same < fp32);
  CHECK(bf16_same > 0.5 * fp32);
  // The bytes moved do not depend on the bucket: one bucket of all 8.03e9 parameters against buckets of
  // 2e9 (four full and a partial one of 30M: it charged five full buckets, 10e9 parameters' worth).
  c.dp_bucket_params = 2e9;
  const double four = estimate_training(c, ctx).breakdown.dp;
  CHECK(four == Approx(4 * ar(4e9) + ar(60522496)));
  c.dp_bucket_params = 9e9;
  CHECK(estimate_training(c, ctx).breakdown.dp == Approx(ar(16060522496.0)));
}

TEST_CASE("expert gradients are reduced over the expert-DP group even at dp x cp = 1", "[train][dp]") {
  // Mixtral 8x7B cut to 2 layers on one DGX H100: TP 8, DP 1, EP 2, ETP 1 -> edp = 8 / (1 x 2) = 4 (groups
  // {0,2,4,6} and {1,3,5,7}). Local routed-expert parameters 2 x 8 x 3 x 4096 x 14336 / 2 = 1,409,286,144:
  // 35 full buckets, each an all-reduce of 40M x 4 B = 160 MB over the edp groups, and the remainder's,
  // 9,286,144 x 4 = 37,144,576 B (ZeRO-0, no overlap); the dense group (dp x cp = 1) moves nothing. Before,
  // dp x cp = 1 skipped the DP traffic altogether: 0 s.
  TrainConfig c = base("mixtral-8x7b", "dgx-h100", 8);
  c.model.layers = 2;
  c.train.seq_len = 4096;
  c.train.global_batch = 8;
  c.par.tp = 8, c.par.dp = 1, c.par.ep = 2, c.par.etp = 1;
  c.par.zero = 0;
  c.overlap.dp_grad_reduce = false;
  c.dp_bucket_params = 40e6;
  REQUIRE(c.par.edp() == 4);
  EstimateContext ctx(c);
  const double bucket = ctx.comm(Op::kAllReduce, RankMap(c.par), {Dim::kEdp}, 160e6);
  const double rest = ctx.comm(Op::kAllReduce, RankMap(c.par), {Dim::kEdp}, 37144576);
  REQUIRE(bucket > 0);
  CHECK(estimate_training(c, ctx).breakdown.dp == Approx(35 * bucket + rest));
  // FSDP (ZeRO-3) gathers and reduce-scatters the expert shards over the same groups.
  c.par.zero = 3;
  CHECK(estimate_training(c, ctx).breakdown.dp > 0);
}

TEST_CASE("expert TP wider than TP: the dispatcher's gather over the ETP group is charged", "[train][moe]") {
  // Mixtral 8x7B cut to 2 layers on one DGX H100: TP 1, DP 8, EP 1, ETP 8, micro-batch 1 x 4096 tokens, no
  // recompute. Each rank holds its own 4096 tokens (no SP at TP 1); Megatron's dispatcher all-gathers the
  // routed tokens over the 8-rank ETP group before the experts and reduce-scatters their outputs after:
  // S = etp x T x k x h x 2 B = 8 x 4096 x 2 x 4096 x 2 = 536,870,912 B, forward AG + RS and backward the
  // same, per MoE layer: EP time = 2 layers x 2 x (AG(S) + RS(S)) per micro-batch x 8 micro-batches (global
  // batch 64 over DP 8). It cost nothing: EP 1 x ETP 8 reported 0 s of EP and TP time.
  TrainConfig c = base("mixtral-8x7b", "dgx-h100", 8);
  c.model.layers = 2;
  c.train.seq_len = 4096, c.train.global_batch = 64, c.train.micro_batch = 1,
  c.train.recompute = Recompute::kNone;
  c.par.tp = 1, c.par.dp = 8, c.par.ep = 1, c.par.etp = 8;
  EstimateContext ctx(c);
  const RankMap rm(c.par);
  const double S = 8.0 * 4096 * 2 * 4096 * 2;
  const double pair =
      ctx.comm(Op::kAllGather, rm, {Dim::kEtp}, S) + ctx.comm(Op::kReduceScatter, rm, {Dim::kEtp}, S);
  REQUIRE(pair > 0);
  CHECK(etp_gather_exposed(ctx, c, rm, Recompute::kNone) == Approx(2 * pair));
  CHECK(etp_gather_exposed(ctx, c, rm, Recompute::kFull) == Approx(3 * pair));  // the forward's again
  CHECK(estimate_training(c, ctx).breakdown.ep == Approx(2 * 2 * pair * 8));
  // ETP at or below TP: the layer's TP collectives stand in for it (nothing added).
  c.par.tp = 8, c.par.dp = 1, c.par.etp = 8;
  EstimateContext ctx8(c);
  CHECK(etp_gather_exposed(ctx8, c, RankMap(c.par), Recompute::kNone) == 0.0);
  // TP 2 < ETP 4 (no shared expert): the MoE block's routed tokens are gathered over the ETP group only, so
  // of the layer's two TP regions (attention, MLP) only attention's pair is left. Without TP overlap each
  // region costs 2 (AG + RS) per micro-batch: the TP time at ETP 4 is half of ETP 2's (it was the same: the
  // MLP pair was charged beside the ETP gather).
  c.par.tp = 2, c.par.dp = 4, c.par.etp = 2;
  c.overlap.tp = false;
  EstimateContext ctx2(c);
  const double tp_at_etp2 = estimate_training(c, ctx2).breakdown.tp;
  c.par.etp = 4;
  const double tp_at_etp4 = estimate_training(c, ctx2).breakdown.tp;
  REQUIRE(tp_at_etp2 > 0);
  CHECK(tp_at_etp4 == Approx(tp_at_etp2 / 2));
}

TEST_CASE("hybrid sharding: reduce-scatter in the shard group, all-reduce of the shard over the copies",
          "[train][dp]") {
  // Llama 3 8B on four DGX H100 nodes, DP 32, ZeRO-1, no overlap, 40M buckets: 8,030,261,248 parameters
  // are 200 full buckets and one of 30,261,248 (the optimizer's all-gather likewise, 2 B per parameter).
  //   dp_shard 8 (one node, 4 copies): each bucket reduce-scattered over its node (160 MB), its 1/8 shard
  //   (20 MB) all-reduced over the 4 copies, and gathered in the node (80 MB).
  TrainConfig c = base("llama3-8b", "dgx-h100", 32);
  c.train.seq_len = 8192;
  c.train.global_batch = 32;
  c.par.zero = 1, c.par.dp = 32, c.par.dp_shard = 8;
  c.overlap.dp_grad_reduce = false, c.overlap.dp_param_gather = false;
  c.dp_bucket_params = 40e6;
  EstimateContext ctx(c);
  const RankMap rm(c.par);
  const double rs = ctx.comm(Op::kReduceScatter, rm, {Dim::kDpShard, Dim::kCp}, 160e6);
  const double ar = ctx.comm(Op::kAllReduce, rm, {Dim::kDpRep}, 20e6);
  const double ag = ctx.comm(Op::kAllGather, rm, {Dim::kDpShard, Dim::kCp}, 80e6);
  const double f = 30261248.0 / 40e6;  // the partial bucket's share of a full one
  const double rs1 = ctx.comm(Op::kReduceScatter, rm, {Dim::kDpShard, Dim::kCp}, 160e6 * f);
  const double ar1 = ctx.comm(Op::kAllReduce, rm, {Dim::kDpRep}, 20e6 * f);
  const double ag1 = ctx.comm(Op::kAllGather, rm, {Dim::kDpShard, Dim::kCp}, 80e6 * f);
  REQUIRE(rs > 0);
  REQUIRE(ar > 0);
  const TrainEstimate hybrid = estimate_training(c, ctx);
  CHECK(hybrid.breakdown.dp == Approx(200 * (rs + ar + ag) + rs1 + ar1 + ag1));
  // Optimizer state per GPU: over 8 ranks against 32.
  c.par.dp_shard = 0;
  const TrainEstimate whole = estimate_training(c, ctx);
  CHECK(hybrid.memory.optimizer == Approx(4.0 * whole.memory.optimizer));
  // dp_shard = dp is the default exactly.
  c.par.dp_shard = 32;
  CHECK(estimate_training(c, ctx).step_time_s == Approx(whole.step_time_s).epsilon(1e-12));
}

TEST_CASE("hybrid sharding pays at scale: ZeRO-3 on 2,048 GPUs", "[train][dp]") {
  // Llama 3 8B, ZeRO-3 without prefetch on 2,048 H100: each layer's gathers and reduce-scatter over all 2,048
  // ranks pay their ring's latency; shard groups of 64 (8 nodes) gather over 64 and all-reduce only the
  // layer's 1/64 shard over 32 copies. At 32 GPUs the same hybrid is slower (the in-node collectives and the
  // copies' all-reduce run one after the other): both shown by `train` in docs/training.md.
  TrainConfig c = base("llama3-8b", "dgx-h100", 2048);
  c.train.seq_len = 8192;
  c.train.global_batch = 2048;
  c.train.recompute = Recompute::kNone;
  c.par.zero = 3;
  c.overlap.fsdp_prefetch = false;
  EstimateContext ctx(c);
  const double flat = estimate_training(c, ctx).breakdown.dp;
  c.par.dp_shard = 64;
  const TrainEstimate hsdp = estimate_training(c, ctx);
  CHECK(hsdp.breakdown.dp < 0.6 * flat);
  CHECK(hsdp.memory.weights > estimate_training(
                                  [&] {
                                    TrainConfig w = c;
                                    w.par.dp_shard = 0;
                                    return w;
                                  }(),
                                  ctx)
                                  .memory.weights);
}

TEST_CASE("prefetched ZeRO-3 exposes the step's first gather and last reduce-scatter", "[train][dp]") {
  // helper-116 (2026-12-06): every gather hid behind the layer before it, the first too, and every
  // reduce-scatter behind the layer after it, the last too: 0.000 s of DP time, and ZeRO-3 came out faster
  // than ZeRO-1 (0.661 against 0.665 s) on the same layout over 100 Gb/s NICs.
  TrainConfig c = base("llama3-8b", "dgx-h100", 64);
  c.train.seq_len = 4096;
  c.train.global_batch = 64;
  c.par.zero = 3;
  c.sets.push_back("fabric.nic_speed=100Gb/s");
  EstimateContext ctx(c);
  const TrainEstimate z3 = estimate_training(c, ctx);
  CHECK(z3.breakdown.dp > 0);
  c.par.zero = 1;
  CHECK(z3.step_time_s > estimate_training(c, ctx).step_time_s);
  // What the steady state hid of the edges is added back, not the edges again: a prefetch is never slower
  // than none (helper-118: with the edges added whole, 18.759 s against 18.739 s at 25 Gb/s).
  TrainConfig slow = base("llama3-8b", "dgx-h100", 16);
  slow.gpus_per_node = 1;
  slow.train.seq_len = 4096;
  slow.train.global_batch = 16;
  slow.train.recompute = Recompute::kNone;
  slow.par.zero = 3;
  slow.sets.push_back("fabric.nic_speed=25Gb/s");
  EstimateContext sctx(slow);
  const double with = estimate_training(slow, sctx).step_time_s;
  slow.overlap.fsdp_prefetch = false;
  CHECK(with < estimate_training(slow, sctx).step_time_s);
}

TEST_CASE("ZeRO-2 reduce-scatters every micro-batch's gradients", "[train][dp]") {
  // helper-181: ZeRO-2 was costed as ZeRO-1 (one reduce-scatter a step) and stored as ZeRO-2 (sharded
  // gradients), so the search took its memory for free. With gradients that outlast a micro-batch's compute
  // (25 Gb/s NICs), its exposed DP time grows by (m - 1)(G - tau) with the micro-batches; ZeRO-1's does not.
  auto dp_at = [](int zero, long global_batch) {
    TrainConfig c = base("llama3-8b", "dgx-h100", 64);
    c.train.seq_len = 8192;
    c.train.global_batch = global_batch;
    c.train.recompute = Recompute::kNone;
    c.par.zero = zero;
    c.sets.push_back("fabric.nic_speed=25Gb/s");
    EstimateContext ctx(c);
    return estimate_training(c, ctx).breakdown.dp;
  };
  const double z1_one = dp_at(1, 64), z1_eight = dp_at(1, 512), z2_one = dp_at(2, 64),
               z2_eight = dp_at(2, 512);
  CHECK(z2_one == Approx(z1_one));    // one micro-batch: the same reduce-scatter
  CHECK(z1_eight == Approx(z1_one));  // ZeRO-1: once a step whatever the micro-batches
  CHECK(z2_eight > 2.0 * z2_one);     // ZeRO-2: seven more, each beyond its micro-batch
  // on 400 Gb/s NICs a micro-batch's compute hides each of them: ZeRO-2 as ZeRO-1
  TrainConfig fast = base("llama3-8b", "dgx-h100", 64);
  fast.train.seq_len = 8192, fast.train.global_batch = 512, fast.train.recompute = Recompute::kNone;
  fast.par.zero = 1;
  EstimateContext fctx(fast);
  const double f1 = estimate_training(fast, fctx).breakdown.dp;
  fast.par.zero = 2;
  CHECK(estimate_training(fast, fctx).breakdown.dp == Approx(f1));
  // helper-183: a light stage's reduce-scatter has the pipeline's pace to run in, not its own short time (a
  // 2-layer first stage under 26-layer ones exposed 7.9 s of a 220 s step), and a DualPipe micro-batch passes
  // one of its rank's two stages (both stages' gradients each time exposed 153 s): both as ZeRO-1 here.
  auto dp_of = [](TrainConfig c, int zero) {
    c.par.zero = zero;
    EstimateContext ctx(c);
    return estimate_training(c, ctx).breakdown.dp;
  };
  TrainConfig piped = base("llama3-70b", "dgx-h100", 64);
  piped.train.seq_len = 8192, piped.train.global_batch = 64, piped.train.recompute = Recompute::kNone;
  piped.par.tp = 8, piped.par.pp = 4, piped.par.dp = 2;
  piped.sets.push_back("fabric.nic_speed=150Gb/s");
  TrainConfig light = piped;
  light.par.first_stage_layers = 2;
  CHECK(dp_of(light, 2) == Approx(dp_of(light, 1)));
  TrainConfig dual = piped;
  dual.par.schedule = Schedule::kDualPipe;
  CHECK(dp_of(dual, 2) == Approx(dp_of(dual, 1)));
}

TEST_CASE("ZeRO-3 gathers and reduce-scatters the embedding's unit", "[train][dp]") {
  // Llama 3 8B's embedding (128,256 x 4,096) is 2.4 layers of weights, gathered and reduced as its own FSDP
  // unit; it was not costed at all (session 38's known gap). Prefetched, its gather opens the step and its
  // reduce-scatter closes it: a larger vocabulary adds exactly the difference of those two collectives.
  TrainConfig c = base("llama3-8b", "dgx-h100", 64);
  c.train.seq_len = 4096;
  c.train.global_batch = 64;
  c.train.recompute = Recompute::kNone;
  c.par.zero = 3;
  c.sets.push_back("fabric.nic_speed=100Gb/s");
  auto dp_of = [](const TrainConfig& w) {
    EstimateContext ctx(w);
    return estimate_training(w, ctx).breakdown.dp;
  };
  TrainConfig big = c;
  big.model.vocab *= 2;
  EstimateContext ctx(c);
  TrainConfig laid = c;
  check_layout(laid, 64);  // derives dp (64)
  const RankMap ranks(laid.par);
  const std::vector<Dim> g = {Dim::kDpShard, Dim::kCp};
  auto unit = [&](double vocab) {
    const double vh = vocab * 4096.0;
    return ctx.comm(Op::kAllGather, ranks, g, vh * 2.0) + ctx.comm(Op::kReduceScatter, ranks, g, vh * 4.0);
  };
  const double v = static_cast<double>(c.model.vocab);
  CHECK(dp_of(big) - dp_of(c) == Approx(unit(2 * v) - unit(v)).epsilon(1e-9));
  // Without prefetch the embedding's and the output layer's units are each gathered twice and reduced once
  // per micro-batch (one micro-batch here), exposed.
  c.overlap.fsdp_prefetch = false, big.overlap.fsdp_prefetch = false;
  auto twice = [&](double vocab) {
    const double vh = vocab * 4096.0;
    return 2.0 * ctx.comm(Op::kAllGather, ranks, g, vh * 2.0) +
           ctx.comm(Op::kReduceScatter, ranks, g, vh * 4.0);
  };
  CHECK(dp_of(big) - dp_of(c) == Approx(2.0 * (twice(2 * v) - twice(v))).epsilon(1e-9));
}

TEST_CASE("hybrid sharding errors name parallelism.dp_shard", "[train][dp]") {
  TrainConfig c = base("llama3-8b", "dgx-h100", 32);
  c.par.dp_shard = 3;
  CHECK_THROWS_WITH(check_layout(c, 32), Contains("parallelism.dp_shard: 3 does not divide dp (32)"));
  c.par.dp_shard = 8, c.par.zero = 0;
  CHECK_THROWS_WITH(check_layout(c, 32), Contains("parallelism.dp_shard: zero 0 shards nothing"));
  // Experts: Qwen3-30B-A3B at dp 16, ep 16 has an expert-DP group of 1, which 2 copies cannot split.
  TrainConfig q = base("qwen3-30b-a3b", "dgx-h100", 16);
  q.par.ep = 16, q.par.zero = 1, q.par.dp_shard = 8;
  CHECK_THROWS_WITH(
      check_layout(q, 16),
      Contains("2 copies (dp / dp_shard = 16 / 8) do not divide the expert-data-parallel group (1 ranks)"));
}

TEST_CASE("only rotary position embeddings cost a pass over Q and K", "[train]") {
  LocalShape s;
  s.tokens = 4096;
  s.seq_kv = 4096;
  s.tp = 2;
  auto rope_bytes = [&s](const ModelSpec& m) -> std::optional<double> {
    for (const OpCost& o : layer_forward_ops(m, LayerKind::kDense, s))
      if (o.name == "rope") return o.bytes;
    return std::nullopt;
  };
  // llama3-8b (rope): Q 32*128 = 4096 and K 8*128 = 1024 wide, read and written in bf16 on T/tp tokens:
  // 2 * 4096 * (4096 + 1024) / 2 * 2 B = 41,943,040 B.
  const ModelSpec llama = load_model("llama3-8b");
  CHECK(llama.position == PositionEmbedding::kRope);
  const std::optional<double> r = rope_bytes(llama);
  REQUIRE(r.has_value());
  CHECK(*r == Approx(41943040.0));
  // MPT (ALiBi, a bias inside the attention kernel) and GPT-3 (learned positions added to the embedding): no pass.
  CHECK(load_model("mpt-7b").position == PositionEmbedding::kAlibi);
  CHECK_FALSE(rope_bytes(load_model("mpt-7b")).has_value());
  CHECK(load_model("gpt3-175b").position == PositionEmbedding::kLearned);
  CHECK_FALSE(rope_bytes(load_model("gpt3-175b")).has_value());
  CHECK(std::string(position_embedding_name(PositionEmbedding::kNone)) == "none");
}

TEST_CASE("a model's position_embedding is one of rope, alibi, learned, none", "[train]") {
  YamlMap m(load_yaml_string("name: x\nlayers: 2\nhidden: 64\nheads: 4\nffn_hidden: 256\nvocab: 100\nposition_embedding: xpos\n", "m.yaml"),
            "m.yaml");
  CHECK_THROWS_WITH(parse_model(m), Contains("m.yaml:7") && Contains("position_embedding"));
}

TEST_CASE("context parallelism's ring steps re-read the queries and merge partial outputs", "[train][cp]") {
  // llama3-8b (32 heads of 128, 8 KV heads) at TP 2, CP 4, 1,024 tokens on this rank: Q = O = 1024 * 16 * 128 =
  // 2,097,152 values, KV = 1024 * 2 * 8 * 128 / 2 = 1,048,576. Three steps beyond the first:
  // forward 3 * (2 Q + 8 O) = 62,914,560 B; backward 3 * (10 Q + 8 O + 8 KV) = 138,412,032 B (2.2 times).
  const ModelSpec m = load_model("llama3-8b");
  LocalShape s;
  s.tokens = 1024, s.seq_kv = 4096, s.tp = 2, s.cp = 4;
  auto merge = [&](const LocalShape& x) -> std::optional<OpCost> {
    for (const OpCost& o : layer_forward_ops(m, LayerKind::kDense, x))
      if (o.name == "cp_merge") return o;
    return std::nullopt;
  };
  const std::optional<OpCost> o = merge(s);
  REQUIRE(o.has_value());
  CHECK(o->unit == OpUnit::kMemory);
  CHECK(o->bytes == Approx(62914560.0));
  CHECK(o->bytes * o->bwd_n == Approx(138412032.0));
  CHECK(o->recompute_modules == kRecomputeCoreAttn);  // selective recompute of the core re-runs its steps
  // The all-gather form (overlap.cp false: K/V gathered, one pass) and no CP have nothing to merge.
  s.cp_ring = false;
  CHECK_FALSE(merge(s).has_value());
  s.cp_ring = true, s.cp = 1;
  CHECK_FALSE(merge(s).has_value());
}

TEST_CASE("EP through DeepEP waits on the EP group that spans the most nodes", "[train][moe][ep]") {
  // 144 GB200 on two NVL72 racks, EP 16 over DP 144: groups of 16 ranks, the fifth (ranks 64-79) 8 in each
  // rack, over RDMA. Only the first group (one rack) was costed (helper-134), so the exchange came out as on
  // nodes of 48, where every group sits in one; it now waits on the fifth.
  TrainConfig c = base("deepseek-v3", "gb200-nvl72", 144);
  c.par.ep = 16;
  c.train.seq_len = 4096;
  c.train.global_batch = 144;
  c.train.precision = Precision::kFp8;
  c.train.moe_dispatcher = "deepep";
  EstimateContext straddling(c);
  const double split = estimate_training(c, straddling).breakdown.ep;
  c.gpus_per_node = 48;
  EstimateContext aligned(c);
  const double whole = estimate_training(c, aligned).breakdown.ep;
  CHECK(whole > 0);
  CHECK(split > 1.2 * whole);
}

TEST_CASE("eager PyTorch multiplies the norms', rotary's and activation's bytes by their decomposition",
          "[train][eager]") {
  // llama3-8b (RMSNorm, SwiGLU, rotary; hidden 4,096, ffn 14,336, q 4,096 + kv 1,024), 16,384 tokens, TP 1.
  // Fused: norm1 2 x 16,384 x 4,096 x 2 B = 268,435,456; rope 2 x 16,384 x 5,120 x 2 B = 335,544,320; mlp.act
  // 3 x 16,384 x 14,336 x 2 B = 1,409,286,144. Eager (topologies/eager-elementwise.yaml): RMSNorm 36/4 = 9 ->
  // 2,415,919,104; rope 20/4 = 5 -> 1,677,721,600; SwiGLU 1.667 -> 2,349,279,002; residual adds unchanged.
  const ModelSpec m = load_model("llama3-8b");
  LocalShape s;
  s.tokens = 16384, s.seq_kv = 8192;
  auto bytes = [&](const LocalShape& x, const std::string& name) {
    for (const OpCost& o : layer_forward_ops(m, LayerKind::kDense, x))
      if (o.name == name) return o.bytes;
    return -1.0;
  };
  CHECK(bytes(s, "norm1") == Approx(268435456.0));
  CHECK(bytes(s, "rope") == Approx(335544320.0));
  CHECK(bytes(s, "mlp.act") == Approx(1409286144.0));
  LocalShape e = s;
  e.eager = true;
  CHECK(bytes(e, "norm1") == Approx(2415919104.0));
  CHECK(bytes(e, "norm2") == Approx(2415919104.0));
  CHECK(bytes(e, "rope") == Approx(1677721600.0));
  CHECK(bytes(e, "mlp.act") == Approx(2349279002.0).epsilon(1e-6));
  CHECK(bytes(e, "residual1") == Approx(bytes(s, "residual1")));
  // The output layer's norm too; LayerNorm (GPT-3: one native kernel) and GELU (one kernel) are the fused
  // pass.
  CHECK(logits_forward_ops(m, e)[0].bytes == Approx(9.0 * logits_forward_ops(m, s)[0].bytes));
  // A Mamba-2 block's pre-norm too (Nemotron 3 Nano: RMSNorm, stated in its file; squared ReLU would default
  // to LayerNorm).
  const ModelSpec nano = load_model("nemotron3-nano-30b-a3b");
  REQUIRE(nano.norm == Norm::kRms);
  auto mamba_norm = [&](const LocalShape& x) {
    for (const OpCost& o : layer_forward_ops(nano, LayerKind::kMamba, x))
      if (o.name == "norm1") return o.bytes;
    return -1.0;
  };
  CHECK(mamba_norm(e) == Approx(9.0 * mamba_norm(s)));
  const ModelSpec g = load_model("gpt3-175b");
  CHECK(g.norm == Norm::kLayer);
  for (const char* op : {"norm1", "mlp.act"}) {
    double fused = 0, eager = 0;
    for (const OpCost& o : layer_forward_ops(g, LayerKind::kDense, s))
      if (o.name == op) fused = o.bytes;
    for (const OpCost& o : layer_forward_ops(g, LayerKind::kDense, e))
      if (o.name == op) eager = o.bytes;
    CHECK(eager == Approx(fused));
  }
}

TEST_CASE("training.compile: false is slower, and a model's norm is read", "[train][eager]") {
  TrainConfig c = base("llama3-8b", "dgx-h100", 8);
  c.train.seq_len = 8192, c.train.global_batch = 16, c.train.micro_batch = 2;
  c.par.zero = 3;
  const double compiled = estimate_training(c).step_time_s;
  c.train.compile = false;
  const double eager = estimate_training(c).step_time_s;
  CHECK(eager > compiled * 1.05);
  CHECK(eager < compiled * 1.25);
  YamlMap m(
      YAML::Load(
          "name: x\nlayers: 2\nhidden: 64\nheads: 4\nffn_hidden: 128\nvocab: 100\nactivation: squared_relu\n"
          "norm: rmsnorm\n"),
      "m.yaml");
  CHECK(parse_model(m).norm == Norm::kRms);
  YamlMap bad(
      YAML::Load("name: x\nlayers: 2\nhidden: 64\nheads: 4\nffn_hidden: 128\nvocab: 100\nnorm: batchnorm\n"),
      "m.yaml");
  CHECK_THROWS_WITH(parse_model(bad), Contains("m.yaml:7") && Contains("norm"));
}
