// NVFP4 training (precision nvfp4): GEMMs at the GPU's fp4 rate, their casts, the bytes they read and keep,
// and the GPUs that cannot run it. Every expected value is computed by hand in the comment above it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "core/error.hpp"
#include "hw/catalog.hpp"
#include "topo/system_loader.hpp"
#include "train/compute_model.hpp"
#include "train/estimator.hpp"
#include "train/fp8_casts.hpp"
#include "train/kernel_model.hpp"
#include "train/layer_ops.hpp"
#include "train_base.hpp"

using namespace commsim;
using Catch::Matchers::Contains;

namespace {

const OpCost& find(const std::vector<OpCost>& ops, const std::string& name) {
  auto it = std::find_if(ops.begin(), ops.end(), [&](const OpCost& o) { return o.name == name; });
  REQUIRE(it != ops.end());
  return *it;
}

LocalShape shape(Precision p) {
  LocalShape s;
  s.tokens = 4096;
  s.seq_kv = 4096;
  s.precision = p;
  return s;
}

}  // namespace

TEST_CASE("nvfp4: a precision of its own, below 16 bits and not an fp8 one", "[train][nvfp4]") {
  CHECK(parse_precision("nvfp4", "training.precision") == Precision::kNvfp4);
  CHECK(std::string(precision_name(Precision::kNvfp4)) == "nvfp4");
  CHECK(is_low_precision(Precision::kNvfp4));
  CHECK_FALSE(is_fp8(Precision::kNvfp4));
  CHECK_FALSE(is_low_precision(Precision::kBf16));
  // An E2M1 value is half a byte; an E4M3 scale per 16 adds 1/16: 0.5625. fp8 1, bf16 2.
  CHECK(gemm_input_bytes(Precision::kNvfp4) == 0.5625);
  CHECK(gemm_input_bytes(Precision::kMxfp8) == 1.0);
  CHECK(gemm_input_bytes(Precision::kBf16) == 2.0);
  CHECK(kernel_input_bytes(KernelPrecision::kNvfp4) == 0.5625);
  CHECK_THROWS_WITH(parse_precision("fp4", "training.precision"), Contains("nvfp4"));
}

TEST_CASE("nvfp4: casts with an amax pass, fused norm inputs included", "[train][nvfp4]") {
  // amax read 2 B, then read 2 B and write a row-wise and a column-wise copy of 0.5 + 1/16 B each: 5.125.
  CHECK(fp8_cast_bytes_per_element(Precision::kNvfp4) == 5.125);
  const ModelSpec m = load_model("llama3-8b");
  const std::vector<OpCost> ops = layer_forward_ops(m, false, shape(Precision::kNvfp4));
  // QKV's input comes from the fused norm; under fp8 the norm casts it, under nvfp4 the per-tensor scale
  // needs the whole tensor's amax first: 5.125 x 4096 tokens x 4096 hidden = 85,983,232 B forward.
  CHECK(find(ops, "qkv.cast").bytes == Approx(85983232.0));
  CHECK(find(ops, "qkv.cast").bwd_n == 0);
  const std::vector<OpCost> fp8 = layer_forward_ops(m, false, shape(Precision::kFp8));
  CHECK(std::none_of(fp8.begin(), fp8.end(), [](const OpCost& o) { return o.name == "qkv.cast"; }));
  // The GEMM reads its inputs at 0.5625 B: out_proj (4096 x 4096 x 4096) moves
  // 0.5625 x (4096^2 + 4096^2) + 2 x 4096^2 = 3.125 x 4096^2 = 52,428,800 B.
  CHECK(find(ops, "out_proj").bytes == Approx(52428800.0));
}

TEST_CASE("nvfp4: GEMMs at the fp4 peak, at the fp8 GEMMs' sustained fraction and clock", "[train][nvfp4]") {
  // A compute-bound 16384^3 GEMM: the time over the mxfp8 one is the fp8 peak over the fp4 peak, B200
  // 4,500 / 9,000 = 0.5 and B300 4,500 / 13,500 = 1/3 (the same gemm_fp8 and clock; the memory side, under a
  // tenth of the compute, does not bind).
  for (const auto& [gpu, ratio] : {std::pair{"b200", 0.5}, std::pair{"b300", 1.0 / 3.0}}) {
    INFO(gpu);
    const OpCost nv = gemm_op("fc1", 16384, 16384, 16384, shape(Precision::kNvfp4));
    const OpCost mx = gemm_op("fc1", 16384, 16384, 16384, shape(Precision::kMxfp8));
    const Roofline a(load_gpu(gpu), 1, Precision::kNvfp4), b(load_gpu(gpu), 1, Precision::kMxfp8);
    CHECK(a.time(nv) / b.time(mx) == Approx(ratio).epsilon(1e-6));
  }
  // The training fraction follows the kernel model's nvfp4 efficiency over its fp8 one (1.0 / 1.0 shipped on
  // Blackwell): a measured gemm_nvfp4 of 0.5 halves it. None on an arch without nvfp4 kernels.
  const KernelArch& bw = kernel_device(load_gpu("b200"), 1, kernel_data()).arch;
  CHECK(nvfp4_gemm_ratio(bw) == Approx(1.0));
  KernelArch half = bw;
  half.gemm[static_cast<int>(KernelPrecision::kNvfp4)] = 0.5;
  CHECK(nvfp4_gemm_ratio(half) == Approx(0.5));
  CHECK(nvfp4_gemm_ratio(kernel_device(load_gpu("h100-sxm"), 1, kernel_data()).arch) == 0.0);
  // A TE-timed cast to nvfp4: amax 2 + read 2 + write 0.5625 B = 4.5625 per element, against fp8's 5.
  const KernelDevice bd = kernel_device(load_gpu("b200"), 1, kernel_data());
  const double e = 1e9, launch = bd.arch.launch;
  CHECK((cast_time(bd, e, KernelPrecision::kNvfp4) - launch) /
            (cast_time(bd, e, KernelPrecision::kFp8Tensor) - launch) ==
        Approx(4.5625 / 5.0));
  // The kernel model reads the fp4 peak for nvfp4: B200's 9,000 TFLOPS.
  const KernelDevice d = kernel_device(load_gpu("b200"), 1, kernel_data());
  CHECK(d.peak(KernelPrecision::kNvfp4) == Approx(9000e12));
  CHECK(d.peak(KernelPrecision::kMxfp8) == Approx(4500e12));
}

TEST_CASE("nvfp4: a GPU without an fp4 rate, or whose arch has no nvfp4 kernel, cannot run it",
          "[train][nvfp4]") {
  CHECK_THAT(unsupported_precision(load_gpu("h100-sxm"), Precision::kNvfp4), Contains("fp4 rate"));
  // Neither rate (A100): the fp4 one is named, the one nvfp4 asks for (helper-140: it named fp8's).
  CHECK_THAT(unsupported_precision(load_gpu("a100-sxm-80gb"), Precision::kNvfp4), Contains("fp4 rate"));
  // MI355X has an fp4 rate (MXFP4) but CDNA4 no NVFP4 kernel.
  CHECK_THAT(unsupported_precision(load_gpu("mi355x"), Precision::kNvfp4), Contains("no gemm_nvfp4"));
  CHECK(unsupported_precision(load_gpu("gb300"), Precision::kNvfp4).empty());
  CHECK_THROWS_AS(Roofline(load_gpu("h100-sxm"), 1, Precision::kNvfp4), InputError);
}

TEST_CASE("nvfp4: a GPU file's fp4 rate is at least its fp8 rate", "[catalog][nvfp4]") {
  // 90 TFLOPS for 9000 (a unit typo) ran an nvfp4 step 33 times slower (helper-140): refused, named.
  CHECK_THROWS_WITH(load_system("hgx-b200", {"gpu.compute.fp4=90TFLOPS"}),
                    Contains("compute.fp4") && Contains("below compute.fp8"));
  CHECK_THROWS_WITH(load_system("hgx-b200", {"gpu.compute.fp8=20000TFLOPS"}), Contains("above compute.fp4"));
  CHECK_NOTHROW(load_system("hgx-b200", {"gpu.compute.fp4=4500TFLOPS"}));
}

TEST_CASE("nvfp4: MFU over the fp4 peak, and smaller cached GEMM inputs", "[train][nvfp4]") {
  // B200: bf16 2,250, fp4 9,000 TFLOPS dense. The model TFLOPS over each; no fp8 MFU for an nvfp4 run.
  TrainConfig c = test::train_base("llama3-8b", "hgx-b200", 8);
  c.par.zero = 1;
  c.train.precision = Precision::kNvfp4;
  const TrainEstimate nv = estimate_training(c);
  CHECK(nv.peak_fp4_tflops_per_gpu == Approx(9000.0));
  CHECK(nv.mfu_fp4 == Approx(nv.model_tflops_per_gpu / 9000.0));
  CHECK(nv.mfu_fp8 == 0);
  c.train.precision = Precision::kMxfp8;
  const TrainEstimate mx = estimate_training(c);
  CHECK(mx.mfu_fp4 == 0);
  // GEMM inputs kept for the backward at 0.5625 B instead of 1: fewer activation bytes, a shorter step.
  CHECK(nv.memory.activations < mx.memory.activations);
  CHECK(nv.step_time_s < mx.step_time_s);
}
