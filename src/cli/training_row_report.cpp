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

const TrainingCase& find_case(const TrainingCases& cases, const std::string& id) {
  for (const TrainingCase& c : cases.cases)
    if (c.case_id == id) return c;
  for (const auto& [excluded, why] : cases.excluded)
    if (excluded == id) throw InputError("--row: " + id + " is excluded by the mapping: " + why);
  for (const NotPredicted& n : cases.not_predicted)
    if (n.case_id == id) throw InputError("--row: " + id + " is not predicted: " + n.message);
  throw InputError("--row: no row with case_id '" + id + "' in the file");
}

}  // namespace

void print_training_row(std::ostream& out, const TrainingCases& cases, const std::string& case_id, bool ops, Format format,
                        const std::string& cmdline) {
  const TrainingCase& c = find_case(cases, case_id);
  if (ops) {
    print_compute_ops(out, c.config, format, cmdline);
    return;
  }
  const TrainingValidationRow r = predict_training_case(c);
  const TrainEstimate e = estimate_training(c.config);
  if (format == Format::kJson) {
    nlohmann::json j = train_json(e, cmdline);
    j["published_row"] = {{"case_id", r.case_id}, {"metric", r.metric}, {"published", r.published}, {"predicted", r.predicted},
                          {"error", r.error}, {"source_family", r.family}, {"fits_with", r.fits_with}};
    out << json_text(j) << "\n";
    return;
  }
  const std::string row = "# " + r.case_id + " (" + c.row.file + ":" + std::to_string(c.row.line) + "): " + r.metric +
                          " published " + fmt(r.published, 2) + ", predicted " + fmt(r.predicted, 2) + " (" +
                          fmt(100.0 * r.error, 1) + "%)" + (r.family.empty() ? "" : "; source family " + r.family) +
                          (r.fits_with.empty() ? "" : "; recompute not reported: fits with " + r.fits_with) + "\n";
  if (format == Format::kCsv) {
    out << row;
    print_train_csv(out, e);
  } else {
    out << row;
    print_train_table(out, e);
  }
}

}  // namespace commsim::cli
