#include "cli/training_row_report.hpp"

#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "cli/train_ops.hpp"
#include "cli/train_report.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "report/table.hpp"

namespace commsim::cli {
namespace {

const TrainingCase& find_case(const TrainingCases& cases, const std::string& id, const std::string& csv_path) {
  for (const TrainingCase& c : cases.cases)
    if (c.case_id == id) return c;
  for (const auto& [excluded, why] : cases.excluded)
    if (excluded == id) throw InputError("--row: " + id + " is excluded by the mapping: " + why);
  for (const NotPredicted& n : cases.not_predicted)
    if (n.case_id == id) throw InputError("--row: " + id + " is not predicted: " + n.message);
  throw InputError("--row: no row with case_id '" + id + "' in " + csv_path);
}

}  // namespace

void print_training_row(std::ostream& out, const TrainingCases& cases, const std::string& csv_path, const std::string& case_id,
                        bool ops, Format format, const std::string& cmdline) {
  const TrainingCase& c = find_case(cases, case_id, csv_path);
  const TrainingValidationRow r = predict_training_case(c);
  TrainConfig config = c.config;
  config.file = c.row.file + ":" + std::to_string(c.row.line);  // where the run's config came from
  const nlohmann::json published = {{"case_id", r.case_id}, {"row", config.file}, {"metric", r.metric},
                                    {"published", r.published}, {"predicted", r.predicted}, {"error", r.error},
                                    {"source_family", r.family}, {"fits_with", r.fits_with}};
  // table and csv: the row's line first (a # line, as every context line)
  if (format != Format::kJson)
    out << "# " << r.case_id << " (" << config.file << "): " << r.metric << " published " << fmt(r.published, 2)
        << ", predicted " << fmt(r.predicted, 2) << " (" << fmt(100.0 * r.error, 1) << "%), computed as its source does"
        << (r.family.empty() ? "" : "; source family " + r.family)
        << (r.fits_with.empty() ? "" : "; recompute not reported: fits with " + r.fits_with) << "\n";
  if (ops) {
    print_compute_ops(out, config, format, cmdline, {{"published_row", published}});
    return;
  }
  const TrainEstimate e = estimate_training(config);
  if (format == Format::kJson) {
    nlohmann::json j = train_json(e, cmdline);
    j["published_row"] = published;
    out << json_text(j) << "\n";
  } else if (format == Format::kCsv) {
    print_train_csv(out, e);
  } else {
    print_train_table(out, e);
  }
}

}  // namespace commsim::cli
