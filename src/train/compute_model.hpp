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
//   t(grouped) = t_kernel(M, N, K, G, precision) / (eff_unit / eff_kernel(precision))
// so an expert GEMM of a full-tile shape costs what a dense GEMM of its FLOPs costs, and a small or skinny
// one pays what its shape costs. Check (tested): H100, bf16, 16 groups of 2048 x 1536 x 2048.
#pragma once

#include <string>
#include <vector>

#include "hw/gpu_spec.hpp"
#include "train/kernel_model.hpp"
#include "train/layer_ops.hpp"

namespace commsim {

struct ComputeEfficiency {
  std::string arch;
  Figure gemm, gemm_fp8, attention, memory;  // ratios
  Figure gemm_overhead;  // seconds per GEMM kernel: launch, pipeline fill, wave quantisation
  Figure expert_launch;  // host seconds to issue one per-expert kernel after the dispatcher's sync (moe_ops.hpp)
};

// From topologies/compute-efficiency.yaml (cached). Throws InputError for an arch without an entry.
const ComputeEfficiency& compute_efficiency(GpuArch arch);

// The kernel model's precision of fp8 training's GEMMs (bf16 for bf16/fp16 training).
KernelPrecision kernel_precision(Precision p);

class Roofline {
 public:
  Roofline(const GpuSpec& gpu, int dies, Precision precision);
  double time(const OpCost& op) const;
  double time(const std::vector<OpCost>& ops) const;
  double peak_flops() const { return peak_; }  // dense rate of the training precision (bf16/fp16 for fp8 runs' MFU)
  double memory_bandwidth() const { return bw_; }
  const ComputeEfficiency& efficiency() const { return eff_; }
  const KernelDevice& kernels() const { return kd_; }

 private:
  double grouped_time(const OpCost& op) const;
  const ComputeEfficiency& eff_;
  KernelDevice kd_;
  KernelPrecision kp_ = KernelPrecision::kBf16;  // the fp8 GEMMs' kernel precision
  double peak_ = 0, peak_lowp_ = 0, bw_ = 0;
  bool fp8_ = false;
};

}  // namespace commsim
