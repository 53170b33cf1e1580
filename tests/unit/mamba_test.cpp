// Hybrid Mamba-2 models (model_spec.hpp hybrid_pattern, mamba_ops.hpp, activation_memory.hpp) against
// hand-computed values: each comment states the arithmetic. The model: Nemotron 3 Nano 30B-A3B.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/yaml_reader.hpp"
#include "train/activation_memory.hpp"
#include "train/estimator.hpp"
#include "train/layer_ops.hpp"
#include "train/mamba_ops.hpp"
#include "train/pipeline_layout.hpp"
#include "train/tp_overlap.hpp"

using namespace commsim;
using Catch::Matchers::Contains;

namespace {
TrainConfig nano(int gpus, int tp, int ep) {
  TrainConfig c;
  c.model = load_model("nemotron3-nano-30b-a3b");
  c.has_model = true;
  c.system = "dgx-h100";
  c.gpus = gpus;
  c.par.tp = tp;
  c.par.ep = ep;
  c.train.seq_len = 8192;
  c.train.global_batch = 1024;
  c.train.micro_batch = 1;
  c.train.precision = Precision::kFp8;
  c.train.recompute = Recompute::kNone;
  return c;
}
ModelSpec parse(const std::string& extra) {
  YamlMap m(load_yaml_string("name: x\nlayers: 4\nhidden: 64\nheads: 4\nvocab: 10\n" + extra, "m.yaml"), "m.yaml");
  return parse_model(m);
}
}  // namespace

TEST_CASE("Nemotron 3 Nano: block kinds and parameter counts", "[train][mamba]") {
  const ModelSpec m = load_model("nemotron3-nano-30b-a3b");
  REQUIRE(m.hybrid());
  CHECK(m.layers_of(LayerKind::kMamba) == 23);
  CHECK(m.layers_of(LayerKind::kMoeMlp) == 23);
  CHECK(m.layers_of(LayerKind::kAttention) == 6);
  CHECK(m.layers_of(LayerKind::kDense) == 0);
  CHECK(m.moe_layers() == 23);
  CHECK(m.attention_layers() == 6);
  CHECK(m.layer_kind(0) == LayerKind::kMamba);
  CHECK(m.layer_kind(1) == LayerKind::kMoeMlp);
  CHECK(m.layer_kind(5) == LayerKind::kAttention);
  CHECK(m.is_moe_layer(1));
  CHECK_FALSE(m.is_moe_layer(0));
  // Mamba-2 mixer, h 2688, di 64*64 = 4096, gN 8*128 = 1024, H 64, conv 4:
  //   2688*(8192 + 2048 + 64) + 6144*5 + 192 + 4096 + 4096*2688 = 27,697,152 + 30,720 + 192 + 4,096 + 11,010,048
  CHECK(m.mamba_params() == 38742208.0);
  // Attention 2688*128*(64 + 4) = 23,396,352; MoE 2688*128 + 128*2*2688*1856 + 2*2688*3712 = 1,297,399,296 (active:
  // 6 experts: 99,890,688); embeddings 2*131072*2688; each block its norm (2688), one final norm:
  //   23*(38,742,208 + 2,688) + 6*(23,396,352 + 2,688) + 23*(1,297,399,296 + 2,688) + 704,643,072 + 2,688
  CHECK(m.total_params() == 31577937344.0);
  CHECK(m.active_params() == 3580073408.0);
  // The card's 3.2B active is without the output layer: 3,580,073,408 - 131072*2688.
  CHECK(m.active_params() - 131072.0 * 2688 == 3227751872.0);
}

TEST_CASE("Mamba-2 SSD scan: FLOPs and bytes per token", "[train][mamba]") {
  const MambaSpec b = *load_model("nemotron3-nano-30b-a3b").mamba;
  // Q 128, N 128, g 8, P 64, H 64: 2*128*128*8 + 2*128*64*64 + 4*128*64*64 = 262,144 + 1,048,576 + 2,097,152
  CHECK(mamba_ssd_flops_per_token(b, 1) == 3407872.0);
  CHECK(mamba_ssd_flops_per_token(b, 2) == 3407872.0 / 2);
  // 4*(4096 + 2048) + 2*4096 + 16*64*64*128/128 + 8*128*8 + 12*64 = 24,576 + 8,192 + 65,536 + 8,192 + 768
  CHECK(mamba_ssd_bytes_per_token(b, 1) == 107264.0);
}

TEST_CASE("a Mamba-2 block's ops: in_proj shape, the scan, TP split", "[train][mamba]") {
  const ModelSpec m = load_model("nemotron3-nano-30b-a3b");
  LocalShape s;
  s.tokens = 8192;
  s.seq_kv = 8192;
  s.tp = 2;
  const std::vector<OpCost> ops = layer_forward_ops(m, LayerKind::kMamba, s);
  auto find = [&](const std::string& name) {
    for (const OpCost& o : ops)
      if (o.name == name) return o;
    FAIL("no op " << name);
    return OpCost{};
  };
  // in_proj T x (2*4096 + 2*1024 + 64)/2 x h = 8192 x 5152 x 2688
  const OpCost in = find("mamba.in_proj");
  CHECK(in.shape.m == 8192);
  CHECK(in.shape.n == 5152);
  CHECK(in.shape.k == 2688);
  CHECK(find("mamba.out_proj").shape.k == 2048);
  CHECK(find("mamba.ssd").flops == 8192 * 3407872.0 / 2);
  CHECK(find("mamba.conv1d").bytes == 2.0 * 2 * 8192 * 6144 / 2);
  for (const OpCost& o : ops) CHECK(o.unit != OpUnit::kAttention);  // no attention core in a Mamba block
  // A hybrid attention block has no MLP; an MoE block no attention.
  for (const OpCost& o : layer_forward_ops(m, LayerKind::kAttention, s)) CHECK(o.name.rfind("experts", 0) != 0);
  for (const OpCost& o : layer_forward_ops(m, LayerKind::kMoeMlp, s)) CHECK(o.unit != OpUnit::kAttention);
}

TEST_CASE("activations of hybrid blocks", "[memory][mamba]") {
  TrainConfig c = nano(16, 1, 8);
  // Mamba block, t 1, no SP, fp8 (norm output cached in 1 B), bytes per token: norm input 2h = 5376, norm
  // output h = 2688, in_proj output 2*10304 = 20608, conv output 2*6144 = 12288, dt 4*64 = 256, y 2*4096 =
  // 8192, gated norm output 4096 -> 53,504
  CHECK(layer_activation_bytes(c.model, LayerKind::kMamba, c.par, c.train) == 8192.0 * 53504);
  // Attention block: norm 5376 + 2688; Q, K, V 2*(4096 + 256) + 2*256 = 9216; O 2*4096 = 8192 -> 25,472
  CHECK(layer_activation_bytes(c.model, LayerKind::kAttention, c.par, c.train) == 8192.0 * 25472);
  // Full recompute keeps the block input only: 2h.
  c.train.recompute = Recompute::kFull;
  CHECK(layer_activation_bytes(c.model, LayerKind::kMamba, c.par, c.train) == 8192.0 * 5376);
}

TEST_CASE("hybrid stages count each kind, and TP overlap pairs one region per block", "[train][mamba]") {
  TrainConfig c = nano(16, 1, 8);
  c.par.pp = 4;
  const std::vector<Stage> st = pipeline_stages(c.model, c.par);
  int mamba = 0, moe = 0, attn = 0;
  for (const Stage& s : st) {
    CHECK(s.layers == 13);
    mamba += s.count(LayerKind::kMamba), moe += s.moe_layers(), attn += s.count(LayerKind::kAttention);
  }
  CHECK(mamba == 23);
  CHECK(moe == 23);
  CHECK(attn == 6);
  // AG 3, RS 2, one region (mixer) with G_qkv 1, G_o 2: forward (3-1) + 0, backward (3-2) + (2-1) -> 4;
  // the absent MLP region's collectives (no fc1/fc2 GEMM to hide behind) would add 3 + 2 + 3 + 2 = 10.
  TpPairGemms g;
  g.qkv = 1, g.out_proj = 2, g.mlp = false;
  CHECK(g.regions() == 1);
  CHECK(tp_exposed_sp(3, 2, g, 1) == 4.0);
  CHECK(tp_exposed_ar(5, g, 1) == (5 - 2) + (5 - 1));
  g.mlp = true;
  CHECK(tp_exposed_sp(3, 2, g, 1) == 14.0);
}

TEST_CASE("Nemotron 3 Nano on 16 H100: the published layout runs, and its model FLOPs per token", "[train][mamba]") {
  TrainConfig c = nano(16, 1, 8);
  // 6 * matmul params + 3 * (attention cores + SSD scans) + 6hV: matmul params 3,580,073,408 - embeddings
  // 704,643,072 - norms 53*2688 - Mamba non-GEMM 23*(6144*5 + 192 + 4096); attention 6 * 2*8192*8192;
  // SSD 23 * 3,407,872 -> 22,011,887,616 (Megatron-Bridge's table: 328 TFLOP/s at 14,719 tok/s/GPU, 22.28e9)
  CHECK(model_flops_per_token(c.model, 8192) == Approx(22011887616.0).epsilon(1e-12));
  const TrainEstimate e = estimate_training(c);
  CHECK(e.step_time_s > 0);
  CHECK(e.tokens_per_step == 1024.0 * 8192);
  // A Mamba-2 block holds more than an attention block, and the step's memory counts every kind.
  CHECK(e.memory.activations > 0);
}

TEST_CASE("hybrid model and layout errors name the key", "[train][mamba]") {
  const std::string mb = "mamba: {heads: 8, head_dim: 16, state: 16, groups: 2}\n";
  CHECK(parse("hybrid_pattern: \"M*M-\"\nffn_hidden: 64\n" + mb).layers_of(LayerKind::kMlp) == 1);
  CHECK_THROWS_WITH(parse("hybrid_pattern: \"M*MX\"\n" + mb), Contains("key 'hybrid_pattern'") && Contains("one of M"));
  CHECK_THROWS_WITH(parse("hybrid_pattern: \"M*M\"\n" + mb), Contains("3 blocks in hybrid_pattern where layers is 4"));
  CHECK_THROWS_WITH(parse("hybrid_pattern: \"M*M*\"\n"), Contains("no mamba: section"));
  CHECK_THROWS_WITH(parse("hybrid_pattern: \"M*ME\"\n" + mb), Contains("no moe: section"));
  CHECK_THROWS_WITH(parse("hybrid_pattern: \"M*M-\"\n" + mb), Contains("key 'ffn_hidden'"));  // '-' needs a width
  CHECK_THROWS_WITH(parse("hybrid_pattern: \"M*M*\"\nmtp_layers: 1\n" + mb), Contains("key 'mtp_layers'"));
  CHECK_THROWS_WITH(parse("ffn_hidden: 64\n" + mb), Contains("key 'mamba'") && Contains("hybrid_pattern"));
  CHECK_THROWS_WITH(parse("hybrid_pattern: \"M*M*\"\nmamba: {heads: 6, groups: 4}\n"), Contains("key 'mamba.groups'"));

  TrainConfig c = nano(4, 4, 1);  // tp 4 divides the 4 attention heads, not the 2 Mamba groups
  c.model = parse("hybrid_pattern: \"M*M*\"\n" + mb);
  c.train.global_batch = 64;
  CHECK_THROWS_WITH(check_layout(c, 4), Contains("parallelism.tp: 4 does not divide the Mamba-2 groups (2)"));
  c = nano(16, 1, 8);
  c.par.cp = 2;
  CHECK_THROWS_WITH(check_layout(c, 16), Contains("parallelism.cp: context parallelism over Mamba-2 layers is not modelled"));
}
