// Kernel times from mechanisms: a GEMM from its shape, precision and the GPU's tile/wave structure, and
// the attention core from head dimension and sequence length. Parameters per GPU architecture are data
// (topologies/compute-efficiency.yaml, section `kernels`), each fitted constant naming the rows of
// ../shared/validation/kernel_benchmarks.csv it was fitted on (`commsim validate kernels` refits and checks
// them).
//
// GEMM (M x K) by (K x N), G groups, on a GPU of S SMs with dense peak P (of the precision) and HBM bw B:
//   tiles  = G * ceil(M / tm) * ceil(N / tn)        for the CTA tile (tm, tn) of the arch that is fastest:
//   waves  = ceil(tiles / S)                          the candidates are (tile_m, tile_n) and (64, tile_n)
//   t_comp = waves * (2 * tm * tn * K / (P / S * eff_p) + t_epilogue)
//   t_mem  = G * (e * (M*K + K*N) + 2 * M*N) / (B * eff_mem)      e = 1 byte (fp8), 2 (bf16), 0.5 + 1/16
//   (nvfp4) t      = max(t_comp, t_mem) / (grouped ? eff_grouped : 1) + t_launch
// wave quantisation: the last wave's idle SMs; tile quantisation: M, N padded to the tile; t_epilogue: the
// per-tile prologue/epilogue (pipeline fill, output write), which makes short-K GEMMs slow (DeepGEMM's
// 4096x32768x512 at 775 TF against 1520 TF at K = 16384).
// Check (tested): H800, fp8 block-scaled, 4096 x 4096 x 7168, eff 0.80, epilogue 1.4 us, launch 3 us:
//   tiles 32*32 = 1024 on 132 SMs = 8 waves; t_tile = 2*128*128*7168/(1978.9e12/132*0.80) + 1.4 us = 20.98
//   us; t = 8 * 20.98 + 3 = 170.9 us -> 1408 TFLOPS (DeepGEMM README: 1410).
//
// Attention core per (batch, head), S queries, n_e unmasked score elements (S^2, or S(S+1)/2 causal), FLOPs
// as FlashAttention / cuDNN count them: fwd 2*n_e*(d_qk + d_v), bwd 2*n_e*(3*d_qk + 2*d_v) (2.5x for equal
// dims):
//   t = FLOPs / (P_bf16 * eff_attn * (bwd ? eff_bwd : 1) * (fp8 ? speedup_fp8 : 1)) * (1 + s0 / (n_e / S))
// s0: the per-query-row work (Q load, softmax rescale, O write) in units of keys; n_e / S is the keys a query
// sees on average, so causal and short sequences pay more of it.
// Exponentials: each score element takes one exp2 in the forward pass and one in the backward (P recomputed
// from the saved log-sum-exp), on the special-function units, at X exponentials/s. The constants above were
// fitted on GPUs whose exp rate is r_ref times their bf16 peak (`softmax_exp`: r_ref = X / P_bf16 of the
// fitted GPUs), so they hold that exp time; a GPU with another rate X gains or loses the difference:
//   t' = max(t + n_exp * (1 / X - 1 / (r_ref * P_bf16)),  FLOPs / (P * eff_gemm))    n_exp = batch * heads *
//   n_e
// (the floor, on every arch with or without an exp term: the MMAs at the arch's GEMM efficiency of the
// precision, gemm_bf16 or the fp8 one: a faster exp unit leaves an MMA-bound kernel, and no attention kernel
// outruns its arch's GEMMs). Blackwell Ultra (B300, GB300) doubles the exp rate of Blackwell (NVIDIA:
// 10.7 against 5 TeraExponentials/s) at the same bf16 peak. Checks (tested): a rank at X = 2 r_ref P, d 128
// causal, eff 0.7, gemm 0.8: the forward (512 FLOPs per exponential) drops below the floor, t' = FLOPs /
// (0.8 P); the backward (1,280) keeps t - n_exp / (2 r_ref P).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/yaml_reader.hpp"
#include "hw/gpu_spec.hpp"

namespace commsim {

enum class KernelPrecision { kBf16, kFp8Tensor, kFp8Block, kMxfp8, kNvfp4 };
const char* kernel_precision_name(KernelPrecision p);
constexpr int kKernelPrecisions = 5;
// Bytes of one GEMM input element: 2 (bf16), 1 (the fp8 formats), 0.5 + 1/16 (nvfp4: E2M1 and an E4M3 scale
// per 16).
double kernel_input_bytes(KernelPrecision p);

// The calibrated or assumed constants of one architecture. Values in SI units (seconds, ratios).
// KernelConstants holds the numbers the timing functions read; KernelArch adds the name and the provenance,
// so a fit can move the numbers without copying a map per prediction.
struct KernelConstants {
  double sms = 0;                            // SMs of the arch's typical package (gpu_sms overrides)
  double tile_m = 128, tile_n = 128;         // typical CTA tile
  double gemm[kKernelPrecisions] = {0, 0, 0, 0, 0};  // efficiency at full tiles; 0: not supported
  double epilogue = 0;                       // s per tile
  double launch = 0;                         // s per kernel
  double memory = 0.8;                       // HBM fraction reached by memory-bound GEMMs
  double grouped = 1;                        // grouped GEMM multiplier
  double attention = 0;                      // attention fwd efficiency (bf16 peak), long sequences
  double attention_s0 = 0;                   // per-query-row overhead in keys
  double attention_bwd = 1;                  // bwd efficiency / fwd efficiency
  double attention_fp8 = 1;                  // fp8 / mxfp8 attention speed-up over bf16
  double softmax_exp = 0;                    // exponentials per bf16 FLOP the attention constants were fitted at; 0: none
};
struct KernelArch : KernelConstants {
  std::string arch;
  std::map<std::string, Provenance> provenance;  // by key name
};

struct KernelData {
  std::map<std::string, KernelArch> archs;   // by arch name
  std::map<std::string, double> gpu_sms;     // SMs per package, by catalog GPU name
};

// From topologies/compute-efficiency.yaml, section `kernels` (cached per data dir), with the overlay's archs and
// gpu_sms replacing the shipped ones when an overlay is set. Throws InputError.
const KernelData& kernel_data();
// A calibrated-constants file (`commsim calibrate --compute --out FILE`, kind: kernel_calibration, a `kernels`
// section in compute-efficiency.yaml's format) that kernel_data() lays over the shipped section: each arch
// it names replaces the shipped arch whole. "" removes it. Read (and checked) at the next kernel_data().
void set_kernel_overlay(const std::string& path);
// Parses the `kernels` mapping (for tests and the loader). With `catalog` (sorted GPU names: the data
// directory's own file), every gpu_sms key must name one of them.
KernelData parse_kernel_data(YamlMap& kernels, const std::vector<std::string>* catalog = nullptr);

// One rank of a GPU as the kernel model sees it.
struct KernelDevice {
  double peak_bf16 = 0, peak_fp8 = 0, peak_fp4 = 0, bandwidth = 0, sms = 0;
  double softmax_exp = 0;  // exponentials/s of one rank (the GPU's compute.softmax_exp over its dies); 0: not given
  KernelArch arch;
  // This device timed with other constants (the name and provenance stay empty: a fit's inner loop).
  KernelDevice with_constants(const KernelConstants& k) const {
    KernelDevice d;
    d.peak_bf16 = peak_bf16, d.peak_fp8 = peak_fp8, d.peak_fp4 = peak_fp4, d.bandwidth = bandwidth,
    d.sms = sms;
    d.softmax_exp = softmax_exp;
    static_cast<KernelConstants&>(d.arch) = k;
    return d;
  }
  // The dense peak a GEMM in `p` runs against: bf16, fp8 (the fp8 formats) or fp4 (nvfp4); 0 if the GPU has
  // none.
  double peak(KernelPrecision p) const {
    return p == KernelPrecision::kBf16 ? peak_bf16 : p == KernelPrecision::kNvfp4 ? peak_fp4 : peak_fp8;
  }
};
// Throws InputError if the arch has no `kernels` entry.
KernelDevice kernel_device(const GpuSpec& gpu, int dies, const KernelData& data);

struct GemmShape {
  double m = 0, n = 0, k = 0, groups = 1;
  // A grouped GEMM whose groups are uneven (MoE load imbalance): m is the mean rows of a group, hot_m the
  // rows of its busiest group, the others sharing the rest evenly (0: every group has m).
  double hot_m = 0;
  double flops() const { return 2.0 * m * n * k * groups; }
};
double gemm_time(const KernelDevice& d, const GemmShape& g, KernelPrecision p, bool grouped);
// Quantising `elements` bf16 values to `p` (amax read 2 B, read 2 B, write the element): 5 bytes each at HBM
// speed for an fp8 format, 4.5625 for nvfp4 (half a byte and a scale per 16).
double cast_time(const KernelDevice& d, double elements, KernelPrecision p);

struct AttentionShape {
  double batch = 1, heads = 1, seq = 0, d_qk = 128, d_v = 128;
  bool causal = true, backward = false;
  double elements() const;  // unmasked score elements per (batch, head)
  double flops() const;     // the benchmarks' convention (above)
};
double attention_time(const KernelDevice& d, const AttentionShape& a, KernelPrecision p);

}  // namespace commsim
