// Reporters of a sweep (commsim sweep): each SweepRow (study/sweep_run.hpp) as one CSV line, one JSON Lines
// record, or one row of the stdout table. Lines are built whole, so a stream can write each with one call.
//
// CSV: `# commsim sweep 'NAME' (FILE)` then the header
//   point,<axis keys...>,status,reason,<numbers...>,<labels...>
// numbers with 6 significant digits, empty when not computed. JSON Lines: one object per point,
//   {"point":0,"key":"gpus=64,...","axes":{"gpus":"64",...},"status":"ok","reason":"","numbers":{...},"labels":{...}}
// with numbers at full precision (null when not computed): row_from_jsonl() reads one back exactly. With
// --set overrides (the base's), the CSV's `#` line ends "; with --set k=v, ..." and each record has
// "sets":["k=v",...], which --resume checks against its own.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "study/sweep_run.hpp"

namespace commsim {

std::string sweep_csv_context(const SweepSpec& spec);  // "# commsim sweep ...\n"
std::string sweep_csv_header(const SweepSpec& spec);   // with "\n"
std::string sweep_csv_line(const SweepSpec& spec, const SweepRow& row);
std::string sweep_jsonl_line(const SweepSpec& spec, const SweepRow& row);
// InputError naming `where` (file:line) when the line is not a record of this sweep.
SweepRow row_from_jsonl(const SweepSpec& spec, const std::string& line, const std::string& where);
// A CSV row written by sweep_csv_line, back (numbers at its 6 digits); InputError naming `file`:line and the
// column when a cell is not what the sweep writes (a status it does not write, a number that is not one).
SweepRow row_from_csv(const SweepSpec& spec, const CsvRow& row, const std::string& file);

// The stdout table: the axis values, status, and the main figures; reasons as "# point N: ..." below.
// `planned`: the study's points when the run stopped before them all (sweep_summary).
void print_sweep_table(std::ostream& out, const SweepSpec& spec, const std::vector<SweepRow>& rows,
                       std::size_t planned = 0);
// --dry-run: the points in order and their counts.
void print_sweep_points(std::ostream& out, const SweepSpec& spec, const std::vector<SweepPoint>& points, std::size_t total);

}  // namespace commsim
