// commsim validate memory FILE.csv: predicted vs published memory per GPU, per row, per source, and overall.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "cli/not_predicted_report.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "report/table.hpp"
#include "study/gate.hpp"
#include "study/validate_memory.hpp"

namespace commsim::cli {

void add_validate_memory(CLI::App& validate) {
  struct Args {
    std::string csv, mapping;
    std::optional<double> max_median;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = validate.add_subcommand(
      "memory",
      "published memory per GPU in the format of tests/data/validation/training_memory.csv (a copy of "
      "../shared/validation/training_memory.csv)");
  c->add_option("file", a->csv, "CSV of published memory figures")->required()->check(file_name());
  c->add_option("--mapping", a->mapping, "row-to-model/source mapping (default configs/validation/memory-mapping.yaml)")->check(file_name());
  c->add_option("--max-median-error", a->max_median, "fail (exit 1) if the median |error| exceeds this percentage")
      ->check(percentage());
  a->out.add_to(*c, "table, csv, json");
  c->callback([a] {
    if (a->out.format != "table" && a->out.format != "csv" && a->out.format != "json")
      throw InputError("--format: unknown format '" + a->out.format + "' (valid: table, csv, json)");
    const Gate g_median{"--max-median-error", "rows", GateStat::kMedian, a->max_median};
    check_gate_bound(g_median);
    const MemoryValidationReport rep = validate_memory(a->csv, a->mapping);
    require_some_predicted(rep.rows.size(), rep.not_predicted);
    if (!a->max_median) require_rows(rep.rows.size(), rep.excluded.size(), a->csv);  // with the gate: its failure, exit 1
    std::ostream& out = a->out.stream();
    if (a->out.format == "json") {
      nlohmann::json j;
      j["rows"] = nlohmann::json::array();
      for (const auto& r : rep.rows)
        j["rows"].push_back({{"case_id", r.case_id}, {"source", r.source}, {"kind", r.kind}, {"layout", r.layout},
                             {"stage", r.stage}, {"published_gib", r.published_gib}, {"predicted_gib", r.predicted_gib},
                             {"error", r.error},
                             {"parts", {{"weights_gib", r.weights_gib}, {"gradients_gib", r.gradients_gib},
                                        {"optimizer_gib", r.optimizer_gib}, {"activations_gib", r.activations_gib},
                                        {"microbatches_in_flight", r.in_flight}}}});
      j["summary"] = {{"rows", rep.rows.size()}, {"median_abs_error", rep.median_abs}, {"worst_abs_error", rep.worst_abs}};
      for (const auto& [name, med] : rep.median_by_source) j["summary"]["median_abs_error_by_source"][name] = med;
      for (const auto& [id, why] : rep.excluded) j["excluded"].push_back({{"case_id", id}, {"reason", why}});
      for (const std::string& id : rep.unmatched_exclusions) j["mapping_excludes_not_rows"].push_back(id);
      if (!rep.not_predicted.empty()) j["not_predicted"] = not_predicted_json(rep.not_predicted);
      out << json_text(j) << "\n";
    } else {
      // The allocated parts of the compared stage (GiB) and the micro-batches of activations it holds.
      const bool csv = a->out.format == "csv";
      Table t({"case_id", "source", "layout", "kind", "stage", "published_GiB", "predicted_GiB", "error", "weights_GiB",
               "grads_GiB", "optimizer_GiB", "activations_GiB", "in_flight"});
      auto gib = [csv](double v) { return fmt(v, csv ? 4 : 1); };
      for (const auto& r : rep.rows)
        t.add({r.case_id, r.source, r.layout, r.kind, std::to_string(r.stage), fmt(r.published_gib, 1), fmt(r.predicted_gib, 1),
               fmt(100.0 * r.error, 1) + "%", gib(r.weights_gib), gib(r.gradients_gib), gib(r.optimizer_gib),
               gib(r.activations_gib), fmt(r.in_flight, 1)});
      if (a->out.format == "csv") {
        t.print_csv(out);
        print_excluded(out, rep.excluded, "csv");
        print_not_predicted(out, rep.not_predicted, "csv");
        print_unmatched_exclusions(out, rep.unmatched_exclusions, "csv");
      } else {
        out << "# error = (predicted - published) / published; allocated rows: the allocated peak of the logged stage, "
               "reserved rows: allocated x (1 + fragmentation) of the worst stage, used rows (nvidia-smi): reserved + CUDA "
               "context + NCCL buffers; weights .. activations: that stage's allocated parts, in_flight: the micro-batches "
               "of activations it holds\n";
        t.print(out);
        char buf[160];
        std::snprintf(buf, sizeof buf, "\n# %zu rows: median |error| %.1f%%, worst %.1f%%\n", rep.rows.size(), 100 * rep.median_abs,
                      100 * rep.worst_abs);
        out << buf;
        for (const auto& [name, med] : rep.median_by_source) out << "# " << name << ": median |error| " << fmt(100 * med, 1) << "%\n";
        print_excluded(out, rep.excluded, "table");
        print_not_predicted(out, rep.not_predicted, "table");
        print_unmatched_exclusions(out, rep.unmatched_exclusions, "table");
      }
    }
    a->out.finish();  // the report is whole; a failed gate below still exits 1
    std::vector<double> errors;
    for (const auto& r : rep.rows) errors.push_back(r.error);
    fail_gate_if_not_predicted(a->max_median.has_value(), rep.not_predicted);
    enforce_gate(g_median, errors);
  });
}

}  // namespace commsim::cli
