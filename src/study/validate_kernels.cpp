#include "study/validate_kernels.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <optional>
#include <set>

#include "core/csv.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/stats.hpp"
#include "core/text.hpp"
#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "study/case_cells.hpp"
#include "study/kernel_cells.hpp"
#include "study/mapping_rules.hpp"

namespace commsim {
namespace {

struct GpuRule {
  std::string match, gpu;
};
// Rows of a library outside the bound (on the named archs; every arch where none is named), for a reason.
struct LibraryRule {
  std::vector<std::string> match, archs;
  std::string reason;
};
struct Mapping {
  std::vector<GpuRule> gpus;
  std::map<std::string, std::string> excluded_kinds, excluded, skipped, excluded_confidence;
  std::vector<LibraryRule> excluded_libraries;
  std::set<std::string> with_cast;
  std::vector<std::string> with_cast_libraries;
};

std::map<std::string, std::string> reasons(YamlMap& root, const std::string& key) {
  std::map<std::string, std::string> out;
  if (!root.has(key)) return out;
  YamlMap m = root.map(key);
  for (const std::string& k : m.keys()) out[k] = m.str(k);
  m.finish();
  return out;
}

Mapping load_mapping(const std::string& path) {
  Mapping m;
  YamlMap root = open_mapping(path, "kernel_validation_mapping");
  const YAML::Node g = root.raw("gpus");
  if (!g.IsSequence()) root.fail("gpus", "expected a list");
  for (std::size_t i = 0; i < g.size(); ++i) {
    YamlMap r(g[i], path, "gpus[" + std::to_string(i) + "]");
    m.gpus.push_back({read_rule_text(r, "match"), r.str("gpu")});
    // checked here: an unknown GPU named no file or line, and only once a row matched the rule
    resolve_gpu_path(m.gpus.back().gpu, r.loc("gpu"));
    r.str_or("note", "");
    r.finish();
  }
  if (root.has("excluded_libraries")) {
    const YAML::Node l = root.raw("excluded_libraries");
    if (!l.IsSequence()) root.fail("excluded_libraries", "expected a list");
    for (std::size_t i = 0; i < l.size(); ++i) {
      YamlMap r(l[i], path, "excluded_libraries[" + std::to_string(i) + "]");
      LibraryRule rule{read_match(r), r.has("archs") ? r.strings("archs") : std::vector<std::string>{},
                       r.str("reason")};
      r.finish();
      m.excluded_libraries.push_back(rule);
    }
  }
  if (root.has("with_cast_libraries")) m.with_cast_libraries = root.strings("with_cast_libraries");
  m.excluded_kinds = reasons(root, "excluded_kinds");
  m.excluded = reasons(root, "excluded");
  m.skipped = reasons(root, "skipped");
  m.excluded_confidence = reasons(root, "excluded_confidence");
  for (const std::string& id : root.strings("with_cast"))
    m.with_cast.insert(id);  // yaml-cpp's "bad conversion"
  root.finish();
  return m;
}

// ---- fitting ----
using Param = double KernelConstants::*;
struct ParamRef {
  std::string name;
  Param member = nullptr;
  int gemm = -1;  // index into gemm[] instead of member
  double lo, hi;
};
double& ref(KernelConstants& a, const ParamRef& p) {
  return p.gemm >= 0 ? a.gemm[p.gemm] : a.*(p.member);
}
double value(const KernelConstants& a, const ParamRef& p) {
  return p.gemm >= 0 ? a.gemm[p.gemm] : a.*(p.member);
}

std::vector<ParamRef> fitted_params() {
  std::vector<ParamRef> out;
  for (int i = 0; i < kKernelPrecisions; ++i)
    out.push_back({std::string("gemm_") + kernel_precision_name(static_cast<KernelPrecision>(i)), nullptr, i,
                   0.05, 1.0});
  out.push_back({"epilogue", &KernelArch::epilogue, -1, 1e-8, 1e-4});
  out.push_back({"memory", &KernelArch::memory, -1, 0.1, 1.0});
  out.push_back({"grouped", &KernelArch::grouped, -1, 0.3, 1.2});
  out.push_back({"attention", &KernelArch::attention, -1, 0.05, 1.0});
  out.push_back({"attention_s0", &KernelArch::attention_s0, -1, 1.0, 1e5});
  out.push_back({"attention_bwd", &KernelArch::attention_bwd, -1, 0.3, 1.5});
  out.push_back({"attention_fp8", &KernelArch::attention_fp8, -1, 0.3, 3.0});
  return out;
}

bool depends(const KernelCase& c, const ParamRef& p) {
  if (c.attention) {
    return p.name == "attention" || p.name == "attention_s0" ||
           (p.name == "attention_bwd" && c.attn.backward) ||
           (p.name == "attention_fp8" && c.precision != KernelPrecision::kBf16);
  }
  if (p.gemm >= 0) return p.gemm == static_cast<int>(c.precision);
  return p.name == "epilogue" || p.name == "memory" || (p.name == "grouped" && c.grouped);
}

bool sensitive(const KernelCase& c, const KernelArch& a, const ParamRef& p) {
  if (!depends(c, p)) return false;
  KernelArch moved;  // a's constants without its provenance
  static_cast<KernelConstants&>(moved) = a;
  double& v = ref(moved, p);
  if (!(v > 0)) v = p.lo;
  const double base = predict_tflops(c, moved);
  v *= 2.0;
  return std::fabs(std::log(predict_tflops(c, moved) / base)) > 0.01;
}

double objective(const std::vector<const KernelCase*>& cases, const KernelArch& a) {
  double s = 0;
  for (const KernelCase* c : cases) s += std::fabs(std::log(predict_tflops(*c, a) / c->measured));
  return s;
}

}  // namespace

double predict_tflops(const KernelCase& c, const KernelArch& arch) {
  const KernelDevice d = c.device.with_constants(arch);
  if (c.attention) return c.attn.flops() / attention_time(d, c.attn, c.precision) / 1e12;
  double t = gemm_time(d, c.gemm, c.precision, c.grouped);
  if (c.with_cast)
    t += cast_time(d, c.gemm.groups * (c.gemm.m * c.gemm.k + c.gemm.k * c.gemm.n), c.precision);
  return c.gemm.flops() / t / 1e12;
}

std::map<std::string, KernelArch> fit_kernel_model(
    const std::map<std::string, KernelArch>& start, const std::vector<const KernelCase*>& cases,
    std::map<std::string, std::set<std::string>>* determined_out) {
  std::map<std::string, KernelArch> out = start;
  const std::vector<ParamRef> params = fitted_params();
  std::map<std::string, std::set<std::string>> determined;  // arch -> param names with rows
  for (auto& [name, a] : out) {
    std::vector<const KernelCase*> mine;
    for (const KernelCase* c : cases)
      if (c->arch == name) mine.push_back(c);
    // A constant is fitted only on two rows or more that it moves (by more than 1% when doubled; no
    // constant rests on one row, and a memory efficiency is not fitted on compute-bound rows).
    std::vector<ParamRef> free;
    for (const ParamRef& p : params) {
      std::vector<std::string> rows;
      for (const KernelCase* c : mine)
        if (sensitive(*c, a, p)) rows.push_back(c->case_id);
      if (rows.size() < 2) continue;
      free.push_back(p);
      determined[name].insert(p.name);
      Provenance& pv = a.provenance[p.name];
      pv.kind = "calibrated";
      pv.source = "fitted on " + std::to_string(rows.size()) + " rows:";
      for (const std::string& id : rows) pv.source += " " + id;
    }
    // Coordinate descent on a log grid that narrows each sweep.
    double span = 2.0;
    for (int sweep = 0; sweep < 8; ++sweep, span = std::sqrt(span)) {
      for (const ParamRef& p : free) {
        double& v = ref(a, p);
        const double v0 = std::clamp(v > 0 ? v : p.lo, p.lo, p.hi);
        double best_v = v0, best = INFINITY;
        for (int i = -20; i <= 20; ++i) {
          v = std::clamp(v0 * std::pow(span, i / 20.0), p.lo, p.hi);
          const double o = objective(mine, a);
          if (o < best) best = o, best_v = v;
        }
        v = best_v;
      }
    }
  }
  // Fallbacks for constants no row determined. The tensor-core efficiencies (an fp8 GEMM, the attention
  // forward) follow the arch's own bf16 GEMM: the fitted archs' median ratio to it times this arch's. Their
  // median outright made CDNA3's fp8 GEMMs 0.919 of the fp8 peak beside bf16's fitted 0.520 (3.4x the bf16
  // rate from a 2x peak) and its attention faster than its GEMMs (helper-133).
  const std::string bf16 = std::string("gemm_") + kernel_precision_name(KernelPrecision::kBf16);
  auto relative = [&](const ParamRef& p) { return p.gemm > 0 || p.name == "attention"; };
  for (auto& [name, a] : out) {
    for (const ParamRef& p : params) {
      if (determined[name].count(p.name)) continue;
      double v = NAN;
      if (p.gemm > 0)  // an fp8 format: the arch's other fp8 formats
        for (int i = 1; i < kKernelPrecisions && std::isnan(v); ++i)
          if (determined[name].count(std::string("gemm_") +
                                     kernel_precision_name(static_cast<KernelPrecision>(i))))
            v = a.gemm[i];
      std::vector<double> others;
      for (const auto& [n2, a2] : out)
        if (determined[n2].count(p.name) && (!relative(p) || determined[n2].count(bf16)))
          others.push_back(relative(p) ? value(a2, p) / a2.gemm[0] : value(a2, p));
      if (std::isnan(v) && !others.empty()) v = relative(p) ? a.gemm[0] * median(others) : median(others);
      ref(a, p) = v;
      a.provenance[p.name] = {"derived",
                              relative(p) ? "no two rows: another fp8 format, or the arch's gemm_bf16 times "
                                            "the fitted archs' median ratio to it"
                                          : "no two rows: the median of the fitted archs",
                              ""};
    }
  }
  if (determined_out) *determined_out = determined;
  return out;
}

std::string kernel_catalog_gpu(const std::string& gpu_column, const std::string& mapping_path) {
  const Mapping map = load_mapping(
      mapping_path.empty() ? data_file("configs/validation/kernel-benchmarks.yaml") : mapping_path);
  for (const GpuRule& g : map.gpus)
    if (names_part(gpu_column, g.match)) return g.gpu;
  return "";
}

namespace {

// Does a library cell time an fp8 GEMM's operand casts with it (Transformer Engine's te.Linear under fp8
// autocast)? The cell starts with one of with_cast_libraries' names ("TE", "TE 2.1", "TE (fp8 autocast)"), or
// names te.Linear; not one that says its operands were quantised before ("cuBLASLt via TE's general_gemm
// (pre-quantised)": helper-137, -138).
bool library_casts(const Mapping& map, const std::string& library) {
  const std::string lib = lower_case(trim(library));
  if (lib.find("pre-quant") != std::string::npos || lib.find("prequant") != std::string::npos) return false;
  return std::any_of(map.with_cast_libraries.begin(), map.with_cast_libraries.end(),
                     [&](const std::string& l) {
                       const std::string name = lower_case(l);
                       return lib == name || lib.rfind(name + " ", 0) == 0 || lib.rfind(name + "(", 0) == 0 ||
                              (l.find("Linear") != std::string::npos && names_part(library, l));
                     });
}

// Why a library's rows on `arch` stay outside the bound (the mapping's excluded_libraries), or "".
std::string library_exclusion(const Mapping& map, const std::string& library, const std::string& arch) {
  for (const LibraryRule& l : map.excluded_libraries)
    if ((l.archs.empty() || std::count(l.archs.begin(), l.archs.end(), arch)) &&
        std::any_of(l.match.begin(), l.match.end(),
                    [&](const std::string& m) { return names_part(library, m); }))
      return l.reason;
  return "";
}

// The metric of a TFLOPS row as sources write it: "TFLOPS", "TFLOP/s", "TFLOPs", "tflops", "TFLOP/s/GPU".
bool tflops_metric(const std::string& cell) {
  std::string m = squeeze_with_places(cell).text;
  for (const char* suffix : {"/gpu", "pergpu"})
    if (m.size() > std::strlen(suffix) &&
        m.compare(m.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
      m.resize(m.size() - std::strlen(suffix));
  return m == "tflops" || m == "tflop/s" || m == "tflop/sec" || m == "tflops/s";
}

ErrorStats stats(const std::vector<double>& errors) {
  ErrorStats s;
  std::vector<double> a;
  for (double e : errors) a.push_back(std::fabs(e));
  s.rows = static_cast<int>(a.size());
  s.median = median(a);
  s.worst = a.empty() ? 0.0 : *std::max_element(a.begin(), a.end());
  return s;
}

}  // namespace

KernelValidationReport validate_kernels(const std::string& csv_path, const std::string& mapping_path,
                                        bool loso) {
  const std::string mp =
      mapping_path.empty() ? data_file("configs/validation/kernel-benchmarks.yaml") : mapping_path;
  const Mapping map = load_mapping(mp);
  const KernelData& data = kernel_data();
  KernelValidationReport rep;
  rep.loso = loso;
  std::map<std::string, GpuSpec> gpus;
  CaseIds
      ids;  // a case_id twice was read twice (and counted twice in the medians), as validate training refuses
  for (const CsvRow& r : read_csv(csv_path)) {
    ids.add(CaseRow(r, mp));
    KernelCase c;
    c.case_id = trim(r.at("case_id"));
    try {
      check_kernel_shapes(r, csv_path);
      c.kind = lower_case(trim(r.at("kind")));  // "GEMM" or "gemm " was a kind out of reach
      c.gpu = r.at("gpu");
      c.library = r.at("library");
      c.source = kernel_source_key(r.at("source"));
      if (map.skipped.count(c.case_id)) {
        rep.skipped.emplace_back(c.case_id, map.skipped.at(c.case_id));
        continue;
      }
      if (map.excluded_kinds.count(c.kind)) {
        rep.skipped.emplace_back(c.case_id, map.excluded_kinds.at(c.kind));
        continue;
      }
      const bool gemm = c.kind == "gemm" || c.kind == "grouped_gemm";
      c.attention = c.kind == "attention_fwd" || c.kind == "attention_bwd";
      // Out of the kernel model's reach: named with file, line and column, and the next row read.
      auto out_of_reach = [&](const std::string& col, const std::string& what) {
        rep.not_predicted.push_back(
            {c.case_id, InputError(SourceLoc{csv_path, r.line, 0, col}, c.case_id + ": " + what).what()});
      };
      if (!gemm && !c.attention) {
        out_of_reach("kind", "unknown kind '" + c.kind +
                                 "' (gemm, grouped_gemm, attention_fwd, attention_bwd; the mapping's "
                                 "excluded_kinds list others)");
        continue;
      }
      auto rule = std::find_if(map.gpus.begin(), map.gpus.end(),
                               [&](const GpuRule& g) { return names_part(c.gpu, g.match); });
      if (rule == map.gpus.end()) {
        out_of_reach("gpu", "no catalog GPU for '" + c.gpu + "'");
        continue;
      }
      if (!tflops_metric(r.at("metric"))) {
        out_of_reach("metric",
                     "'" + r.at("metric") + "' for kind " + c.kind + " (the kernel model predicts TFLOPS)");
        continue;
      }
      if (!gpus.count(rule->gpu)) gpus[rule->gpu] = load_gpu(rule->gpu);
      const GpuSpec& spec = gpus.at(rule->gpu);
      c.arch = arch_name(spec.arch);
      c.device = kernel_device(spec, 1, data);
      const std::optional<KernelPrecision> precision = kernel_precision(r.at("precision"));
      if (!precision) {  // was read as bf16, predicted and counted
        out_of_reach(
            "precision",
            "precision '" + r.at("precision") +
                "' is not one the kernel model predicts (bf16, fp16, fp8, fp8 block-scaled, mxfp8, nvfp4)");
        continue;
      }
      c.precision = *precision;
      // A precision the GPU has no rate or fitted efficiency for (fp8 on an A800, mxfp8 on Hopper) is out of
      // reach for this row, as in `validate training` (it stopped the file with a message naming no row).
      const bool lowp = c.precision != KernelPrecision::kBf16;
      // A 4-bit attention core (SageAttention3's FP4 on Blackwell) is none the attention constants were
      // fitted on: out of reach, not an fp8 one.
      if (!gemm && c.precision == KernelPrecision::kNvfp4) {
        out_of_reach(
            "precision",
            "an nvfp4 attention core is not modelled (the attention constants are fitted on bf16 and fp8 "
            "kernels)");
        continue;
      }
      // An mxfp8 attention needs MX hardware as its GEMMs do (an mxfp8 attention on Hopper was predicted).
      if (c.device.peak(c.precision) <= 0 || ((gemm || c.precision == KernelPrecision::kMxfp8) &&
                                              c.device.arch.gemm[static_cast<int>(c.precision)] <= 0)) {
        out_of_reach("precision",
                     std::string(kernel_precision_name(c.precision)) + " on " + spec.name + ": " +
                         (lowp && c.device.peak(c.precision) <= 0
                              ? std::string("the GPU has no ") +
                                    (c.precision == KernelPrecision::kNvfp4 ? "fp4" : "fp8") + " rate"
                              : c.arch + " has no gemm_" + kernel_precision_name(c.precision) +
                                    " in topologies/compute-efficiency.yaml"));
        continue;
      }
      c.measured = kernel_measured_tflops(r, csv_path);
      // Above the GPU's dense peak in its precision is no measurement of it (sparse FLOPs, another GPU, a
      // unit slip): it was predicted and counted (7000 TFLOPS on an H100: -88.7%), as calibrate --compute
      // refuses it.
      const double peak = c.device.peak(c.precision) / 1e12;
      if (peak > 0 && c.measured > peak * 1.001)
        throw InputError(SourceLoc{csv_path, r.line, 0, "value"},
                         r.at("value") + " TFLOPS is above " + spec.name + "'s dense " +
                             kernel_precision_name(c.precision) + " peak (" + six_digits(peak) +
                             " TFLOPS in the catalog)");
      if (gemm) {
        c.grouped = c.kind == "grouped_gemm";
        c.gemm = {kernel_shape(r, "M", 0, csv_path), kernel_shape(r, "N", 0, csv_path),
                  kernel_shape(r, "K", 0, csv_path),
                  kernel_shape(r, "groups", 1, csv_path) * kernel_shape(r, "batch", 1, csv_path)};
        c.with_cast = map.with_cast.count(c.case_id) > 0 || (lowp && library_casts(map, c.library));
      } else {
        // Whether the scores are causal halves the FLOPs counted: a row that does not say is out of reach (an
        // empty cell was read as full attention).
        const std::optional<bool> causal = kernel_causal(r, csv_path);
        if (!causal) {
          out_of_reach(
              "causal",
              "an attention row says whether it is causal (True or False): the FLOPs its TFLOPS count "
              "differ twofold");
          continue;
        }
        c.attn.causal = *causal;
        c.attn.backward = c.kind == "attention_bwd";
        c.attn.batch = kernel_shape(r, "batch", 1, csv_path);
        c.attn.seq = kernel_shape(r, "seq_len", 0, csv_path);
        c.attn.d_qk = kernel_shape_pair(r, "head_dim", 128, csv_path, &c.attn.d_v);
        c.attn.heads = kernel_shape_pair(r, "heads", 1, csv_path);
      }
      if (map.excluded.count(c.case_id)) c.excluded = map.excluded.at(c.case_id);
      if (c.excluded.empty()) c.excluded = library_exclusion(map, c.library, c.arch);
      const std::string confidence = lower_case(trim(r.at("confidence")));  // "Low" was counted, "low" not
      if (c.excluded.empty() && map.excluded_confidence.count(confidence))
        c.excluded = map.excluded_confidence.at(confidence);
      c.predicted = predict_tflops(c, c.device.arch);
      c.error = c.predicted / c.measured - 1.0;
      rep.rows.push_back(c);
    } catch (const InputError& e) {
      // A cell of this row that does not read (a head_dim "abc", a value "1e308"): the row's, named, as a
      // training row's is (it stopped the file); an error in the mapping or a catalog file still stops it.
      if (e.loc().file != r.file || e.loc().line != r.line) throw;
      rep.not_predicted.push_back({c.case_id, e.what(), true});
    }
  }
  // Each case_id the mapping names is a row, or the output says so (a misspelt with_cast changed nothing,
  // silently); not an error, since the shipped mapping names rows of the public file and meets other files.
  std::vector<std::pair<std::string, std::string>> named;  // the mapping's list, a case_id it names
  for (const auto& e : map.excluded) named.emplace_back("excluded", e.first);
  for (const auto& e : map.skipped) named.emplace_back("skipped", e.first);
  for (const std::string& k : map.with_cast) named.emplace_back("with_cast", k);
  for (const auto& n : named) {
    const std::string& id = n.second;  // not a structured binding: clang 14 cannot capture one
    if (std::none_of(rep.rows.begin(), rep.rows.end(),
                     [&](const KernelCase& c) { return c.case_id == id; }) &&
        std::none_of(rep.skipped.begin(), rep.skipped.end(), [&](const auto& s) { return s.first == id; }) &&
        std::none_of(rep.not_predicted.begin(), rep.not_predicted.end(),
                     [&](const NotPredicted& s) { return s.case_id == id; }))
      rep.unmatched.push_back(n.first + " " + id);
  }

  std::vector<double> all;
  std::map<std::string, std::vector<double>> groups;
  std::vector<const KernelCase*> fit_rows;
  for (const KernelCase& c : rep.rows) {
    if (!c.excluded.empty()) continue;
    all.push_back(c.error);
    groups[c.kind.substr(0, c.kind.find('_')) + " " + c.arch + " " + kernel_precision_name(c.precision)]
        .push_back(c.error);
    fit_rows.push_back(&c);
  }
  rep.in_sample = stats(all);
  for (const auto& [g, e] : groups) rep.by_group[g] = stats(e);
  rep.fitted = fit_kernel_model(data.archs, fit_rows);
  if (!loso) return rep;

  std::set<std::string> sources;
  for (const KernelCase* c : fit_rows) sources.insert(c->source);
  std::vector<double> loso_all;
  for (const std::string& s : sources) {
    std::vector<const KernelCase*> train;
    for (const KernelCase* c : fit_rows)
      if (c->source != s) train.push_back(c);
    const auto fold = fit_kernel_model(data.archs, train);
    std::vector<double> errs;
    for (KernelCase& c : rep.rows) {
      if (c.source != s || !c.excluded.empty()) continue;
      c.loso_predicted = predict_tflops(c, fold.at(c.arch));
      // a constant no other source determined is NaN: the prediction came out 0 TFLOPS (-100%), not uncovered
      c.loso_covered = std::isfinite(c.loso_predicted) && c.loso_predicted > 0;
      if (!c.loso_covered) {
        ++rep.loso_uncovered;
        continue;
      }
      c.loso_error = c.loso_predicted / c.measured - 1.0;
      errs.push_back(c.loso_error);
      loso_all.push_back(c.loso_error);
    }
    rep.loso_by_source[s] = stats(errs);
  }
  rep.loso_all = stats(loso_all);
  return rep;
}

}  // namespace commsim
