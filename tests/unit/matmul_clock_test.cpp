// A GPU's measured maximum achievable matmul (`matmul_achievable`) against its arch's reference ratio
// (compute-efficiency.yaml matmul_ratio, matmul_ratio_fp8) scales its GEMM rate (src/train/compute_model.hpp).
#include <catch2/catch.hpp>

#include "core/data_path.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "core/error.hpp"
#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "train/compute_model.hpp"
#include "train/layer_ops.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;
using Catch::Matchers::Contains;

namespace {
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
}  // namespace

TEST_CASE("matmul_ratio is the median over the arch's catalog GPUs with a measurement", "[catalog][train]") {
  // The reference ratios are data derived from the GPU files; this keeps them derived (a GPU measured later
  // moves the median, and the YAML must follow).
  std::map<GpuArch, std::vector<double>> bf16, fp8;
  for (const std::string& name : gpu_names()) {
    const GpuSpec g = load_gpu(name);
    // Measurements vote; a part carrying another's figure (h800-sxm: h100-sxm's) does not.
    if (g.matmul_bf16 && g.matmul_bf16->provenance.kind == "measurement") bf16[g.arch].push_back(g.matmul_bf16->value / g.bf16_flops.value);
    if (g.matmul_fp8 && g.matmul_fp8->provenance.kind == "measurement") fp8[g.arch].push_back(g.matmul_fp8->value / g.fp8_flops->value);
  }
  REQUIRE(bf16.size() >= 4);
  for (const auto& [arch, ratios] : bf16) {
    INFO(arch_name(arch));
    CHECK(compute_efficiency(arch).matmul_ratio.value == Approx(median(ratios)).epsilon(5e-4));
  }
  for (const auto& [arch, ratios] : fp8) {
    INFO(arch_name(arch));
    CHECK(compute_efficiency(arch).matmul_ratio_fp8.value == Approx(median(ratios)).epsilon(5e-4));
  }
}

TEST_CASE("a GPU's GEMMs run at its measured matmul against its arch's reference", "[catalog][train]") {
  // A large fp8 GEMM on GB200 and on B200 (one Blackwell arch, one gemm_fp8): the time ratio is the ratio of
  // their measured fp8 matmuls, 3432.5 / 3615.6 = 0.9494, not of their peaks (4500 / 5000 = 0.9).
  LocalShape s;
  s.precision = Precision::kFp8;
  const OpCost op = gemm_op("fc1", 16384, 16384, 16384, s);
  const Roofline gb200(load_gpu("gb200"), 1, Precision::kFp8), b200(load_gpu("b200"), 1, Precision::kFp8);
  CHECK(gb200.time(op) / b200.time(op) == Approx(3432.5 / 3615.6).epsilon(1e-3));
  // B300 is the fp8 reference (the median): its clock is 1; GB300 has no measurement: 1.
  CHECK(Roofline(load_gpu("b300"), 1, Precision::kFp8).matmul_clock(true) == Approx(1.0).epsilon(1e-3));
  CHECK(Roofline(load_gpu("gb300"), 1, Precision::kFp8).matmul_clock(true) == 1.0);
  // bf16: B200 is the reference; GB200 0.7288 / 0.7756.
  CHECK(Roofline(load_gpu("gb200"), 1, Precision::kBf16).matmul_clock(true) == Approx(0.7288 / 0.7756).epsilon(1e-3));
}

TEST_CASE("parts of one chip run at one clock", "[catalog][train]") {
  // H800 and H100 SXM (one GH100 at 700 W) tie; A800 and A100 SXM likewise (the median would have put the
  // copies between their arch's measured parts).
  for (const auto& [a, b] : {std::pair<const char*, const char*>{"h800-sxm", "h100-sxm"}, {"a800-sxm", "a100-sxm-80gb"}}) {
    INFO(a);
    CHECK(Roofline(load_gpu(a), 1, Precision::kBf16).matmul_clock(false) == Roofline(load_gpu(b), 1, Precision::kBf16).matmul_clock(false));
  }
  CHECK(Roofline(load_gpu("h800-sxm"), 1, Precision::kFp8).matmul_clock(true) == Roofline(load_gpu("h100-sxm"), 1, Precision::kFp8).matmul_clock(true));
}

TEST_CASE("matmul_achievable above the peak is refused, naming the key", "[catalog]") {
  auto gpu = [](const std::string& mm) {
    YamlMap m(load_yaml_string("name: x\narch: hopper\ndies: 1\ncompute: {bf16: 100TFLOPS, fp16: 100TFLOPS}\n"
                               "memory: {capacity: 80GiB, bandwidth: 3TB/s}\n"
                               "pcie: {generation: 5, lanes: 16}\nnic: {speed: 400Gb/s}\ntdp: 700W\n"
                               "matmul_achievable: " + mm + "\n",
                               "g.yaml"),
              "g.yaml");
    return parse_gpu(m);
  };
  CHECK(gpu("{bf16: 80TFLOPS}").matmul_bf16->value == Approx(80e12));
  CHECK_THROWS_WITH(gpu("{bf16: 120TFLOPS}"), Contains("matmul_achievable.bf16") && Contains("above the dense bf16 peak"));
  CHECK_THROWS_WITH(gpu("{fp8: 80TFLOPS}"), Contains("matmul_achievable.fp8") && Contains("without compute.fp8"));
  CHECK_THROWS_WITH(gpu("{bf16: 0TFLOPS}"), Contains("matmul_achievable.bf16"));
  CHECK_THROWS_WITH(gpu("{bf32: 80TFLOPS}"), Contains("bf32"));
}

TEST_CASE("a catalog GPU's name is its file's", "[catalog]") {
  // A catalog file named h20.yaml whose name was h20x: `catalog` listed h20x, --gpu h20x found nothing; a
  // second file with name h20 listed two h20s with two export-control classes.
  auto gpu = [](const std::string& name, const std::string& file) {
    YamlMap m(load_yaml_string("name: " + name + "\narch: hopper\ndies: 1\ncompute: {bf16: 100TFLOPS, fp16: 100TFLOPS}\n"
                               "memory: {capacity: 80GiB, bandwidth: 3TB/s}\n"
                               "pcie: {generation: 5, lanes: 16}\nnic: {speed: 400Gb/s}\ntdp: 700W\n",
                               file),
              file);
    return parse_gpu(m);
  };
  const std::string catalog_file = data_file("topologies/gpus/h20.yaml");
  CHECK(gpu("h20", catalog_file).name == "h20");
  CHECK_THROWS_WITH(gpu("h20x", catalog_file), Contains("key 'name'") && Contains("a catalog GPU's name is its file's (h20)"));
  CHECK(gpu("h20x", "my-gpus/h20.yaml").name == "h20x");  // a user's own file outside the catalog: any name
}

TEST_CASE("a --set peak takes the measurement made against the old one along", "[catalog]") {
  // The part's measured share of its peak is kept (a what-if peak, a power cap): h100-sxm measures 794.5 of
  // 989.4 TFLOPS bf16; at a 912 TFLOPS peak, 794.5 x 912 / 989.4. Until 2026-12-06 the measurement was
  // dropped, and a peak 0.01% above an A100's made its step 2.8% slower (helper-116).
  const SystemSpec capped = load_system("dgx-h100", {"gpu.compute.bf16=912TFLOPS"});
  REQUIRE(capped.gpu.matmul_bf16);
  CHECK(capped.gpu.matmul_bf16->value == Approx(794.5e12 * 912 / 989.4));
  REQUIRE(capped.gpu.matmul_fp8);  // the fp8 peak is unchanged, and so its measurement
  CHECK(capped.gpu.matmul_fp8->value == Approx(1402.6e12));
  // A measurement set beside the peak is taken as set.
  const SystemSpec measured = load_system("dgx-h100", {"gpu.compute.bf16=912TFLOPS", "gpu.matmul_achievable.bf16=700TFLOPS"});
  REQUIRE(measured.gpu.matmul_bf16);
  CHECK(measured.gpu.matmul_bf16->value == Approx(700e12));
  // A peak set to its own value changes nothing.
  CHECK(load_system("dgx-h100", {"gpu.compute.fp8=1978.9TFLOPS"}).gpu.matmul_fp8->value == Approx(1402.6e12));
  // The whole compute map set: each measurement follows its own peak.
  const SystemSpec whole = load_system("dgx-h100", {"gpu.compute={bf16: 700TFLOPS, fp16: 700TFLOPS, fp8: 1400TFLOPS}"});
  REQUIRE(whole.gpu.matmul_bf16);
  CHECK(whole.gpu.matmul_bf16->value == Approx(794.5e12 * 700 / 989.4));
  CHECK(whole.gpu.matmul_fp8->value == Approx(1402.6e12 * 1400 / 1978.9));
  // A step time is continuous and monotone in the peak (A100: 312 TFLOPS measured at 271.2).
  const SystemSpec a = load_system("dgx-a100", {}),
                   b = load_system("dgx-a100", {"gpu.compute.bf16=312.031TFLOPS"});
  CHECK(b.gpu.matmul_bf16->value / b.gpu.bf16_flops.value ==
        Approx(a.gpu.matmul_bf16->value / a.gpu.bf16_flops.value));
  // A measurement --set names is taken as given, at the file's value too (it was rescaled; helper-121).
  const SystemSpec given =
      load_system("dgx-h100", {"gpu.compute.bf16=912TFLOPS", "gpu.matmul_achievable.bf16=794.5TFLOPS"});
  CHECK(given.gpu.matmul_bf16->value == Approx(794.5e12));
}

TEST_CASE("a measurement on an arch without a reference ratio is refused", "[catalog][train]") {
  // Ada has no matmul_ratio: an L40S measurement was ignored without a word.
  const SystemSpec s = load_system("dgx-h100", {"gpu.arch=ada"});
  CHECK_THROWS_WITH(Roofline(s.gpu, 1, Precision::kBf16), Contains("matmul_achievable.bf16") && Contains("arch ada has no matmul_ratio"));
}

TEST_CASE("a measurement more than 2x from its arch's ratio is refused: the peak or the measurement is wrong",
          "[catalog][train]") {
  // h100-sxm measures 0.80 of its 989 TFLOPS (hopper's ratio ~0.80). A file whose peak was raised to 1e9
  // PFLOPS beside its old measurement made a step 97 million s long (the kernel model's floors over a clock
  // of 1e-9).
  auto with_peak = [](const std::string& peak) {
    GpuSpec g = load_gpu("h100-sxm");
    g.bf16_flops.value = g.fp16_flops.value = parse_quantity(peak, Dimension::kFlopRate);
    return g;
  };
  CHECK_NOTHROW(Roofline(with_peak("1500TFLOPS"), 1, Precision::kBf16));  // 0.53 of it: within 2x of 0.80
  CHECK_THROWS_WITH(Roofline(with_peak("2000TFLOPS"), 1, Precision::kBf16),
                    Contains("matmul_achievable.bf16") && Contains("the peak or the measurement is wrong"));
  CHECK_THROWS_WITH(Roofline(with_peak("1e9PFLOPS"), 1, Precision::kBf16),
                    Contains("of the 1e+12 TFLOPS bf16 peak"));
  // Every shipped GPU is within the span (catalog-wide, for both precisions it measures).
  for (const std::string& name : gpu_names())
    if (const GpuSpec g = load_gpu(name); g.arch != GpuArch::kCpu)
      CHECK_NOTHROW(check_compute_figures(g));  // host-cpu: no kernels
}

TEST_CASE("an fp16 run's kernels run at the GPU's fp16 rate, a bf16 run's at its bf16 rate",
          "[train][kernel]") {
  GpuSpec g = load_gpu("h100-sxm");
  g.fp16_flops.value = 2 * g.bf16_flops.value;  // a GPU file whose two 16-bit rates differ
  CHECK(Roofline(g, 1, Precision::kFp16).kernels().peak_bf16 == g.fp16_flops.value);
  CHECK(Roofline(g, 1, Precision::kBf16).kernels().peak_bf16 == g.bf16_flops.value);
  CHECK(Roofline(g, 2, Precision::kFp16).kernels().peak_bf16 == g.fp16_flops.value / 2);  // per die
}
