#include "study/compute_calibration.hpp"

#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/stats.hpp"
#include "core/text.hpp"
#include "hw/catalog.hpp"

namespace commsim {
namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : one_line(s)) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

ComputeCalibration calibrate_compute(const KernelbenchFile& measured, const std::string& gpu) {
  ComputeCalibration c;
  c.measured = measured;
  c.gpu = gpu.empty() ? kernel_catalog_gpu(measured.gpu_name) : gpu;
  if (c.gpu.empty())
    throw InputError(SourceLoc{measured.path, 0, 0, "context.gpu.name"},
                     "no catalog GPU matches '" + measured.gpu_name.substr(0, 64) + "' (configs/validation/kernel-benchmarks.yaml); give --gpu NAME");
  const GpuSpec spec = load_gpu(c.gpu);
  c.arch = arch_name(spec.arch);
  // --gpu of another architecture than the file's GPU would write that architecture's constants from these
  // measurements (an H200 file fitted as cdna3); the same architecture (another part of it) is the user's call.
  if (!gpu.empty()) {
    const std::string matched = kernel_catalog_gpu(measured.gpu_name);
    if (!matched.empty() && load_gpu(matched).arch != spec.arch)
      throw InputError(SourceLoc{"--gpu", 0, 0, ""}, gpu + " is " + c.arch + ", but the file ran on " + measured.gpu_name.substr(0, 64) +
                                                        " (catalog " + matched + ", " + arch_name(load_gpu(matched).arch) + ")");
  }
  KernelDevice device = kernel_device(spec, 1, kernel_data());
  // The GPU's own count (context.gpu.sms) replaces the catalog's, within a quarter of it: a count far from
  // the part's (1 SM for an H200, a MIG slice) fitted constants for another device (the epilogue 1.48 us ->
  // 0.02 us) and was written as a measurement of this one.
  if (measured.sms < 0.75 * device.sms || measured.sms > 1.25 * device.sms)
    throw InputError(
        SourceLoc{measured.path, 0, 0, "context.gpu.sms"},
        "the GPU ran with " + std::to_string(measured.sms) + " SM(s), and the catalog's " + c.gpu + " has " +
            six_digits(device.sms) +
            " (topologies/compute-efficiency.yaml kernels: gpu_sms): a MIG slice or another GPU; "
            "calibrate on the whole GPU, or give --gpu the part it ran on");
  device.sms = measured.sms;
  c.shipped = device.arch;
  for (const KernelbenchRow& r : measured.rows) {
    KernelCase k;
    k.case_id = r.case_id;
    k.kind = r.kind;
    k.gpu = measured.gpu_name;
    k.source = measured.path;
    k.library = "cuBLASLt";
    k.arch = c.arch;
    k.device = device;
    k.precision = r.precision;
    k.grouped = r.kind == "grouped_gemm";
    k.gemm = r.shape;
    k.measured = r.tflops;
    const double peak = device.peak(r.precision);
    if (c.shipped.gemm[static_cast<int>(r.precision)] <= 0 || peak <= 0)
      throw InputError(SourceLoc{measured.path, 0, 0, r.where + ".precision"},
                       std::string(kernel_precision_name(r.precision)) + " is not modelled on " + c.gpu + " (" + c.arch +
                           ": no gemm_" + kernel_precision_name(r.precision) + " in topologies/compute-efficiency.yaml or no peak in the catalog)");
    // Above the dense peak is not a measurement of this GPU (a file of another GPU, sparse FLOPs, a unit slip):
    // the fit pinned its efficiencies at their upper bound and wrote them as measurements (peak in TFLOPS).
    if (r.tflops > peak / 1e12 * 1.001)
      throw InputError(SourceLoc{measured.path, r.value_line, 0, r.where + ".value"},
                       number(r.tflops) + " TFLOPS is above " + c.gpu + "'s dense " + kernel_precision_name(r.precision) +
                           " peak (" + number(peak / 1e12) + " TFLOPS in the catalog)");
    c.rows.push_back(k);
  }
  std::vector<const KernelCase*> cases;
  for (const KernelCase& k : c.rows) cases.push_back(&k);
  // The fitter's coordinate descent (8 narrowing sweeps) stops short in the valley that a GEMM efficiency and the
  // epilogue or grouped multiplier make together; it is run again from its own result until the sum of
  // |log(predicted / measured)| improves by less than 0.01% (at most 40 rounds).
  auto loss = [&](const KernelArch& a) {
    double s = 0;
    for (const KernelCase& k : c.rows) s += std::fabs(std::log(predict_tflops(k, a) / k.measured));
    return s;
  };
  c.fitted = c.shipped;
  double best = loss(c.fitted);
  for (c.rounds = 1; c.rounds <= 40; ++c.rounds) {
    std::map<std::string, std::set<std::string>> determined;
    const KernelArch f = fit_kernel_model({{c.arch, c.fitted}}, cases, &determined).at(c.arch);
    c.fitted_keys = determined[c.arch];
    if (c.fitted_keys.empty())
      throw InputError(SourceLoc{measured.path, 0, 0, "results"},
                       "no constant of the kernel model has two rows that move it: nothing to calibrate (time "
                       "compute-bound GEMMs of two shapes at least; docs/benchmark.md, kernelbench)");
    KernelArch next = c.fitted;  // fitted constants from the fit, the others as shipped
    for (int p = 0; p < kKernelPrecisions; ++p)
      if (c.fitted_keys.count(std::string("gemm_") + kernel_precision_name(static_cast<KernelPrecision>(p)))) next.gemm[p] = f.gemm[p];
    for (auto [key, member] : {std::pair{"epilogue", &KernelArch::epilogue}, {"memory", &KernelArch::memory},
                               {"grouped", &KernelArch::grouped}})
      if (c.fitted_keys.count(key)) next.*member = f.*member;
    for (const std::string& key : c.fitted_keys) next.provenance[key] = f.provenance.at(key);
    const double now = loss(next);
    const bool done = now > best * (1 - 1e-4);
    if (now < best) c.fitted = next, best = now;
    if (done) break;
  }
  for (const std::string& key : c.fitted_keys) {
    Provenance& pv = c.fitted.provenance[key];
    pv.kind = "measurement";
    pv.source = "kernelbench on " + measured.gpu_name + " (" + std::to_string(measured.sms) + " SMs" +
                (measured.timestamp.empty() ? "" : ", " + measured.timestamp) + ", " + measured.path +
                "), commsim calibrate --compute: " + pv.source;
    pv.note = "";
  }
  std::vector<double> after;
  for (KernelCase& k : c.rows) {
    k.predicted = predict_tflops(k, c.shipped);
    k.error = k.predicted / k.measured - 1;
    k.loso_predicted = predict_tflops(k, c.fitted);
    k.loso_error = k.loso_predicted / k.measured - 1;
    after.push_back(std::fabs(k.loso_error));
  }
  // A fit that leaves the rows far from the model did not find constants (every one at a bound of its range,
  // 1000x slow rows at a median error of 4950%): nothing is written.
  if (median(after) > 0.5)
    throw InputError(SourceLoc{measured.path, 0, 0, "results"},
                     "the kernel model cannot describe these measurements: after the fit the median |error| is " +
                         number(100 * median(after)) + "% (are the TFLOPS of this GPU, dense, in TFLOPS?)");
  return c;
}

void write_kernel_calibration(std::ostream& out, const ComputeCalibration& c) {
  const KernelArch& a = c.fitted;
  out << "# Kernel-model constants of the " << c.arch << " architecture measured on " << one_line(c.measured.gpu_name)
      << " (catalog " << c.gpu << ") with kernelbench,\n# fitted by `commsim calibrate --compute " << one_line(c.measured.path)
      << "`. Load with --compute-efficiency FILE: this arch replaces the shipped\n# kernels.archs." << c.arch
      << " of topologies/compute-efficiency.yaml for every GPU of the arch (docs/benchmark.md).\n";
  out << "schema_version: 1\nkind: kernel_calibration\nkernels:\n  archs:\n    " << c.arch << ":\n";
  auto line = [&](const std::string& key, const std::string& value) {
    const auto it = a.provenance.find(key);
    out << "      " << key << ": {value: " << value;
    if (it != a.provenance.end()) {
      if (!it->second.kind.empty()) out << ", kind: " << it->second.kind;
      if (!it->second.source.empty()) out << ", source: " << quoted(it->second.source);
      if (!it->second.note.empty()) out << ", note: " << quoted(it->second.note);
    }
    out << "}\n";
  };
  line("sms", number(a.sms));
  line("tile_m", number(a.tile_m));
  line("tile_n", number(a.tile_n));
  for (int p = 0; p < kKernelPrecisions; ++p)
    if (a.gemm[p] > 0) line(std::string("gemm_") + kernel_precision_name(static_cast<KernelPrecision>(p)), number(a.gemm[p]));
  line("epilogue", number(a.epilogue * 1e6) + "us");
  line("launch", number(a.launch * 1e6) + "us");
  line("memory", number(a.memory));
  line("grouped", number(a.grouped));
  line("attention", number(a.attention));
  line("attention_s0", number(a.attention_s0));
  line("attention_bwd", number(a.attention_bwd));
  line("attention_fp8", number(a.attention_fp8));
  // The exp rate the attention constants are read against: the fit ran in the shipped reference's frame (the
  // measured GPU's own exp rate is in its predictions), so the reference stays.
  if (a.softmax_exp > 0) line("softmax_exp", number(a.softmax_exp));
  out << "  gpu_sms:\n    " << c.gpu << ": {value: " << c.measured.sms << ", kind: measurement, source: "
      << quoted("kernelbench context.gpu.sms on " + c.measured.gpu_name + " (" + c.measured.path + ")") << "}\n";
}

}  // namespace commsim
