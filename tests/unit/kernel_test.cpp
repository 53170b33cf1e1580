// Kernel model (GEMM tiles and waves, attention) and its fitter against hand-computed values.
#include <catch2/catch.hpp>

#include <cmath>

#include "hw/catalog.hpp"
#include "study/validate_kernels.hpp"
#include "train/kernel_model.hpp"

using namespace commsim;

namespace {
// An H800 as the kernel model sees it, with round constants (not the shipped, fitted ones).
KernelDevice h800() {
  KernelDevice d;
  d.peak_bf16 = 989.4e12;
  d.peak_fp8 = 1978.9e12;
  d.bandwidth = 3.35e12;
  d.sms = 132;
  d.arch.arch = "hopper";
  d.arch.tile_m = d.arch.tile_n = 128;
  d.arch.gemm[static_cast<int>(KernelPrecision::kFp8Block)] = 0.80;
  d.arch.gemm[static_cast<int>(KernelPrecision::kBf16)] = 0.80;
  d.arch.epilogue = 1.4e-6;
  d.arch.launch = 3e-6;
  d.arch.memory = 0.8;
  d.arch.grouped = 1.0;
  d.arch.attention = 0.7;
  d.arch.attention_s0 = 400;
  d.arch.attention_bwd = 0.85;
  d.arch.attention_fp8 = 1.4;
  return d;
}
}  // namespace

TEST_CASE("GEMM: compute-bound shape, tiles in whole waves", "[kernel]") {
  // 4096 x 4096 x 7168 fp8: 32*32 = 1024 tiles of 128x128 on 132 SMs = 8 waves (ceil 7.76).
  // per tile 2*128*128*7168 / (1978.9e12/132*0.80) = 19.584 us, + 1.4 us epilogue = 20.984 us;
  // 8 waves = 167.88 us (the 64-row tile: 16 waves * 11.19 us = 179.1 us, slower); memory 92.27 MB at
  // 2.68 TB/s = 34.4 us (not binding); + 3 us launch = 170.88 us -> 2*4096*4096*7168 / t = 1407.6 TFLOPS.
  const KernelDevice d = h800();
  const GemmShape g{4096, 4096, 7168, 1};
  const double t = gemm_time(d, g, KernelPrecision::kFp8Block, false);
  CHECK(t == Approx(170.88e-6).epsilon(1e-3));
  CHECK(g.flops() / t / 1e12 == Approx(1407.6).epsilon(1e-3));
}

TEST_CASE("GEMM: small M is memory-bound", "[kernel]") {
  // 64 x 7168 x 16384 fp8: bytes 64*16384 + 16384*7168 (1 B) + 2*64*7168 (bf16 out) = 119,406,592 B at
  // 3.35e12*0.8 = 44.555 us; compute: one wave of 56 tiles of 64x128 = 2*64*128*16384/11.993e12 + 1.4 us
  // = 23.78 us; t = 44.555 + 3 = 47.555 us -> 316.1 TFLOPS (DeepGEMM README, H800: 336).
  const KernelDevice d = h800();
  const GemmShape g{64, 7168, 16384, 1};
  const double t = gemm_time(d, g, KernelPrecision::kFp8Block, false);
  CHECK(t == Approx(47.555e-6).epsilon(1e-3));
  CHECK(g.flops() / t / 1e12 == Approx(316.1).epsilon(1e-3));
}

TEST_CASE("GEMM: one tile more than a wave costs a wave, or smaller tiles", "[kernel]") {
  // 1536 x 1408 x 8192 bf16: 12*11 = 132 tiles of 128x128 fill one wave: 2*128*128*8192 / (989.4e12/132*0.80)
  // = 44.766 us + 1.4 us = 46.166 us (+3 us launch = 49.17 us; memory 52.6 MB at 2.68 TB/s = 19.6 us).
  // N = 1409: 12*12 = 144 tiles = 2 waves = 92.33 us; the 64-row tile: 288 tiles = 3 waves of
  // (22.383 + 1.4) us = 71.35 us, faster, so t = 74.35 us.
  const KernelDevice d = h800();
  const double one = gemm_time(d, {1536, 1408, 8192, 1}, KernelPrecision::kBf16, false);
  const double two = gemm_time(d, {1536, 1409, 8192, 1}, KernelPrecision::kBf16, false);
  CHECK(one == Approx(49.17e-6).epsilon(1e-3));
  CHECK(two == Approx(74.35e-6).epsilon(1e-3));
}

TEST_CASE("grouped GEMM: rows are whole tokens, and only the busiest group takes the imbalance",
          "[kernel][moe]") {
  // 16 groups of 512 x 1536 x 2048 bf16: 16*4*12 = 768 tiles of 128x128 = 6 waves (5.82) of
  // 2*128*128*2048 / (989.4e12/132*0.80) + 1.4 us = 12.592 us, + 3 us launch = 78.55 us (64-row tiles: 12
  // waves of 6.996 us, slower; memory 159 MB at 2.68 TB/s = 59.5 us, not binding).
  const KernelDevice d = h800();
  const double balanced = gemm_time(d, {512, 1536, 2048, 16}, KernelPrecision::kBf16, true);
  CHECK(balanced == Approx(78.55e-6).epsilon(1e-3));
  // An imbalance of 1 + 1e-7 is 0.0008 of a token on the busiest group: no row, the same time (every group
  // took a fifth tile row: 8 waves, +32%).
  CHECK(gemm_time(d, {512.00005, 1536, 2048, 16, 512.0008}, KernelPrecision::kBf16, true) == balanced);
  // The busiest group at 640 rows, the other 15 at 512 (mean 520): 5*12 + 15*4*12 = 780 tiles, still 6 waves;
  // every group at the mean 520 would be 16*5*12 = 960 tiles, 8 waves = 100.73 us, or with 64-row tiles
  // 16*9*12 = 1728 tiles, 14 waves of 6.996 us = 97.94 us: 100.94 us with the launch.
  CHECK(gemm_time(d, {520, 1536, 2048, 16, 640}, KernelPrecision::kBf16, true) ==
        Approx(balanced).epsilon(1e-6));
  CHECK(gemm_time(d, {520, 1536, 2048, 16}, KernelPrecision::kBf16, true) == Approx(100.94e-6).epsilon(1e-3));
  // A fractional mean is whole tokens spread evenly: 512.1875 rows a group are 8195 tokens, 3 groups at 513.
  // 768 + 3*12 = 804 tiles of 128 rows = 7 waves (88.14 us), or 64-row tiles 1536 + 36 = 1572 = 12 waves of
  // 6.996 us = 83.95 us: 86.95 us with the launch (rounding each group to 512 charged none of the 3 rows).
  CHECK(gemm_time(d, {512.1875, 1536, 2048, 16}, KernelPrecision::kBf16, true) ==
        Approx(86.95e-6).epsilon(1e-3));
}

TEST_CASE("GEMM: a precision without an efficiency is an input error", "[kernel]") {
  const KernelDevice d = h800();
  CHECK_THROWS_AS(gemm_time(d, {128, 128, 128, 1}, KernelPrecision::kMxfp8, false), InputError);
}

TEST_CASE("attention: causal forward pays the per-query work on half the keys", "[kernel]") {
  // s 8192 causal, d 128: 8192*8193/2 = 33,558,528 elements; fwd FLOPs 2*33,558,528*256 = 1.71820e10;
  // keys per query 4096.5; t = 1.71820e10 / (989.4e12*0.7) * (1 + 400/4096.5) = 27.231 us (+3 us launch)
  // -> 17.1820e9 / 30.231 us = 568.4 TFLOPS.
  const KernelDevice d = h800();
  AttentionShape a;
  a.seq = 8192;
  CHECK(a.flops() == Approx(1.71820e10).epsilon(1e-4));
  const double t = attention_time(d, a, KernelPrecision::kBf16);
  CHECK(t == Approx(30.231e-6).epsilon(1e-3));
  // Backward: FLOPs 2.5x (3*128 + 2*128 = 640 per element against 256), efficiency x 0.85.
  a.backward = true;
  CHECK(a.flops() == Approx(2.5 * 1.71820e10).epsilon(1e-4));
  CHECK(attention_time(d, a, KernelPrecision::kBf16) - 3e-6 == Approx(27.231e-6 * 2.5 / 0.85).epsilon(1e-3));
}

TEST_CASE("attention: no arch's attention outruns its GEMMs", "[kernel]") {
  // The h800 device above (GEMM efficiency 0.8) with an attention efficiency of 0.95, as a constant taken
  // from other archs can be (CDNA3's was 0.757 beside its GEMMs' 0.520): s 8192 causal, d 128, no exp term:
  // 1.71820e10 / (989.4e12 * 0.95) * (1 + 400 / 4096.5) = 20.068 us of work, under the MMAs' floor
  // 1.71820e10 / (989.4e12 * 0.8) = 21.708 us: t = 21.708 + 3 = 24.708 us.
  KernelDevice d = h800();
  d.arch.attention = 0.95;
  AttentionShape a;
  a.seq = 8192;
  CHECK(attention_time(d, a, KernelPrecision::kBf16) == Approx(24.708e-6).epsilon(1e-3));
}

TEST_CASE("attention: a faster exp unit saves the exponentials' time it differs by", "[kernel]") {
  // The h800 device above with softmax_exp: the constants fitted at r_ref = 1e-3 exponentials per bf16 FLOP
  // (989.4e9 exp/s at its peak). s 8192 causal, d 128: n_exp = 33,558,528 per (batch, head).
  //   same rate:  t unchanged, 30.231 us (the test above)
  //   twice it:   t - n_exp / (2 * 989.4e9) = 27.231 - 16.959 = 10.272 us of work, but the MMAs' floor (the
  //               GEMM efficiency 0.8) is 1.71820e10 / (989.4e12 * 0.8) = 21.708 us: t = 21.708 + 3 = 24.708 us
  //   half of it: t + n_exp / 989.4e9 = 27.231 + 33.918 = 61.149 us (+3 us launch)
  KernelDevice d = h800();
  d.arch.softmax_exp = 1e-3;
  AttentionShape a;
  a.seq = 8192;
  d.softmax_exp = 989.4e9;
  CHECK(attention_time(d, a, KernelPrecision::kBf16) == Approx(30.231e-6).epsilon(1e-3));
  d.softmax_exp = 2 * 989.4e9;
  CHECK(attention_time(d, a, KernelPrecision::kBf16) == Approx(24.708e-6).epsilon(1e-3));
  d.softmax_exp = 0.5 * 989.4e9;
  CHECK(attention_time(d, a, KernelPrecision::kBf16) == Approx(64.149e-6).epsilon(1e-3));
  // Backward: one exp per element (P recomputed), 2.5x the FLOPs at x0.85: 80.091 us of work; twice the
  // rate saves 16.959 us: 63.132 us (+3), above its floor 4.2955e10 / (989.4e12 * 0.8) = 54.27 us.
  a.backward = true;
  d.softmax_exp = 2 * 989.4e9;
  CHECK(attention_time(d, a, KernelPrecision::kBf16) == Approx(66.132e-6).epsilon(1e-3));
  // A GPU without a rate, or an arch without a reference: no exp term.
  d.softmax_exp = 0;
  CHECK(attention_time(d, a, KernelPrecision::kBf16) - 3e-6 == Approx(27.231e-6 * 2.5 / 0.85).epsilon(1e-3));
}

// A GPU file's own `sms` comes before kernels.gpu_sms, which comes before the arch's: a GPU of the user's (no
// gpu_sms entry) ran with its arch's 132 SMs unless the data directory was edited.
TEST_CASE("a GPU's SM count: its file's sms, else kernels.gpu_sms, else the arch's", "[kernel][catalog]") {
  const KernelData& k = kernel_data();
  GpuSpec h20 = load_gpu("h20");
  REQUIRE(k.gpu_sms.count("h20"));
  CHECK(kernel_device(h20, 1, k).sms == Approx(k.gpu_sms.at("h20")));
  h20.name = "h20-of-mine";  // no gpu_sms entry: Hopper's
  CHECK(kernel_device(h20, 1, k).sms == Approx(k.archs.at("hopper").sms));
  h20.sms = Figure{78, {}};
  CHECK(kernel_device(h20, 1, k).sms == Approx(78));
  CHECK(kernel_device(h20, 2, k).sms == Approx(39));  // per die of a chiplet package, as the other figures
}

TEST_CASE("shipped softmax_exp: the Blackwell reference is the B200 and GB200 ratio, Blackwell Ultra doubles it", "[kernel][catalog]") {
  const KernelData& k = kernel_data();
  const double ref = k.archs.at("blackwell").softmax_exp;
  for (const char* name : {"b200", "gb200"}) {
    INFO(name);
    const GpuSpec g = load_gpu(name);
    REQUIRE(g.softmax_exp);
    CHECK(g.softmax_exp->value / g.bf16_flops.value == Approx(ref).epsilon(2e-3));
  }
  for (const char* name : {"b300", "gb300"}) {
    INFO(name);
    const GpuSpec g = load_gpu(name);
    REQUIRE(g.softmax_exp);
    CHECK(g.softmax_exp->value / g.bf16_flops.value == Approx(2.14 * ref).epsilon(2e-3));
  }
  // A rate on an arch without a reference would change nothing: refused.
  GpuSpec h100 = load_gpu("h100-sxm");
  REQUIRE_FALSE(h100.softmax_exp);
  CHECK_NOTHROW(kernel_device(h100, 1, k));
  h100.softmax_exp = Figure{3.9e12, {}};
  CHECK_THROWS_WITH(kernel_device(h100, 1, k), Catch::Contains("compute.softmax_exp") && Catch::Contains("no kernels.archs.hopper.softmax_exp"));
}

TEST_CASE("shipped kernel constants: every GPU architecture has an entry", "[kernel]") {
  const KernelData& k = kernel_data();
  for (const char* a : {"ampere", "hopper", "blackwell", "ada", "cdna3", "cdna4", "davinci"}) {
    INFO(a);
    REQUIRE(k.archs.count(a) == 1);
    CHECK(k.archs.at(a).gemm[static_cast<int>(KernelPrecision::kBf16)] > 0);
    CHECK(k.archs.at(a).provenance.at("gemm_bf16").kind != "");
  }
  CHECK(k.archs.at("blackwell").gemm[static_cast<int>(KernelPrecision::kMxfp8)] > 0);
  CHECK(k.archs.at("hopper").gemm[static_cast<int>(KernelPrecision::kMxfp8)] == 0);  // no MXFP8 on Hopper
  CHECK(k.gpu_sms.at("h20") == 78);
}

TEST_CASE("fitter recovers an efficiency and does not fit a constant on one row", "[kernel]") {
  // Four GEMM rows generated with gemm_fp8_block 0.80; the fit starts from 0.5 and must come back to 0.80.
  const KernelDevice truth = h800();
  std::vector<KernelCase> cases;
  for (double k : {512.0, 2048.0, 7168.0, 16384.0}) {
    KernelCase c;
    c.arch = "hopper";
    c.device = truth;
    c.precision = KernelPrecision::kFp8Block;
    c.gemm = {4096, 7168, k, 1};
    c.measured = predict_tflops(c, truth.arch);
    cases.push_back(c);
  }
  // One attention row: attention constants must stay unfitted (NaN: no other arch to borrow from).
  KernelCase a;
  a.arch = "hopper";
  a.device = truth;
  a.attention = true;
  a.attn.seq = 4096;
  a.measured = predict_tflops(a, truth.arch);
  cases.push_back(a);
  std::vector<const KernelCase*> ptrs;
  for (const KernelCase& c : cases) ptrs.push_back(&c);
  KernelArch start = truth.arch;
  start.gemm[static_cast<int>(KernelPrecision::kFp8Block)] = 0.5;
  const auto fitted = fit_kernel_model({{"hopper", start}}, ptrs);
  CHECK(fitted.at("hopper").gemm[static_cast<int>(KernelPrecision::kFp8Block)] == Approx(0.80).epsilon(0.01));
  CHECK(std::isnan(fitted.at("hopper").attention));
}
