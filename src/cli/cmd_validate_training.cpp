// commsim validate training FILE.csv: predicted vs published training metrics per row, and the summary.
#include <cmath>
#include <cstdio>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "core/error.hpp"
#include "report/table.hpp"
#include "study/gate.hpp"
#include "study/validate_training.hpp"

namespace commsim::cli {

void add_validate_training(CLI::App& validate) {
  struct Args {
    std::string csv, mapping;
    std::optional<double> max_median, max_row;
    bool require_fit = false;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = validate.add_subcommand("training", "published training runs in shared/validation/training_public.csv format");
  c->add_option("file", a->csv, "CSV of published training runs")->required();
  c->add_option("--mapping", a->mapping, "row-to-system/model mapping (default configs/validation/training-systems.yaml)");
  c->add_option("--max-median-error", a->max_median, "fail (exit 1) if the median |error| exceeds this percentage, or if no row qualifies");
  c->add_option("--max-row-error", a->max_row, "fail (exit 1) if any row's |error| exceeds this percentage, or if no row qualifies");
  c->add_flag("--require-fit", a->require_fit,
              "fail (exit 1), naming the rows, if any row is predicted not to fit in memory (a row whose recompute "
              "is not reported fits if full recompute fits)");
  a->out.add_to(*c, "table, csv, json");
  c->callback([a] {
    const Gate g_median{"--max-median-error", "rows", GateStat::kMedian, a->max_median};
    const Gate g_row{"--max-row-error", "rows", GateStat::kWorst, a->max_row};
    check_gate_bound(g_median);
    check_gate_bound(g_row);
    if (a->out.format != "table" && a->out.format != "csv" && a->out.format != "json")
      throw InputError("--format: unknown format '" + a->out.format + "' (valid: table, csv, json)");
    const TrainingValidationReport rep = validate_training(a->csv, a->mapping);
    std::ostream& out = a->out.stream();
    if (a->out.format == "json") {
      nlohmann::json j;
      for (const auto& r : rep.rows)
        j["rows"].push_back({{"case_id", r.case_id}, {"model", r.model}, {"system", r.system}, {"gpus", r.gpus},
                             {"layout", r.layout}, {"metric", r.metric}, {"published", r.published},
                             {"predicted", r.predicted}, {"error", r.error}, {"step_time_s", r.step_time_s}, {"mfu", r.mfu},
                             {"memory_gib", r.memory_gib}, {"capacity_gib", r.capacity_gib}, {"fits", r.fits},
                             {"fits_with_full_recompute", r.fits_with_full_recompute}});
      j["summary"] = {{"rows", rep.rows.size()}, {"median_abs_error", rep.median_abs}, {"worst_abs_error", rep.worst_abs}};
      for (const auto& [id, why] : rep.excluded) j["excluded"].push_back({{"case_id", id}, {"reason", why}});
      out << j.dump(2) << "\n";
    } else {
      Table t({"case_id", "system", "gpus", "layout", "metric", "published", "predicted", "error"});
      for (const auto& r : rep.rows) {
        const std::string metric = r.metric.substr(0, r.metric.find(" ("));
        t.add({r.case_id, r.system, std::to_string(r.gpus), r.layout, metric, fmt(r.published, 2), fmt(r.predicted, 2),
               fmt(100.0 * r.error, 1) + "%"});
      }
      if (a->out.format == "csv") {
        t.print_csv(out);
      } else {
        out << "# error = (predicted - published) / published; each row predicts its own metric, computed its source's way\n";
        t.print(out);
        char buf[160];
        std::snprintf(buf, sizeof buf, "\n# %zu rows: median |error| %.1f%%, worst %.1f%%\n", rep.rows.size(),
                      100 * rep.median_abs, 100 * rep.worst_abs);
        out << buf;
        for (const auto& [id, why] : rep.excluded) out << "# excluded " << id << ": " << why << "\n";
        for (const auto& r : rep.rows)
          if (!r.fits) {
            std::snprintf(buf, sizeof buf, "# does not fit: %s %.1f GiB of %.1f GiB%s\n", r.case_id.c_str(), r.memory_gib,
                          r.capacity_gib, r.fits_with_full_recompute ? " (fits with full recompute; recompute not reported)" : "");
            out << buf;
          }
      }
    }
    a->out.finish();
    std::vector<double> errors;
    for (const auto& r : rep.rows) errors.push_back(r.error);
    enforce_gate(g_median, errors);
    enforce_gate(g_row, errors);
    if (a->require_fit) {
      if (rep.rows.empty()) throw RuntimeError("--require-fit: no rows to check (the gate fails on nothing)");
      std::string misfits;
      std::size_t n = 0;
      for (const auto& r : rep.rows)
        if (!r.fits && !r.fits_with_full_recompute) {
          misfits += (n++ ? ", " : "") + r.case_id + " (" + fmt(r.memory_gib, 1) + " of " + fmt(r.capacity_gib, 1) + " GiB)";
        }
      if (n) throw RuntimeError("--require-fit: " + std::to_string(n) + " published run(s) predicted not to fit in memory: " + misfits);
    }
  });
}

}  // namespace commsim::cli
