#include "cli/training_fit_output.hpp"

#include <cmath>
#include <cstdio>

#include "cli/common.hpp"
#include "report/table.hpp"

namespace commsim::cli {
namespace {

void print_groups(std::ostream& out, const std::string& title, const std::map<std::string, TrainingFitReport::Group>& groups,
                  bool loso) {
  std::vector<std::string> cols = {title, "rows", "shipped", "fitted"};
  if (loso) cols.insert(cols.end(), {"loso_rows", "loso", "loso_worst"});
  Table t(cols);
  for (const auto& [key, g] : groups) {
    std::vector<std::string> r = {key, std::to_string(g.shipped.rows), fmt_pct(g.shipped.median),
                                  fmt_pct(g.fitted.median)};
    if (loso) {
      r.push_back(std::to_string(g.loso.rows));
      r.push_back(g.loso.rows ? fmt_pct(g.loso.median) : "-");
      r.push_back(g.loso.rows ? fmt_pct(g.loso.worst) : "-");
    }
    t.add(r);
  }
  t.print(out);
}

nlohmann::json stats_json(const TrainingErrorStats& s) {
  if (s.rows == 0) return {{"rows", 0}, {"median_abs_error", nullptr}, {"worst_abs_error", nullptr}};  // not 0.0
  return {{"rows", s.rows}, {"median_abs_error", s.median}, {"worst_abs_error", s.worst}};
}

nlohmann::json groups_json(const std::map<std::string, TrainingFitReport::Group>& groups, bool loso) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, g] : groups) {
    j[key] = {{"shipped", stats_json(g.shipped)}, {"fitted", stats_json(g.fitted)}};
    if (loso) j[key]["loso"] = stats_json(g.loso);
  }
  return j;
}

}  // namespace

void print_training_fit(std::ostream& out, const TrainingFitReport& fit) {
  out << "\n# calibrated constants refitted on their rows (topologies/compute-efficiency.yaml fit: selectors);"
         " loss = median |log(predicted / published)|\n";
  Table c({"constant", "rows", "shipped", "fitted", "loss", "status"});
  // Ratios as they are; times (seconds below 1 ms, e.g. expert_launch) in microseconds.
  auto value = [](const FittedEfficiency& k, double v) { return k.shipped < 1e-3 ? fmt(v * 1e6, 1) + "us" : fmt(v, 3); };
  for (const FittedEfficiency& k : fit.constants)
    c.add({k.name, std::to_string(k.rows), value(k, k.shipped), k.fitted_ok ? value(k, k.fitted) : "-",
           k.fitted_ok ? fmt(k.loss, 3) : "-", k.fitted_ok ? "fitted" : "too few rows (< 2): not fitted, shipped value kept"});
  c.print(out);
  out << "\n# per source family: median |error| with the shipped and the fitted constants"
      << (fit.loso ? "; loso = refitted without the family, then the family predicted" : "") << "\n";
  print_groups(out, "source_family", fit.by_family, fit.loso);
  out << "\n# per model family\n";
  print_groups(out, "family", fit.by_kind, fit.loso);
  out << "\n# per model\n";
  print_groups(out, "model", fit.by_model, fit.loso);
  out << "\n# fitted in-sample: " << error_summary(fit.fitted_all.rows, fit.fitted_all.median, fit.fitted_all.worst)
      << " (" << fit.sweeps << " sweeps, " << (fit.converged ? "converged" : "not converged") << ")\n";
  if (fit.loso)
    out << "# leave-one-source-out: " << error_summary(fit.loso_all.rows, fit.loso_all.median, fit.loso_all.worst) << " ("
        << fit.loso_uncovered << " rows not covered: a constant they need has < 2 rows in the other sources)\n";
}

nlohmann::json training_fit_json(const TrainingFitReport& fit) {
  nlohmann::json j;
  for (const FittedEfficiency& k : fit.constants) {
    nlohmann::json c = {{"name", k.name}, {"rows", k.rows}, {"shipped", k.shipped}, {"fitted", k.fitted_ok}};
    if (k.fitted_ok) c["value"] = k.fitted, c["loss"] = k.loss;
    j["constants"].push_back(c);
  }
  j["sweeps"] = fit.sweeps;
  j["converged"] = fit.converged;
  j["summary"] = stats_json(fit.fitted_all);
  j["by_source_family"] = groups_json(fit.by_family, fit.loso);
  j["by_model_family"] = groups_json(fit.by_kind, fit.loso);
  j["by_model"] = groups_json(fit.by_model, fit.loso);
  if (fit.loso) {
    j["loso"] = stats_json(fit.loso_all);
    j["loso"]["uncovered_rows"] = fit.loso_uncovered;
  }
  return j;
}

}  // namespace commsim::cli
