// The engine behind `commsim sweep` (and `commsim study` on a study with `base`/`axes`).
#pragma once

#include <string>
#include <vector>

namespace commsim::cli {

struct SweepArgs {
  std::string study = "default";
  std::vector<std::string> sets;
  std::string csv, jsonl;
  std::string html;  // a self-contained HTML report of the rows (report/sweep_html.hpp)
  bool resume = false, dry_run = false, progress = false, quiet = false;
  bool table = true;  // the table on stdout (off when the CSV goes there: `study --format csv`)
  // `study`: the CSV file and the --html page are whole or absent (docs/cli.md): written once the sweep has
  // a result, not streamed, so a study none of whose points gave one (exit 2) leaves them as they were.
  bool whole_files = false;
  int jobs = 0;  // 0: hardware threads
};

void run_sweep(const SweepArgs& a);

}  // namespace commsim::cli
