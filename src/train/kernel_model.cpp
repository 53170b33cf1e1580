#include "train/kernel_model.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "hw/catalog.hpp"

namespace commsim {

const char* kernel_precision_name(KernelPrecision p) {
  switch (p) {
    case KernelPrecision::kBf16: return "bf16";
    case KernelPrecision::kFp8Tensor: return "fp8_tensor";
    case KernelPrecision::kFp8Block: return "fp8_block";
    case KernelPrecision::kMxfp8: return "mxfp8";
    case KernelPrecision::kNvfp4:
      return "nvfp4";
  }
  return "?";
}

double kernel_input_bytes(KernelPrecision p) {
  return p == KernelPrecision::kBf16 ? 2.0 : p == KernelPrecision::kNvfp4 ? 0.5 + 1.0 / 16.0 : 1.0;
}

namespace {

// `max`: the bound of what the fit may return (study/validate_kernels.cpp fitted_params); above it a value is a
// typo that timed GEMMs past the GPU's peak (gemm_bf16: 50 gave 1,998 TFLOPS on an H100), so it is refused.
double read(YamlMap& a, KernelArch& k, const std::string& key, Dimension dim, double max, bool allow_zero = false) {
  const Figure f = a.figure(key, dim, allow_zero);
  if (f.value > max) a.fail(key, key + " must be at most " + six_digits(max));
  k.provenance[key] = f.provenance;
  return f.value;
}

double count(YamlMap& a, KernelArch& k, const std::string& key) {
  const Figure f = a.integer_figure(key);
  k.provenance[key] = f.provenance;
  return f.value;
}

double optional(YamlMap& a, KernelArch& k, const std::string& key, Dimension dim, double max, double fallback) {
  if (!a.has(key)) return fallback;
  return read(a, k, key, dim, max);
}

constexpr GpuArch kArchs[] = {GpuArch::kAmpere, GpuArch::kHopper, GpuArch::kBlackwell, GpuArch::kAda,
                              GpuArch::kCdna3,  GpuArch::kCdna4,  GpuArch::kDavinci,   GpuArch::kCpu};

bool known_arch(const std::string& name) {
  return std::any_of(std::begin(kArchs), std::end(kArchs), [&](GpuArch a) { return name == arch_name(a); });
}

std::string arch_list() {
  std::vector<std::string> names;
  for (GpuArch a : kArchs) names.push_back(arch_name(a));
  return comma_list(names);
}

}  // namespace

KernelData parse_kernel_data(YamlMap& kernels, const std::vector<std::string>* catalog) {
  KernelData out;
  YamlMap archs = kernels.map("archs");
  for (const std::string& name : archs.keys()) {
    // A misspelt arch was read and never used (its GPUs ran on the shipped constants, or failed later naming
    // no line): an arch is one a GPU file can name.
    if (!known_arch(name)) archs.fail(name, "no GPU arch '" + name + "' (one of " + arch_list() + ")");
    YamlMap a = archs.map(name);
    KernelArch k;
    k.arch = name;
    k.sms = count(a, k, "sms");
    k.tile_m = count(a, k, "tile_m");
    k.tile_n = count(a, k, "tile_n");
    for (int p = 0; p < kKernelPrecisions; ++p) {
      const std::string key = std::string("gemm_") + kernel_precision_name(static_cast<KernelPrecision>(p));
      // bf16 GEMMs run on every arch (a file without them was refused later, blaming the shipped file and no
      // line); the 8- and 4-bit ones where the arch has them.
      k.gemm[p] =
          p == 0 ? read(a, k, key, Dimension::kRatio, 1.0) : optional(a, k, key, Dimension::kRatio, 1.0, 0.0);
    }
    k.epilogue = read(a, k, "epilogue", Dimension::kTime, 1e-4);
    k.launch = read(a, k, "launch", Dimension::kTime, 1e-3);
    k.memory = read(a, k, "memory", Dimension::kRatio, 1.0);
    k.grouped = optional(a, k, "grouped", Dimension::kRatio, 1.2, 1.0);
    k.attention = read(a, k, "attention", Dimension::kRatio, 1.0);
    k.attention_s0 = read(a, k, "attention_s0", Dimension::kRatio, 1e5, true);
    k.attention_bwd = optional(a, k, "attention_bwd", Dimension::kRatio, 1.5, 1.0);
    k.attention_fp8 = optional(a, k, "attention_fp8", Dimension::kRatio, 3.0, 1.0);
    k.softmax_exp = optional(a, k, "softmax_exp", Dimension::kRatio, 1.0, 0.0);
    a.finish();
    out.archs[name] = k;
  }
  archs.finish();
  YamlMap gpus = kernels.map("gpu_sms");
  for (const std::string& name : gpus.keys()) {
    // A key is a catalog GPU's name: a misspelt one (h100_sxm) was read and never looked up, and its GPU ran
    // with its arch's SMs. An overlay (calibrate --compute) may name a GPU of the user's, given by path.
    if (catalog && !std::binary_search(catalog->begin(), catalog->end(), name))
      gpus.fail(name, "'" + name + "' is no GPU of the catalog (topologies/gpus/): " + comma_list(*catalog) +
                          "; a GPU file given by path takes its SM count as its own `sms`");
    const Figure sms = gpus.integer_figure(name);
    if (sms.value > 1024) gpus.fail(name, "at most 1024 SMs (compute units) per package");
    out.gpu_sms[name] = sms.value;
  }
  gpus.finish();
  kernels.finish();
  return out;
}

namespace {
std::string& overlay_path() {
  static std::string path;
  return path;
}
std::mutex& kernel_mutex() {
  static std::mutex mu;
  return mu;
}
}  // namespace

void set_kernel_overlay(const std::string& path) {
  std::lock_guard<std::mutex> lock(kernel_mutex());
  overlay_path() = path;
}

const KernelData& kernel_data() {
  static KernelData data;
  static std::string loaded_from;
  std::lock_guard<std::mutex> lock(kernel_mutex());
  const std::string key = data_dir() + "\n" + overlay_path();
  if (loaded_from != key) {
    const std::string path = data_file("topologies/compute-efficiency.yaml");
    YamlMap root(load_yaml_file(path), path);
    for (const std::string& k : root.keys())
      if (k != "kernels") root.raw(k);  // the roofline's section (compute_model.cpp)
    YamlMap k = root.map("kernels");
    const std::vector<std::string> catalog = gpu_names();
    KernelData shipped = parse_kernel_data(k, &catalog);
    root.finish();
    if (!overlay_path().empty()) {
      const std::string& op = overlay_path();
      YamlMap over(load_yaml_file(op), op);
      if (over.integer("schema_version") != 1) over.fail("schema_version", "unsupported schema_version");
      if (over.str("kind") != "kernel_calibration") over.fail("kind", "expected kind: kernel_calibration");
      YamlMap ok = over.map("kernels");
      const KernelData extra = parse_kernel_data(ok);
      over.finish();
      for (const auto& [name, arch] : extra.archs) {
        KernelArch& into = shipped.archs[name];
        const double ref = into.softmax_exp;
        const auto ref_from = into.provenance.find("softmax_exp");
        const Provenance ref_prov = ref_from != into.provenance.end() ? ref_from->second : Provenance{};
        into = arch;
        // A file written before the exp-rate reference (or by hand without it) keeps the shipped one: the
        // GPUs' softmax_exp figures stay readable (they were refused for every GPU of the arch).
        if (into.softmax_exp <= 0 && ref > 0) into.softmax_exp = ref, into.provenance["softmax_exp"] = ref_prov;
      }
      for (const auto& [name, sms] : extra.gpu_sms) shipped.gpu_sms[name] = sms;
    }
    data = shipped;
    loaded_from = key;
  }
  return data;
}

KernelDevice kernel_device(const GpuSpec& gpu, int dies, const KernelData& data) {
  auto it = data.archs.find(arch_name(gpu.arch));
  if (it == data.archs.end())
    throw InputError(std::string("topologies/compute-efficiency.yaml: kernels.archs has no entry for '") +
                     arch_name(gpu.arch) + "'");
  KernelDevice d;
  d.arch = it->second;
  const double n = std::max(1, dies);
  d.peak_bf16 = gpu.bf16_flops.value / n;
  d.peak_fp8 = gpu.fp8_flops ? gpu.fp8_flops->value / n : 0.0;
  d.peak_fp4 = gpu.fp4_flops ? gpu.fp4_flops->value / n : 0.0;
  d.bandwidth = gpu.memory_bandwidth.value / n;
  d.softmax_exp = gpu.softmax_exp ? gpu.softmax_exp->value / n : 0.0;
  // A rate with nothing to read it against would change nothing: refused, as a matmul figure without its ratio.
  if (gpu.softmax_exp && d.arch.softmax_exp <= 0)
    throw InputError(gpu.where.count("compute.softmax_exp") ? gpu.where.at("compute.softmax_exp")
                                                            : SourceLoc{gpu.file, 0, 0, "compute.softmax_exp"},
                     std::string("arch ") + arch_name(gpu.arch) + " has no kernels.archs." + arch_name(gpu.arch) +
                         ".softmax_exp in topologies/compute-efficiency.yaml to read it against (the exponentials per bf16 "
                         "FLOP of the GPUs its attention constants were fitted on): add it, or leave the figure out");
  auto s = data.gpu_sms.find(gpu.name);
  d.sms = (gpu.sms ? gpu.sms->value : s != data.gpu_sms.end() ? s->second : d.arch.sms) / n;
  return d;
}

namespace {
// A group's rows are tokens, whole numbers: `total` rows over `groups` groups as evenly as whole tokens allow
// (r groups one row more), so a fraction of a token is no row (an imbalance of 1 + 1e-7 added a tile row to
// every group, 2% of a MoE step) and 1024.25 rows a group are a quarter of the groups at 1025.
double even_tile_rows(double groups, double total, double tm) {
  total = std::round(total);
  const double q = std::floor(total / groups), r = total - q * groups;
  return r * std::ceil((q + 1.0) / tm) + (groups - r) * std::ceil(q / tm);
}

// The tile rows of all groups: the busiest group's and the others' (the rest shared evenly), or every group's
// share of the total. One group (or fewer) keeps its rows, under one token still a tile.
double tile_rows(const GemmShape& g, double tm) {
  if (g.groups <= 1.0) return g.groups * std::ceil((g.m < 1.0 ? g.m : std::round(g.m)) / tm);
  if (g.hot_m <= g.m) return even_tile_rows(g.groups, g.groups * g.m, tm);
  const double hot = std::round(g.hot_m);
  return std::ceil(hot / tm) + even_tile_rows(g.groups - 1.0, g.groups * g.m - hot, tm);
}
}  // namespace

double gemm_time(const KernelDevice& d, const GemmShape& g, KernelPrecision p, bool grouped) {
  const KernelArch& a = d.arch;
  const double eff = a.gemm[static_cast<int>(p)];
  const double peak = d.peak(p);
  if (eff <= 0 || peak <= 0)
    throw InputError(std::string("GEMM precision ") + kernel_precision_name(p) + " is not supported on " + a.arch +
                     " (no gemm_" + kernel_precision_name(p) + " in topologies/compute-efficiency.yaml)");
  const double rate = peak / d.sms * eff;  // FLOP/s of one SM
  double comp = INFINITY;
  for (const double tm : {a.tile_m, 64.0}) {
    const double tiles = tile_rows(g, tm) * std::ceil(g.n / a.tile_n);
    const double waves = std::ceil(tiles / d.sms);
    comp = std::min(comp, waves * (2.0 * tm * a.tile_n * g.k / rate + a.epilogue));
  }
  const double e = kernel_input_bytes(p);
  const double mem = g.groups * (e * (g.m * g.k + g.k * g.n) + 2.0 * g.m * g.n) / (d.bandwidth * a.memory);
  return std::max(comp, mem) / (grouped ? a.grouped : 1.0) + a.launch;
}

double cast_time(const KernelDevice& d, double elements, KernelPrecision p) {
  return (4.0 + kernel_input_bytes(p)) * elements / (d.bandwidth * d.arch.memory) + d.arch.launch;
}

double AttentionShape::elements() const { return causal ? seq * (seq + 1) / 2 : seq * seq; }

double AttentionShape::flops() const {
  const double per = backward ? 3.0 * d_qk + 2.0 * d_v : d_qk + d_v;
  return 2.0 * batch * heads * elements() * per;
}

double attention_time(const KernelDevice& d, const AttentionShape& s, KernelPrecision p) {
  const KernelArch& a = d.arch;
  double rate = d.peak_bf16 * a.attention * (s.backward ? a.attention_bwd : 1.0);
  if (p != KernelPrecision::kBf16) rate *= a.attention_fp8;
  const double keys = s.elements() / s.seq;  // keys per query on average
  double t = s.flops() / rate * (1.0 + a.attention_s0 / keys);
  if (d.softmax_exp > 0 && a.softmax_exp > 0) {
    const double exps = s.batch * s.heads * s.elements();
    t += exps * (1.0 / d.softmax_exp - 1.0 / (a.softmax_exp * d.peak_bf16));
  }
  // The floor, on every arch: the MMAs at the arch's GEMM efficiency (a faster exp unit leaves an MMA-bound
  // kernel; an attention constant taken from other archs made CDNA3's attention faster than its GEMMs).
  const bool lowp = p != KernelPrecision::kBf16 && d.peak(p) > 0 && a.gemm[static_cast<int>(p)] > 0;
  const double mma = lowp ? d.peak(p) * a.gemm[static_cast<int>(p)]
                          : d.peak_bf16 * a.gemm[static_cast<int>(KernelPrecision::kBf16)];
  if (mma > 0) t = std::max(t, s.flops() / mma);
  return t + a.launch;
}

}  // namespace commsim
