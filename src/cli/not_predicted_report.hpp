// How the four `validate` commands report rows out of reach (study/not_predicted.hpp), one way for all:
//   table  "# not predicted CASE: FILE:LINE: key 'COL': CASE: why" lines after the summary
//   csv    the same messages on stderr ("commsim: not predicted: ..."), the CSV on stdout stays data
//   json   "not_predicted": [{"case_id", "kind", "reason"}], kind "malformed" (a cell that does not read) or
//          "out_of_reach" (hardware, a model or a layout the model cannot predict)
// A file where nothing is in reach is the first such row's error (InputError, exit 2), gate or not; a gate
// over a file with rows out of reach fails (RuntimeError, exit 1) naming every one: a check passing on part
// of a file would speak for rows it never saw.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "study/not_predicted.hpp"

namespace commsim::cli {

void require_some_predicted(std::size_t predicted, const std::vector<NotPredicted>& out_of_reach);
void fail_gate_if_not_predicted(bool gated, const std::vector<NotPredicted>& out_of_reach, const std::string& what = "row(s)");
void print_not_predicted(std::ostream& table_out, const std::vector<NotPredicted>& out_of_reach, const std::string& format);
// Rows the mapping file excludes (case_id, reason), one way for all formats as above: "# excluded CASE: why"
// lines in the table, "commsim: excluded CASE: why" on stderr beside a CSV, "excluded" in JSON (the
// caller's).
void print_excluded(std::ostream& table_out, const std::vector<std::pair<std::string, std::string>>& excluded,
                    const std::string& format);
// The mapping's exclusions that name no row of the file (a misspelt case_id excluded nothing): one line, the
// first five then "...", as "# the mapping excludes N case_id(s) not in this file ..." after a table and
// "commsim: the mapping excludes ..." on stderr beside a CSV; JSON's `mapping_excludes_not_rows` is the
// caller's.
void print_unmatched_exclusions(std::ostream& table_out, const std::vector<std::string>& ids,
                                const std::string& format);
nlohmann::json not_predicted_json(const std::vector<NotPredicted>& out_of_reach);

}  // namespace commsim::cli
