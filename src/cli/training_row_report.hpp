// `commsim validate training FILE --row CASE_ID [--ops]`: one published row's run as `train` estimates it
// (the config the mapping builds from the row: layout, batch, precision, the source's conventions), with the
// row's published and predicted metric on top; `--ops` prints its compute profile instead (train --ops).
#pragma once

#include <ostream>
#include <string>

#include "report/collective_report.hpp"
#include "study/validate_training.hpp"

namespace commsim::cli {

// Throws InputError naming --row when `case_id` is no predicted row of the file `csv_path` (an excluded row
// with its reason, a row not predicted with why, or no such case_id).
void print_training_row(std::ostream& out, const TrainingCases& cases, const std::string& csv_path, const std::string& case_id,
                        bool ops, Format format, const std::string& cmdline);

}  // namespace commsim::cli
