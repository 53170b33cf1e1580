// A row of a validation file (or an nccl-tests case) out of the catalog's or a model's reach: hardware or a
// model no rule maps, an architecture the mapping lists as unsupported, a metric or kind commsim does not
// compute, a published layout the estimator cannot run. Such a row is named with why while the file's other
// rows are predicted; a gate over the file fails on it, and a file with nothing else is its error (exit 2:
// cli/common.hpp, require_some_predicted).
#pragma once

#include <string>
#include <utility>

namespace commsim {

// Thrown while a row is mapped: the column that says why, the reason, and what would help (empty: add a
// rule); the reader turns it into a NotPredicted naming FILE:LINE and the column.
struct OutOfReach {
  OutOfReach(std::string c, std::string w, std::string h = "") : col(std::move(c)), what(std::move(w)), hint(std::move(h)) {}
  std::string col, what, hint;
};

struct NotPredicted {
  std::string case_id;
  std::string message;  // "FILE:LINE: key 'COL': CASE: why (what would help)"
  // A cell of the row that does not read ("AMP O2", "9.8 per second"), not a row out of the model's reach:
  // JSON's "kind" tells the two apart ("malformed", "out_of_reach").
  bool malformed = false;
};

}  // namespace commsim
