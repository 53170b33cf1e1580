// `commsim train --auto` / `parallelism: auto`: the layout search's report (train/layout_search.hpp).
#pragma once

#include <ostream>
#include <string>

#include "report/collective_report.hpp"
#include "train/layout_search.hpp"

namespace commsim::cli {

// The top layouts (fastest first) and the search's counts, in the table, csv or json format.
void print_layout_search(std::ostream& out, const TrainConfig& base, const LayoutSearchResult& r, Format format,
                         const std::string& cmdline);
// "tried 1234, fit 56, ...; rejected: does not fit 12, heads % tp 3": the counts on one line.
std::string search_counts(const LayoutSearchResult& r);

}  // namespace commsim::cli
