#include "cli/measured_report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/common.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/json_text.hpp"
#include "report/table.hpp"

namespace commsim::cli {
namespace {

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

SizeSelection parse_size_selection(const std::string& flag, const std::string& text) {
  try {
    return SizeSelection::parse(text);
  } catch (const InputError& e) {
    throw InputError(flag + ": " + e.what());
  }
}

std::vector<Measurement> read_measured_files(const std::vector<std::string>& files, const std::string& op,
                                             bool scale_given) {
  std::optional<Op> fallback;
  if (!op.empty()) {
    fallback = op_from_name(op);
    if (!fallback) throw InputError("--op: unknown operation '" + op + "' (valid: " + op_names() + ")");
  }
  std::vector<Measurement> rows;
  std::set<std::string> seen;  // a file given twice would count its rows twice in every median and fit
  std::vector<std::pair<std::string, std::string>> contents;  // each file's bytes, and its name
  for (const std::string& f : files) {
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::weakly_canonical(f, ec);
    if (!seen.insert(ec ? f : real.string()).second) throw InputError("--measured: '" + f + "' is given twice");
    // A copy of a file given before (a byte-identical log under another name) counts twice as well. Read once:
    // a pipe (<(cat log), /dev/stdin) cannot be read a second time.
    const std::string text = read_input_file(f, "measured file");
    const std::vector<Measurement> r = parse_measurements(text, f, fallback);
    const auto same = std::find_if(contents.begin(), contents.end(), [&text](const auto& c) { return c.first == text; });
    if (same != contents.end())
      throw InputError("--measured: '" + f + "' has the same content as '" + same->second + "' (its rows would count twice)");
    contents.emplace_back(text, f);
    rows.insert(rows.end(), r.begin(), r.end());
  }
  // --op is for logs that do not name their collective; when none needed it and one names another, the flag
  // was ignored without a word (calibrate fitted the log's all_reduce for --op all_gather).
  if (fallback && std::none_of(rows.begin(), rows.end(), [](const Measurement& m) { return m.op_from_flag; }))
    for (const Measurement& m : rows)
      if (m.op != *fallback)
        throw InputError(SourceLoc{m.file, m.line, 0, ""}, std::string("this table measures ") + op_name(m.op) +
                                                               " (the log says so), and no file needs --op " + op_name(*fallback) +
                                                               ": leave --op out (it names the collective of a log that does not)");
  if (const std::string text = unfinished_run_note(rows); !text.empty()) note(text);
  if (const std::string text = nccl_settings_note(rows); !text.empty()) note(text);
  if (const std::string text = unknown_hosts_note(rows, scale_given); !text.empty()) note(text);
  if (const std::string text = set_aside_wrong_rows(rows); !text.empty()) note(text);
  return rows;
}

void print_measured_rows(std::ostream& out, const std::vector<MeasuredRow>& rows, const std::vector<bool>& fitted,
                         const std::string& format) {
  if (format == "json") {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const MeasuredRow& r = rows[i];
      nlohmann::ordered_json o = {{"file", r.m.file},
                                  {"line", r.m.line},
                                  {"op", op_name(r.m.op)},
                                  {"dtype", dtype_info(r.m.dtype).name},
                                  {"ranks", r.ranks},
                                  {"nodes", r.nodes},
                                  {"size_bytes", r.m.size_bytes},
                                  {"measured_time_us", r.m.measured_time_us()},
                                  {"predicted_time_us", r.predicted_us},
                                  {"time_error", r.time_error()},
                                  {"measured_busbw_GBps", r.measured_busbw()},
                                  {"predicted_busbw_GBps", r.predicted_busbw_GBps},
                                  {"busbw_error", r.busbw_error()},
                                  {"algorithm", r.algorithm},
                                  {"protocol", r.protocol}};
      if (!fitted.empty()) o["fitted"] = static_cast<bool>(fitted[i]);
      j.push_back(o);
    }
    out << json_text(nlohmann::ordered_json{{"rows", j}}) << "\n";
    return;
  }
  std::vector<std::string> cols = {"file", "op", "ranks", "size_B", "meas_us", "pred_us", "t_err",
                                   "meas_busbw", "pred_busbw", "bw_err", "algorithm", "proto"};
  if (!fitted.empty()) cols.push_back("fit");
  Table t(cols);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const MeasuredRow& r = rows[i];
    std::vector<std::string> cells = {base_name(r.m.file),
                                      op_name(r.m.op),
                                      std::to_string(r.ranks),
                                      std::to_string(r.m.size_bytes),
                                      fmt(r.m.measured_time_us(), 2),
                                      fmt(r.predicted_us, 2),
                                      fmt_pct(r.time_error()),
                                      fmt(r.measured_busbw(), 2),
                                      fmt(r.predicted_busbw_GBps, 2),
                                      fmt_pct(r.busbw_error()),
                                      r.algorithm,
                                      r.protocol};
    if (!fitted.empty()) cells.push_back(fitted[i] ? "yes" : "no");
    t.add(cells);
  }
  if (format == "csv") {
    t.print_csv(out);
    return;
  }
  out << "# time in us, busbw in GB/s (out-of-place; in-place for a row measured only in place); error = "
         "(predicted - measured) / measured\n";
  t.print(out);
}

void print_measured_summary(std::ostream& out, const std::vector<MeasuredRow>& rows, const std::string& title) {
  std::map<std::string, std::vector<const MeasuredRow*>> by_op;
  for (const MeasuredRow& r : rows) by_op[op_name(r.m.op)].push_back(&r);
  by_op["(all)"];
  for (const MeasuredRow& r : rows) by_op["(all)"].push_back(&r);
  Table t({"op", "rows", "median|t_err|", "worst|t_err|", "median|bw_err|", "worst|bw_err|"});
  for (const auto& [op, list] : by_op) {
    std::vector<double> te, be;
    for (const MeasuredRow* r : list) te.push_back(r->time_error()), be.push_back(r->busbw_error());
    const AbsStats a = abs_stats(te), b = abs_stats(be);
    const double none = std::numeric_limits<double>::quiet_NaN();  // no row with a measured busbw: "-"
    t.add({op, std::to_string(a.rows), fmt_pct(a.median), fmt_pct(a.worst), fmt_pct(b.rows ? b.median : none),
           fmt_pct(b.rows ? b.worst : none)});
  }
  out << "\n# " << title << "\n";
  t.print(out);
}

}  // namespace commsim::cli
