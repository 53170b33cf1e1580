// commsim validate training FILE.csv: predicted vs published training metrics per row, and the summary;
// --fit refits the calibrated efficiency constants on their rows, --loso adds leave-one-source-out errors.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "cli/not_predicted_report.hpp"
#include "cli/training_fit_output.hpp"
#include "cli/training_row_report.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "report/table.hpp"
#include "study/gate.hpp"
#include "study/training_fit.hpp"
#include "study/validate_training.hpp"

namespace commsim::cli {
void add_validate_training(CLI::App& validate, const std::string& cmdline) {
  struct Args {
    std::string csv, mapping;
    std::optional<double> max_median, max_row, max_moe_row, max_loso_median;
    bool fit = false, loso = false;
    unsigned threads = 0;
    bool require_fit = false, ops = false;
    std::optional<std::string> row;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = validate.add_subcommand(
      "training",
      "published training runs in the format of tests/data/validation/training_public.csv (a copy of "
      "../shared/validation/training_public.csv)");
  c->add_option("file", a->csv, "CSV of published training runs")->required()->check(file_name());
  c->add_option("--mapping", a->mapping, "row-to-system/model mapping (default configs/validation/training-systems.yaml)")->check(file_name());
  c->add_flag("--fit", a->fit, "refit the calibrated efficiency constants on their rows; print them beside the shipped ones");
  c->add_flag("--loso", a->loso, "with the fit, refit without each source family and predict it (leave-one-source-out)");
  c->add_option("--threads", a->threads,
                "threads predicting rows during a fit, 1 to 64 (default: the hardware's, at most 8)")
      ->check(in_range(1, 64))
      ->default_str("the hardware's, at most 8");
  c->add_option("--max-median-error", a->max_median, "fail (exit 1) if the median |error| exceeds this percentage, or if no row qualifies")
      ->check(percentage());
  c->add_option("--max-row-error", a->max_row, "fail (exit 1) if any row's |error| exceeds this percentage, or if no row qualifies")
      ->check(percentage());
  c->add_option("--max-moe-row-error", a->max_moe_row, "fail (exit 1) if any MoE row's |error| exceeds this percentage, or if no MoE row qualifies")
      ->check(percentage());
  c->add_option("--max-loso-median-error", a->max_loso_median,
                "with --loso: fail (exit 1) if the leave-one-source-out median |error| exceeds this percentage, or if no row is covered")
      ->check(percentage());
  c->add_flag("--require-fit", a->require_fit,
              "fail (exit 1), naming the rows, if any row is predicted not to fit in memory (a row whose recompute "
              "is not reported fits if some recompute makes it fit: full recompute of the fewest layers per model chunk)");
  c->add_option("--row", a->row,
                "print one row's run as `train` estimates it (the config the mapping builds from the row), with its "
                "published and predicted metric");
  c->add_flag("--ops", a->ops, "with --row: print the row's compute profile instead, op by op (as train --ops)");
  a->out.add_to(*c, "table, csv, json");
  c->callback([a, cmdline] {
    const Gate g_median{"--max-median-error", "rows", GateStat::kMedian, a->max_median};
    const Gate g_row{"--max-row-error", "rows", GateStat::kWorst, a->max_row};
    const Gate g_moe{"--max-moe-row-error", "MoE rows", GateStat::kWorst, a->max_moe_row};
    const Gate g_loso{"--max-loso-median-error", "leave-one-source-out rows", GateStat::kMedian, a->max_loso_median};
    for (const Gate* g : {&g_median, &g_row, &g_moe, &g_loso}) check_gate_bound(*g);
    if (a->max_loso_median && !a->loso) throw InputError("--max-loso-median-error needs --loso");
    // Read only by the fit: accepted alone, it did nothing (helper-153).
    if (a->threads && !a->fit && !a->loso)
      throw InputError("--threads needs --fit or --loso (the threads of a fit)");
    if (a->out.format != "table" && a->out.format != "csv" && a->out.format != "json")
      throw InputError("--format: unknown format '" + a->out.format + "' (valid: table, csv, json)");
    if (a->ops && !a->row) throw InputError("--ops: needs --row CASE_ID");
    if (a->row && (a->fit || a->loso || a->max_median || a->max_row || a->max_moe_row || a->max_loso_median || a->require_fit))
      throw InputError("--row: prints one row's estimate; not with --fit, --loso, --require-fit or a --max-* gate");
    const TrainingCases cases = read_training_cases(a->csv, a->mapping, a->row);
    if (a->row) {
      const Format format = parse_format(a->out.format);
      a->out.open();
      print_training_row(a->out.stream(), cases, a->csv, *a->row, a->ops, format, cmdline);
      a->out.finish();
      return;
    }
    // With a gate, no row is the gate's failure (exit 1, below); without one, nothing to report is an input error.
    require_some_predicted(cases.cases.size(), cases.not_predicted);
    if (!a->max_median && !a->max_row && !a->max_moe_row && !a->max_loso_median && !a->require_fit)
      require_rows(cases.cases.size(), cases.excluded.size(), a->csv);
    a->out.open();  // before the fit (minutes with --loso)
    const TrainingValidationReport rep = validate_training(cases);
    std::optional<TrainingFitReport> fit;
    if (a->fit || a->loso) {
      fit = fit_training(cases.cases, a->loso, a->threads);
      std::fprintf(stderr, "# fit: %d sweeps, %ld row predictions, %.1f s%s\n", fit->sweeps, fit->predictions, fit->fit_seconds,
                   a->loso ? (", leave-one-source-out " + fmt(fit->loso_seconds, 1) + " s").c_str() : "");
    }
    auto fitted = [&](std::size_t i) { return fit ? fmt(100.0 * fit->fitted_error[i], 1) + "%" : ""; };
    auto loso = [&](std::size_t i) {
      return fit && std::isfinite(fit->loso_error[i]) ? fmt(100.0 * fit->loso_error[i], 1) + "%" : "-";
    };
    std::ostream& out = a->out.stream();
    if (a->out.format == "json") {
      nlohmann::json j;
      for (std::size_t i = 0; i < rep.rows.size(); ++i) {
        const auto& r = rep.rows[i];
        j["rows"].push_back({{"case_id", r.case_id}, {"model", r.model}, {"system", r.system}, {"gpus", r.gpus},
                             {"layout", r.layout}, {"metric", r.metric}, {"published", r.published},
                             {"predicted", r.predicted}, {"error", r.error}, {"step_time_s", r.step_time_s}, {"mfu", r.mfu},
                             {"memory_gib", r.memory_gib}, {"needed_gib", r.needed_gib}, {"capacity_gib", r.capacity_gib}, {"fits", r.fits},
                             {"fits_with", r.fits_with}});
        if (fit) {
          j["rows"].back()["source_family"] = r.family;
          j["rows"].back()["fitted_error"] = fit->fitted_error[i];
          if (std::isfinite(fit->loso_error[i])) j["rows"].back()["loso_error"] = fit->loso_error[i];
        }
      }
      j["summary"] = {{"rows", rep.rows.size()}, {"median_abs_error", rep.median_abs}, {"worst_abs_error", rep.worst_abs},
                      {"not_predicted", rep.not_predicted.size()}};
      if (fit) j["fit"] = training_fit_json(*fit);
      for (const auto& [id, why] : rep.excluded) j["excluded"].push_back({{"case_id", id}, {"reason", why}});
      for (const std::string& id : rep.unmatched_exclusions) j["mapping_excludes_not_rows"].push_back(id);
      if (!rep.not_predicted.empty()) j["not_predicted"] = not_predicted_json(rep.not_predicted);
      out << json_text(j) << "\n";
    } else {
      // The CSV carries what the table's footer says: whether the run fits in memory, and with what
      // recompute.
      const bool csv = a->out.format == "csv";
      std::vector<std::string> cols = {"case_id", "system", "gpus", "layout", "metric", "published", "predicted", "error"};
      if (csv) cols.insert(cols.end(), {"fits", "needed_gib", "capacity_gib", "fits_with"});
      if (fit) cols.insert(cols.end(), {"source_family", "fitted_error"});
      if (a->loso) cols.push_back("loso_error");
      Table t(cols);
      for (std::size_t i = 0; i < rep.rows.size(); ++i) {
        const auto& r = rep.rows[i];
        const std::string metric = r.metric.substr(0, r.metric.find(" ("));
        std::vector<std::string> row = {r.case_id, r.system, std::to_string(r.gpus), r.layout, metric, fmt(r.published, 2),
                                        fmt(r.predicted, 2), fmt(100.0 * r.error, 1) + "%"};
        if (csv)
          row.insert(row.end(),
                     {r.fits ? "yes" : "no", fmt(r.needed_gib, 1), fmt(r.capacity_gib, 1), r.fits_with});
        if (fit) row.insert(row.end(), {r.family, fitted(i)});
        if (a->loso) row.push_back(loso(i));
        t.add(row);
      }
      if (csv) {
        t.print_csv(out);
        print_excluded(out, rep.excluded, "csv");
        print_not_predicted(out, rep.not_predicted, "csv");
        print_unmatched_exclusions(out, rep.unmatched_exclusions, "csv");
      } else {
        out << "# error = (predicted - published) / published; each row predicts its own metric, computed its source's way\n";
        t.print(out);
        char buf[160];
        std::snprintf(buf, sizeof buf, "\n# %zu rows: median |error| %.1f%%, worst %.1f%%\n", rep.rows.size(),
                      100 * rep.median_abs, 100 * rep.worst_abs);
        out << buf;
        print_excluded(out, rep.excluded, "table");
        print_not_predicted(out, rep.not_predicted, "table");
        print_unmatched_exclusions(out, rep.unmatched_exclusions, "table");
        for (const auto& r : rep.rows)
          if (!r.fits) {
            out << "# does not fit: " << r.case_id << " " << fmt(r.needed_gib, 1) << " GiB of " << fmt(r.capacity_gib, 1) << " GiB"
                << (r.fits_with.empty() ? "" : " (recompute not reported; fits with " + r.fits_with + ", the least recompute that fits)")
                << "\n";
          }
        if (fit) print_training_fit(out, *fit);
      }
    }
    a->out.finish();
    std::vector<double> errors, moe_errors, loso_errors;
    for (const auto& r : rep.rows) {
      errors.push_back(r.error);
      if (r.moe) moe_errors.push_back(r.error);
    }
    if (fit)
      for (double e : fit->loso_error)
        if (std::isfinite(e)) loso_errors.push_back(e);
    fail_gate_if_not_predicted(a->max_median || a->max_row || a->max_moe_row || a->max_loso_median || a->require_fit,
                               rep.not_predicted);
    enforce_gate(g_median, errors);
    enforce_gate(g_row, errors);
    enforce_gate(g_moe, moe_errors);
    enforce_gate(g_loso, loso_errors);
    if (a->require_fit) {
      if (rep.rows.empty()) throw RuntimeError("--require-fit: no rows to check (the gate fails on nothing)");
      std::string misfits;
      std::size_t n = 0;
      for (const auto& r : rep.rows)
        if (!r.fits && r.fits_with.empty()) {
          misfits += (n++ ? ", " : "") + r.case_id + " (" + fmt(r.needed_gib, 1) + " of " + fmt(r.capacity_gib, 1) + " GiB)";
        }
      if (n) throw RuntimeError("--require-fit: " + std::to_string(n) + " published run(s) predicted not to fit in memory: " + misfits);
    }
  });
}

}  // namespace commsim::cli
