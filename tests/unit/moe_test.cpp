// MoE and FP8 mechanisms of the training estimator (moe_ops, fp8_casts, the roofline's grouped GEMMs):
// every expected value is computed by hand in the comment above it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "hw/catalog.hpp"
#include "train/compute_model.hpp"
#include "train/ep_dispatch.hpp"
#include "train/fp8_casts.hpp"
#include "train/moe_ops.hpp"

using namespace commsim;

namespace {

// Qwen3-30B-A3B (h 2048, 128 experts, top-8, expert FFN 768, SwiGLU) on 4096 tokens, EP 8, TP 1.
LocalShape qwen_shape(Precision p = Precision::kBf16) {
  LocalShape s;
  s.tokens = 4096;
  s.seq_kv = 4096;
  s.ep = 8;
  s.precision = p;
  return s;
}

const OpCost& find(const std::vector<OpCost>& ops, const std::string& name) {
  auto it = std::find_if(ops.begin(), ops.end(), [&](const OpCost& o) { return o.name == name; });
  REQUIRE(it != ops.end());
  return *it;
}

}  // namespace

TEST_CASE("MoE: tokens per local expert, balanced and imbalanced", "[moe]") {
  const ModelSpec m = load_model("qwen3-30b-a3b");
  LocalShape s = qwen_shape();
  // 4096 tokens * ep 8 * top-8 / 128 experts = 2048 tokens per local expert.
  CHECK(tokens_per_local_expert(*m.moe, s) == Approx(2048));
  // The busiest expert at 1.5 x the balanced count, the other 15 local experts balanced: the rank's mean
  // expert takes (1.5 + 15) / 16 = 1.03125 x, 2112 tokens.
  s.imbalance = 1.5;
  CHECK(busiest_rank_factor(128, 8, 8, 1.5) == Approx(1.03125));
  // Every expert on one rank: its work is T * k whatever the routing (Mixtral 8x7B, ep 1, u 4).
  CHECK(busiest_rank_factor(8, 1, 2, 4.0) == 1.0);
  // Two ranks of 4 Mixtral experts, u 4: (4 + 3) / 4 = 1.75, within 2 * min(2, 4) / 2 = 2.
  CHECK(busiest_rank_factor(8, 2, 2, 4.0) == Approx(1.75));
  // Four ranks of 2 experts, u 4: (4 + 1) / 2 = 2.5 is more than routing allows, 4 * min(2, 2) / 2 = 4: 2.5.
  CHECK(busiest_rank_factor(8, 4, 2, 4.0) == Approx(2.5));
  // Eight ranks of one expert (k = 2): u = 4 itself, the bound 8 * 1 / 2 = 4.
  CHECK(busiest_rank_factor(8, 8, 2, 4.0) == Approx(4.0));
  CHECK(tokens_per_local_expert(*m.moe, s) == Approx(2112));
  // Its grouped GEMMs: the mean group 2112 rows, the busiest 1.5 x 2048 = 3072 = 2112 / 1.03125 * (16 *
  // 0.03125 + 1); the other 15 keep 2048 ((16 * 2112 - 3072) / 15).
  {
    std::vector<OpCost> ops;
    add_moe_ops(ops, m, s);
    CHECK(find(ops, "experts.fc1").shape.m == Approx(2112));
    CHECK(find(ops, "experts.fc1").shape.hot_m == Approx(3072));
    CHECK(find(ops, "experts.fc2").shape.hot_m == Approx(3072));
  }
  // One expert per rank (ep = experts): the rank takes its expert's u x: 4096 * 128 * 8 / 128 * 1.5 = 49152.
  s.ep = 128;
  CHECK(tokens_per_local_expert(*m.moe, s) == Approx(4096.0 * 128 * 8 / 128 * 1.5));
}

TEST_CASE("MoE: router, permute and grouped expert GEMM shapes", "[moe]") {
  const ModelSpec m = load_model("qwen3-30b-a3b");
  std::vector<OpCost> ops;
  add_moe_ops(ops, m, qwen_shape());
  // Router GEMM 4096 x 128 x 2048 in bf16; top-k: 16 B * 4096 * 128 = 8,388,608 B, run once backward.
  CHECK(find(ops, "router").shape.n == 128);
  CHECK_FALSE(find(ops, "router").low_precision);
  CHECK(find(ops, "router.topk").bytes == Approx(8388608));
  CHECK(find(ops, "router.topk").bwd_n == 1);
  // Permute: read + write of 4096 * 8 routed tokens of 2048 bf16 = 2 * 4096*8*2048*2 = 268,435,456 B.
  CHECK(find(ops, "permute").bytes == Approx(268435456));
  CHECK(find(ops, "unpermute").bytes == Approx(268435456));
  // Routed fc1: 16 local experts of 2048 tokens x (2 * 768) x 2048; fc2: 2048 x 2048 x 768.
  const OpCost& fc1 = find(ops, "experts.fc1");
  CHECK(fc1.grouped);
  CHECK(fc1.shape.m == 2048);
  CHECK(fc1.shape.n == 1536);
  CHECK(fc1.shape.k == 2048);
  CHECK(fc1.shape.groups == 16);
  CHECK(fc1.shape.hot_m == 0);  // balanced: every group has m
  CHECK(find(ops, "experts.fc2").shape.k == 768);
  // Host launches: bf16 16 * 2 forward, 16 * 4 backward; fp8 16 * (2 + 2), 16 * (4 + 2).
  CHECK(expert_launches(*m.moe, qwen_shape()).fwd == 32);
  CHECK(expert_launches(*m.moe, qwen_shape()).bwd == 64);
  CHECK(expert_launches(*m.moe, qwen_shape(Precision::kFp8)).fwd == 64);
  CHECK(expert_launches(*m.moe, qwen_shape(Precision::kFp8)).bwd == 96);
}

TEST_CASE("FP8: cast bytes per element by recipe", "[moe][fp8]") {
  // per-tensor delayed: read 2, write 1 + 1 = 4; block: + 2 * 4/128; mxfp8: + 2 * 1/32.
  CHECK(fp8_cast_bytes_per_element(Precision::kFp8) == 4.0);
  CHECK(fp8_cast_bytes_per_element(Precision::kFp8Block) == 4.0625);
  CHECK(fp8_cast_bytes_per_element(Precision::kMxfp8) == 4.0625);
  CHECK(fp8_cast_bytes_per_element(Precision::kBf16) == 0.0);
}

TEST_CASE("FP8: casts of the expert GEMMs, and fused norm inputs and bf16 GEMMs get none", "[moe][fp8]") {
  const ModelSpec m = load_model("qwen3-30b-a3b");
  const LocalShape s = qwen_shape(Precision::kFp8Block);
  const std::vector<OpCost> ops = layer_forward_ops(m, true, s);
  // fc1 input: 4.0625 * 2048 * 2048 * 16 = 272,629,760 B forward; its output gradient 4.0625 * 2048 * 1536 * 16
  // = 204,472,320 B, backward only.
  CHECK(find(ops, "experts.fc1.cast").bytes == Approx(272629760));
  CHECK(find(ops, "experts.fc1.cast").bwd_n == 0);
  CHECK(find(ops, "experts.fc1.dcast").bytes == Approx(204472320));
  CHECK(find(ops, "experts.fc1.dcast").fwd_n == 0);
  // QKV takes its input quantised by the fused norm: no forward cast, but a backward one.
  CHECK(std::none_of(ops.begin(), ops.end(), [](const OpCost& o) { return o.name == "qkv.cast"; }));
  CHECK(find(ops, "qkv.dcast").bytes > 0);
  // The router stays bf16: no cast at all.
  CHECK(std::none_of(ops.begin(), ops.end(), [](const OpCost& o) { return o.name.rfind("router.", 0) == 0 && o.name != "router.topk"; }));
}

TEST_CASE("Roofline: grouped expert GEMMs from their shape at the sustained fraction", "[moe]") {
  // H100 SXM (989.4 TFLOPS bf16, 132 SMs), shipped Hopper constants: kernel gemm_bf16 0.858, epilogue 1.48 us,
  // launch 2 us, grouped 0.879; end-to-end gemm 0.512.
  // 16 x (2048 x 1536 x 2048): 128x128 tiles 16*16*12 = 3072 -> 24 waves of
  //   2*128*128*2048 / (989.4e12/132*0.858) + 1.48 us = 11.915 us -> 285.96 us (64-row tiles: 47 waves, 314.8 us);
  //   memory 335.5 MB at 2.72 TB/s = 123.4 us; kernel 285.96 / 0.879 + 2 = 327.32 us;
  //   sustained 0.512 / 0.858 = 0.59674 -> 548.5 us. A dense GEMM of the same FLOPs: 206.2 GFLOP / (989.4e12*0.512)
  //   = 407.1 us: the skinny expert shape costs 35% more.
  const GpuSpec gpu = load_gpu("h100-sxm");
  const Roofline rl(gpu, 1, Precision::kBf16);
  const ModelSpec m = load_model("qwen3-30b-a3b");
  std::vector<OpCost> ops;
  add_moe_ops(ops, m, qwen_shape());
  const OpCost& fc1 = find(ops, "experts.fc1");
  CHECK(rl.time(fc1) == Approx(548.5e-6).epsilon(1e-3));
  OpCost dense = fc1;
  dense.grouped = false;
  CHECK(rl.time(dense) == Approx(407.1e-6).epsilon(1e-3));
}

TEST_CASE("Roofline: mxfp8 needs a GPU whose kernels run mxfp8", "[moe][fp8]") {
  CHECK_THROWS_AS(Roofline(load_gpu("h100-sxm"), 1, Precision::kMxfp8), InputError);
  CHECK_NOTHROW(Roofline(load_gpu("b200"), 2, Precision::kMxfp8));
}

TEST_CASE("EP dispatch: distinct destinations and DeepEP-style exchange time", "[moe][ep]") {
  // One group: every token goes there. 8 experts over 8 ranks, top-2: always 2 distinct ranks.
  CHECK(distinct_groups(256, 8, 1) == 1.0);
  CHECK(distinct_groups(8, 2, 8) == Approx(2.0));
  // DeepSeek-V3: 256 experts over 8 ranks, top-8: 8 * (1 - prod_{i<8} (224 - i)/(256 - i)) = 5.2947.
  CHECK(distinct_groups(256, 8, 8) == Approx(5.2947).epsilon(1e-4));
  DispatcherEfficiency f;
  f.scale_up.value = 0.633;
  f.scale_out.value = 1.01;
  EpExchange x;
  x.tokens = 4096, x.hidden = 7168, x.experts = 256, x.top_k = 8, x.ep = 8, x.nodes = 1;
  x.scale_up_bw = 200e9, x.nic_bw = 50e9, x.bytes_per_element = 1.0 + 4.0 / 128.0;
  // 4096 * 5.2947 * 7168 * 1.03125 = 160.3 MB at 0.633 * 200 GB/s = 1.266 ms.
  CHECK(ep_exchange_time(x, f) == Approx(1.2663e-3).epsilon(1e-3));
  // EP 16 on 2 nodes: remote nodes 2 * (1 - prod (128 - i)/(256 - i)) / 2 = 0.99651; 30.17 MB at 50.5 GB/s.
  x.ep = 16, x.nodes = 2;
  CHECK(ep_exchange_time(x, f) == Approx(0.5975e-3).epsilon(1e-3));
}
