#include "train/compute_model.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "core/data_path.hpp"
#include "core/error.hpp"

namespace commsim {
namespace {

std::map<std::string, ComputeEfficiency> load_all() {
  const std::string path = data_file("topologies/compute-efficiency.yaml");
  YamlMap root(load_yaml_file(path), path);
  if (root.integer("schema_version") != 1) root.fail("schema_version", "unsupported schema_version");
  if (root.str("kind") != "compute_efficiency") root.fail("kind", "expected kind: compute_efficiency");
  root.str_or("description", "");
  if (root.has("kernels")) root.raw("kernels");  // the kernel model's section (kernel_model.cpp)
  std::map<std::string, ComputeEfficiency> out;
  YamlMap archs = root.map("archs");
  for (const std::string& name : archs.keys()) {
    YamlMap a = archs.map(name);
    ComputeEfficiency e;
    e.arch = name;
    e.gemm = a.figure("gemm", Dimension::kRatio);
    e.gemm_fp8 = a.has("gemm_fp8") ? a.figure("gemm_fp8", Dimension::kRatio) : e.gemm;
    e.attention = a.figure("attention", Dimension::kRatio);
    e.memory = a.figure("memory", Dimension::kRatio);
    e.expert_launch = a.has("expert_launch") ? a.figure("expert_launch", Dimension::kTime, true) : Figure{};
    e.gemm_overhead = a.has("gemm_overhead") ? a.figure("gemm_overhead", Dimension::kTime, true) : Figure{};
    a.finish();
    out[name] = e;
  }
  archs.finish();
  root.finish();
  return out;
}

}  // namespace

const ComputeEfficiency& compute_efficiency(GpuArch arch) {
  static std::mutex mu;
  static std::map<std::string, ComputeEfficiency> table;
  static std::string loaded_from;
  std::lock_guard<std::mutex> lock(mu);
  if (loaded_from != data_dir()) {
    table = load_all();
    loaded_from = data_dir();
  }
  auto it = table.find(arch_name(arch));
  if (it == table.end())
    throw InputError(std::string("topologies/compute-efficiency.yaml: no entry for GPU architecture '") + arch_name(arch) + "'");
  return it->second;
}

KernelPrecision kernel_precision(Precision p) {
  switch (p) {
    case Precision::kFp8: return KernelPrecision::kFp8Tensor;
    case Precision::kFp8Block: return KernelPrecision::kFp8Block;
    case Precision::kMxfp8: return KernelPrecision::kMxfp8;
    default: return KernelPrecision::kBf16;
  }
}

Roofline::Roofline(const GpuSpec& gpu, int dies, Precision precision)
    : eff_(compute_efficiency(gpu.arch)), kd_(kernel_device(gpu, dies, kernel_data())), kp_(kernel_precision(precision)) {
  const double d = std::max(1, dies);
  peak_ = (precision == Precision::kFp16 ? gpu.fp16_flops.value : gpu.bf16_flops.value) / d;
  if (is_fp8(precision)) {
    if (!gpu.fp8_flops) throw InputError("training.precision: fp8 needs a GPU with an fp8 rate; " + gpu.name + " has none");
    peak_lowp_ = gpu.fp8_flops->value / d;
    fp8_ = true;
    if (kd_.arch.gemm[static_cast<int>(kp_)] <= 0)
      throw InputError(std::string("training.precision: ") + precision_name(precision) + " is not supported on " + gpu.name +
                       " (" + kd_.arch.arch + " has no gemm_" + kernel_precision_name(kp_) + " kernel in topologies/compute-efficiency.yaml)");
  } else {
    peak_lowp_ = peak_;
  }
  bw_ = gpu.memory_bandwidth.value / d;
}

double Roofline::grouped_time(const OpCost& op) const {
  const bool lowp = fp8_ && op.low_precision;
  const KernelPrecision p = lowp ? kp_ : KernelPrecision::kBf16;
  const double sustained = (lowp ? eff_.gemm_fp8.value : eff_.gemm.value) / kd_.arch.gemm[static_cast<int>(p)];
  return gemm_time(kd_, op.shape, p, true) / sustained + op.kernels * eff_.gemm_overhead.value;
}

double Roofline::time(const OpCost& op) const {
  if (op.grouped && op.shape.m > 0) return grouped_time(op);
  double compute = 0;
  if (op.flops > 0) {
    if (op.unit == OpUnit::kAttention) {
      compute = op.flops / (peak_ * eff_.attention.value);
    } else {
      const bool lowp = fp8_ && op.low_precision;
      compute = op.flops / ((lowp ? peak_lowp_ : peak_) * (lowp ? eff_.gemm_fp8.value : eff_.gemm.value));
    }
  }
  const double memory = op.bytes / (bw_ * eff_.memory.value);
  return std::max(compute, memory) + (op.unit == OpUnit::kGemm ? op.kernels * eff_.gemm_overhead.value : 0.0);
}

double Roofline::time(const std::vector<OpCost>& ops) const {
  double t = 0;
  for (const OpCost& o : ops) t += time(o);
  return t;
}

}  // namespace commsim
