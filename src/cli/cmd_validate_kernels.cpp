// commsim validate kernels FILE.csv: the kernel model's predicted TFLOPS against published kernel
// measurements (../shared/validation/kernel_benchmarks.csv format), per row and summarised; --loso adds the
// leave-one-source-out errors, --fit prints the constants refitted on every row within the bound.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/common.hpp"
#include "cli/not_predicted_report.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "report/table.hpp"
#include "study/gate.hpp"
#include "study/validate_kernels.hpp"

namespace commsim::cli {
namespace {

std::string shape(const KernelCase& c) {
  if (c.attention)
    return "b" + fmt(c.attn.batch, 0) + " s" + fmt(c.attn.seq, 0) + " d" + fmt(c.attn.d_qk, 0) +
           (c.attn.d_v != c.attn.d_qk ? "/" + fmt(c.attn.d_v, 0) : "") + (c.attn.causal ? " causal" : " full");
  return (c.gemm.groups > 1 ? fmt(c.gemm.groups, 0) + "x " : "") + fmt(c.gemm.m, 0) + "x" + fmt(c.gemm.n, 0) + "x" +
         fmt(c.gemm.k, 0);
}

// A refitted constant, or "-" where no two rows moved it and no fitted arch gave a fallback (NaN).
std::string fit_value(double v, int digits, const char* unit = "") {
  return std::isfinite(v) ? fmt(v, digits) + unit : "-";
}

void print_fit(std::ostream& out, const std::map<std::string, KernelArch>& fitted) {
  out << "\n# constants refitted on every row within the bound (-: no two rows move it, and no fitted arch "
         "to "
         "derive it from)\n";
  for (const auto& [arch, a] : fitted) {
    out << "# " << arch << ":";
    for (int p = 0; p < kKernelPrecisions; ++p)
      out << " gemm_" << kernel_precision_name(static_cast<KernelPrecision>(p)) << " "
          << fit_value(a.gemm[p], 3);
    out << " epilogue " << fit_value(a.epilogue * 1e6, 2, "us") << " memory " << fit_value(a.memory, 3)
        << " grouped " << fit_value(a.grouped, 3) << " attention " << fit_value(a.attention, 3)
        << " attention_s0 " << fit_value(a.attention_s0, 0) << " attention_bwd "
        << fit_value(a.attention_bwd, 3) << " attention_fp8 " << fit_value(a.attention_fp8, 3) << "\n";
    for (const auto& [key, pv] : a.provenance)
      if (pv.kind == "calibrated") out << "#   " << key << ": " << pv.source << "\n";
  }
}

// The refitted constants as JSON: arch -> constant -> {value (null: not determined), kind, source}.
nlohmann::json fit_json(const std::map<std::string, KernelArch>& fitted) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& entry : fitted) {  // not a structured binding: clang 14 does not capture one in a lambda
    const std::string& arch = entry.first;
    const KernelArch& a = entry.second;
    auto put = [&](const std::string& key, double v) {
      nlohmann::json c = {{"value", std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr)}};
      if (const auto pv = a.provenance.find(key); pv != a.provenance.end())
        c["kind"] = pv->second.kind, c["source"] = pv->second.source;
      j[arch][key] = c;
    };
    for (int p = 0; p < kKernelPrecisions; ++p)
      put(std::string("gemm_") + kernel_precision_name(static_cast<KernelPrecision>(p)), a.gemm[p]);
    put("epilogue", a.epilogue), put("memory", a.memory), put("grouped", a.grouped),
        put("attention", a.attention);
    put("attention_s0", a.attention_s0), put("attention_bwd", a.attention_bwd),
        put("attention_fp8", a.attention_fp8);
  }
  return j;
}

void print_report(std::ostream& out, const KernelValidationReport& rep, const std::string& format, bool fit) {
  if (format == "json") {
    nlohmann::json j;
    for (const KernelCase& c : rep.rows) {
      nlohmann::json r = {{"case_id", c.case_id}, {"kind", c.kind}, {"gpu", c.gpu}, {"arch", c.arch},
                          {"precision", kernel_precision_name(c.precision)}, {"shape", shape(c)},
                          {"measured_tflops", c.measured}, {"predicted_tflops", c.predicted}, {"error", c.error},
                          {"source", c.source}, {"excluded", c.excluded}};
      if (rep.loso && c.loso_covered) r["loso_error"] = c.loso_error;
      j["rows"].push_back(r);
    }
    auto st = [](const ErrorStats& s) {
      if (s.rows == 0) return nlohmann::json{{"rows", 0}, {"median_abs_error", nullptr}, {"worst_abs_error", nullptr}};  // not 0.0
      return nlohmann::json{{"rows", s.rows}, {"median_abs_error", s.median}, {"worst_abs_error", s.worst}};
    };
    j["summary"] = st(rep.in_sample);
    for (const auto& [g, s] : rep.by_group) j["by_group"][g] = st(s);
    if (rep.loso) {
      j["loso"] = st(rep.loso_all);
      j["loso"]["uncovered_rows"] = rep.loso_uncovered;
      for (const auto& [s, e] : rep.loso_by_source) j["loso_by_source"][s] = st(e);
    }
    for (const auto& [id, why] : rep.skipped) j["skipped"].push_back({{"case_id", id}, {"reason", why}});
    for (const std::string& m : rep.unmatched) j["mapping_names_not_rows"].push_back(m);
    if (!rep.not_predicted.empty()) j["not_predicted"] = not_predicted_json(rep.not_predicted);
    if (fit) j["fitted"] = fit_json(rep.fitted);
    out << json_text(j) << "\n";
    return;
  }
  std::vector<std::string> cols = {"case_id", "arch", "precision", "shape", "measured", "predicted", "error"};
  if (rep.loso) cols.push_back("loso");
  cols.push_back("bound");
  Table t(cols);
  for (const KernelCase& c : rep.rows) {
    std::vector<std::string> row = {c.case_id,
                                    c.arch,
                                    kernel_precision_name(c.precision),
                                    shape(c),
                                    fmt(c.measured, 1),
                                    fmt(c.predicted, 1),
                                    fmt_pct(c.error)};
    if (rep.loso) row.push_back(c.excluded.empty() && c.loso_covered ? fmt_pct(c.loso_error) : "-");
    row.push_back(c.excluded.empty() ? "in" : "out");
    t.add(row);
  }
  if (format == "csv") {  // the rows only; the refitted constants go to stderr, as the notes do
    t.print_csv(out);
    print_not_predicted(out, rep.not_predicted, "csv");
    if (fit) print_fit(std::cerr, rep.fitted);
    return;
  }
  out << "# TFLOPS as each source counts them; error = (predicted - measured) / measured; bound: in = counted in the summary\n";
  t.print(out);
  out << "\n# per kind, arch and precision (rows within the bound): median |error| / worst |error|\n";
  Table g({"group", "rows", "median", "worst"});
  for (const auto& [name, s] : rep.by_group)
    g.add({name, std::to_string(s.rows), fmt_pct(s.median), fmt_pct(s.worst)});
  g.print(out);
  if (rep.loso) {
    out << "\n# leave-one-source-out: constants refitted without the source's rows, then the source predicted\n";
    Table l({"source", "rows", "median", "worst"});
    for (const auto& [name, s] : rep.loso_by_source)  // a source no fold covers: "-", not 0.0%
      l.add(
          {name, std::to_string(s.rows), s.rows ? fmt_pct(s.median) : "-", s.rows ? fmt_pct(s.worst) : "-"});
    l.print(out);
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "\n# %d rows within the bound: median |error| %.1f%%, worst %.1f%%\n", rep.in_sample.rows,
                100 * rep.in_sample.median, 100 * rep.in_sample.worst);
  out << buf;
  if (rep.loso) {
    out << "# leave-one-source-out: " << error_summary(rep.loso_all.rows, rep.loso_all.median, rep.loso_all.worst) << " ("
        << rep.loso_uncovered << " rows no other source covers)\n";
  }
  for (const KernelCase& c : rep.rows)
    if (!c.excluded.empty()) out << "# outside the bound " << c.case_id << ": " << c.excluded << "\n";
  for (const auto& [id, why] : rep.skipped)
    out << "# skipped " << id << ": " << why
        << "\n";  // the mapping's skips (JSON `skipped`): not what a gate fails on
  print_not_predicted(out, rep.not_predicted, "table");
  if (!rep.unmatched.empty()) {  // the first five, then a count: the shipped mapping meets files it was not written for
    out << "# the mapping names " << rep.unmatched.size() << " case_id(s) not in this file (applied to none of its rows):";
    for (std::size_t i = 0; i < rep.unmatched.size() && i < 5; ++i) out << (i ? ", " : " ") << rep.unmatched[i];
    out << (rep.unmatched.size() > 5 ? ", ..." : "") << "\n";
  }
  if (fit) print_fit(out, rep.fitted);
}

}  // namespace

void add_validate_kernels(CLI::App& validate) {
  struct Args {
    std::string csv, mapping, overlay;
    std::optional<double> max_median, max_row, max_loso_median;
    bool loso = false, fit = false;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = validate.add_subcommand(
      "kernels",
      "published kernel measurements in the format of tests/data/validation/kernel_benchmarks.csv (a copy of "
      "../shared/validation/kernel_benchmarks.csv)");
  c->add_option("file", a->csv, "CSV of published kernel measurements")->required()->check(file_name());
  c->add_option("--mapping", a->mapping, "row-to-GPU mapping (default configs/validation/kernel-benchmarks.yaml)")->check(file_name());
  c->add_option("--compute-efficiency", a->overlay,
                "kernel_calibration file (commsim calibrate --compute --out): its archs replace the shipped constants")
      ->check(file_name());
  c->add_flag("--loso", a->loso, "also refit without each source and predict it (leave-one-source-out)");
  c->add_flag("--fit", a->fit, "print the constants refitted on every row within the bound");
  c->add_option("--max-median-error", a->max_median, "fail (exit 1) if the median |error| exceeds this percentage")
      ->check(percentage());
  c->add_option("--max-row-error", a->max_row, "fail (exit 1) if any row's |error| within the bound exceeds this percentage")
      ->check(percentage());
  c->add_option("--max-loso-median-error", a->max_loso_median,
                "with --loso: fail (exit 1) if the leave-one-source-out median |error| exceeds this percentage")
      ->check(percentage());
  a->out.add_to(*c, "table, csv, json");
  c->callback([a] {
    if (a->out.format != "table" && a->out.format != "csv" && a->out.format != "json")
      throw InputError("--format: unknown format '" + a->out.format + "' (valid: table, csv, json)");
    const Gate g_median{"--max-median-error", "rows within the bound", GateStat::kMedian, a->max_median};
    const Gate g_row{"--max-row-error", "rows within the bound", GateStat::kWorst, a->max_row};
    const Gate g_loso{"--max-loso-median-error", "leave-one-source-out rows", GateStat::kMedian, a->max_loso_median};
    for (const Gate* g : {&g_median, &g_row, &g_loso}) check_gate_bound(*g);
    if (a->max_loso_median && !a->loso) throw InputError("--max-loso-median-error needs --loso");
    set_kernel_overlay(a->overlay);
    const KernelValidationReport rep = validate_kernels(a->csv, a->mapping, a->loso);
    require_some_predicted(rep.rows.size(), rep.not_predicted);
    const bool gated = a->max_median || a->max_row || a->max_loso_median;
    if (!gated) require_rows(rep.rows.size(), rep.skipped.size(), a->csv);  // with a gate: its failure, exit 1
    std::ostringstream text;
    print_report(text, rep, a->out.format, a->fit);
    if (a->out.out.empty()) {
      std::cout << text.str();
      check_stdout();
    } else {
      write_file_atomically(a->out.out, text.str());
    }
    std::vector<double> in_bound, loso;
    for (const KernelCase& r : rep.rows) {
      if (!r.excluded.empty()) continue;
      in_bound.push_back(r.error);
      if (rep.loso && r.loso_covered) loso.push_back(r.loso_error);
    }
    fail_gate_if_not_predicted(gated, rep.not_predicted);
    enforce_gate(g_median, in_bound);
    enforce_gate(g_row, in_bound);
    enforce_gate(g_loso, loso);
  });
}

}  // namespace commsim::cli
