// Catalog entries for Blackwell Ultra (B300, GB300), the built-in models added for the 2026-12 validation rows
// and after them (moe.layer_step, Llama 4 Maverick, DeepSeek-V2, Qwen, Mistral), the validation mappings' model
// rules, and Megatron-Bridge's model-FLOPs count; expected values are computed by hand in the comments.
#include <algorithm>
#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>
#include <vector>

#include "core/data_path.hpp"
#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "study/mapping_rules.hpp"
#include "study/training_mapping.hpp"
#include "study/validate_training.hpp"
#include "topo/system_loader.hpp"
#include "train/layer_ops.hpp"
#include "train/model_spec.hpp"
#include "train/pipeline_layout.hpp"

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

// MoE models a published row may name (session 51; their shapes are not in ../shared): each checked against
// the total and active parameter counts its publisher prints (rounded there: 2% and 6%; GLM-4.5's active
// count leaves out the embedding, and its total the MTP layer).
TEST_CASE("the MoE models added in session 51 match their published counts", "[catalog][train]") {
  struct Published {
    const char* name;
    double total_b, active_b;
  };
  for (const Published& p : {Published{"qwen2-57b-a14b", 57, 14},
                             {"qwen1.5-moe-a2.7b", 14.3, 2.7},
                             {"deepseek-moe-16b", 16.4, 2.8},
                             {"olmoe-1b-7b", 6.9, 1.3},
                             {"dbrx", 132, 36},
                             {"grok-1", 314, 314 * 0.25 + 3.5},
                             {"qwen3-coder-480b-a35b", 480, 35},
                             {"glm-4.5", 355, 32 + 1.55},
                             {"glm-4.5-air", 106, 12 + 1.24},
                             {"phi-3.5-moe", 42, 6.6}}) {
    INFO(p.name);
    const ModelSpec m = load_model(p.name);
    REQUIRE(m.moe);
    CHECK(m.total_params() / 1e9 == Approx(p.total_b).epsilon(0.02));
    CHECK(m.active_params() / 1e9 == Approx(p.active_b).epsilon(0.06));
  }
}

TEST_CASE("moe.layer_step interleaves MoE and dense layers", "[catalog][train]") {
  // llama4-maverick: step 2, no leading dense layers -> layers 1, 3, ..., 47 MoE (HF (layer_idx + 1) % 2 == 0).
  const ModelSpec m = load_model("llama4-maverick");
  REQUIRE(m.moe);
  CHECK(m.moe->layer_step == 2);
  CHECK_FALSE(m.is_moe_layer(0));
  CHECK(m.is_moe_layer(1));
  CHECK_FALSE(m.is_moe_layer(46));
  CHECK(m.is_moe_layer(47));
  CHECK(m.moe_layers() == 24);
  int counted = 0;
  for (int l = 0; l < m.layers; ++l) counted += m.is_moe_layer(l);
  CHECK(counted == m.moe_layers());
  // Step 3 after 2 dense layers, 10 layers: MoE iff l >= 2 and (l - 1) % 3 == 0 -> 4, 7; (10 - 2) / 3 = 2.
  ModelSpec t = m;
  t.layers = 10;
  t.moe->dense_layers = 2;
  t.moe->layer_step = 3;
  std::vector<int> moe;
  for (int l = 0; l < t.layers; ++l)
    if (t.is_moe_layer(l)) moe.push_back(l);
  CHECK(moe == std::vector<int>{4, 7});
  CHECK(t.moe_layers() == 2);
  // Pipeline stages count each kind per layer: pp 4 of 12 layers -> every stage 6 dense + 6 MoE.
  Parallelism p;
  p.pp = 4;
  for (const Stage& st : pipeline_stages(m, p)) {
    CHECK(st.count(LayerKind::kDense) == 6);
    CHECK(st.moe_layers() == 6);
  }
  // Interleaved, VPP 4: 3-layer chunks dealt chunk-major (stage 0: 0-2, 12-14, 24-26, 36-38; stage 1: 3-5,
  // 15-17, 27-29, 39-41; ...). MoE are the odd layers: stages 0 and 2 hold 4 of them, stages 1 and 3 hold 8.
  p.vpp = 4;
  const std::vector<Stage> v = pipeline_stages(m, p);
  const std::vector<int> moe_per_stage = {4, 8, 4, 8};
  for (std::size_t i = 0; i < v.size(); ++i) {
    CHECK(v[i].layers == 12);
    CHECK(v[i].moe_layers() == moe_per_stage[i]);
    CHECK(v[i].count(LayerKind::kDense) == 12 - moe_per_stage[i]);
  }
  // DeepSeek-V3's 3 leading dense layers stay on stage 0 (its first chunk holds layers 0-3 at PP 8, VPP 2).
  const ModelSpec d3 = load_model("deepseek-v3");
  Parallelism pd;
  pd.pp = 8;
  pd.vpp = 2;
  pd.first_stage_layers = 8;
  pd.last_stage_layers = 5;
  const std::vector<Stage> sd = pipeline_stages(d3, pd);
  CHECK(sd.front().count(LayerKind::kDense) == 3);
  for (std::size_t i = 1; i < sd.size(); ++i) CHECK(sd[i].count(LayerKind::kDense) == 0);
  // The default step is every layer after the dense ones (deepseek-v3: 3 dense + 58 MoE).
  const ModelSpec d = load_model("deepseek-v3");
  CHECK(d.moe->layer_step == 1);
  CHECK(d.moe_layers() == 58);
  CHECK(d.is_moe_layer(3));
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
  // A step past the layers after the dense ones left a MoE model with no MoE layer, exit 0.
  CHECK(model("4").moe_layers() == 1);
  CHECK_THROWS_WITH(model("5"), Contains("key 'moe.layer_step': layer_step 5 leaves no MoE layer (4 layer(s) after the dense ones"));
}

TEST_CASE("parameter counts of the llama4-maverick, nemotron4-15b, deepseek-v2, qwen and mistral models", "[catalog][train]") {
  // llama4-maverick: attn 5120*128*(2*40 + 2*8) = 62,914,560 (every layer).
  //   dense layer (24): 62,914,560 + 3*5120*16384 = 251,658,240 + norms 10,240 = 314,583,040; x24 = 7,549,992,960.
  //   MoE layer (24): 62,914,560 + router 5120*128 = 655,360 + 128 * 3*5120*8192 (125,829,120) = 16,106,127,360
  //     + shared 125,829,120 + norms 10,240 = 16,295,536,640; x24 = 391,092,879,360.
  //   + 2*202048*5120 = 2,068,971,520 + final norm 5,120 -> 400,711,848,960 (Meta: ~400B).
  //   active MoE layer: 62,914,560 + 655,360 + 2*125,829,120 + 10,240 = 315,238,400; x24 = 7,565,721,600
  //     + 7,549,992,960 + 2,068,971,520 + 5,120 = 17,184,691,200 (Meta: 17B).
  const ModelSpec m = load_model("llama4-maverick");
  CHECK(m.total_params() == Approx(400711848960.0));
  CHECK(m.active_params() == Approx(17184691200.0));
  CHECK(m.expert_params() == Approx(24.0 * 128 * 125829120.0));
  // nemotron4-15b (squared ReLU): (6144*128*(96+16) + 2*6144*24576 + 2*6144) * 32 + 2*256000*6144 + 6144
  //   = 390,082,560 * 32 + 3,145,728,000 + 6,144 = 15,628,376,064 (report: 12.5B non-embedding + 3.2B).
  CHECK(load_model("nemotron4-15b").total_params() == Approx(15628376064.0));
  // deepseek-v2: MLA 5120*1536 + 1536*128*192 + 5120*576 + 512*128*256 + 128*128*5120 = 149,225,472;
  //   expert 3*5120*1536 = 23,592,960; MoE layer 149,225,472 + 5120*160 + 160*23,592,960 + 2*23,592,960 + 10,240
  //   = 3,972,114,432 (x59); dense layer 149,225,472 + 3*5120*12288 + 10,240 = 337,979,392 (x1);
  //   + 2*102400*5120 = 1,048,576,000 + 5,120 -> 235,741,312,000; active MoE layer 149,225,472 + 819,200
  //   + 8*23,592,960 + 10,240 = 338,798,592 -> 21,375,677,440 (report: 236B, 21B).
  const ModelSpec v2 = load_model("deepseek-v2");
  CHECK(v2.total_params() == Approx(235741312000.0));
  CHECK(v2.active_params() == Approx(21375677440.0));
  // deepseek-v2-lite (no q compression): MLA 2048*16*192 + 2048*576 + 512*16*256 + 16*128*2048 = 13,762,560;
  //   expert 3*2048*1408 = 8,650,752; MoE layer 13,762,560 + 2048*64 + 66*8,650,752 + 4,096 = 584,847,360 (x26);
  //   dense 13,762,560 + 3*2048*10944 + 4,096 = 81,006,592; + 2*102400*2048 = 419,430,400 + 2,048
  //   -> 15,706,470,400; active MoE layer 13,762,560 + 131,072 + 8*8,650,752 + 4,096 = 83,103,744
  //   -> 2,661,136,384 (report: 15.7B, 2.4B without the input embedding: 2.45B here).
  const ModelSpec lite = load_model("deepseek-v2-lite");
  CHECK(lite.total_params() == Approx(15706470400.0));
  CHECK(lite.active_params() == Approx(2661136384.0));
  // qwen3-8b: (4096*128*(64+16) + 3*4096*12288 + 2*4096) * 36 + 2*151936*4096 + 4096 = 8,190,726,144.
  CHECK(load_model("qwen3-8b").total_params() == Approx(8190726144.0));
  // qwen3-32b: (5120*128*(128+16) + 3*5120*25600 + 2*5120) * 64 + 2*151936*5120 + 5120 = 32,762,106,880.
  CHECK(load_model("qwen3-32b").total_params() == Approx(32762106880.0));
  // qwen2.5-72b: (8192*128*(128+16) + 3*8192*29568 + 2*8192) * 80 + 2*152064*8192 + 8192 = 72,705,384,448.
  CHECK(load_model("qwen2.5-72b").total_params() == Approx(72705384448.0));
  // mistral-7b: (4096*128*(64+16) + 3*4096*14336 + 2*4096) * 32 + 2*32000*4096 + 4096 = 7,241,732,096.
  CHECK(load_model("mistral-7b").total_params() == Approx(7241732096.0));
}

TEST_CASE("the validation mappings send each new model's spellings to it, before the generic rules", "[catalog]") {
  const std::vector<std::pair<std::string, std::string>> names = {
      {"Llama 4 Maverick", "llama4-maverick"},
      {"Llama-4-Maverick-17B-128E", "llama4-maverick"},
      {"Nemotron-4 15B", "nemotron4-15b"},
      {"Nemotron4 15B", "nemotron4-15b"},
      {"Nemotron4-15B", "nemotron4-15b"},
      {"DeepSeek-V2-Lite", "deepseek-v2-lite"},
      {"DeepSeek-V2", "deepseek-v2"},
      {"Qwen3-8B", "qwen3-8b"},
      {"Qwen3 32B", "qwen3-32b"},
      {"Qwen2.5-72B", "qwen2.5-72b"},
      {"Mistral 7B", "mistral-7b"},
      {"Llama 3.1 8B", "llama3-8b"},
      {"Llama 4 Scout (LLM part)", "llama4-scout"},
      {"Qwen3-30B-A3B", "qwen3-30b-a3b"},
      {"DeepSeek-R1", "deepseek-v3"},
      {"LLAMA3_70B", "llama3-70b"},
      {"Ministral-8B", ""},  // a generic size rule is a Llama's (helper-128: it took Llama 3 8B's shape)
      {"Pythia 2.8B", ""},
      {"Nemotron-15B", "nemotron4-15b"},  // NeMo 24.09-25.04 tables' names (helper-131: refused)
      {"Nemotron-340B", "nemotron4-340b"}};
  const TrainingMapping map = load_training_mapping(data_file("configs/validation/training-systems.yaml"));
  // memory-mapping.yaml keeps the same rules (its inline models aside): read its name rules as written.
  std::vector<ModelRule> memory;
  for (const YAML::Node& r : load_yaml_file(data_file("configs/validation/memory-mapping.yaml"))["models"])
    if (r["model"].IsScalar()) memory.push_back({r["match"].as<std::string>(), r["model"].as<std::string>(), {}});
  auto first_match = [](const std::vector<ModelRule>& rules, const std::string& name) {
    for (const ModelRule& r : rules)
      if (names_model(name, r.match)) return r.model;  // as the mappings match (study/mapping_rules.hpp)
    return std::string();
  };
  for (const auto& [name, model] : names) {
    INFO(name);
    CHECK(first_match(map.models, name) == model);
    CHECK(first_match(memory, name) == model);
  }
}

TEST_CASE("a validation model rule with sizes gives the size nearest the row's params_B", "[catalog]") {
  const TrainingMapping map = load_training_mapping(data_file("configs/validation/training-systems.yaml"));
  const auto mpt = std::find_if(map.models.begin(), map.models.end(), [](const ModelRule& r) { return r.match == "MPT"; });
  REQUIRE(mpt != map.models.end());
  // llm-foundry's table: mpt-7b counts 6.65B here, mpt-13b 12.84B, mpt-1b 1.31B, mpt-125m 0.124B.
  CHECK(rule_model(*mpt, 6.66) == std::optional<std::string>("mpt-7b"));
  CHECK(rule_model(*mpt, 64.9) == std::optional<std::string>("mpt-70b"));
  CHECK(rule_model(*mpt, 12.85) == std::optional<std::string>("mpt-13b"));
  CHECK(rule_model(*mpt, 1.32) == std::optional<std::string>("mpt-1b"));
  CHECK(rule_model(*mpt, 0.125) == std::optional<std::string>("mpt-125m"));
  CHECK(rule_model(*mpt, 2.0) == std::optional<std::string>("mpt-3b"));  // by ratio: 2.65/2.0 < 2.0/1.31
  CHECK_FALSE(rule_model(*mpt, std::nullopt));                           // no params_B: no size to pick
  CHECK_FALSE(rule_model(*mpt, 0.0));
  const ModelRule plain{"Mixtral 8x7B", "mixtral-8x7b", {}};
  CHECK(rule_model(plain, std::nullopt) == std::optional<std::string>("mixtral-8x7b"));
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
  CHECK(rep.excluded.size() == 4);  // MCORE strong scaling, 2 Nemotron 3 Super (LatentMoE), 1 smoke run
  int b300 = 0, gb300 = 0;
  for (const auto& r : rep.rows) {
    b300 += r.system == "dgx-b300";
    gb300 += r.system == "gb300-nvl72";
  }
  CHECK(b300 == 4);   // 5 DGX B300 rows less the excluded Nemotron 3 Super row
  CHECK(gb300 == 6);  // DSV3 x2, Kimi-K2, Llama 3.1 405B, Llama 3 70B FSDP, Qwen3-235B
}

TEST_CASE("a name holding '/' or ending in .yaml is a file, found beside the file naming it", "[catalog]") {
  CHECK(names_a_file("mybox.yaml"));
  CHECK(names_a_file("sub/mybox"));
  CHECK(names_a_file("./x"));
  CHECK_FALSE(names_a_file("dgx-h100"));
  CHECK_FALSE(names_a_file(".yaml"));  // the suffix alone is no file name
  CHECK_FALSE(names_a_file("x.yaml.bak"));
  // a config beside another, named by its bare file name
  const std::string referrer = data_file("configs/train/llama3-70b-h100.yaml");
  const std::string found = path_beside(referrer, "llama3-70b-h200.yaml");
  CHECK(found == data_file("configs/train/llama3-70b-h200.yaml"));
  CHECK(path_beside(referrer, "no-such.yaml") ==
        "no-such.yaml");                                   // left as given: resolve names it not found
  CHECK(path_beside(referrer, "dgx-h100") == "dgx-h100");  // a catalog name is no path
  CHECK(path_beside("--set", "llama3-70b-h200.yaml") == "llama3-70b-h200.yaml");  // a flag is no directory
}
