// An accelerator as described by a catalog file under topologies/gpus/ (schema in topologies/gpus/README.md).
// Every figure keeps its provenance (datasheet, measurement, claim, ...).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/yaml_reader.hpp"

namespace commsim {

// Selects NCCL's per-architecture constants (channel counts, protocol caps) in topologies/nccl/tuning.yaml.
enum class GpuArch { kAmpere, kHopper, kBlackwell, kAda, kCdna3, kCdna4, kDavinci, kCpu };  // kCpu: MPI ranks on host cores
const char* arch_name(GpuArch a);

struct ScaleUpSpec {
  std::string technology;  // key in topologies/links.yaml: nvlink4, hccs, ub, ...
  Figure links;            // link count per package
  Figure bandwidth_per_link;  // bytes/s per direction, raw
  double bandwidth() const { return links.value * bandwidth_per_link.value; }  // per direction, raw
};

// Logic die area as ECCN 3A090's "applicable die area" counts it (every logic die of the package, memory
// stacks excluded): `per_die` x `dies` compute dies plus `other_dies` (I/O or base dies), in mm^2.
struct DieArea {
  Figure per_die;     // mm^2
  Figure dies;        // compute dies counted (default: the package's `dies`)
  std::optional<Figure> other_dies;  // mm^2 in total
  double total() const { return per_die.value * dies.value + (other_dies ? other_dies->value : 0.0); }
};

struct GpuSpec {
  std::string name;          // catalog name, e.g. "h100-sxm"
  std::string display_name;  // "NVIDIA H100 SXM5 80GB"
  std::string vendor;
  GpuArch arch = GpuArch::kHopper;
  std::string file;          // where it was loaded from
  // Where the figures checked after loading were written (their file line, or --set), keyed as in the file
  // ("compute.softmax_exp", "matmul_achievable.fp8"): a later refusal names the place, not the GPU file.
  std::map<std::string, SourceLoc> where;

  Figure dies;
  // Streaming multiprocessors (compute units) in the package, for the kernel model's wave quantisation;
  // absent: topologies/compute-efficiency.yaml's kernels.gpu_sms entry, else the arch's `sms`.
  std::optional<Figure> sms;
  Figure bf16_flops;  // dense FLOP/s
  Figure fp16_flops;
  std::optional<Figure> fp8_flops;
  std::optional<Figure> int8_ops;  // dense INT8 tensor ops/s, where it beats the fp8 rate (export-control TPP)
  // Dense FP6 / FP4 (MX or NV formats): not a training precision here, but the highest TPP of Blackwell Ultra
  // (FP4 at 3x its FP8 rate) and CDNA 4 (FP6 at 2x).
  std::optional<Figure> fp6_flops, fp4_flops;
  // Softmax exponentials per second (the special-function units' exp2 rate, `compute.softmax_exp`): the
  // attention core's other throughput limit beside its MMAs (kernel_model.hpp). Blackwell Ultra doubles it.
  std::optional<Figure> softmax_exp;
  // Measured maximum achievable dense matmul FLOP/s (`matmul_achievable`: the best of a sweep of GEMM
  // shapes, as Stas Bekman's MAMF finder measures it), bf16 and fp8. Its ratio to the peak, against the
  // arch's reference ratio, scales the GEMM rate of training (compute_model.hpp): two GPUs of one arch
  // differ by their sustained clocks (power limit), not only by their datasheet peaks.
  std::optional<Figure> matmul_bf16, matmul_fp8;
  std::optional<DieArea> die_area;  // absent for placeholders (host-cpu)
  Figure memory_bytes;
  Figure memory_bandwidth;  // bytes/s
  std::optional<ScaleUpSpec> scale_up;
  Figure pcie_generation;
  Figure pcie_lanes;
  Figure nic_speed;  // bytes/s per direction
  Figure tdp_watts;
};

// Parses one GPU mapping (the whole file, or an inline `gpu:` section of a system: `inline_part`). Throws
// InputError. A GPU named as a catalog GPU must be that file (a link to it or a copy of its bytes), or an
// inline part that --set did not rename (calibrate writes a catalog GPU changed by --set inline, under its
// name).
GpuSpec parse_gpu(YamlMap& m, bool inline_part = false);

}  // namespace commsim
