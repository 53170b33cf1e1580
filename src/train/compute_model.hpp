// Roofline of one op on one GPU (rank) with achievable-efficiency factors per GPU architecture:
//
//   t(op) = max(FLOPs / (peak(precision) * eff_unit), bytes / (HBM bandwidth * eff_memory)) [+ gemm_overhead]
//
// peak is the catalog's dense tensor rate (fp8 for GEMMs marked low-precision under fp8 training, else bf16
// or fp16), divided by the dies of a package (a die is a rank). eff_unit is the GEMM or the attention
// efficiency (times grouped_gemm for MoE expert GEMMs). The factors are data (topologies/compute-efficiency.yaml), each naming what it was fitted on.
#pragma once

#include <string>
#include <vector>

#include "hw/gpu_spec.hpp"
#include "train/layer_ops.hpp"

namespace commsim {

struct ComputeEfficiency {
  std::string arch;
  Figure gemm, gemm_fp8, attention, memory;  // ratios
  Figure gemm_overhead;  // seconds per GEMM kernel: launch, pipeline fill, wave quantisation
  Figure grouped_gemm, grouped_gemm_fp8;  // multipliers on gemm / gemm_fp8 for routed-expert GEMMs (1: none)
};

// From topologies/compute-efficiency.yaml (cached). Throws InputError for an arch without an entry.
const ComputeEfficiency& compute_efficiency(GpuArch arch);

class Roofline {
 public:
  Roofline(const GpuSpec& gpu, int dies, Precision precision);
  double time(const OpCost& op) const;
  double time(const std::vector<OpCost>& ops) const;
  double peak_flops() const { return peak_; }  // dense rate of the training precision (bf16/fp16 for fp8 runs' MFU)
  double memory_bandwidth() const { return bw_; }
  const ComputeEfficiency& efficiency() const { return eff_; }

 private:
  const ComputeEfficiency& eff_;
  double peak_ = 0, peak_lowp_ = 0, bw_ = 0;
  bool fp8_ = false;
};

}  // namespace commsim
