#include "cli/not_predicted_report.hpp"

#include <iostream>

#include "cli/common.hpp"
#include "core/error.hpp"

namespace commsim::cli {

void require_some_predicted(std::size_t predicted, const std::vector<NotPredicted>& out_of_reach) {
  if (predicted == 0 && !out_of_reach.empty()) throw InputError(out_of_reach.front().message);
}

void fail_gate_if_not_predicted(bool gated, const std::vector<NotPredicted>& out_of_reach, const std::string& what) {
  if (!gated || out_of_reach.empty()) return;
  std::string ids;
  for (const NotPredicted& n : out_of_reach) ids += (ids.empty() ? "" : ", ") + n.case_id;
  throw RuntimeError(std::to_string(out_of_reach.size()) + " " + what + " not predicted, so no gate can pass on this file: " + ids +
                     " (each named in the output with why)");
}

void print_not_predicted(std::ostream& table_out, const std::vector<NotPredicted>& out_of_reach, const std::string& format) {
  for (const NotPredicted& n : out_of_reach) {
    if (format == "table") table_out << "# not predicted " << n.case_id << ": " << n.message << "\n";
    else if (format == "csv")
      note("commsim: not predicted: " + n.message);
  }
}

void print_excluded(std::ostream& table_out, const std::vector<std::pair<std::string, std::string>>& excluded,
                    const std::string& format) {
  for (const auto& [id, why] : excluded) {
    if (format == "table")
      table_out << "# excluded " << id << ": " << why << "\n";
    else if (format == "csv")
      note("commsim: excluded " + id + ": " + why);
  }
}

void print_unmatched_exclusions(std::ostream& table_out, const std::vector<std::string>& ids,
                                const std::string& format) {
  if (ids.empty()) return;
  std::string s = "the mapping excludes " + std::to_string(ids.size()) +
                  " case_id(s) not in this file (excluding none of its rows):";
  for (std::size_t i = 0; i < ids.size() && i < 5; ++i) s += (i ? ", " : " ") + ids[i];
  s += ids.size() > 5 ? ", ..." : "";
  if (format == "table")
    table_out << "# " << s << "\n";
  else if (format == "csv")
    note("commsim: " + s);
}

nlohmann::json not_predicted_json(const std::vector<NotPredicted>& out_of_reach) {
  nlohmann::json a = nlohmann::json::array();
  for (const NotPredicted& n : out_of_reach)
    a.push_back({{"case_id", n.case_id},
                 {"kind", n.malformed ? "malformed" : "out_of_reach"},
                 {"reason", n.message}});
  return a;
}

}  // namespace commsim::cli
