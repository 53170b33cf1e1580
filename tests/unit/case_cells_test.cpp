// The cells of a validation CSV row (study/case_cells.hpp): what each cell reads as, by hand, and the error
// that names file, line and column for one that does not read.
#include "study/case_cells.hpp"

#include <catch2/catch.hpp>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "study/arch_model.hpp"
#include "study/interleave.hpp"
#include "study/kernel_cells.hpp"
#include "study/mapping_rules.hpp"
#include "study/row_model.hpp"
#include "train/recompute_modules.hpp"

using namespace commsim;

TEST_CASE("case cells: a count is a whole number, maybe with a note", "[validation][cells]") {
  CHECK(count_cell("8") == 8);
  CHECK(count_cell("2147483647") == 2147483647L);
  CHECK(count_cell("8192 (toml default; not stated)") == 8192);
  CHECK(count_cell(" 64 ") == 64);
  // Thousands separators, and binary thousands as papers write sequence lengths and GPU counts.
  CHECK(count_cell("16,384") == 16384);
  CHECK(count_cell("1,000,000") == 1000000);
  CHECK(count_cell("8K") == 8192);
  CHECK(count_cell("128k (long-context stage)") == 131072);
  // A whole number a spreadsheet exported with a decimal point.
  CHECK(count_cell("8.0") == 8);
  CHECK(count_cell("1.00") == 1);
  CHECK(count_cell("16,384.0") == 16384);
  CHECK(count_cell("4.0 (per GPU)") == 4);
  for (const char* bad :
       {"",    "0",       "-8",       "0.0",   "8.",         ".0",          "8.01",     "8.0.0",
        "2.5", "1e30",    "0x8",      "nan",   "2147483648", "99999999999", "8 GPUs",   "n/r",
        "(8)", "8 (note", "2,5",      "12,34", "1,2345",     ",384",        "1234,567", "K",
        "0K",  "8.5K",    "2097152K", "8M",    "0,512",      "00,512"})
    CHECK_FALSE(count_cell(bad).has_value());
}

TEST_CASE("case cells: a batch in sequences, or in tokens the cell names", "[validation][cells]") {
  CsvRow r;
  r.line = 2;
  r.fields = {{"case_id", "B"}, {"a", "16M tokens"}, {"b", "2048"}, {"c", "4M tokens (global)"}, {"d", "1000 tokens"},
              {"e", "7k tokens"}, {"f", "tokens"}};
  const CaseRow row(r, "mapping.yaml");
  CHECK(row.sequences("a", 8192) == 2048);  // the Llama 3 report's 16M-token batches of 8K sequences
  CHECK(row.sequences("b", 8192) == 2048);  // a plain count
  CHECK(row.sequences("c", 4096) == 1024);
  CHECK_THROWS_WITH(row.sequences("d", 4096), Catch::Contains("(1000 tokens) is not a whole number of 4096-token sequences"));
  CHECK_THROWS_WITH(row.sequences("e", 4096), Catch::Contains("is not a whole number of 4096-token sequences"));
  CHECK_THROWS_WITH(row.sequences("f", 4096), Catch::Contains("is not a number of tokens"));
  // helper-135: each of these stopped the file. A rounded decimal figure is in decimal units (16.8M = 2,048 x
  // 8,192 = 16.78 million), "~16M" rounded too: the roundest count within 2.5% (most factors of two); a note
  // after a count of sequences.
  CsvRow o;
  o.line = 3;
  o.fields = {{"case_id", "O"},         {"a", "16.8M tokens"},
              {"b", "~16M tokens"},     {"global_batch", "2048 sequences (16M tokens)"},
              {"seq_len", "8K tokens"}, {"num_gpus", "16384 H100s"},
              {"PP", "16 stages"},      {"DP", "128 replicas"},
              {"TP", "2 NVL72"}};
  const CaseRow other(o, "mapping.yaml");
  CHECK(other.sequences("a", 8192) == 2048);
  CHECK(other.sequences("b", 8192) == 2048);
  CHECK(other.sequences("global_batch", 8192) == 2048);
  CsvRow g = o;
  g.fields["a"] =
      "62.9M tokens";  // DeepSeek-V3's 15,360 x 4,096 (a binary reading made it 16,384: helper-138)
  CHECK(CaseRow(g, "mapping.yaml").sequences("a", 4096) == 15360);
  g.fields["a"] = "0.57M tokens";  // 280 x 2,048 = 573,440: within the printed digits' 0.9%, not 272's 2.5%
  CHECK(CaseRow(g, "mapping.yaml").sequences("a", 2048) == 280);
  g.fields["a"] = "7.9M tokens";  // 960 x 8,192 = 7.86 million
  CHECK(CaseRow(g, "mapping.yaml").sequences("a", 8192) == 960);
  g.fields["a"] = "31.5M tokens";  // 3,840 x 8,192 = 31.46 million, rounder than the binary 4,032 = 63 x 64
  CHECK(CaseRow(g, "mapping.yaml").sequences("a", 8192) == 3840);
  g.fields["a"] = "1.0M tokens";  // a whole figure: 1M binary, 128 at 8K (helper-137: 120)
  CHECK(CaseRow(g, "mapping.yaml").sequences("a", 8192) == 128);
  g.fields["a"] = "0.5M tokens";  // the binary reading's 64 is rounder than the decimal one's 60
  CHECK(CaseRow(g, "mapping.yaml").sequences("a", 8192) == 64);
  for (const char* nodes :
       {"16 H100x8", "16 H100-nodes", "16 GB200-trays"}) {  // boxes, not GPUs (helper-137)
    g.fields["num_gpus"] = nodes;
    INFO(nodes);
    CHECK_THROWS(CaseRow(g, "mapping.yaml").count("num_gpus"));
  }
  CHECK(other.count("seq_len") == 8192);
  CHECK(other.count("num_gpus") == 16384);
  CHECK(other.count("PP") == 16);
  CHECK(other.count("DP") == 128);
  CHECK_THROWS(other.count("TP"));  // racks are no count of TP ranks
}

TEST_CASE("case cells: VPP as layers per model chunk, or stages per rank", "[validation][cells]") {
  // helper-132: Megatron's --num-layers-per-virtual-pipeline-stage N is layers per chunk (read as VPP N)
  for (const char* cell :
       {"--num-layers-per-virtual-pipeline-stage 2", "interleaved (2 layers per virtual stage)",
        "num_layers_per_virtual_pipeline_stage: 2", "2 layers per chunk"}) {
    INFO(cell);
    const VppCell v = vpp_cell(cell);
    CHECK(v.understood);
    CHECK(v.layers_per_chunk == 2);
    CHECK_FALSE(v.vpp.has_value());
  }
  CHECK(vpp_cell("Interleaved 1F1B (2 stages per rank)").vpp == 2);
  CHECK(vpp_cell("interleaved, 4 chunks").vpp == 4);  // a count of chunks, as before
}

TEST_CASE("case cells: not reported is n/r, n/a, - or empty, maybe with a note", "[validation][cells]") {
  for (const char* nr : {"", "n/r", "N/R", "n/a", "-", "n/r (interleaved used for some)",
                         "n/r (local batch 32 per DP rank)", "interleaved (n/r)", "default", "Recipe default",
                         "framework default", "recipe-specific", "default (see recipe)"})
    CHECK(not_reported(nr));
  for (const char* said :
       {"8", "-8", "nan", "8.0", "interleaved", "n/r later", "interleaved ()", "default 8", "not default"})
    CHECK_FALSE(not_reported(said));
}

TEST_CASE("case cells: a number is the whole cell", "[validation][cells]") {
  CHECK(number_cell("137") == 137.0);
  CHECK(number_cell("20.14729") == 20.14729);
  CHECK(number_cell("668.0") == 668.0);
  CHECK(number_cell("1e3") == 1000.0);
  // Thousands separators in groups of three, as tables print a value: "1,048" tokens/s/GPU.
  CHECK(number_cell("1,048") == 1048.0);
  CHECK(number_cell("12,345.6") == 12345.6);
  CHECK(number_cell("1,234,567") == 1234567.0);
  for (const char* bad :
       {"", "137abc", "0x89", "137,5", "47 -> 42", "1 2", "1,0485", ",048", "1,04a", "1234,567", "1,234,56",
        "0,137", "000,137", "01,234", "0,001"})  // a decimal comma is not a separator: 0.137 read 137
    CHECK_FALSE(number_cell(bad).has_value());
}

TEST_CASE("case cells: a published figure may carry its unit, a note or a tilde", "[validation][cells]") {
  CHECK(quantity_cell("5993", "tokens/s/GPU") == 5993.0);
  CHECK(quantity_cell("5,993 (mean of 3 runs)", "tokens/s/GPU") == 5993.0);
  CHECK(quantity_cell("~5993", "tokens/s/GPU") == 5993.0);
  CHECK(quantity_cell("\xe2\x89\x88 5993", "tokens/s/GPU") == 5993.0);
  // The column's unit, or its start, in any usual spelling.
  CHECK(quantity_cell("5,993 tokens/s/GPU", "tokens/s/GPU") == 5993.0);
  CHECK(quantity_cell("5993 Tokens/s per GPU", "tokens/s/GPU") == 5993.0);
  CHECK(quantity_cell("5993 tok/s/gpu", "tokens/s/GPU") == 5993.0);
  CHECK(quantity_cell("412 TFLOPS", "TFLOPS/GPU") == 412.0);
  CHECK(quantity_cell("412 TFLOP/s", "TFLOPS/GPU") == 412.0);
  CHECK(quantity_cell("72.7%", "%") == 72.7);
  CHECK(quantity_cell("72.7 %", "%") == 72.7);
  CHECK(quantity_cell("82.4 GiB", "GiB") == 82.4);
  CHECK(quantity_cell("12 sec", "s") == 12.0);
  CHECK(quantity_cell("1.5 days", "days") == 1.5);
  CHECK(quantity_cell("2.1M GPU-hours", "GPU hours") == std::nullopt);  // a multiplier is not read
  CHECK(quantity_cell("2100 GPU-hours", "GPU hours") == 2100.0);
  // A rate of tokens or samples in thousands or millions, as tables print it (session 51: "9.8K" was no
  // number); not a time, a size or a percentage.
  CHECK(quantity_cell("9.8K", "tokens/s/GPU") == Approx(9800.0));
  CHECK(quantity_cell("12k", "tokens/s/GPU") == 12000.0);
  CHECK(quantity_cell("9.8 K", "tokens/s/GPU") == Approx(9800.0));
  // helper-175: "9.8 (K)" was 9.8 (the multiple taken for a note), "9.8K tok/s/GPU" no number.
  CHECK(quantity_cell("9.8 (K)", "tokens/s/GPU") == Approx(9800.0));
  CHECK(quantity_cell("9.8K tok/s/GPU", "tokens/s/GPU") == Approx(9800.0));
  CHECK(quantity_cell("1.2 M tokens/s", "tokens/s") == Approx(1.2e6));
  CHECK(quantity_cell("9.8 (K)", "s") == std::nullopt);
  // helper-179: a multiple in a note of its own words, or beside another note, was dropped (read as 16.8)
  for (const char* k : {"16.8 (k tok/s/GPU)", "16.8 (thousand tokens/s/GPU)", "16.8 (Thousand)", "16.8 (K) (avg)",
                        "16.8 (avg) (K)", "16.8 (x1000)"}) {
    INFO(k);
    CHECK(quantity_cell(k, "tokens/s/GPU") == Approx(16800.0));
  }
  CHECK(quantity_cell("16.8 (top-k 8)", "tokens/s/GPU") == Approx(16.8));  // prose, no multiple
  CHECK(quantity_cell("16.8 (k tok/s)", "tokens/s/GPU") == std::nullopt);  // another unit's thousands
  CHECK(quantity_cell("1.4 (avg) (K)", "s") == std::nullopt);
  // helper-180: the multiplication sign and a spaced factor
  CHECK(quantity_cell("5.113 (\xc3\x97"
                      "1000)",
                      "tokens/s/GPU") == Approx(5113.0));
  CHECK(quantity_cell("5.113 (x 1000)", "tokens/s/GPU") == Approx(5113.0));
  CHECK(quantity_cell("5.113 (\xc3\x97 1,000)", "tokens/s/GPU") == Approx(5113.0));
  CHECK(quantity_cell("5.113 (x1000)", "s") == std::nullopt);
  CHECK(quantity_cell("9.8K (K)", "tokens/s/GPU") == std::nullopt);
  CHECK(quantity_cell("9.8K tok/s", "tokens/s/GPU") == std::nullopt);  // another unit, as without the K
  CHECK(quantity_cell("~1.2M", "tokens/s") == Approx(1.2e6));
  CHECK(quantity_cell("3.5K", "samples/s") == 3500.0);
  for (const auto& [cell, unit] : {std::pair<const char*, const char*>{"1.5K", "s"},
                                   {"80K", "GiB"},
                                   {"5K", "%"},
                                   {"K", "tokens/s/GPU"},
                                   {"9.8G", "tokens/s"}})
    CHECK(quantity_cell(cell, unit) == std::nullopt);
  // A note that is only a unit is the value's unit (2026-12-06: "1420 (ms)" was 1420 s).
  CHECK(quantity_cell("1420 (ms)", "s") == std::nullopt);
  CHECK(quantity_cell("56.55 (GB)", "GiB") == std::nullopt);
  CHECK(quantity_cell("1420 (ms)", "ms") == 1420.0);
  CHECK(quantity_cell("5,993 (tok/s/GPU)", "tokens/s/GPU") == 5993.0);
  CHECK(quantity_cell("412 (TFLOPS)", "TFLOPS/GPU") == 412.0);
  CHECK(quantity_cell("12 (s)", "s") == 12.0);
  // Another unit, a range, text: none (the caller's error), never a number read off the front.
  for (const auto& [cell, unit] : {std::pair<const char*, const char*>{"12 ms", "s"},
                                   {"5993 tok/s/GPU", "tokens/s"},
                                   {"82.4 GB", "GiB"},
                                   {"5993 tok/s", "tokens/s/GPU"},
                                   {"22521 t", "tokens/s/GPU"},
                                   {"47 -> 42", "%"},
                                   {"412 TFLOPS/node", "TFLOPS/GPU"},
                                   {"about 5993", "tokens/s/GPU"},
                                   {"1e3 TFLOPS", "TFLOPS/GPU"},
                                   {"-5 %", "%"},
                                   {"5993 (", "tokens/s/GPU"},
                                   {"~", "%"},
                                   {"%", "%"}})
    CHECK_FALSE(quantity_cell(cell, unit).has_value());
}

TEST_CASE("case cells: precision names one commsim models", "[validation][cells]") {
  const Precision fp8 = Precision::kFp8Block;  // what the source's "FP8" means
  CHECK(precision_cell("bf16", fp8) == Precision::kBf16);
  CHECK(precision_cell("BF16", fp8) == Precision::kBf16);
  CHECK(precision_cell("bf16 (no float8 converter in toml)", fp8) == Precision::kBf16);
  // FP8 naming what is sent or cached, beside a 16-bit compute precision, is a bf16 run (helper-135)
  for (const char* bf16 : {"BF16 with FP8 communication", "BF16; FP8 dispatch",
                           "BF16 compute, FP8 all-to-all", "BF16 + FP8 KV"}) {
    INFO(bf16);
    CHECK(precision_cell(bf16, fp8) == Precision::kBf16);
  }
  CHECK(precision_cell("FP8 (BF16 communication)", fp8) == fp8);
  CHECK(precision_cell("FP8 all-gather, BF16 reduce-scatter", fp8) == fp8);  // FP8 parameters (helper-137)
  CHECK(precision_cell("fp16 mixed", fp8) == Precision::kFp16);
  CHECK(precision_cell("FP8 (per-tensor current scaling)", fp8) == Precision::kFp8Block);
  CHECK(precision_cell("fp8 linears + compile + AsyncTP", Precision::kFp8) == Precision::kFp8);
  CHECK(precision_cell("FP8 block-wise", Precision::kFp8) == Precision::kFp8Block);
  CHECK(precision_cell("MXFP8", fp8) == Precision::kMxfp8);
  CHECK(precision_cell("FP8-MX", fp8) == Precision::kMxfp8);
  for (const char* bad : {"", "int4", "FP32", "fp4", "n/r", "mixed"})
    CHECK_FALSE(precision_cell(bad, fp8).has_value());
  // FP8 denied or set false is not FP8 (helper-112, 2026-12-06: each was FP8).
  for (const char* bf16 : {"bf16 w/o fp8", "bf16 (w/o Float8)", "bf16, fp8=false", "bf16 (fp8: no)",
                           "bf16, fp8 = False", "bf16 (fp8 not enabled)"})
    CHECK(precision_cell(bf16, fp8) == Precision::kBf16);
  for (const char* none : {"fp8=false", "fp8: no", "w/o fp8"})
    CHECK_FALSE(precision_cell(none, fp8).has_value());
  CHECK(precision_cell("FP8 not used; BF16", fp8) == Precision::kBf16);  // helper-115
  CHECK(precision_cell("FP8 with block scaling disabled", Precision::kFp8) == Precision::kFp8);
  // Block-wise by its other names; MX by its spellings.
  for (const char* block : {"FP8-SC", "FP8 subchannel", "FP8 (fine-grained)", "fp8 1x128 tiles", "FP8 128x128 blocks"})
    CHECK(precision_cell(block, Precision::kFp8) == Precision::kFp8Block);
  CHECK(precision_cell("MX-FP8", Precision::kFp8) == Precision::kMxfp8);
  // An FP8 whose note says MX is MXFP8; a head naming another FP8 recipe wins over its note, a BF16 head too
  // (2026-12-05: "FP8 (MX)" was tensor-wise, "FP8-CS (MXFP8 on Blackwell)" MXFP8 and refused on Hopper).
  CHECK(precision_cell("FP8 (MX)", Precision::kFp8) == Precision::kMxfp8);
  CHECK(precision_cell("FP8 (E4M3, MX block 32)", Precision::kFp8) == Precision::kMxfp8);
  CHECK(precision_cell("FP8-CS (MXFP8 on Blackwell)", Precision::kFp8) == Precision::kFp8);
  CHECK(precision_cell("BF16 (MXFP8 row: 10717)", Precision::kFp8) == Precision::kBf16);
  CHECK(precision_cell("FP8 (DeepSeek recipe)", Precision::kFp8) == Precision::kFp8Block);
  // NVFP4 is modelled (2026-12-06, session 41), whatever FP8 or BF16 its note names; written NV-FP4 too. A
  // head naming another precision wins over a note naming NVFP4, NVFP4 given as an alternative is none, and
  // NVFP4 moved rather than computed (a KV cache, communication) leaves the 16-bit precision.
  CHECK(precision_cell("NVFP4 (BF16 attention, FP8 ...)", fp8) == Precision::kNvfp4);
  CHECK(precision_cell("NVFP4", fp8) == Precision::kNvfp4);
  CHECK(precision_cell("NV-FP4 (E4M3 block scales)", fp8) == Precision::kNvfp4);
  CHECK(precision_cell("MXFP8 (NVFP4 row: 5000)", fp8) == Precision::kMxfp8);
  CHECK_FALSE(precision_cell("bf16/nvfp4", fp8).has_value());
  CHECK(precision_cell("BF16 with NVFP4 communication", fp8) == Precision::kBf16);
  CHECK_FALSE(precision_cell("BF16 (not NVFP4)", fp8) == Precision::kNvfp4);
  CHECK_FALSE(unmodelled_precision("NVFP4 (BF16 attention)").has_value());
  CHECK_FALSE(unmodelled_precision("nv fp4").has_value());
  // helper-140: two low precisions as alternatives are none; the format by its types (E2M1 elements, UE4M3
  // scales: "ue4m3" held "e4m3", fp8 block-wise); NVFP4 moved beside FP8 compute; a denied MXFP4.
  CHECK_FALSE(precision_cell("MXFP8/NVFP4", fp8).has_value());
  CHECK_FALSE(precision_cell("FP8 or NVFP4", fp8).has_value());
  CHECK(precision_cell("E2M1 (UE4M3 block scales)", fp8) == Precision::kNvfp4);
  CHECK(precision_cell("E4M3 (UE8M0 scales)", fp8) == Precision::kMxfp8);
  CHECK(precision_cell("FP8 with NVFP4 communication", fp8) == fp8);  // the source's FP8
  CHECK(precision_cell("nvfp4 (not mxfp4)", fp8) == Precision::kNvfp4);
  CHECK_FALSE(unmodelled_precision("nvfp4 (not mxfp4)").has_value());
  CHECK(unmodelled_precision("E2M1 with UE8M0 scales") == std::optional<std::string>("MXFP4"));
  CHECK(unmodelled_precision("E2M1") == std::optional<std::string>("FP4"));
  // Another FP4 is no modelled precision, whatever else the cell names (the row is not predicted); a bare FP4
  // is not NVFP4 (AMD's FP4 is MXFP4).
  CHECK(unmodelled_precision("MXFP4") == std::optional<std::string>("MXFP4"));
  CHECK(unmodelled_precision("MXFP4 (NVFP4 scales)") == std::optional<std::string>("MXFP4"));
  CHECK(unmodelled_precision("fp4") == std::optional<std::string>("FP4"));
  CHECK(unmodelled_precision("INT8 QAT") == std::optional<std::string>("INT8"));
  CHECK(unmodelled_precision("TF32") == std::optional<std::string>("TF32"));
  CHECK(unmodelled_precision("FP32") == std::optional<std::string>("FP32"));
  for (const char* modelled : {"bf16 (fp32 master weights)", "BF16 (INT8 optimizer states)", "FP8", "MXFP8",
                               "fp16 mixed", "n/r", "mixed", "", "bfloat16 (float32 master weights)", "Float8"})
    CHECK_FALSE(unmodelled_precision(modelled).has_value());
  CHECK(unmodelled_precision("float32") == std::optional<std::string>("FP32"));
  // The dtype names PyTorch and torchao print: bfloat16, float16, half, Float8 (rowwise or tensorwise), E4M3.
  CHECK(precision_cell("bfloat16", fp8) == Precision::kBf16);
  CHECK(precision_cell("torch.bfloat16", fp8) == Precision::kBf16);
  CHECK(precision_cell("float16", fp8) == Precision::kFp16);
  CHECK(precision_cell("half", fp8) == Precision::kFp16);
  CHECK(precision_cell("FSDP + compile + Float8", fp8) == fp8);
  CHECK(precision_cell("float8 rowwise", fp8) == fp8);
  CHECK(precision_cell("E4M3 / E5M2 (hybrid)", fp8) == fp8);
}

// Megatron's recompute_modules as a cell lists them: the names after the key, whatever the list's punctuation.
TEST_CASE("case cells: act_recompute lists recompute modules", "[validation][cells]") {
  using V = std::vector<std::string>;
  CHECK(recompute_modules_cell("selective (recompute_modules: mla_up_proj, moe_act)") == V{"mla_up_proj", "moe_act"});
  CHECK(recompute_modules_cell("recompute_modules=[core_attn,mlp]") == V{"core_attn", "mlp"});
  CHECK(recompute_modules_cell("--recompute-modules mla_up_proj moe_act layernorm") == V{"mla_up_proj", "moe_act", "layernorm"});
  CHECK(recompute_modules_cell("selective, Recompute_Modules ['moe_act', \"mla_up_proj\"]") == V{"moe_act", "mla_up_proj"});
  CHECK(recompute_modules_cell("recompute_modules:") == V{});
  CHECK_FALSE(recompute_modules_cell("selective").has_value());
  CHECK_FALSE(recompute_modules_cell("full (block, 2 layers)").has_value());
  CHECK(recompute_cell("--recompute-modules core_attn") == Recompute::kSelective);
  // Module names alone list them (2026-12-05: they stopped the file); a word that is no module: not a list.
  CHECK(recompute_modules_cell("moe_act,layernorm") == V{"moe_act", "layernorm"});
  CHECK(recompute_modules_cell("mla_up_proj + moe_act") == V{"mla_up_proj", "moe_act"});
  CHECK(recompute_cell("moe_act, layernorm") == Recompute::kSelective);
  CHECK_FALSE(recompute_modules_cell("MoE activation recompute").has_value());
  CHECK_FALSE(recompute_modules_cell("none").has_value());
  CHECK(recompute_cell("none") == Recompute::kNone);
  CHECK(recompute_cell("full") == Recompute::kFull);
  // As bits, and the errors naming the cell.
  auto cell = [](const std::string& text) {
    const std::vector<CsvRow> rows = parse_csv("case_id,act\nA,\"" + text + "\"\n", "rows.csv");
    return CaseRow(rows.at(0), "m.yaml");
  };
  CHECK(cell("selective (recompute_modules: mla_up_proj, moe_act)").recompute_modules("act") ==
        (kRecomputeMlaUpProj | kRecomputeMoeAct));
  CHECK_FALSE(cell("selective").recompute_modules("act").has_value());
  CHECK_THROWS_WITH(cell("recompute_modules=[core_attn, foo]").recompute_modules("act"),
                    Catch::StartsWith("rows.csv:2: key 'act': A: 'foo' is not a recompute module (core_attn, mla_up_proj"));
  CHECK_THROWS_WITH(cell("recompute_modules: ").recompute_modules("act"), Catch::Contains("names recompute_modules but lists none"));
}

// The recompute policy as the sources write it; a cell that names none is the source's default (nullopt).
TEST_CASE("case cells: act_recompute names a policy", "[validation][cells]") {
  CHECK(recompute_cell("none") == Recompute::kNone);
  CHECK(recompute_cell("None (sec. 3.3.2: 8K sequences without activation checkpointing)") == Recompute::kNone);
  CHECK(recompute_cell("no") == Recompute::kNone);
  CHECK(recompute_cell("off") == Recompute::kNone);
  CHECK(recompute_cell("disabled") == Recompute::kNone);
  CHECK(recompute_cell("trained without activation checkpointing") == Recompute::kNone);
  CHECK(recompute_cell("selective") == Recompute::kSelective);
  CHECK(recompute_cell("selective + sequence parallel") == Recompute::kSelective);
  // A policy set false names none (it was that policy, 2026-12-06).
  CHECK(recompute_cell("selective (full=false)") == Recompute::kSelective);
  CHECK(recompute_cell("full: no, selective") == Recompute::kSelective);
  CHECK(recompute_cell("selective: no full") == Recompute::kSelective);
  CHECK(recompute_cell("selective recompute off (full)") == Recompute::kFull);  // helper-115
  CHECK(recompute_cell("SAC (op)") == Recompute::kSelective);
  // SAC denied is no SAC: full stays full (helper-179: each was selective), and "no SAC" alone none
  for (const char* full : {"full AC (no SAC)", "full AC, SAC disabled", "full (SAC off)", "AC: full, SAC: none",
                           "full (without SAC)"}) {
    INFO(full);
    CHECK(recompute_cell(full) == Recompute::kFull);
  }
  CHECK(recompute_cell("no SAC") == Recompute::kNone);
  CHECK(recompute_cell("full") == Recompute::kFull);
  CHECK(recompute_cell("full (per DeepEP toml)") == Recompute::kFull);
  CHECK(recompute_cell("Full AC") == Recompute::kFull);
  CHECK(recompute_cell("block (2 layers)") == Recompute::kFull);
  CHECK(recompute_cell("activation checkpointing on every layer") == Recompute::kFull);
  for (const char* unstated : {"n/r", "n/r (recipe)", "recipe-specific (n/r)", "toml default (n/r)", "none stated",
                               "not stated", "", "nothing", "notes"})
    CHECK_FALSE(recompute_cell(unstated).has_value());
  // A flag set without a kind is the whole block (llm-foundry's activation_checkpointing: True); Megatron's
  // recompute_modules list is selective.
  for (const char* on : {"True", "yes", "on", "enabled", "AC", "True (FSDP activation_checkpointing)"})
    CHECK(recompute_cell(on) == Recompute::kFull);
  CHECK(recompute_cell("recompute_modules: [core_attn, mlp]") == Recompute::kSelective);
  CHECK_FALSE(recompute_cell("online").has_value());  // a first word, not a prefix
}

// The ZeRO stage as written; CaseRow rejects one past 3.
// An EP/ETP pair under one label (helper-176: refused; "EP/ETP=8/1" would have read ETP 8).
TEST_CASE("case cells: an EP cell labelled EP/ETP gives both counts", "[validation][cells]") {
  CHECK(etp_in_ep_cell("8/1 (EP/ETP)") == 1);
  CHECK(etp_in_ep_cell("EP/ETP=8/2") == 2);
  CHECK(etp_in_ep_cell("EP/ETP 16 / 1") == 1);
  CHECK_FALSE(etp_in_ep_cell("EP/ETP=8").has_value());
  CHECK_FALSE(etp_in_ep_cell("EP/ETP=8/1.5").has_value());
  CHECK(etp_in_ep_cell("EP8/ETP1") == 1);  // as before
  // a longer label that holds the pair: each count at its name's place (helper-179: EP 1, ETP 8)
  CHECK(etp_in_ep_cell("TP/EP/ETP=1/8/2") == 2);
  CHECK(etp_in_ep_cell("1/8/2 (TP/EP/ETP)") == 2);
  CHECK_FALSE(etp_in_ep_cell("TP/EP/ETP=8/1").has_value());  // two counts for three names
  CsvRow r;
  r.line = 2;
  r.fields = {{"case_id", "E"}, {"EP", "TP/EP/ETP=1/8/1"}};
  CHECK(CaseRow(r, "mapping.yaml").count("EP") == 8);
  r.fields["EP"] = "EP/ETP = 16/1 (8 GPUs)";
  CHECK(CaseRow(r, "mapping.yaml").count("EP") == 16);
  r.fields["EP"] = "TP/PP/EP/ETP 2/8/32/1";
  CHECK(CaseRow(r, "mapping.yaml").count("EP") == 32);
  r.fields["EP"] = "TP/PP=1/2, EP/ETP=8/1";  // another label's run first (helper-180: EP 1)
  CHECK(CaseRow(r, "mapping.yaml").count("EP") == 8);
  r.fields["EP"] = "2/8 (PP/EP), 8/1 (EP/ETP)";
  CHECK(CaseRow(r, "mapping.yaml").count("EP") == 8);
  r.fields["EP"] = "TP/EP/ETP=1/8";
  CHECK_THROWS_WITH(CaseRow(r, "mapping.yaml").count("EP"), Catch::Contains("gives no pair of whole counts"));
  CHECK(vpp_cell("VP=n/a").understood);
  CHECK(vpp_cell("VP=n/a").vpp == 1);
  CHECK(vpp_cell("VPP: -").vpp == 1);
  // helper-179: the label with spaces or before n/r, and another column's label
  CHECK(vpp_cell("VP = N/A").vpp == 1);
  CHECK(vpp_cell("VP=n/r").understood);
  CHECK_FALSE(vpp_cell("VP=n/r").vpp.has_value());  // not reported
  CHECK(vpp_cell("vpp: 4").vpp == 4);
  CHECK(vpp_cell("VP = 5").vpp == 5);
  CHECK_FALSE(vpp_cell("EP=n/a").understood);
  CHECK_FALSE(vpp_cell("EP=4").understood);
}

TEST_CASE("case cells: a block recompute cell gives its layer count", "[validation][cells]") {
  // Megatron's --recompute-method block --recompute-num-layers N: the first N layers of each model chunk.
  CHECK(recompute_block_layers("block (2 layers)") == 2);
  CHECK(recompute_block_layers("full (block, 4 layers per chunk)") == 4);
  CHECK(recompute_block_layers("full, block, recompute_num_layers=8") == 8);
  CHECK(recompute_block_layers("Full (block method; num layers: 3)") == 3);
  CHECK(recompute_block_layers("full (block, 2)") == 2);  // a bare count after the method (helper-171)
  // the part of a whole (helper-179: the 32 were recomputed)
  CHECK(recompute_block_layers("full (block, 2 of 32 layers)") == 2);
  CHECK(recompute_block_layers("full (block, 2/32 layers)") == 2);
  CHECK(recompute_block_layers("block, 2 out of 24 layers") == 2);  // helper-180
  CHECK(recompute_block_layers("block, 2 of the 24 layers") == 2);
  CHECK(recompute_block_count_unread("full (block, 2.5 of 32 layers)") == "2.5");
  CHECK(recompute_block_layers("full block 2") == 2);
  CHECK(recompute_block_layers("full, block=6; uniform off") == 6);
  CHECK_FALSE(recompute_block_layers("full (block 2.5)").has_value());
  CHECK_FALSE(recompute_block_layers("full (block, 2.5 layers)").has_value());  // was 5
  // Every layer: no count, the uniform method (its count is a checkpoint's size, not how many), or not full.
  for (const char* every : {"full", "block", "full (uniform, 1 layer)", "selective (2 layers)", "none", "block (0 layers)"})
    CHECK_FALSE(recompute_block_layers(every).has_value());
  // A count that stands where one goes but does not read: the row is malformed (it recomputed every layer).
  CHECK(recompute_block_count_unread("full (block 2.5)") == "2.5");
  CHECK(recompute_block_count_unread("full (block, 2.5 layers)") == "2.5");
  CHECK(recompute_block_count_unread("block (0 layers)") == "0");
  CHECK(recompute_block_count_unread("full, block, recompute_num_layers=0") == "0");
  for (const char* fine :
       {"full", "block", "full (block, 2)", "full (uniform, 1.5 layers)", "selective (0 layers)"})
    CHECK(recompute_block_count_unread(fine).empty());
  // helper-175: a fraction after a num_layers key read its whole part, "2,5" read 2, ".5" passed; a number
  // qualifying another word ("2.5x", "2.5 layernorm") is no count.
  CHECK_FALSE(recompute_block_layers("full, block, recompute_num_layers=1.5").has_value());
  CHECK(recompute_block_count_unread("full, block, recompute_num_layers=1.5") == "1.5");
  CHECK(recompute_block_count_unread("full (block, recompute-num-layers 2.5)") == "2.5");
  CHECK(recompute_block_count_unread("full (block, 2,5 layers)") == "2,5");
  CHECK(recompute_block_count_unread("full (block, 2,5)") == "2,5");
  CHECK(recompute_block_count_unread("full (block, .5)") == ".5");
  CHECK_FALSE(recompute_block_layers("full (block, 2,5)").has_value());
  CHECK_FALSE(recompute_block_layers("full (block) TE 2 layernorm").has_value());
  for (const char* fine : {"full (block 2.5x memory saving)", "full (block) TE 2.5 layernorm",
                           "block (TE 2.5)", "block; v0.9", "full block; Megatron-Core 0.9.0"})
    CHECK(recompute_block_count_unread(fine).empty());
  CHECK(recompute_block_layers("full (block, 4 layers per chunk)") == 4);
}

// What a cell says is sharded, in words, and FSDP named alone (a source's rule may say what its FSDP is:
// the Llama 3 report's keeps the weights after the forward pass, ZeRO-2; helper-171).
TEST_CASE("case cells: sharding in words, and FSDP named alone", "[validation][cells]") {
  CHECK(zero_stage("optimizer states and gradients sharded") == 2);
  CHECK(zero_stage("FSDP (optimizer states + gradients sharded)") == 2);
  CHECK(zero_stage("gradient and optimizer state partitioning") == 2);
  CHECK(zero_stage("FSDP: parameters, gradients and optimizer states sharded") == 3);
  CHECK(zero_stage("optimizer states sharded") == 1);
  // Not ZeRO-2 where the cell denies it or says less (helper-173).
  CHECK(zero_stage("DDP (no sharding; gradients all-reduced)") == 0);
  CHECK(zero_stage("optimizer states sharded, gradients replicated") == 1);
  CHECK(zero_stage("distributed optimizer (optimizer states sharded; gradients reduce-scattered)") == 1);
  CHECK(zero_stage("gradients unsharded, optimizer sharded") != 2);
  CHECK(zero_stage("optimizer sharded; gradient partitioning off") != 2);
  CHECK(zero_stage("full sharding of gradients, optimizer states and model states") != 2);
  for (const char* bare : {"FSDP", "FSDP=1", "PyTorch FSDP", "fsdp (default)"}) CHECK(bare_fsdp(bare));
  CHECK(denies_fsdp("FSDP=0"));
  CHECK(denies_fsdp("no FSDP (plain DDP)"));
  CHECK_FALSE(denies_fsdp("FSDP"));
  for (const char* named :
       {"FSDP HYBRID_SHARD", "FSDP (ZeRO-3)", "FSDP FULL_SHARD", "FSDP=0", "HSDP", "ZeRO-3",
        "FSDP, reshard_after_forward=True", "FSDP (optimizer states + gradients sharded)", "n/r"})
    CHECK_FALSE(bare_fsdp(named));
}

// "interleaved" without a count: two layers a chunk of the longest stage. DeepSeek-V2's 60 layers on PP 16
// split 2 + 14 x 4 + 2, whose floor of 3.75 layers a stage halved tried no V and ran 1F1B (helper-171).
TEST_CASE("case cells: an unstated interleave on an uneven split", "[validation][cells]") {
  TrainConfig c;
  c.model = load_model("deepseek-v2");
  c.par.pp = 16;
  CHECK(unstated_interleave(c) == 2);
  c.model = load_model("llama3-8b");  // 32 layers on PP 4: 8 a stage, 4 chunks of 2
  c.par.pp = 4;
  CHECK(unstated_interleave(c) == 4);
}

TEST_CASE("case cells: an EP cell may name the expert TP beside its count", "[validation][cells]") {
  CHECK(etp_in_ep_cell("8 (ETP 1)") == 1);
  CHECK(etp_in_ep_cell("EP8/ETP1") == 1);
  CHECK(etp_in_ep_cell("EP=8, ETP=2") == 2);
  CHECK_FALSE(etp_in_ep_cell("8").has_value());
  CHECK_FALSE(etp_in_ep_cell("EP8/ETP").has_value());
  CHECK_FALSE(etp_in_ep_cell("EP8/ETP0").has_value());
  CHECK_FALSE(etp_in_ep_cell("EP8, ETP 1.5").has_value());
  CHECK_FALSE(etp_in_ep_cell("ETP2").has_value());  // the cell's first word: no EP count before it
}

TEST_CASE("case cells: zero_sharding names a ZeRO stage", "[validation][cells]") {
  CHECK(zero_stage("FSDP FULL_SHARD (ZeRO-3)") == 3);
  CHECK(zero_stage("FSDP2 (FSDP 8)") == 3);
  CHECK(zero_stage("FSDP2 over all ranks (data_parallel_shard_degree=-1)") == 3);
  CHECK(zero_stage("HSDP") == 3);
  CHECK(zero_stage("none (default)") == 0);  // a note aside (helper-138: the source's ZeRO-3)
  CHECK(zero_stage("No (n/a)") == 0);
  CHECK(zero_stage("ZeRO-1") == 1);
  CHECK(zero_stage("zero stage 2") == 2);
  CHECK(zero_stage("DeepSpeed ZeRO_2") == 2);
  CHECK(zero_stage("stage 3") == 3);
  CHECK(zero_stage("2") == 2);
  CHECK(zero_stage("distributed optimizer (default)") == 1);
  CHECK(zero_stage("none") == 0);
  CHECK(zero_stage("PyTorch DDP") == 0);
  CHECK(zero_stage("ZeRO-7") == 7);
  CHECK(zero_stage("stage 5") == 5);
  CHECK(zero_stage("FSDP (ZeRO-4)") == 4);
  CHECK(zero_stage("ZeRO-10") == 10);
  // A stage the cell names wins over FSDP's default; PyTorch FSDP's strategies by name; FSDP that keeps its
  // weights after the forward pass (the Llama 3 report's wording) shards gradients and optimizer only.
  CHECK(zero_stage("FSDP (ZeRO-2)") == 2);
  CHECK(zero_stage("HYBRID_SHARD_ZERO2") == 2);
  CHECK(zero_stage("FSDP SHARD_GRAD_OP") == 2);
  CHECK(zero_stage("NO_SHARD") == 0);
  CHECK(zero_stage("FULL_SHARD") == 3);
  CHECK(zero_stage("HYBRID_SHARD") == 3);
  CHECK(zero_stage("FSDP: optimizer states and gradients sharded, weights not resharded after forward") == 2);
  CHECK(zero_stage("FSDP, no reshard after forward") == 2);
  CHECK(zero_stage("FSDP2 reshard_after_forward=False") == 2);
  CHECK(zero_stage("FSDP2 reshard_after_forward: false") == 2);
  CHECK(zero_stage("FSDP2 reshard_after_forward=True") == 3);
  CHECK(zero_stage("FSDP (weights resharded after forward)") == 3);
  // Megatron's distributed optimizer however spelled, and optimizer states sharded alone: 1.
  for (const char* one : {"use_distributed_optimizer=True", "dist-opt", "DistOpt", "sharded optimizer", "optimizer states sharded"})
    CHECK(zero_stage(one) == 1);
  // Denied, it is Megatron's DDP (each was ZeRO-1, 2026-12-06).
  for (const char* off :
       {"no distributed optimizer", "without distributed optimizer", "distributed optimizer disabled",
        "distributed optimizer off", "distributed optimizer: false", "use_distributed_optimizer=False",
        "DDP (w/o distributed optimizer)"})
    CHECK(zero_stage(off) == 0);
  CHECK(zero_stage("distributed optimizer (states off-loaded later)") == 1);
  CHECK(zero_stage("not using distributed optimizer") == 0);  // helper-115
  CHECK(zero_stage("distributed optimizer not used") == 0);
  CHECK_FALSE(zero_stage("n/r").has_value());
  CHECK_FALSE(zero_stage("n/a").has_value());
  CHECK_FALSE(zero_stage("abc").has_value());
  CHECK_FALSE(zero_stage("zeros everywhere").has_value());
}

TEST_CASE("case cells: arch KEY=VALUE pairs among other text", "[validation][cells]") {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  CHECK(arch_pairs("dense L=24 h=2304 a=24 ffn=9216 V=51200") ==
        Pairs{{"L", "24"}, {"h", "2304"}, {"a", "24"}, {"ffn", "9216"}, {"V", "51200"}});
  CHECK(arch_pairs("MoE L=61 h=7168 MLA 256 routed+1 shared top-8 (37B active)") ==
        Pairs{{"L", "61"}, {"h", "7168"}});
  CHECK(arch_pairs("dense GPT-3 175B shape; V=131072") == Pairs{{"V", "131072"}});
  CHECK(arch_pairs("dense L=96 h=18432 a=96 kv=8 ffn=73728 V=256000 (squared-ReLU)").back() ==
        std::pair<std::string, std::string>{"V", "256000"});
  CHECK(arch_pairs("L = 24, h=2.4") == Pairs{{"L", "24"}, {"h", "2.4"}});
  CHECK(arch_pairs("L=-24 a=twentyfour") == Pairs{{"L", "-24"}, {"a", "twentyfour"}});
  CHECK(arch_pairs("MoE 48 layers 128 experts top-8 (3B active)").empty());
}

namespace {
CsvRow row_of(const std::string& cells) {
  std::vector<CsvRow> rows =
      parse_csv("case_id,arch,VPP,zero_sharding,precision,value\n" + cells + "\n", "rows.csv");
  REQUIRE(rows.size() == 1);
  return rows[0];
}
}  // namespace

TEST_CASE("case cells: a cell that does not read names file, line and column", "[validation][cells]") {
  const CsvRow good =
      row_of("A,dense L = 24 h=2304 kv=8 (GQA),n/r (some),distributed optimizer,bf16 (amp),137");
  const CaseRow r(good, "map.yaml");
  CHECK(r.arch("arch") == std::map<std::string, long>{{"L", 24}, {"h", 2304}, {"kv", 8}});
  CHECK_FALSE(r.count_or_unreported("VPP").has_value());
  CHECK(r.zero_stage("zero_sharding") == 1);
  CHECK(r.precision("precision", Precision::kFp8) == Precision::kBf16);
  CHECK(r.number_in("value", 1e-3, 1e9, "tokens/s/GPU") == 137.0);

  CHECK_THROWS_WITH(
      CaseRow(row_of("A,L=2.4,1,none,bf16,1"), "map.yaml").arch("arch"),
      "rows.csv:2: key 'arch': A: L=2.4: L is not a whole number from 1 to 2147483647 (exclude the row in "
      "map.yaml if it cannot be predicted)");
  CHECK_THROWS_WITH(CaseRow(row_of("A,L=24 L=32,1,none,bf16,1"), "m").arch("arch"),
                    Catch::Contains("L= is given twice"));
  CHECK_THROWS_WITH(CaseRow(row_of("A,,8.5,none,bf16,1"), "m").count_or_unreported("VPP"),
                    Catch::StartsWith("rows.csv:2: key 'VPP': A: '8.5' is not a whole number"));
  CHECK_THROWS_WITH(CaseRow(row_of("A,,1,ZeRO-7,bf16,1"), "m").zero_stage("zero_sharding"),
                    Catch::Contains("key 'zero_sharding': A: 'ZeRO-7' names a ZeRO stage past 3"));
  CHECK_THROWS_WITH(CaseRow(row_of("A,,1,abc,bf16,1"), "m").zero_stage("zero_sharding"),
                    Catch::Contains("'abc' names no ZeRO stage"));
  CHECK_FALSE(CaseRow(row_of("A,,1,n/r,bf16,1"), "m").zero_stage("zero_sharding").has_value());
  CHECK_THROWS_WITH(
      CaseRow(row_of("A,,1,none,int4,1"), "m").precision("precision", Precision::kFp8),
      Catch::Contains("key 'precision': A: 'int4' names no precision commsim models (bf16, fp16"));
  CHECK_THROWS_WITH(CaseRow(row_of("A,,1,none,bf16,137abc"), "m").positive("value"),
                    Catch::Contains("'137abc' is not a number"));
  CHECK_THROWS_WITH(CaseRow(row_of("A,,1,none,bf16,1e30"), "m").number_in("value", 1e-3, 1e9, "tokens/s/GPU"),
                    Catch::Contains("key 'value': A: '1e30' is not from 0.001 to 1e+09 tokens/s/GPU"));
}

TEST_CASE("case cells: a case_id given twice names the second row and the first", "[validation][cells]") {
  const std::vector<CsvRow> rows = parse_csv("case_id,x\nA,1\nB,1\nA,2\n", "ids.csv");
  CaseIds ids;
  ids.add(CaseRow(rows[0], "m"));
  ids.add(CaseRow(rows[1], "m"));
  CHECK_THROWS_WITH(ids.add(CaseRow(rows[2], "m")),
                    "ids.csv:4: key 'case_id': 'A' is also the case_id of line 2 (each row needs its own)");
}

namespace {
CaseRow model_row(const std::string& model, const std::string& arch) {
  const std::vector<CsvRow> rows = parse_csv("case_id,model,arch\nA," + model + ",\"" + arch + "\"\n", "rows.csv");
  return CaseRow(rows.at(0), "map.yaml");
}
}  // namespace

TEST_CASE("case cells: a dense arch cell is a model's shape where no rule names the model", "[validation][cells]") {
  // Qwen2.5-72B as its row would give it: SwiGLU (ffn != 4h), GQA 64/8, head dim 8192 / 64 = 128.
  const auto q = dense_model_from_arch(model_row("Qwen2.5-72B", "dense L=80 h=8192 a=64 kv=8 ffn=29568 V=152064"), "arch", "model");
  REQUIRE(q.has_value());
  CHECK(q->name == "Qwen2.5-72B");
  CHECK(q->activation == Activation::kSwiglu);
  CHECK(q->kv_heads == 8);
  CHECK(q->head_dim == 128);
  CHECK_FALSE(q->tied_embeddings);
  CHECK_FALSE(q->moe.has_value());
  // Per layer: attention 8192 x (8192 + 2 x 1024) + 8192 x 8192 = 150,994,944; SwiGLU 3 x 8192 x 29568 =
  // 726,663,168; two norms 16,384: 877,674,496. x 80 = 70,213,959,680, + embedding and output 2 x 152064 x
  // 8192 = 2,491,416,576, + the final norm 8192: 72,705,384,448 (Qwen2.5-72B: 72.7B; its qkv biases not counted).
  CHECK(q->total_params() == Approx(72705384448.0).epsilon(1e-12));
  // GPT-3 shape (ffn = 4h, no kv): GeLU, multi-head.
  const auto g = dense_model_from_arch(model_row("GPT 1.7B", "dense L=24 h=2304 a=24 ffn=9216 V=51200"), "arch", "model");
  REQUIRE(g.has_value());
  CHECK(g->activation == Activation::kGelu);
  CHECK(g->kv_heads == 24);
  // The cell's own word for the activation wins over the ffn rule.
  const auto n = dense_model_from_arch(
      model_row("Nemotron-4 15B", "dense L=32 h=6144 a=48 kv=8 ffn=24576 V=256000 (squared-ReLU)"), "arch", "model");
  REQUIRE(n.has_value());
  CHECK(n->activation == Activation::kSquaredRelu);
  // A gated GeLU has three matrices; "non-gelu" names no activation (ffn != 4h: SwiGLU).
  CHECK(dense_model_from_arch(model_row("X", "dense gated gelu L=2 h=64 a=4 ffn=256 V=10"), "arch", "model")->activation ==
        Activation::kSwiglu);
  CHECK(dense_model_from_arch(model_row("X", "dense non-gelu L=2 h=64 a=4 ffn=200 V=10"), "arch", "model")->activation ==
        Activation::kSwiglu);
  // No ffn: Megatron's default width, 4h (GeLU), or 4h * 2/3 rounded down to 64 under SwiGLU: MT-NLG 530B's
  // row gives L, h, a and V only (105 x 12 x 20480^2 + 2 x 51200 x 20480, untied as arch-cell models are,
  // and the norms: 530.6B parameters).
  const auto mt = dense_model_from_arch(model_row("MT-NLG 530B", "dense L=105 h=20480 a=128 V=51200"), "arch", "model");
  REQUIRE(mt.has_value());
  CHECK(mt->ffn_hidden == 81920);
  CHECK(mt->activation == Activation::kGelu);
  CHECK(mt->total_params() == Approx(530.58e9).epsilon(0.001));
  const auto sw = dense_model_from_arch(model_row("X", "dense SwiGLU L=2 h=4096 a=32 V=10"), "arch", "model");
  REQUIRE(sw.has_value());
  CHECK(sw->ffn_hidden == 10880);  // 4 * 4096 * 2 / 3 = 10922 -> 10880
  // No shape: not dense (the first word), a MoE word anywhere, or a dimension missing.
  CHECK_FALSE(dense_model_from_arch(model_row("X", "densely connected L=2 h=64 a=4 ffn=256 V=10"), "arch", "model").has_value());
  CHECK_FALSE(dense_model_from_arch(model_row("X", "dense L=2 h=64 a=4 ffn=256 V=10 (MoE 8 experts)"), "arch", "model").has_value());
  CHECK_FALSE(dense_model_from_arch(model_row("X", "MoE L=61 h=7168 256 routed top-8"), "arch", "model").has_value());
  CHECK_FALSE(dense_model_from_arch(model_row("X", "dense L=80 h=8192 kv=8 ffn=28672"), "arch", "model").has_value());
  CHECK_FALSE(dense_model_from_arch(model_row("X", "GPT-3 20B"), "arch", "model").has_value());
  // A shape no model has names the cell.
  CHECK_THROWS_WITH(
      dense_model_from_arch(model_row("X", "dense L=2 h=2304 a=24 kv=5 ffn=9216 V=51200"), "arch", "model"),
      Catch::StartsWith(
          "rows.csv:2: key 'arch': A: model.kv_heads: kv_heads (5) does not divide heads (24)"));
}

TEST_CASE("mapping rules: a cell names a rule's model or GPU with other separators", "[validation][cells]") {
  CHECK(contains_loosely("GPT-OSS 120B", "GPT-OSS 120B"));
  CHECK(contains_loosely("gpt-oss-120b", "GPT-OSS 120B"));        // the HF repository name
  CHECK(contains_loosely("Mixtral-8x7B-v0.1", "Mixtral 8x7B"));
  CHECK(contains_loosely("DeepSeek V3 (671B)", "DeepSeek-V3"));
  CHECK(contains_loosely("Llama 2 7B", "LLAMA2-7B"));
  CHECK(contains_loosely("Llama 3.1 8B", "8B"));
  CHECK_FALSE(contains_loosely("Llama 2 70B", "LLAMA2-7B"));      // 70B is not 7B
  CHECK_FALSE(contains_loosely("Qwen3 30B-A3B", "Qwen3-8B"));
  CHECK_FALSE(contains_loosely("anything", "-"));                // a rule of separators only names nothing new
  CHECK(contains_loosely("H100-SXM5-80GB", "H100 SXM"));
  CHECK_FALSE(contains_loosely("GPT 3.5B", "GPT3-5B"));       // digits do not join across a '.'
  CHECK_FALSE(contains_loosely("TinyLlama 2.7B", "LLAMA2-7B"));
}

TEST_CASE("mapping rules: a rule ending in a letter does not run on into one", "[validation][cells]") {
  CHECK_FALSE(names_hardware("HGX H100 NVLink 80GB", "H100 NVL"));  // was the PCIe card with bridges
  CHECK(names_hardware("H100 NVL 94GB", "H100 NVL"));
  CHECK(names_hardware("H100 NVL", "H100 NVL"));
  CHECK(names_hardware("H100-SXM5-80GB", "H100 SXM"));
  CHECK(names_hardware("GB200 NVL72", "GB200"));
  CHECK(names_hardware("A4 (8x NVIDIA B200 180GB)", "A4 B200"));
  CHECK_FALSE(names_hardware("NVIDIA A40 48GB", "A4 B200"));
}

TEST_CASE("mapping rules: a hardware cell says a rule's words in any order", "[validation][cells]") {
  // Other words between the chip and its form factor: these were the SXM part (the rule naming the chip
  // alone).
  CHECK(names_hardware("H100 80GB PCIe", "H100 PCIe"));
  CHECK(names_hardware("H100 (PCIe)", "H100 PCIe"));
  CHECK(names_hardware("NVIDIA H100 (80GB, PCIe Gen5)", "H100 PCIe"));
  CHECK(names_hardware("H100 (NVL)", "H100 NVL"));
  CHECK(names_hardware("H200 141GB NVL", "H200 NVL"));
  CHECK(names_hardware("A100 (40GB)", "A100 40GB"));
  CHECK(names_hardware("A100 (80GB PCIe)", "A100 80GB PCIe"));
  CHECK(names_hardware("H100-SXM5-80GB", "H100 SXM"));  // as written, loosely
  // Whole words only, and every one of them.
  CHECK_FALSE(names_hardware("H100 SXM (NVLink)", "H100 NVL"));  // NVLink is no NVL
  CHECK_FALSE(says_all_words("A100 40GB", "A100 40G"));
  CHECK_FALSE(names_hardware("H100 SXM 80GB", "H100 PCIe"));
  CHECK_FALSE(names_hardware("H200 (141GB)", "H20 NVL"));
  CHECK_FALSE(says_all_words("H100 PCIe", "H100"));  // one word: the substring rule decides
}

// A VPP cell may name the schedule instead of a count; the row's own word sets it.
TEST_CASE("mapping rules: a source rule names whole words of the source", "[validation][cells]") {
  CHECK(names_source("NeMo 25.02 performance summary", {"NeMo"}));
  CHECK(names_source("docs.nvidia.com/nemo-framework/user-guide", {"NeMo"}));
  CHECK(names_source("NVIDIA-NeMo/Megatron-Bridge", {"NeMo"}));
  CHECK(names_source("NeMo2 recipes", {"NeMo"}));                     // digits may follow
  CHECK_FALSE(names_source("Nemotron-4 340B Technical Report", {"NeMo"}));  // a word of its own
  CHECK_FALSE(names_source("xNeMo", {"NeMo"}));
  CHECK(names_source("arXiv:2406.11704 Table 2", {"x", "2406.11704"}));  // any alternative
  CHECK(names_source("anything", {""}));                               // the empty match names every source
  CHECK_FALSE(names_source("", {"NeMo"}));
  // helper-122: separators ignored as model and GPU cells ignore them; "A + B" needs both. A live page's
  // rows fell to another rule (NCCL all-to-all instead of Hybrid-EP): -2.6% became -40.2%.
  const std::vector<std::string> tables = {"performance-summary-archive",
                                           "Megatron-Bridge + performance-summary"};
  CHECK(
      names_source("NVIDIA-NeMo/Megatron-Bridge docs/performance-summary.md (26.06 NeMo container)", tables));
  CHECK(names_source("Megatron Bridge performance summary 25.11 (DGX-H100 table)", tables));
  CHECK(names_source("NVIDIA-NeMo/Megatron_Bridge 26.02 performance_summary", tables));
  CHECK_FALSE(
      names_source("NVIDIA/NeMo docs/source/performance/performance_summary.md", tables));  // not both
  CHECK_FALSE(names_source("NVIDIA-NeMo/Megatron-Bridge docs/training/moe-optimization.md", tables));
  CHECK(names_source("Nemotron-H report", {"Nemo tron"}));  // a rule is squeezed as the cell is
  // A rule's number does not run on into the cell's (helper-126: V3.2's report took V3's rule)
  CHECK_FALSE(names_source("DeepSeek-V3.2-Exp tech report", {"DeepSeek-V3 + tech report"}));
  CHECK(names_source("DeepSeek-AI, DeepSeek-V3 tech report (Dec 2024)", {"DeepSeek-V3 + tech report"}));
  CHECK(names_source("arXiv:2412.19437v2", {"2412.19437"}));
  CHECK_FALSE(names_source("arXiv:2412.194370", {"2412.19437"}));
  CHECK_FALSE(names_source(
      "NVIDIA-NeMo/Megatron-Bridge docs/training/moe-optimization.md (performance table)", tables));
}

TEST_CASE("mapping rules: a model rule names the model, not a number inside another", "[validation][cells]") {
  // helper-122, helper-123 (2026-12-06): brackets, "A + B", and a size rule inside a number
  CHECK(names_model("Llama 2 (70B)", "Llama 2 + 70B"));
  CHECK(names_model("Llama-2-Chat 70B", "Llama 2 + 70B"));
  CHECK_FALSE(names_model("Llama 3 70B", "Llama 2 + 70B"));
  CHECK(names_model("GPT-OSS (120B)", "GPT-OSS 120B"));
  CHECK(names_model("Llama 3 8B", "8B"));
  CHECK(names_model("LLAMA3-8B", "8B"));
  CHECK(names_model("Llama-3.1-8B-Instruct", "8B"));
  CHECK_FALSE(names_model("Pythia 2.8B", "8B"));
  CHECK_FALSE(names_model("Qwen1.5-1.8B", "8B"));
  CHECK_FALSE(names_model("GPT 18B", "8B"));
  CHECK(names_model("DeepSeek-V3 16B (torchtitan)", "DeepSeek-V3 + 16B"));
  CHECK_FALSE(names_model("DeepSeek-V3 671B", "DeepSeek-V3 + 16B"));
  CHECK_FALSE(names_model("DeepSeek-V3 EP16 BF16", "DeepSeek-V3 + 16B"));  // helper-126
  CHECK(names_model("Llama3(70B)", "70B"));
  CHECK(names_model("Llama-2(7B)", "Llama 2 + 7B"));
}

TEST_CASE("case cells: a VPP cell names a count or a schedule", "[validation][cells]") {
  auto is = [](const char* cell, std::optional<int> vpp, std::optional<Schedule> s) {
    const VppCell v = vpp_cell(cell);
    CHECK(v.understood);
    CHECK(v.vpp == vpp);
    CHECK(v.schedule == s);
  };
  is("4", 4, std::nullopt);
  is("n/r", std::nullopt, std::nullopt);
  is("interleaved (n/r)", std::nullopt, std::nullopt);
  is("DualPipe", 1, Schedule::kDualPipe);
  is("n/a (DualPipe)", std::nullopt, std::nullopt);  // a not-reported cell with a note: the source's default
  is("1F1B", 1, std::nullopt);
  is("ZB-H1", 1, Schedule::kZeroBubble);
  is("zero bubble", 1, Schedule::kZeroBubble);
  is("interleaved", std::nullopt, std::nullopt);
  is("interleaved, v=4", 4, Schedule::kInterleaved);
  is("interleaved 1F1B (vpp 8)", 8, Schedule::kInterleaved);
  is("interleaved, 5 model chunks", 5, Schedule::kInterleaved);
  is("8.0", 8, std::nullopt);  // a whole number exported with a decimal point
  // The count after the column's name, as tables label it (2026-12-05: each stopped the file).
  is("VP=5", 5, std::nullopt);
  is("vp5", 5, std::nullopt);
  is("VPP 5", 5, std::nullopt);
  is("V: 4", 4, std::nullopt);
  for (const char* junk : {"8.5", "fast", "-4", "VP=", "VP=x", "very"})
    CHECK_FALSE(vpp_cell(junk).understood);
  // Whether the cell says interleaved, with a count or not (no count: validate's default, two layers a chunk).
  // A not-reported cell with a note stays not reported (SC'21's "n/r (interleaved used for some)").
  for (const char* yes : {"interleaved", "interleaved (n/r)", "interleaved, v=4"}) CHECK(vpp_cell(yes).interleaved);
  for (const char* no : {"4", "n/r", "n/r (interleaved used for some)", "1F1B", "DualPipe"}) CHECK_FALSE(vpp_cell(no).interleaved);
}

TEST_CASE("case cells: a dimension the run does not use is n/a or -, not n/r or empty", "[validation][cells]") {
  CHECK(unused_dimension("n/a"));
  CHECK(unused_dimension("N/A"));
  CHECK(unused_dimension(" - "));
  CHECK_FALSE(unused_dimension("n/r"));  // not reported: out of reach where no default stands in
  CHECK_FALSE(unused_dimension(""));
  CHECK_FALSE(unused_dimension("8"));
  CHECK_FALSE(unused_dimension("n/a (FSDP)"));  // a note makes it something to read, not a bare marker
  CHECK(unused_dimension("none"));              // "CP none"
  CHECK(unused_dimension("No"));
}

TEST_CASE("case cells: FSDP2's fully_shard and torchtitan's dp_shard are ZeRO-3", "[validation][cells]") {
  CHECK(zero_stage("fully_shard") == 3);
  CHECK(zero_stage("FSDP2 (dp_shard=8)") == 3);
  CHECK(zero_stage("dp_shard=8") == 3);
  CHECK(zero_stage("dp_replicate=4") == 3);
  CHECK(zero_stage("hybrid shard over 16 GPUs") == 3);
  CHECK(zero_stage("4 optimizer instances") == 1);
}

namespace {
// The shard group CaseRow::dp_shard reads from a zero_sharding cell, for a row at this ZeRO stage and layout.
int dp_shard_of(const std::string& cell, int zero, int dp, long host = 8, int tp = 1) {
  CsvRow r;
  r.line = 2;
  r.fields = {{"case_id", "H"}, {"zero_sharding", cell}};
  Parallelism p;
  p.tp = tp, p.dp = dp;
  return CaseRow(r, "m.yaml").dp_shard("zero_sharding", zero, p, host);
}
}  // namespace

TEST_CASE("case cells: hybrid sharding gives the shard group", "[validation][cells]") {
  auto shard = [](const std::string& cell, int zero, int tp, int dp, long host) {
    return dp_shard_of(cell, zero, dp, host, tp);
  };
  CHECK(shard("HSDP (dp_shard=8, dp_replicate=4)", 3, 1, 32, 8) == 8);
  CHECK(shard("HSDP, dp_replicate 4", 3, 1, 32, 8) == 8);  // dp / copies
  CHECK(shard("FSDP HYBRID_SHARD", 3, 1, 64, 8) == 8);     // one host's GPUs
  CHECK(shard("FSDP HYBRID_SHARD", 3, 2, 64, 8) == 4);     // one host's DP ranks at TP 2
  CHECK(shard("_HYBRID_SHARD_ZERO2", 2, 1, 16, 8) == 8);
  CHECK(shard("hybrid shard, shard group of 16", 3, 1, 64, 8) == 16);
  CHECK(shard("distributed optimizer, 2 instances", 1, 1, 64, 8) == 32);  // Megatron's optimizer instances
  CHECK(shard("FSDP2 (FSDP 8)", 3, 8, 32, 8) == 8);                       // torchtitan's FSDP degree below DP
  CHECK(shard("FSDP2 (FSDP 8)", 3, 8, 8, 8) == 0);                        // ... equal to DP: all of it
  CHECK(shard("Megatron-FSDP (FSDP64)", 3, 1, 64, 8) == 0);
  CHECK(shard("FSDP2", 3, 1, 64, 8) == 0);  // FSDP's version, not a degree
  CHECK(shard("FSDP2 over all ranks (data_parallel_shard_degree=-1)", 3, 1, 64, 8) == 0);
  CHECK(shard("HSDP", 3, 1, 8, 8) == 0);  // one host is all of DP
  CHECK(shard("HSDP", 3, 8, 32, 8) == 0);  // TP filling the host: one DP rank a host shards nothing, all of
                                           // DP (helper-132: a shard group of 1, unsharded, +185%)
  CHECK(shard("distributed optimizer", 1, 1, 64, 8) == 0);
  // Units: GPUs over tp x cp, nodes times the host's DP ranks.
  CHECK(shard("hybrid shard over 2 nodes", 3, 1, 64, 8) == 16);
  CHECK(shard("HSDP, shard group of 16 GPUs", 3, 2, 64, 8) == 8);
  CHECK(shard("FSDP 8 nodes", 3, 1, 128, 8) == 64);
  // Not a degree: the API's version, written solid, with '_' or as a decimal; a degree of 1 is no sharding.
  CHECK(shard("PyTorch FSDP 2.0", 3, 1, 32, 8) == 0);
  CHECK(shard("FSDP_2", 3, 1, 32, 8) == 0);
  CHECK(shard("FSDP 1", 3, 1, 32, 8) == 0);
  CHECK(shard("FSDP 2", 3, 1, 32, 8) == 2);  // spaced: a degree
  // Megatron's one optimizer instance, torchtitan's -1, or a dp_shard without a count: all of DP (the host
  // default is FSDP's, for HSDP / HYBRID_SHARD only).
  CHECK(shard("distributed optimizer (single instance)", 1, 1, 32, 8) == 0);
  CHECK(shard("distributed optimizer, 16 GPUs per instance", 1, 1, 32, 8) == 16);  // the instance's size
  CHECK(shard("FSDP2 (dp_shard=-1)", 3, 1, 32, 8) == 0);
  CHECK(shard("torchtitan FSDP (dp_shard)", 3, 1, 32, 8) == 0);
  CHECK(shard("4 optimizer instances", 1, 1, 32, 8) == 8);
  CHECK(shard("2 distributed optimizer instances", 1, 1, 32, 8) == 16);
  CHECK_THROWS_WITH(shard("HSDP, dp_shard=0", 3, 1, 32, 8),
                    Catch::Contains("'0' is not a shard group or copy count"));
  CHECK_THROWS_WITH(shard("distributed optimizer, instances 99999999999999999999", 1, 1, 32, 8),
                    Catch::Contains("is not a shard group or copy count"));
  CHECK_THROWS_WITH(shard("HSDP (shard 8; replicate 3)", 3, 1, 32, 8),
                    Catch::Contains("3 copies do not divide DP (32)"));
  CHECK_THROWS_WITH(shard("HSDP (shard 8; replicate 2)", 3, 1, 32, 8),
                    Catch::Contains("a shard group of 8 and 2 copies are not DP (32)"));
  CHECK_THROWS_WITH(shard("hybrid shard over 12 GPUs", 3, 8, 32, 8),
                    Catch::Contains("12 GPUs is not a whole number of DP ranks"));
  CHECK_THROWS_WITH(
      shard("HSDP (dp_shard=6)", 3, 1, 32, 8),
      Catch::Contains(
          "key 'zero_sharding': H: 'HSDP (dp_shard=6)': a shard group of 6 does not divide DP (32)"));
  CHECK_THROWS_WITH(shard("HSDP, 3 replicas", 3, 1, 32, 8),
                    Catch::Contains("3 copies do not divide DP (32)"));
}

TEST_CASE("case cells: policies as other sources write them (2026-12-05 probe)", "[validation][cells]") {
  // Recompute as a setting's value: off or on (each was read as full).
  CHECK(recompute_cell("activation checkpointing: disabled") == Recompute::kNone);
  CHECK(recompute_cell("activation checkpointing: False") == Recompute::kNone);
  CHECK(recompute_cell("grad checkpointing off") == Recompute::kNone);
  CHECK(recompute_cell("AC off") == Recompute::kNone);
  CHECK(recompute_cell("AC: none") == Recompute::kNone);
  CHECK(recompute_cell("recompute: none") == Recompute::kNone);
  CHECK(recompute_cell("activation_checkpoint.mode=none") == Recompute::kNone);
  CHECK(recompute_cell("grad_checkpoint: True") == Recompute::kFull);
  CHECK(recompute_cell("activation checkpointing") == Recompute::kFull);
  CHECK(recompute_cell("full (block, 2 layers)") == Recompute::kFull);
  // "selective" with its modules in parentheses keeps them (the list was lost)
  CHECK(recompute_modules_cell("selective (mla_up_proj, moe_act)") ==
        std::vector<std::string>{"mla_up_proj", "moe_act"});
  CHECK_FALSE(recompute_modules_cell("selective (sequence parallel)").has_value());
  // VPP: "VP=5", negated interleaving, a virtual pipeline count
  CHECK(vpp_cell("interleaved (VP=5)").vpp == 5);
  CHECK(vpp_cell("1F1B (no interleaving)").vpp == 1);
  CHECK_FALSE(vpp_cell("1F1B (no interleaving)").interleaved);
  CHECK(vpp_cell("non-interleaved").vpp == 1);
  CHECK(vpp_cell("virtual pipeline 4").vpp == 4);
  CHECK(vpp_cell("\xe2\x80\x94").understood);  // an em dash, as "-"
  // ZeRO: FSDP off, Megatron-FSDP's strategies, DeepSpeed's and Colossal-AI's settings
  CHECK_FALSE(zero_stage("FSDP=0").has_value());
  CHECK(zero_stage("no FSDP (plain DDP)") == 0);
  CHECK(zero_stage("Megatron-FSDP (optim_grads)") == 2);
  CHECK(zero_stage("Megatron-FSDP (optim_grads_params)") == 3);
  CHECK(zero_stage("zero_optimization.stage: 2") == 2);
  CHECK(zero_stage("HybridParallelPlugin (tp=2, zero_stage=1)") == 1);
  CHECK(zero_stage("ZeRO disabled") == 0);
  CHECK(zero_stage("Dist. Opt.") == 1);
  CHECK(zero_stage("MiCS") == 3);
  CsvRow r;
  r.line = 2;
  r.fields = {
      {"case_id", "Z"}, {"zero_sharding", "FSDP=0"}, {"num_gpus", "512 GPUs"},    {"seq_len", "4,096 tokens"},
      {"TP", "2-way"},  {"micro_batch", "MBS=1"},    {"global_batch", "GBS 512"}, {"CP", "\xe2\x80\x94"},
      {"EP", "EP=n/a"}, {"params_B", "70B"}};
  const CaseRow row(r, "m.yaml");
  CHECK_FALSE(row.zero_stage("zero_sharding").has_value());  // the source's default, not an error
  CHECK(row.count("num_gpus") == 512);
  CHECK(row.count("seq_len") == 4096);
  CHECK(row.count("TP") == 2);
  CHECK(row.count_or_unreported("micro_batch") == 1);
  CHECK(row.count("global_batch") == 512);
  CHECK(unused_dimension(row.at("CP")));
  CHECK(unused_dimension(row.at("EP")));
  CHECK(row.positive("params_B") == 70.0);
}

TEST_CASE("case cells: the widened readers leave other settings alone (review, 2026-12-05)",
          "[validation][cells]") {
  // A cell with more than one setting, or a note, is not one setting's value.
  CHECK(recompute_cell("activation_checkpointing: {partition_activations: true, cpu_checkpointing: false}") ==
        Recompute::kFull);
  CHECK(recompute_cell("gradient checkpointing (use_reentrant=False)") == Recompute::kFull);
  CHECK(recompute_cell("activation checkpointing, CPU offload: off") == Recompute::kFull);
  CHECK(recompute_cell("op-level SAC (mm save list: none)") == Recompute::kSelective);
  // VPP: a virtual pipeline turned off, "=None", a count after "size" or a colon
  CHECK(vpp_cell("1F1B, no virtual pipeline").vpp == 1);
  CHECK(vpp_cell("1F1B (virtual pipeline disabled)").vpp == 1);
  CHECK(vpp_cell("virtual_pipeline_model_parallel_size=None").vpp == 1);
  CHECK(vpp_cell("virtual pipeline size 5").vpp == 5);
  CHECK(vpp_cell("virtual_pipeline_model_parallel_size: 5").vpp == 5);
  CHECK(vpp_cell("interleaved (vp: 5)").vpp == 5);
  CHECK(vpp_cell("--virtual-pipeline-model-parallel-size 5").vpp == 5);
  CHECK(recompute_cell("--recompute-activations") == Recompute::kSelective);
  CHECK(recompute_cell("--checkpoint-activations") == Recompute::kFull);
  CHECK(recompute_cell("--recompute-granularity full --recompute-method uniform") == Recompute::kFull);
  CHECK(vpp_cell("1F1B (interleaving off)").vpp == 1);
  CHECK(vpp_cell("1F1B (no zero-bubble)").schedule != Schedule::kZeroBubble);
  // FSDP off only where the phrase ends its clause
  CHECK(zero_stage("FSDP2 (without FSDP prefetch)") == 3);
  CHECK(zero_stage("FSDP 0.5") == 3);
  auto shard = [](const std::string& cell, int zero) { return dp_shard_of(cell, zero, 64); };
  CHECK(shard("ZeRO-3 (param shard size 8 MB)", 3) == 0);  // bytes, not ranks
  CHECK(shard("FSDP (sharded over 8 GPUs, replicated 8x)", 3) == 8);
  CHECK(shard("distributed optimizer (8 GPUs per instance)", 1) == 8);
  // Hardware: plurals and a run-on count still name the part
  CHECK(names_hardware("4x H100 NVLs", "H100 NVL"));
  CHECK(names_hardware("8x AMD Instinct MI300Xs", "MI300X"));
  CHECK(names_hardware("MI300Xx8", "MI300X"));
  CHECK(names_hardware("L40Sx8", "L40S"));
}

TEST_CASE("case cells: a hybrid shard group in other words", "[validation][cells]") {
  auto shard = [](const std::string& cell, int dp) { return dp_shard_of(cell, 3, dp); };
  CHECK(shard("ZeRO-3 (MiCS, shard size 8)", 64) == 8);
  CHECK(shard("FSDP (sharding_group_size=8)", 64) == 8);
  CHECK(shard("FSDP (8-way shard, replicated across nodes)", 256) == 8);
  CHECK(shard("HSDP (4 nodes per replica)", 64) == 32);
  CHECK(shard("HSDP (shard within 2 nodes, 16 GPUs)", 64) == 16);
  CHECK(shard("FSDP2 (data_parallel_shard_degree=8, data_parallel_replicate_degree=8)", 64) == 8);
  CHECK(shard("HSDP (2 replicas x 8 shards)", 16) == 8);
}

TEST_CASE("case cells: a shard group count is read whole, once, and not beside no sharding",
          "[validation][cells]") {
  auto shard = [](const std::string& cell, int zero = 3) { return dp_shard_of(cell, zero, 128); };
  // Before 2026-12-05 each was read off its last digits ("1e4 replicas" 4 copies, "dp_shard=8.5" 8) or
  // dropped ("dp_shard=nan": the host default).
  for (const char* bad :
       {"HSDP 1e4 replicas", "HSDP dp_shard=8e1", "HSDP dp_shard=8.5", "HSDP dp_shard=nan",
        "HSDP dp_shard=inf", "HSDP dp_shard=-8", "hybrid shard over 0.5 nodes", "HSDP -16 replicas",
        "HSDP 1,024 replicas", "HSDP 0x10 replicas", "HSDP 2.5 replicas"})
    CHECK_THROWS_WITH(shard(bad), Catch::Contains("is not a shard group or copy count"));
  CHECK_THROWS_WITH(shard("HSDP 1e4 replicas"), Catch::Contains("'1e4' is not a shard group"));
  CHECK_THROWS_WITH(shard("HSDP -16 replicas"), Catch::Contains("'-16' is not a shard group"));
  CHECK_THROWS_WITH(shard("dp_shard=8 dp_shard=16"),
                    Catch::Contains("gives the shard group twice (shard 8 and 16)"));
  for (const char* both : {"none (dp_shard=8)", "NO_SHARD dp_shard=8"})
    CHECK_THROWS_WITH(shard(both), Catch::Contains("names a shard group and no sharding"));
  // HSDP is FSDP inside a group and DDP across the groups: DDP named beside it is no contradiction.
  CHECK(shard("HSDP (FSDP within a node, DDP across nodes)") == 8);
  CHECK(shard("dp_shard=8 (FSDP), dp_replicate=16 (DDP)") == 8);
  // FSDP off is no degree (Megatron-Bridge's FSDP=0 column; it was "'0' is not a shard group" for a while)
  CHECK(shard("FSDP=0", 1) == 0);
  CHECK(shard("distributed optimizer, FSDP=0", 1) == 0);
  // Two counts: in one unit that differ, an error; in two units they may be one group (the first is read).
  CHECK(shard("HSDP (dp_shard=8; shard_size=8 GPUs)") == 8);
  CHECK(shard("HSDP, replicate 16x") == 8);  // 16 copies of 128
  CHECK_THROWS_WITH(shard("ZeRO-0 HSDP dp_shard=8", 0),
                    Catch::Contains("names a shard group and no sharding"));
  CHECK(shard("DDP (8 replicas)", 0) == 0);  // copies alone describe DDP
  CHECK(shard("hybrid_shard: dp_shard=8") == 8);
  CHECK(shard("HSDP (dp_shard=8, dp_shard 8)") == 8);  // the same count twice
  CHECK(shard("MiCS 8 GPUs") == 8);
  CHECK(shard("MiCS (shard size 8)") == 8);
  CHECK(shard("FSDP2 (dp_shard=-1)") == 0);
}

TEST_CASE("case cells: a count after its column's name", "[validation][cells]") {
  CHECK(labelled_count("EP8", "EP") == 8);
  CHECK(labelled_count("EP=8", "EP") == 8);
  CHECK(labelled_count("ep: 16", "EP") == 16);
  CHECK(labelled_count("CP 2", "CP") == 2);
  CHECK(labelled_count(" EP8 ", "EP") == 8);  // spaces around the cell
  CHECK(labelled_count("TP8 (SP)", "TP") == 8);
  CHECK_FALSE(labelled_count("EP8", "CP"));       // another column's label
  CHECK_FALSE(labelled_count("DeepEP 8", "EP"));  // the label is the cell's first word
  CHECK_FALSE(labelled_count("EP", "EP"));
  CHECK_FALSE(labelled_count("EP=-8", "EP"));
  CHECK_FALSE(labelled_count("EPx8", "EP"));
}

TEST_CASE("a built-in model reshaped by the arch cell is named by the tokens that changed it", "[mapping]") {
  ModelSpec base;
  base.layers = 96, base.hidden = 12288, base.heads = 96, base.kv_heads = 96, base.ffn_hidden = 49152, base.vocab = 51200;
  // SC'21's 1.7B row: L=24 h=2304 a=24 V=51200 (V as the base's: not listed); kv is not a token of the cell.
  CHECK(reshaped_model_name("gpt3-175b", base, {{"L", 24}, {"h", 2304}, {"a", 24}, {"V", 51200}}) ==
        "gpt3-175b (arch cell: L=24 h=2304 a=24)");
  CHECK(reshaped_model_name("gpt3-175b", base, {{"ffn", 9216}, {"kv", 8}}) == "gpt3-175b (arch cell: kv=8 ffn=9216)");
  CHECK(reshaped_model_name("gpt3-175b", base, {{"L", 96}, {"h", 12288}}) == "gpt3-175b");
  CHECK(reshaped_model_name("gpt3-175b", base, {}) == "gpt3-175b");
}

// A cell that denies what it names is read without it; one that gives two precisions as alternatives, or
// denies a policy and names no other, names none and the row is refused naming the cell (review, 2026-12-06:
// each read as the word it denied, exit 0).
TEST_CASE("case cells: a denied setting is read without it", "[validation][cells]") {
  const Precision fp8 = Precision::kFp8;
  for (const char* cell : {"bf16, fp8 disabled", "bf16 without fp8", "non-fp8 bf16"})
    CHECK(precision_cell(cell, fp8) == Precision::kBf16);
  for (const char* cell : {"bf16/fp8", "fp8 | bf16", "bf16 or fp8", "FP8 off"})
    CHECK_FALSE(precision_cell(cell, fp8).has_value());
  CHECK(precision_cell("FP8 GEMMs, BF16 attention", fp8) == fp8);  // a recipe, not alternatives
  CHECK(precision_cell("FP8 with BF16 master weights", fp8) == fp8);
  CHECK(precision_cell("FP8 current scaling, not blockwise", fp8) == fp8);
  CHECK(precision_cell("fp16/bf16 (not printed)", fp8) == Precision::kFp16);  // both 16-bit
  CHECK(precision_cell("bf16 (no float8 converter in toml)", fp8) == Precision::kBf16);
  CHECK(recompute_cell("full (not selective)") == Recompute::kFull);
  CHECK(recompute_cell("selective (not full)") == Recompute::kSelective);
  CHECK(recompute_cell("selective (no full-layer recompute)") == Recompute::kSelective);
  CHECK(recompute_cell("no selective recompute; full") == Recompute::kFull);
  CHECK(recompute_cell("none (no full or selective recompute)") == Recompute::kNone);
  CHECK(recompute_cell("no full recompute") == Recompute::kNone);
  for (const char* cell : {"non-selective", "not full"}) CHECK_FALSE(recompute_cell(cell).has_value());
  CHECK(recompute_cell("none (sec. 3.3.2: 8K sequences without activation checkpointing)") ==
        Recompute::kNone);
  CHECK(zero_stage("DDP (not FSDP)") == 0);
  CHECK(zero_stage("DDP (non-FSDP baseline)") == 0);
  CHECK(zero_stage("not FSDP but DDP") == 0);
  CHECK(zero_stage("FSDP without FSDP prefetch") == 3);
}

TEST_CASE("kernel cells: the precision a kernel row names, what it denies left out", "[validation][cells]") {
  CHECK(kernel_precision("FP8 (1x128 block scaling)") == KernelPrecision::kFp8Block);
  CHECK(kernel_precision("fp8 e4m3") == KernelPrecision::kFp8Tensor);
  CHECK(kernel_precision("MXFP8") == KernelPrecision::kMxfp8);
  CHECK(kernel_precision("BF16") == KernelPrecision::kBf16);
  // Denied (helper-112, 2026-12-06: each read as the word it denied).
  CHECK(kernel_precision("bf16 (not fp8)") == KernelPrecision::kBf16);
  // Other sheets' spellings (helper-133): MX-FP8, float8, DeepGEMM's "fine-grained" / "per-group" scaling;
  // NVFP4 with its fp8 scales is nvfp4 (it was read as fp8 block-scaled, then as none: 2026-12-06); another
  // 4-bit or integer format is none of these.
  CHECK(kernel_precision("MX-FP8") == KernelPrecision::kMxfp8);
  CHECK(kernel_precision("float8_e4m3fn") == KernelPrecision::kFp8Tensor);
  CHECK(kernel_precision("E4M3") == KernelPrecision::kFp8Tensor);
  CHECK(kernel_precision("FP8 fine-grained scaling") == KernelPrecision::kFp8Block);
  CHECK(kernel_precision("fp8 per-group 1x128") == KernelPrecision::kFp8Block);
  CHECK(kernel_precision("fp8 per-tensor (not 1x128)") == KernelPrecision::kFp8Tensor);  // helper-137
  CHECK(kernel_precision("NVFP4 (fp8 e4m3 block scales)") == KernelPrecision::kNvfp4);
  CHECK(kernel_precision("NV-FP4") == KernelPrecision::kNvfp4);
  CHECK_FALSE(kernel_precision("MXFP4"));
  CHECK_FALSE(kernel_precision("bf16 (not nvfp4)") == KernelPrecision::kNvfp4);
  // helper-140: the types ("ue4m3" held "e4m3": fp8 tensor-wise), both operands in NVFP4, weight-only 4-bit.
  CHECK(kernel_precision("e2m1 x e2m1, ue4m3 scales") == KernelPrecision::kNvfp4);
  CHECK(kernel_precision("NVFP4 (W4A4)") == KernelPrecision::kNvfp4);
  CHECK_FALSE(kernel_precision("NVFP4 weights (W4A16)"));
  CHECK(kernel_precision("E4M3 (UE8M0 scales)") == KernelPrecision::kMxfp8);
  CHECK_FALSE(kernel_precision("W4A16 (bf16 activations)"));
  CHECK_FALSE(kernel_precision("int8"));
  CHECK(kernel_precision("bf16 (fp8 disabled)") == KernelPrecision::kBf16);
  CHECK(kernel_precision("fp8 (no block scaling)") == KernelPrecision::kFp8Tensor);
  CHECK(kernel_precision("fp8 non-blockwise") == KernelPrecision::kFp8Tensor);
  // A compound modifier between (2026-12-06: block-wise)
  CHECK(kernel_precision("fp8 (not DeepSeek-style block scaling)") == KernelPrecision::kFp8Tensor);
  CHECK(precision_cell("FP8, no DeepSeek-like blockwise scaling", Precision::kFp8) == Precision::kFp8);
  CHECK(kernel_precision("fp8 (DeepSeek-style block scaling)") == KernelPrecision::kFp8Block);
  CHECK(kernel_precision("fp8 (not DeepSeek, block scaling)") ==
        KernelPrecision::kFp8Block);  // not beside it
  CHECK(kernel_precision("fp8 (per-tensor, not block-scaled)") == KernelPrecision::kFp8Tensor);
  CHECK(kernel_precision("FP8 e4m3 / BF16 output (blockscaled)") ==
        KernelPrecision::kFp8Block);  // inputs / output
  CHECK_FALSE(kernel_precision("abc").has_value());
}

TEST_CASE("a cell that says the run had no MTP module", "[validation][cells]") {
  for (const char* no : {"DeepSeekV3 (w/o MTP)", "trained without MTP", "no MTP, 4K sequences",
                         "mtp_num_layers=0", "MTP disabled"})
    CHECK(denies_mtp(no));
  // helper-126: what says nothing of the run's modules
  for (const char* yes :
       {"params_B 671 (excluding MTP: 685B with the MTP module)", "MTP: no change from the recipe",
        "trained with MTP (mtp_num_layers=1); no MTP loss in the metric", "mtp = 0.3 loss weight", ""})
    CHECK_FALSE(denies_mtp(yes));
}
