// commsim validate collectives FILE.csv: predicted vs published busbw, per row and summarised.
// commsim validate collectives --system S --measured FILE...: predicted vs measured (commbench JSON or
// nccl-tests logs), time and busbw, row by row and per op.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/common.hpp"
#include "cli/measured_report.hpp"
#include "cli/not_predicted_report.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/yaml_override.hpp"
#include "report/table.hpp"
#include "study/gate.hpp"
#include "study/measured_device.hpp"
#include "study/validate_collectives.hpp"

namespace commsim::cli {
namespace {

void print_report(std::ostream& out, const ValidationReport& rep, const std::string& format) {
  std::vector<std::pair<std::string, std::string>> excluded;
  for (const auto& e : rep.excluded) excluded.emplace_back(e.case_id, e.reason);
  if (format == "json") {
    nlohmann::json j;
    j["rows"] = nlohmann::json::array();
    for (const auto& r : rep.rows)
      j["rows"].push_back({{"case_id", r.case_id}, {"op", r.op}, {"system", r.system}, {"size_bytes", r.size_bytes},
                           {"measured_busbw_GBps", r.measured_busbw}, {"predicted_busbw_GBps", r.predicted_busbw},
                           {"error", r.error}, {"algorithm", r.algorithm}, {"protocol", r.protocol}});
    auto sum = [](const ErrorSummary& s) { return nlohmann::json{{"rows", s.rows}, {"median_abs_error", s.median_abs}, {"worst_abs_error", s.worst_abs}}; };
    j["summary"] = {{"size_at_least_64MiB", sum(rep.at_least_64m)}, {"size_at_least_1MiB", sum(rep.at_least_1m)}, {"all", sum(rep.all)}};
    for (const auto& e : rep.excluded) j["excluded"].push_back({{"case_id", e.case_id}, {"reason", e.reason}});
    if (!rep.not_predicted.empty()) j["not_predicted"] = not_predicted_json(rep.not_predicted);
    out << json_text(j) << "\n";
    return;
  }
  Table t({"case_id", "op", "system", "nodes", "gpn", "size_B", "measured", "predicted", "error", "algorithm", "proto"});
  for (const auto& r : rep.rows) {
    t.add({r.case_id, r.op, r.system, std::to_string(r.nodes), std::to_string(r.gpus_per_node),
           fmt(r.size_bytes, 0), fmt(r.measured_busbw, 2), fmt(r.predicted_busbw, 2), fmt_pct(r.error),
           r.algorithm + (r.forced_algo.empty() ? "" : " (forced)"),
           r.protocol + (r.forced_proto ? " (forced)" : "")});
  }
  if (format == "csv") {
    t.print_csv(out);
    print_excluded(out, excluded, "csv");
    print_not_predicted(out, rep.not_predicted, "csv");
    return;
  }
  out << "# busbw in GB/s; error = (predicted - measured) / measured\n";
  t.print(out);
  // Per case: median and worst |error| over rows of 1 MiB and more.
  std::map<std::string, std::vector<ValidationRow>> by_case;
  for (const auto& r : rep.rows) by_case[r.case_id].push_back(r);
  out << "\n# per case, rows >= 1 MiB and >= 64 MiB: median |error| / worst |error|\n";
  Table c({"case_id", "system", "rows>=1M", "median", "worst", "rows>=64M", "median", "worst"});
  for (const auto& [id, rows] : by_case) {
    const ErrorSummary a = summarize(rows, 1048576), b = summarize(rows, 64.0 * 1048576);
    c.add({id, rows.front().system, std::to_string(a.rows), fmt_pct(a.median_abs), fmt_pct(a.worst_abs),
           std::to_string(b.rows), fmt_pct(b.median_abs), fmt_pct(b.worst_abs)});
  }
  c.print(out);
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "\n# overall: >= 64 MiB: %d rows, median |error| %.1f%%, worst %.1f%%\n"
                "#          >= 1 MiB:  %d rows, median |error| %.1f%%, worst %.1f%%\n",
                rep.at_least_64m.rows, 100 * rep.at_least_64m.median_abs, 100 * rep.at_least_64m.worst_abs,
                rep.at_least_1m.rows, 100 * rep.at_least_1m.median_abs, 100 * rep.at_least_1m.worst_abs);
  out << buf;
  print_excluded(out, excluded, "table");
  print_not_predicted(out, rep.not_predicted, "table");
}

}  // namespace

void register_validate(CLI::App& app, const std::string& cmdline) {
  CLI::App* v = app.add_subcommand("validate", "compare predictions with published or measured results");
  v->require_subcommand(1);
  add_validate_training(*v, cmdline);
  add_validate_memory(*v);
  add_validate_kernels(*v);
  struct Args {
    std::string csv, mapping;
    OutputOptions out;
    std::optional<double> max_median_64m, max_median_1m;
    SystemOptions sys;  // --measured mode
    std::vector<std::string> measured;
    std::string op, sizes = "all";
    std::optional<double> max_median;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = v->add_subcommand("collectives",
                                  "nccl-tests results in the format of tests/data/validation/nccl_public.csv "
                                  "(a copy of ../shared/validation/nccl_public.csv), "
                                  "or measured files (--system S --measured FILE...)");
  c->add_option("file", a->csv, "CSV of published results")->check(file_name());
  a->sys.add_to(*c, false);
  c->add_option("--measured,-m", a->measured, "commbench JSON (-J) or nccl-tests output files, predicted on --system")
      ->take_all()
      ->check(file_name());
  c->add_option("--op", a->op, "with --measured: collective of text logs that do not name it; a log naming another is exit 2");
  c->add_option("--sizes", a->sizes, "with --measured: rows to compare: all, even, odd, MIN:MAX or odd,MIN:MAX");
  c->add_option("--max-median-error", a->max_median,
                "with --measured: fail (exit 1) if the median |time error| of the compared rows exceeds this "
                "percentage (no row to compare: exit 2)")
      ->check(percentage());
  c->add_option("--mapping", a->mapping, "hardware-to-system mapping (default configs/validation/nccl-systems.yaml)")->check(file_name());
  c->add_option("--max-median-error-64m", a->max_median_64m, "fail (exit 1) if the median |error| over rows >= 64 MiB exceeds this percentage, or if no row qualifies")
      ->check(percentage());
  c->add_option("--max-median-error-1m", a->max_median_1m, "fail (exit 1) if the median |error| over rows >= 1 MiB exceeds this percentage, or if no row qualifies")
      ->check(percentage());
  a->out.add_to(*c, "table, csv, json");
  c->callback([a, c] {
    if (a->out.format != "table" && a->out.format != "csv" && a->out.format != "json")
      throw InputError("--format: unknown format '" + a->out.format + "' (valid: table, csv, json)");
    // Each mode reads its own options: one of the other's was dropped without a word, a gate too (exit 0
    // against a bound never checked).
    auto given = [c](const std::string& flag) { return c->get_option(flag)->count() > 0; };
    if (!a->measured.empty()) {
      if (!a->csv.empty())
        throw InputError("--measured: a CSV of published results (" + a->csv + ") and --measured are two modes: give one");
      if (default_nodes_override(a->sys.sets))  // the logs give the scale; nothing is written to keep it
        throw InputError(SourceLoc{"--set", 0, 0, "nodes"},
                         default_nodes_refused("the measurements give the scale (--nodes, --gpus)"));
      for (const std::string f : {"--mapping", "--max-median-error-64m", "--max-median-error-1m"})
        if (given(f))
          throw InputError(f + ": applies to a CSV of published results, not to --measured" +
                           (f == "--mapping" ? "" : " (its gate is --max-median-error)"));
    } else {
      const char* env_system = std::getenv("COMMSIM_SYSTEM");  // the environment's default, not a flag given
      const bool system_flag = given("--system") && !(env_system && a->sys.system == env_system);
      for (const std::string f : {"--system", "--nodes", "--gpus", "--gpus-per-node", "--set", "--op", "--sizes", "--max-median-error"})
        if ((f == "--system" ? system_flag : given(f)))
          throw InputError(f + ": applies with --measured (a CSV's rows name their systems through --mapping" +
                           (f == "--max-median-error" ? "; its gates are --max-median-error-64m and -1m)" : ")"));
    }
    const Gate g_measured{"--max-median-error", "compared rows", GateStat::kMedian, a->max_median};
    const Gate g_64m{"--max-median-error-64m", "rows >= 64 MiB", GateStat::kMedian, a->max_median_64m};
    const Gate g_1m{"--max-median-error-1m", "rows >= 1 MiB", GateStat::kMedian, a->max_median_1m};
    for (const Gate* g : {&g_measured, &g_64m, &g_1m}) check_gate_bound(*g);
    check_output_not_input("--out", a->out.out, "--measured", a->measured);
    check_output_not_input("--out", a->out.out, "the CSV", {a->csv});
    if (!a->measured.empty()) {
      if (a->sys.system.empty()) throw InputError("validate collectives --measured needs --system");
      const SizeSelection sel = parse_size_selection("--sizes", a->sizes);
      const SystemSpec spec = a->sys.load();
      const std::vector<Measurement> all = read_measured_files(
          a->measured, a->op, a->sys.nodes > 0 || a->sys.gpus > 0 || a->sys.gpus_per_node > 0);
      if (const std::string text = device_mismatch_note(all, spec); !text.empty()) note(text);
      const std::vector<bool> keep = select_sizes(all, sel);
      std::vector<Measurement> rows;
      for (std::size_t i = 0; i < all.size(); ++i)
        if (keep[i]) rows.push_back(all[i]);
      if (rows.empty()) throw InputError("--sizes " + sel.text + " selects none of the measured rows");
      MeasuredPredictor predictor(spec, ScaleRequest{a->sys.nodes, a->sys.gpus, a->sys.gpus_per_node});
      const std::vector<MeasuredRow> pred = predictor.predict_all(rows, spec.calibration);
      std::ostream& out = a->out.stream();
      print_measured_rows(out, pred, {}, a->out.format);
      if (a->out.format == "table")
        print_measured_summary(out, pred, "system " + spec.name + ", sizes " + sel.text + ": |error| per op");
      a->out.finish();  // the report is whole; a failed gate below still exits 1
      std::vector<double> errors;
      for (const MeasuredRow& r : pred) errors.push_back(r.time_error());
      enforce_gate(g_measured, errors);
      return;
    }
    if (a->csv.empty()) throw InputError("validate collectives: give a CSV of published results, or --system S --measured FILE...");
    const ValidationReport rep = validate_collectives(a->csv, a->mapping);
    require_some_predicted(rep.rows.size(), rep.not_predicted);
    if (!a->max_median_64m && !a->max_median_1m) require_rows(rep.rows.size(), rep.excluded.size(), a->csv);  // with a gate: its failure, exit 1
    print_report(a->out.stream(), rep, a->out.format);
    a->out.finish();
    fail_gate_if_not_predicted(a->max_median_64m || a->max_median_1m, rep.not_predicted, "case(s)");
    enforce_gate(g_64m, qualifying_errors(rep.rows, 64.0 * 1048576));
    enforce_gate(g_1m, qualifying_errors(rep.rows, 1048576));
  });
}

}  // namespace commsim::cli
