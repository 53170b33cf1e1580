#include "train/compute_model.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>

#include "core/data_path.hpp"
#include "core/error.hpp"

namespace commsim {
namespace {

// The fields of an arch entry, one line each: YAML key, member, dimension, whether zero is allowed, whether
// it must be given, what it is when absent (the value of an earlier field, or a constant), and the range a
// fit may search (`commsim validate training --fit`).
struct Field {
  const char* name;
  Figure ComputeEfficiency::*member;
  Dimension dim;
  bool allow_zero, required;
  const char* fallback;  // earlier field copied when absent (nullptr: `absent`)
  double absent, lo, hi;
};
const Field kFields[] = {
    {"gemm", &ComputeEfficiency::gemm, Dimension::kRatio, false, true, nullptr, 0, 0.05, 1.0},
    {"gemm_fp8", &ComputeEfficiency::gemm_fp8, Dimension::kRatio, false, false, "gemm", 0, 0.05, 1.0},
    {"attention", &ComputeEfficiency::attention, Dimension::kRatio, false, true, nullptr, 0, 0.02, 1.0},
    {"memory", &ComputeEfficiency::memory, Dimension::kRatio, false, true, nullptr, 0, 0.1, 1.0},
    {"gemm_overhead", &ComputeEfficiency::gemm_overhead, Dimension::kTime, true, false, nullptr, 0, 0, 1e-4},
    {"expert_launch", &ComputeEfficiency::expert_launch, Dimension::kTime, true, false, nullptr, 0, 1e-6, 1e-3},
    {"attention_sustained", &ComputeEfficiency::attention_sustained, Dimension::kRatio, true, false, nullptr, 0, 0.05, 1.0},
    {"matmul_ratio", &ComputeEfficiency::matmul_ratio, Dimension::kRatio, true, false, nullptr, 0, 0.05, 1.0},
    {"matmul_ratio_fp8", &ComputeEfficiency::matmul_ratio_fp8, Dimension::kRatio, true, false, nullptr, 0, 0.05, 1.0},
};

const Field* find_field(const std::string& name) {
  for (const Field& f : kFields)
    if (name == f.name) return &f;
  return nullptr;
}

FitSelector read_selector(YamlMap s) {
  FitSelector f;
  f.precisions = s.strings("precision");
  for (const std::string& p : f.precisions) {
    try {
      parse_precision(p, "precision");
    } catch (const InputError& e) {
      s.fail("precision", e.what());
    }
  }
  if (s.has("moe")) f.moe = s.boolean_or("moe", false);
  f.min_seq_len = s.integer_or("min_seq_len", 0, 0);
  f.case_ids = s.strings("case_id");
  s.finish();
  return f;
}

// A field written plainly, as {value, kind, source, note}, or with a fit selector beside them.
Figure read_field(YamlMap& a, const Field& f, std::optional<FitSelector>& fit) {
  const YAML::Node n = a.raw(f.name);
  if (!n.IsMap() || !n["fit"]) {
    Figure fig = a.figure(f.name, f.dim, f.allow_zero);
    if (fig.provenance.kind == "calibrated")
      a.fail(f.name, "a calibrated constant needs a `fit:` selector (the validation rows it is fitted on)");
    return fig;
  }
  YamlMap m(n, a.file(), (a.path().empty() ? "" : a.path() + ".") + f.name);
  Figure fig = m.figure("value", f.dim, f.allow_zero);
  fig.provenance.kind = m.choice_or("kind", provenance_kinds(), "");
  fig.provenance.source = m.str_or("source", "");
  fig.provenance.note = m.str_or("note", "");
  if (fig.provenance.kind != "calibrated") m.fail("fit", "only a calibrated constant (kind: calibrated) is fitted");
  fit = read_selector(m.map("fit"));
  m.finish();
  return fig;
}

struct Cache {
  std::map<std::string, ComputeEfficiency> table;
  std::vector<EfficiencyConstant> constants;
  std::string loaded_from;
};

Cache load_all() {
  const std::string path = data_file("topologies/compute-efficiency.yaml");
  YamlMap root(load_yaml_file(path), path);
  if (root.integer("schema_version") != 1) root.fail("schema_version", "unsupported schema_version");
  if (root.str("kind") != "compute_efficiency") root.fail("kind", "expected kind: compute_efficiency");
  root.str_or("description", "");
  if (root.has("kernels")) root.raw("kernels");  // the kernel model's section (kernel_model.cpp)
  Cache out;
  YamlMap archs = root.map("archs");
  for (const std::string& name : archs.keys()) {
    YamlMap a = archs.map(name);
    ComputeEfficiency e;
    e.arch = name;
    for (const Field& f : kFields) {
      if (!a.has(f.name)) {
        if (f.required) a.fail(f.name, std::string("missing required ") + dimension_name(f.dim));
        e.*f.member = f.fallback ? e.*(find_field(f.fallback)->member) : Figure{f.absent, {}};
        continue;
      }
      std::optional<FitSelector> fit;
      e.*f.member = read_field(a, f, fit);
      if (fit) out.constants.push_back({name + "." + f.name, name, f.name, e.*f.member, *fit, f.lo, f.hi});
    }
    a.finish();
    out.table[name] = e;
  }
  archs.finish();
  root.finish();
  return out;
}

std::mutex cache_mu;

// The cache, (re)loaded for the current data directory. Call with cache_mu held.
Cache& cache() {
  static Cache c;
  if (c.loaded_from != data_dir()) {
    c = load_all();
    c.loaded_from = data_dir();
  }
  return c;
}

Figure* slot(const std::string& name) {
  const auto dot = name.find('.');
  const Field* f = dot == std::string::npos ? nullptr : find_field(name.substr(dot + 1));
  auto& table = cache().table;
  auto it = dot == std::string::npos ? table.end() : table.find(name.substr(0, dot));
  if (!f || it == table.end())
    throw InputError("topologies/compute-efficiency.yaml: no efficiency constant '" + name + "' (arch.field, e.g. hopper.gemm_fp8)");
  return &(it->second.*(f->member));
}

}  // namespace

const ComputeEfficiency& compute_efficiency(GpuArch arch) {
  std::lock_guard<std::mutex> lock(cache_mu);
  auto& table = cache().table;
  auto it = table.find(arch_name(arch));
  if (it == table.end())
    throw InputError(std::string("topologies/compute-efficiency.yaml: no entry for GPU architecture '") + arch_name(arch) + "'");
  return it->second;
}

std::vector<EfficiencyConstant> calibrated_efficiencies() {
  std::lock_guard<std::mutex> lock(cache_mu);
  return cache().constants;
}

double efficiency_value(const std::string& name) {
  std::lock_guard<std::mutex> lock(cache_mu);
  return slot(name)->value;
}

namespace {
std::atomic<std::uint64_t> generation{0};
}  // namespace

std::uint64_t efficiency_generation() { return generation.load(std::memory_order_acquire); }

EfficiencyOverride::EfficiencyOverride(const std::string& name, double value) {
  std::lock_guard<std::mutex> lock(cache_mu);
  slot_ = slot(name);
  old_ = slot_->value;
  slot_->value = value;
  generation.fetch_add(1, std::memory_order_acq_rel);
}

EfficiencyOverride::~EfficiencyOverride() {
  std::lock_guard<std::mutex> lock(cache_mu);
  slot_->value = old_;
  generation.fetch_add(1, std::memory_order_acq_rel);
}

KernelPrecision kernel_precision(Precision p) {
  switch (p) {
    case Precision::kFp8: return KernelPrecision::kFp8Tensor;
    case Precision::kFp8Block: return KernelPrecision::kFp8Block;
    case Precision::kMxfp8: return KernelPrecision::kMxfp8;
    case Precision::kNvfp4:
      return KernelPrecision::kNvfp4;
    default: return KernelPrecision::kBf16;
  }
}

double nvfp4_gemm_ratio(const KernelArch& arch) {
  const double nv = arch.gemm[static_cast<int>(KernelPrecision::kNvfp4)];
  const double mx = arch.gemm[static_cast<int>(KernelPrecision::kMxfp8)];
  const double fp8 = mx > 0 ? mx : arch.gemm[static_cast<int>(KernelPrecision::kFp8Tensor)];
  return nv > 0 && fp8 > 0 ? nv / fp8 : 0.0;
}

std::string unsupported_precision(const GpuSpec& gpu, Precision precision) {
  if (!is_low_precision(precision)) return "";
  // The fp4 rate first: an A100 has neither, and nvfp4 asks for the fp4 one.
  if (precision == Precision::kNvfp4 && !gpu.fp4_flops)
    return "nvfp4 needs a GPU with an fp4 rate (compute.fp4); " + gpu.name + " has none";
  if (!gpu.fp8_flops)
    return std::string(precision_name(precision)) + " needs a GPU with an fp8 rate; " + gpu.name +
           " has none";
  const KernelPrecision kp = kernel_precision(precision);
  const KernelArch& arch = kernel_device(gpu, 1, kernel_data()).arch;
  if (arch.gemm[static_cast<int>(kp)] <= 0)
    return std::string(precision_name(precision)) + " is not supported on " + gpu.name + " (" + arch.arch +
           " has no gemm_" + kernel_precision_name(kp) + " kernel in topologies/compute-efficiency.yaml)";
  if (precision == Precision::kNvfp4 && nvfp4_gemm_ratio(arch) <= 0)  // nothing to read gemm_nvfp4 against
    return "nvfp4 is not supported on " + gpu.name + " (" + arch.arch +
           " has gemm_nvfp4 but no gemm_mxfp8 or gemm_fp8_tensor in topologies/compute-efficiency.yaml)";
  return "";
}

namespace {

// A GPU's measured matmul over its peak, against its arch's reference ratio; 1 without a measurement. A
// measurement on an arch with no reference is refused (it was ignored without a word), and so is one more
// than a factor kClockSpan from the arch's ratio: the kernel model's times at the datasheet peak are divided
// by the clock, so a peak raised 10^6x beside its old measurement made a step 10^6x slower (97 million s);
// one of the two figures is wrong (the shipped GPUs are within 0.92-1.08).
constexpr double kClockSpan = 2.0;
double matmul_clock_of(const GpuSpec& gpu, const std::optional<Figure>& measured, double peak, const Figure& reference,
                       const char* prec, const char* ratio_key) {
  if (!measured || peak <= 0) return 1.0;
  const std::string key = std::string("matmul_achievable.") + prec;
  const SourceLoc at = gpu.where.count(key) ? gpu.where.at(key) : SourceLoc{gpu.file, 0, 0, key};
  if (reference.value <= 0)
    throw InputError(at, std::string("arch ") + arch_name(gpu.arch) + " has no " + ratio_key +
                             " in topologies/compute-efficiency.yaml to compare the measurement with (add "
                             "it: the median measured / peak "
                             "over the arch's measured GPUs)");
  const double clock = measured->value / peak / reference.value;
  if (clock < 1 / kClockSpan || clock > kClockSpan) {
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "%.4g TFLOPS measured is %.3g of the %.4g TFLOPS %s peak, where %s's GPUs measure %.3g of "
                  "theirs (%s): "
                  "the peak or the measurement is wrong (in a file, update or remove it)",
                  measured->value / 1e12, measured->value / peak, peak / 1e12, prec, arch_name(gpu.arch),
                  reference.value, ratio_key);
    throw InputError(at, buf);
  }
  return clock;
}

}  // namespace

namespace {
// The efficiency table's entry for the GPU's arch; an arch it has none for (`arch: cpu`, a host device) is
// named where the GPU file says it (it blamed topologies/compute-efficiency.yaml, with no line).
const ComputeEfficiency& efficiency_of(const GpuSpec& gpu) {
  try {
    return compute_efficiency(gpu.arch);
  } catch (const InputError& e) {
    const auto at = gpu.where.find("arch");
    if (at == gpu.where.end()) throw;
    std::string archs;
    {
      std::lock_guard<std::mutex> lock(cache_mu);
      for (const auto& [name, eff] : cache().table) archs += (archs.empty() ? "" : ", ") + name;
    }
    throw InputError(at->second,
                     std::string("arch ") + arch_name(gpu.arch) + ": no compute efficiencies for it in " +
                         "topologies/compute-efficiency.yaml (a training estimate needs them; it has " +
                         archs + ")");
  }
}
}  // namespace

void check_compute_figures(const GpuSpec& gpu) {
  const ComputeEfficiency& eff = efficiency_of(gpu);  // an arch without efficiencies named at gpu.arch first
  kernel_device(gpu, 1, kernel_data());
  matmul_clock_of(gpu, gpu.matmul_bf16, gpu.bf16_flops.value, eff.matmul_ratio, "bf16", "matmul_ratio");
  if (gpu.fp8_flops)
    matmul_clock_of(gpu, gpu.matmul_fp8, gpu.fp8_flops->value, eff.matmul_ratio_fp8, "fp8",
                    "matmul_ratio_fp8");
}

Roofline::Roofline(const GpuSpec& gpu, int dies, Precision precision)
    : eff_(efficiency_of(gpu)),
      kd_(kernel_device(gpu, dies, kernel_data())),
      kp_(kernel_precision(precision)) {
  const double d = std::max(1, dies);
  peak_ = (precision == Precision::kFp16 ? gpu.fp16_flops.value : gpu.bf16_flops.value) / d;
  // The kernel model's 16-bit rate is the run's: an fp16 run's GEMMs and attention at compute.fp16 (they ran
  // at compute.bf16, equal on every shipped GPU, so a GPU file's fp16 rate moved nothing).
  if (precision == Precision::kFp16) kd_.peak_bf16 = peak_;
  if (const std::string why = unsupported_precision(gpu, precision); !why.empty())
    throw InputError("training.precision: " + why);
  clock_ = matmul_clock_of(gpu, gpu.matmul_bf16, gpu.bf16_flops.value, eff_.matmul_ratio, "bf16", "matmul_ratio");
  // The fp8 figures are checked in a bf16 run too: a GPU file is right or wrong whatever the run's precision
  // (a bad matmul_achievable.fp8 was refused at --precision fp8 and taken at bf16, as sweep refuses it).
  if (!is_low_precision(precision) && gpu.fp8_flops)
    matmul_clock_of(gpu, gpu.matmul_fp8, gpu.fp8_flops->value, eff_.matmul_ratio_fp8, "fp8",
                    "matmul_ratio_fp8");
  if (is_low_precision(precision)) {
    // nvfp4 GEMMs at the fp4 peak, at the fraction the fp8 formats' GEMMs sustain of theirs (gemm_fp8) times
    // the kernel model's nvfp4 / fp8 efficiency (nvfp4_gemm_ratio: 1.0 as shipped) and at the fp8 clock: no
    // NVFP4 GEMM, fp4 matmul or NVFP4 training measurement is in ../shared/validation (an assumption;
    // docs/training.md). A measured gemm_nvfp4 (calibrate --compute) moves the estimate through the ratio.
    peak_lowp_ = (precision == Precision::kNvfp4 ? gpu.fp4_flops->value : gpu.fp8_flops->value) / d;
    if (precision == Precision::kNvfp4) lowp_ratio_ = nvfp4_gemm_ratio(kd_.arch);
    clock_lowp_ = matmul_clock_of(gpu, gpu.matmul_fp8, gpu.fp8_flops->value, eff_.matmul_ratio_fp8, "fp8", "matmul_ratio_fp8");
    lowp_ = true;
  } else {
    peak_lowp_ = peak_;
    clock_lowp_ = clock_;
  }
  bw_ = gpu.memory_bandwidth.value / d;
}

double Roofline::grouped_time(const OpCost& op) const {
  const bool lowp = lowp_ && op.low_precision;
  const KernelPrecision p = lowp ? kp_ : KernelPrecision::kBf16;
  const double sustained = (lowp ? gemm_lowp() : eff_.gemm.value) / kd_.arch.gemm[static_cast<int>(p)];
  return gemm_time(kd_, op.shape, p, true) / (sustained * matmul_clock(lowp)) + op.kernels * eff_.gemm_overhead.value;
}

// FlashAttention cores on an arch with attention_sustained: the kernel model's time (cuDNN / FlashAttention
// measurements by head dim and sequence length; bf16, as Megatron keeps the attention core out of FP8) over
// the fraction end-to-end training sustains: t = t_kernel(fwd or bwd) / attention_sustained.
bool Roofline::kernel_attention(const OpCost& op) const {
  return op.unit == OpUnit::kAttention && op.attn.seq > 0 && eff_.attention_sustained.value > 0 && kd_.arch.attention > 0;
}

double Roofline::attention_kernel_time(const OpCost& op, bool backward) const {
  AttentionShape a = op.attn;
  a.backward = backward;
  return attention_time(kd_, a, KernelPrecision::kBf16) / (eff_.attention_sustained.value * clock_);
}

double Roofline::backward_time(const OpCost& op) const {
  if (kernel_attention(op)) return op.bwd_n / 2.0 * attention_kernel_time(op, true);
  return op.bwd_n * time(op);
}

double Roofline::time(const OpCost& op) const {
  if (op.grouped && op.shape.m > 0) return grouped_time(op);
  if (kernel_attention(op)) return attention_kernel_time(op, false);
  double compute = 0;
  if (op.flops > 0) {
    if (op.unit == OpUnit::kAttention) {
      compute = op.flops / (peak_ * eff_.attention.value * clock_);
    } else {
      const bool lowp = lowp_ && op.low_precision;
      compute = op.flops /
                ((lowp ? peak_lowp_ : peak_) * (lowp ? gemm_lowp() : eff_.gemm.value) * matmul_clock(lowp));
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
