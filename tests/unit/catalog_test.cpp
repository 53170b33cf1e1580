// Catalog entries for Blackwell Ultra (B300, GB300), the built-in models added for the 2026-12 validation rows,
// the model key moe.layer_step, and Megatron-Bridge's model-FLOPs count; expected values are computed by hand in
// the comments.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/data_path.hpp"
#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "study/validate_training.hpp"
#include "topo/system_loader.hpp"
#include "train/layer_ops.hpp"
#include "train/model_spec.hpp"

using namespace commsim;
using Catch::Matchers::Contains;

TEST_CASE("b300 and gb300 carry the dense rates derived from the sparse datasheet figures", "[catalog]") {
  // HGX B300: FP16/BF16 36 PF and FP8 72 PF per 8 GPUs with 2:4 sparsity -> 36e15 / 8 / 2 = 2.25e15, 4.5e15.
  const GpuSpec b = load_gpu("b300");
  CHECK(b.bf16_flops.value == Approx(2.25e15));
  REQUIRE(b.fp8_flops);
  CHECK(b.fp8_flops->value == Approx(4.5e15));
  // 275040 MiB = 275040 * 1048576 B = 288.40e9 B (nvidia-smi total as reported: a claim, not a measurement here).
  CHECK(b.memory_bytes.value == Approx(275040.0 * 1048576.0));
  CHECK(b.memory_bytes.provenance.kind == "claim");
  CHECK(b.nic_speed.value == Approx(800e9 / 8));  // ConnectX-8 800 Gb/s = 100 GB/s
  // GB300 NVL72: BF16 360 PF, FP8 720 PF per rack with sparsity -> / 72 / 2 = 2.5e15, 5e15 (the GB200 rates).
  const GpuSpec g = load_gpu("gb300");
  CHECK(g.bf16_flops.value == Approx(2.5e15));
  REQUIRE(g.fp8_flops);
  CHECK(g.fp8_flops->value == Approx(5e15));
  CHECK(load_gpu("gb200").fp8_flops->value == Approx(g.fp8_flops->value));
  CHECK(load_system("gb300-nvl72").name == "gb300-nvl72");
  CHECK(load_system("dgx-b300").name == "dgx-b300");
}

TEST_CASE("parameter counts of the models added for the 2026-12 rows", "[catalog][train]") {
  // llama4-scout: layer = attn 5120*128*(2*40 + 2*8) = 62,914,560 + 16 experts * 3*5120*8192 = 2,013,265,920
  //   + shared 125,829,120 + router 5120*16 = 81,920 + norms 10,240 = 2,202,101,760; x48 = 105,700,884,480;
  //   + 2*202048*5120 = 2,068,971,520 + 5,120 = 107,769,861,120.
  //   active: (62,914,560 + 2*125,829,120 + 81,920 + 10,240) * 48 + 2,068,976,640 = 17,172,894,720.
  const ModelSpec s = load_model("llama4-scout");
  CHECK(s.total_params() == Approx(107769861120.0));
  CHECK(s.active_params() == Approx(17172894720.0));
  // gpt-oss-20b: (2880*64*144 + 32*3*2880^2 + 2880*32 + 2*2880) * 24 + 2*201088*2880 + 2880 = 20,907,927,360.
  CHECK(load_model("gpt-oss-20b").total_params() == Approx(20907927360.0));
  // nemotron4-340b (squared ReLU: 2 matrices): (18432*192*(192+16) + 2*18432*73728 + 2*18432) * 96
  //   + 2*256000*18432 + 18432 = 341,025,638,400.
  const ModelSpec n = load_model("nemotron4-340b");
  CHECK(n.activation == Activation::kSquaredRelu);
  CHECK(n.total_params() == Approx(341025638400.0));
}

TEST_CASE("moe.layer_step must be a whole number of at least 1, named in the error", "[catalog][train]") {
  auto model = [](const std::string& step) {
    YamlMap m(load_yaml_string("name: x\nlayers: 4\nhidden: 64\nheads: 4\nffn_hidden: 64\nvocab: 10\n"
                               "moe: {experts: 4, top_k: 1, expert_ffn_hidden: 32, layer_step: " + step + "}\n",
                               "m.yaml"),
              "m.yaml");
    return parse_model(m);
  };
  CHECK(model("2").moe_layers() == 2);
  CHECK_THROWS_WITH(model("0"), Contains("key 'moe.layer_step': must be at least 1, got 0"));
  CHECK_THROWS_WITH(model("1.5"), Contains("key 'moe.layer_step'"));
}

TEST_CASE("Megatron-Bridge model FLOPs count the attention core causally", "[catalog][train]") {
  // llama3-70b, s 4096: linear 80 * (150,994,944 + 704,643,072) = 68,451,041,280 params -> 2x = 136,902,082,560;
  // logits 2*8192*128256 = 2,101,346,304; causal attention 80 * 2*4096*(8192+8192) / 2 = 5,368,709,120;
  // x3 (fwd + bwd) = 433,116,413,952 FLOPs per token. Megatron-Bridge 26.06 SFT row: 710 TFLOP/s at
  // 1638 tok/s/GPU = 433.5e9 per token (0.08% apart, the table's rounding).
  const ModelSpec l = load_model("llama3-70b");
  CHECK(megatron_bridge_flops_per_token(l, 4096) == Approx(433116413952.0));
  CHECK(megatron_bridge_flops_per_token(l, 4096) == Approx(710e12 / 1638).epsilon(0.002));
}

TEST_CASE("every row of the 82-row public training file maps to a system and a model or is excluded", "[catalog]") {
  const TrainingValidationReport rep = validate_training(data_file("tests/data/validation/training_public.csv"));
  CHECK(rep.rows.size() + rep.excluded.size() == 82);
  CHECK(rep.excluded.size() == 5);  // MCORE strong scaling, 3 Nemotron-3 (Mamba), 1 smoke run
  int b300 = 0, gb300 = 0;
  for (const auto& r : rep.rows) {
    b300 += r.system == "dgx-b300";
    gb300 += r.system == "gb300-nvl72";
  }
  CHECK(b300 == 4);   // 5 DGX B300 rows less the excluded Nemotron 3 Super row
  CHECK(gb300 == 6);  // DSV3 x2, Kimi-K2, Llama 3.1 405B, Llama 3 70B FSDP, Qwen3-235B
}
