// calibrate --compute (study/compute_calibration.hpp) on a synthetic kernelbench file: rows generated from the
// kernel model with known hopper constants on an H200 (132 SMs), each TFLOPS moved by a fixed pseudo-noise
// of at most +-2%, must give back those constants: GEMM efficiencies, memory and grouped within 3%, the
// per-tile epilogue within 5% (measured: +1.2%, +0.5%, +0.1%, -1.6% and +0.5% for gemm_bf16, gemm_fp8_tensor,
// memory, grouped and the epilogue); every row is then predicted within 5%. The written file,
// loaded as an overlay, must hold the fitted values and change the kernel model's predictions.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "hw/catalog.hpp"
#include "scratch_dir.hpp"
#include "study/compute_calibration.hpp"
#include "study/mapping_rules.hpp"

using namespace commsim;

namespace {

constexpr int kBf16 = static_cast<int>(KernelPrecision::kBf16);
constexpr int kFp8 = static_cast<int>(KernelPrecision::kFp8Tensor);

// The known constants: far enough from the shipped ones (0.858, 0.838, 1.48 us, 0.812, 0.879) that recovering
// them is the fit's doing.
KernelArch truth() {
  KernelArch a = kernel_data().archs.at("hopper");
  a.gemm[kBf16] = 0.70;
  a.gemm[kFp8] = 0.62;
  a.epilogue = 2.5e-6;
  a.memory = 0.65;
  a.grouped = 0.75;
  return a;
}

// A kernelbench JSON file of compute-bound, short-K, memory-bound and grouped shapes in bf16 and fp8_tensor.
std::string synthetic_kernelbench() {
  const KernelArch arch = truth();
  KernelDevice dev = kernel_device(load_gpu("h200-sxm"), 1, kernel_data());
  dev.sms = 132;
  struct Shape {
    const char* kind;
    double g, m, n, k;
  };
  const Shape shapes[] = {{"gemm", 1, 8192, 8192, 8192},     {"gemm", 1, 4096, 4096, 8192},   {"gemm", 1, 16384, 8192, 4096},
                          {"gemm", 1, 4096, 4096, 512},      {"gemm", 1, 8192, 8192, 256},    {"gemm", 1, 6144, 4096, 384},
                          {"gemm", 1, 64, 8192, 8192},       {"gemm", 1, 32, 16384, 8192},    {"gemm", 1, 128, 28672, 4096},
                          {"grouped_gemm", 8, 2048, 4096, 7168}, {"grouped_gemm", 16, 1024, 2048, 7168},
                          {"grouped_gemm", 32, 1024, 4096, 2048}};
  nlohmann::ordered_json doc;
  doc["context"] = {{"tool", "kernelbench"}, {"schema_version", 1}, {"timestamp", "synthetic"},
                    {"gpu", {{"name", "NVIDIA H200"}, {"sms", 132}, {"compute_capability", "9.0"}}}};
  doc["results"] = nlohmann::ordered_json::array();
  int i = 0;
  for (const Shape& s : shapes)
    for (KernelPrecision p : {KernelPrecision::kBf16, KernelPrecision::kFp8Tensor}) {
      KernelCase c;
      c.device = dev;
      c.precision = p;
      c.grouped = std::string(s.kind) == "grouped_gemm";
      c.gemm = {s.m, s.n, s.k, s.g};
      const double tflops = predict_tflops(c, arch) * (1.0 + 0.02 * std::sin(2.3 * ++i));
      const double time_us = c.gemm.flops() / (tflops * 1e12) * 1e6;
      doc["results"].push_back({{"case_id", "synthetic_" + std::to_string(i)}, {"kind", s.kind},
                                {"precision", kernel_precision_name(p)}, {"M", s.m}, {"N", s.n}, {"K", s.k},
                                {"groups", s.g}, {"time_us", time_us}, {"metric", "TFLOPS"}, {"value", tflops}});
    }
  return doc.dump(2) + "\n";
}

std::string write(const test::ScratchDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.path(name);
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("calibrate --compute recovers the kernel model's constants from synthetic kernelbench rows", "[kbench]") {
  test::ScratchDir dir("kbench");
  const std::string json = write(dir, "kb.json", synthetic_kernelbench());
  const ComputeCalibration c = calibrate_compute(read_kernelbench_json(json), "");
  CHECK(c.gpu == "h200-sxm");
  CHECK(c.arch == "hopper");
  CHECK(c.rows.size() == 24);
  const KernelArch t = truth();
  CHECK(c.fitted.gemm[kBf16] == Approx(t.gemm[kBf16]).epsilon(0.03));
  CHECK(c.fitted.gemm[kFp8] == Approx(t.gemm[kFp8]).epsilon(0.03));
  CHECK(c.fitted.memory == Approx(t.memory).epsilon(0.03));
  CHECK(c.fitted.grouped == Approx(t.grouped).epsilon(0.03));
  CHECK(c.fitted.epilogue == Approx(t.epilogue).epsilon(0.05));
  // Not moved by any row: as shipped, with the shipped provenance.
  CHECK(c.fitted.gemm[static_cast<int>(KernelPrecision::kFp8Block)] == c.shipped.gemm[static_cast<int>(KernelPrecision::kFp8Block)]);
  CHECK(c.fitted.attention == c.shipped.attention);
  CHECK(c.fitted.provenance.at("attention").kind == c.shipped.provenance.at("attention").kind);
  CHECK(c.fitted.provenance.at("gemm_bf16").kind == "measurement");
  CHECK(c.fitted.provenance.at("gemm_bf16").source.find("NVIDIA H200") != std::string::npos);
  for (const KernelCase& k : c.rows) CHECK(std::fabs(k.loso_error) < 0.05);

  // The written file, laid over the shipped data, holds the fitted constants and moves a prediction.
  std::ostringstream yaml;
  write_kernel_calibration(yaml, c);
  const std::string overlay = write(dir, "hopper.yaml", yaml.str());
  KernelCase probe = c.rows.front();
  const double shipped = predict_tflops(probe, kernel_data().archs.at("hopper"));
  set_kernel_overlay(overlay);
  const KernelArch loaded = kernel_data().archs.at("hopper");
  const double sms = kernel_data().gpu_sms.at("h200-sxm");
  set_kernel_overlay("");
  CHECK(loaded.gemm[kBf16] == Approx(c.fitted.gemm[kBf16]).epsilon(1e-3));
  CHECK(loaded.epilogue == Approx(c.fitted.epilogue).epsilon(1e-3));
  CHECK(loaded.provenance.at("memory").kind == "measurement");
  CHECK(sms == 132);
  CHECK(predict_tflops(probe, loaded) / shipped < 0.9);  // 0.70 / 0.858 of the shipped bf16 efficiency
  CHECK(kernel_data().archs.at("hopper").gemm[kBf16] == Approx(0.858));  // overlay removed
  // Hopper has no exp-rate reference: none is written. An arch with one keeps it (the fit ran in its frame).
  CHECK(yaml.str().find("softmax_exp") == std::string::npos);
  ComputeCalibration b = c;
  b.fitted.softmax_exp = 0.0022222;
  std::ostringstream with;
  write_kernel_calibration(with, b);
  CHECK(with.str().find("      softmax_exp: {value: 0.002222") != std::string::npos);
}

TEST_CASE("a kernel overlay without softmax_exp keeps the shipped exp-rate reference", "[kbench]") {
  // A Blackwell calibration written before the reference existed: B300's softmax_exp stays readable (every
  // Blackwell GPU with the figure was refused under it).
  test::ScratchDir dir("kbench-overlay");
  const double shipped = kernel_data().archs.at("blackwell").softmax_exp;
  REQUIRE(shipped > 0);
  std::string arch = "schema_version: 1\nkind: kernel_calibration\nkernels:\n  archs:\n    blackwell:\n";
  for (const char* line : {"sms: 148", "tile_m: 128", "tile_n: 256", "gemm_bf16: 0.8", "epilogue: 2us", "launch: 2us",
                           "memory: 0.8", "attention: 0.7", "attention_s0: 300"})
    arch += std::string("      ") + line + "\n";
  arch += "  gpu_sms: {}\n";
  set_kernel_overlay(write(dir, "old-blackwell.yaml", arch));
  const KernelArch loaded = kernel_data().archs.at("blackwell");
  const GpuSpec b300 = load_gpu("b300");
  KernelDevice d;
  CHECK_NOTHROW(d = kernel_device(b300, 1, kernel_data()));
  set_kernel_overlay("");
  CHECK(loaded.gemm[kBf16] == Approx(0.8));
  CHECK(loaded.softmax_exp == Approx(shipped));
  CHECK(d.softmax_exp == Approx(10.7e12));
}

TEST_CASE("kernelbench JSON: bad values name the file and the JSON path", "[kbench]") {
  test::ScratchDir dir("kbench-bad");
  nlohmann::json doc = nlohmann::json::parse(synthetic_kernelbench());
  auto fails = [&](const std::string& what, const std::string& expected) {
    const std::string path = write(dir, "bad.json", doc.dump());
    INFO(what);
    CHECK_THROWS_WITH(read_kernelbench_json(path), Catch::Contains(expected));
  };
  doc["results"][1]["M"] = 0.5;
  fails("fractional M", "results[1].M");
  doc = nlohmann::json::parse(synthetic_kernelbench());
  doc["results"][0]["value"] = -3;
  fails("negative TFLOPS", "results[0].value");
  doc = nlohmann::json::parse(synthetic_kernelbench());
  doc["results"][2]["time_us"] = 1.0;
  fails("time disagrees", "results[2].time_us");
  doc = nlohmann::json::parse(synthetic_kernelbench());
  doc["results"][3]["precision"] = "fp4";
  fails("unknown precision", "unknown precision 'fp4'");
  doc = nlohmann::json::parse(synthetic_kernelbench());
  doc["context"].erase("gpu");
  fails("no gpu", "context.gpu");
}

// Writes the synthetic file that tests/data/kernelbench/synthetic-h200.json holds (hidden; run with
// KBENCH_SYNTHETIC_OUT=path commsim_unit_tests "[.generate]").
TEST_CASE("generate the synthetic kernelbench file", "[.generate]") {
  const char* out = std::getenv("KBENCH_SYNTHETIC_OUT");
  REQUIRE(out != nullptr);
  std::ofstream(out) << synthetic_kernelbench();
}

TEST_CASE("a kernelbench device name maps to the catalog GPU it names, whole", "[kbench]") {
  // nvidia-smi names; "NVIDIA H100 NVL" was fitted against the SXM part's 989 TFLOPS (gemm_bf16 0.707 for
  // 0.840).
  CHECK(kernel_catalog_gpu("NVIDIA H100 NVL") == "h100-nvl");
  CHECK(kernel_catalog_gpu("NVIDIA H100 80GB HBM3") == "h100-sxm");
  CHECK(kernel_catalog_gpu("NVIDIA H100 PCIe") == "h100-pcie");
  CHECK(kernel_catalog_gpu("NVIDIA H200") == "h200-sxm");
  CHECK(kernel_catalog_gpu("NVIDIA H20") == "h20");
  CHECK(kernel_catalog_gpu("NVIDIA GB200") == "gb200");
  CHECK(kernel_catalog_gpu("NVIDIA B200") == "b200");
  CHECK(kernel_catalog_gpu("NVIDIA A800-SXM4-80GB") == "a800-sxm");
  CHECK(kernel_catalog_gpu("NVIDIA L40S") == "l40s");
  CHECK(kernel_catalog_gpu("NVIDIA GeForce RTX 4090") == "rtx-4090");
  // A match does not run on into a letter or digit: no made-up part matches its neighbour.
  CHECK(kernel_catalog_gpu("NVIDIA H2000") == "");
  CHECK(kernel_catalog_gpu("NVIDIA RTX A100X") == "");
  CHECK(names_part("(H100-class GPU)", "H100"));
  CHECK_FALSE(names_part("GB200", "B200"));
  CHECK_FALSE(names_part("H200", "H20"));
  // Any spelling of a PCIe or NVL card is that card, not the SXM part the chip's own rule maps (helper-133).
  for (const char* cell :
       {"H100 PCIe", "H100-PCIe", "NVIDIA H100 PCIE", "H100 80GB PCIe", "H100 (PCIe)", "h100 pcie"})
    CHECK(kernel_catalog_gpu(cell) == "h100-pcie");
  for (const char* cell : {"H100-NVL", "H100 94GB NVL"}) CHECK(kernel_catalog_gpu(cell) == "h100-nvl");
  for (const char* cell : {"H200-NVL", "H200 141GB NVL"}) CHECK(kernel_catalog_gpu(cell) == "h200-nvl");
  CHECK(kernel_catalog_gpu("H800 PCIe") == "h100-pcie");
  CHECK(kernel_catalog_gpu("A100 PCIe") == "a100-pcie-80gb");
  CHECK(kernel_catalog_gpu("nvidia h100 80gb hbm3") == "h100-sxm");
  CHECK(names_part("SM90 (Hopper)", "sm_90"));
  CHECK_FALSE(names_part("HGX H100 NVLink", "H100 NVL"));
}

TEST_CASE("mapping rules: an unsupported architecture's name is a word of the cell",
          "[validation][mapping]") {
  // helper-132: a case_id "...EXPLORATORY..." was refused as LoRA; plurals and punctuation still name it
  CHECK_FALSE(names_word("MB-EXPLORATORY-RUN", "LoRA"));
  CHECK(names_word("Llama 2 70B (LoRA)", "LoRA"));
  CHECK(names_word("llama2_70b_lora benchmark", "LoRA"));
  CHECK(names_word("hybrid SSMs", "SSM"));
  CHECK(names_word("Mamba2 blocks", "Mamba"));
  CHECK_FALSE(names_word("supported by", "PPO"));
  // helper-137: denied, no match; a part of a CamelCase name is one
  CHECK_FALSE(names_word("full fine-tuning (not LoRA)", "LoRA"));
  CHECK_FALSE(names_word("dense (no SSM layers)", "SSM"));
  CHECK(names_word("GatedDeltaNet", "DeltaNet"));
  CHECK(names_word("MambaInLlama 8B", "Mamba"));
  CHECK(names_word("OpenRLHF", "RLHF"));
}

TEST_CASE("mapping rules: a card's words, not denied nor contradicted by its form factor",
          "[validation][mapping]") {
  CHECK(says_all_words("H100 80GB PCIe", "H100 PCIe"));
  CHECK_FALSE(says_all_words("H800 SXM5 80GB (PCIe Gen5 host link)", "H800 PCIe"));  // helper-137
  CHECK_FALSE(says_all_words("H800 (SXM, not PCIe)", "H800 PCIe"));
  CHECK(says_all_words("A100 (40 GB HBM2)", "A100 40GB"));  // a capacity written with a space
  CHECK_FALSE(
      says_all_words("A100-SXM4-80GB (NVLink 40 GB/s per link)", "A100 40GB"));  // a rate is no capacity
  CHECK(kernel_catalog_gpu("H100 SXM (not PCIe)") == "h100-sxm");
  CHECK(says_all_words("H100 80GB PCIe (non-SXM)",
                       "H100 PCIe"));                    // a denied SXM contradicts nothing (helper-138)
  CHECK(names_word("Nemotron Nano SSM hybrid", "SSM"));  // "Nano" ends in "no": no denial
}
