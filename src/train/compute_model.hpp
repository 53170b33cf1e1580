// Roofline of one op on one GPU (rank) with achievable-efficiency factors per GPU architecture:
//
//   t(op) = max(FLOPs / (peak(precision) * eff_unit), bytes / (HBM bandwidth * eff_memory)) [+ gemm_overhead]
//
// peak is the catalog's dense tensor rate (fp8 for GEMMs marked low-precision under fp8 training, else bf16
// or fp16), divided by the dies of a package (a die is a rank). eff_unit is the GEMM or the attention
// efficiency. The factors are data (topologies/compute-efficiency.yaml), each naming what it was fitted on.
//
// Routed-expert grouped GEMMs are timed from their shape by the kernel model (kernel_model.hpp: tile and wave
// quantisation, per-tile epilogue, the grouped multiplier, memory-bound small M), at the fraction of the
// kernels' throughput that end-to-end training sustains, the same fraction as the dense GEMMs:
//   t(grouped) = t_kernel(M, N, K, G, precision) / (c * eff_unit / eff_kernel(precision))
// with c the GPU's matmul clock against its arch's reference (matmul_clock).
// so an expert GEMM of a full-tile shape costs what a dense GEMM of its FLOPs costs, and a small or skinny
// one pays what its shape costs. Check (tested): H100, bf16, 16 groups of 2048 x 1536 x 2048.
#pragma once

#include <cstdint>

#include <optional>
#include <string>
#include <vector>

#include "hw/gpu_spec.hpp"
#include "train/kernel_model.hpp"
#include "train/layer_ops.hpp"

namespace commsim {

// One arch entry of the YAML. Each Figure field is one line of the field table in compute_model.cpp (YAML key,
// default, fit range): a new field is a member here and a line there.
struct ComputeEfficiency {
  std::string arch;
  Figure gemm, gemm_fp8, attention, memory;  // ratios
  Figure gemm_overhead;  // seconds per GEMM kernel: launch, pipeline fill, wave quantisation
  Figure expert_launch;  // host seconds to issue one per-expert kernel after the dispatcher's sync (moe_ops.hpp)
  // Fraction of the kernel model's attention throughput (cuDNN/FlashAttention measurements by head dim and
  // sequence length, kernel_model.hpp) that end-to-end training sustains; 0 (absent): the roofline with
  // `attention` instead. Used for FlashAttention cores only.
  Figure attention_sustained;
  // The arch's reference ratio of measured maximum achievable matmul to dense peak (bf16, fp8): the median
  // over its catalog GPUs with a `matmul_achievable` measurement (a test keeps it so). A GPU's GEMMs run at
  // (its ratio / this) times the arch's gemm / gemm_fp8 fraction of its peak; 0 or no measurement: 1.
  Figure matmul_ratio, matmul_ratio_fp8;
};

// From topologies/compute-efficiency.yaml (cached). Throws InputError for an arch without an entry.
const ComputeEfficiency& compute_efficiency(GpuArch arch);

// The rows of a validation file (../shared/validation/training_public.csv) a calibrated constant is fitted
// on: the rows whose prediction it influences most (`commsim validate training --fit`,
// study/training_fit.hpp). Written in the YAML beside the value:
//   gemm_fp8: {value: 0.50, kind: calibrated, source: "...", fit: {precision: [fp8], moe: false}}
// A row is selected when its GPU has the constant's architecture and every key given matches:
//   precision    the row's training precision is one of the list (bf16, fp16, fp8, fp8_block, mxfp8, nvfp4)
//   moe          true: MoE models only; false: dense models only
//   min_seq_len  the row's sequence length is at least this
//   case_id      the row's case_id matches one of these patterns ('*' matches any run of characters)
struct FitSelector {
  std::vector<std::string> precisions, case_ids;
  std::optional<bool> moe;
  long min_seq_len = 0;
};

// One calibrated constant of the archs section, named "arch.field" ("hopper.gemm_fp8").
struct EfficiencyConstant {
  std::string name, arch, field;
  Figure figure;  // as shipped
  FitSelector fit;
  double lo = 0, hi = 0;  // the range a fit may search
};

// Every constant with kind: calibrated (each carries a `fit:` selector), in file order.
std::vector<EfficiencyConstant> calibrated_efficiencies();

// The current value of "arch.field" (with any override in force). Throws InputError for an unknown name.
double efficiency_value(const std::string& name);

// Replaces the value of "arch.field" in the cached table for the override's lifetime (RAII; nests, restores
// in reverse order). Lets a fitter try values without touching files. Not thread-safe against estimates
// running on other threads: set it, then run estimates (on any number of threads), then drop it. The data
// directory must not change while one lives (the table would be reloaded under it).
class EfficiencyOverride {
 public:
  EfficiencyOverride(const std::string& name, double value);
  ~EfficiencyOverride();
  EfficiencyOverride(const EfficiencyOverride&) = delete;
  EfficiencyOverride& operator=(const EfficiencyOverride&) = delete;

 private:
  Figure* slot_;
  double old_;
};

// Changes whenever an EfficiencyOverride is made or dropped: a cache of values derived from the efficiency
// table (EstimateContext's rooflines and layer costs) compares it to know it is stale.
std::uint64_t efficiency_generation();

// The kernel model's nvfp4 GEMM efficiency over its fp8 one (gemm_nvfp4 / gemm_mxfp8, or gemm_fp8_tensor
// where the arch has no mxfp8): what nvfp4 training's GEMMs sustain of the fp4 peak against what fp8 ones
// sustain of theirs (gemm_fp8). 0 where the arch has no nvfp4 or no fp8 kernel.
double nvfp4_gemm_ratio(const KernelArch& arch);
// The kernel model's precision of low-precision training's GEMMs (bf16 for bf16/fp16 training).
KernelPrecision kernel_precision(Precision p);

// Why this GPU cannot train in this precision ("fp8 needs a GPU with an fp8 rate; ..." or "mxfp8 is not
// supported on h100-sxm (...)"), or "" when it can. Roofline's constructor throws it as training.precision's error.
std::string unsupported_precision(const GpuSpec& gpu, Precision precision);
// The GPU figures read against its arch's kernels (compute.softmax_exp, matmul_achievable.*): an InputError at
// the figure's place (its line, or --set) when the arch has nothing to read one against. An estimate makes the
// same checks; a sweep makes them before its first point.
void check_compute_figures(const GpuSpec& gpu);

class Roofline {
 public:
  Roofline(const GpuSpec& gpu, int dies, Precision precision);
  double time(const OpCost& op) const;
  // The whole backward of `op` (op.bwd_n runs of its forward time; a kernel-modelled attention core: its
  // backward kernel, bwd_n / 2 times, as bwd_n = 2 counts dgrad + wgrad in forward-equivalents).
  double backward_time(const OpCost& op) const;
  double time(const std::vector<OpCost>& ops) const;
  double peak_flops() const { return peak_; }  // dense rate of the training precision (bf16/fp16 for fp8 runs' MFU)
  double memory_bandwidth() const { return bw_; }
  const ComputeEfficiency& efficiency() const { return eff_; }
  const KernelDevice& kernels() const { return kd_; }
  // The GPU's GEMM rate against its arch's reference GPU (matmul_ratio), for the training precision's GEMMs.
  double matmul_clock(bool low_precision) const { return lowp_ && low_precision ? clock_lowp_ : clock_; }

 private:
  double grouped_time(const OpCost& op) const;
  bool kernel_attention(const OpCost& op) const;
  double attention_kernel_time(const OpCost& op, bool backward) const;
  const ComputeEfficiency& eff_;
  KernelDevice kd_;
  // The low-precision GEMMs' kernel precision (fp8 formats, nvfp4).
  KernelPrecision kp_ = KernelPrecision::kBf16;
  double peak_ = 0, peak_lowp_ = 0, bw_ = 0;
  // Tensor-core rate against the arch's reference (matmul_ratio): bf16/fp16 GEMMs and the attention cores
  // (the same tensor cores under the same power limit), low-precision GEMMs (fp8 formats; nvfp4 at the fp8
  // clock).
  double clock_ = 1, clock_lowp_ = 1;
  bool lowp_ = false;  // GEMMs below 16 bits (is_low_precision)
  double lowp_ratio_ = 1;  // nvfp4: nvfp4_gemm_ratio of the arch; the fp8 formats: 1
  // The fraction of the low rate training's low-precision GEMMs sustain: gemm_fp8 (read at each use: a fit
  // moves it) times lowp_ratio_.
  double gemm_lowp() const { return eff_.gemm_fp8.value * lowp_ratio_; }
};

}  // namespace commsim
