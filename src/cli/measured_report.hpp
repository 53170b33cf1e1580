// Shared by `commsim calibrate` and `commsim validate collectives --measured`: reading the measured files
// and printing measured-vs-predicted rows with their error summaries.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "study/measured_compare.hpp"

namespace commsim::cli {

// Reads every file (commbench JSON or nccl-tests text); `op` ("" = none) names the collective of text logs
// that do not say it.
// `scale_given`: --nodes, --gpus or --gpus-per-node was given (else a file naming no hosts gets a note).
std::vector<Measurement> read_measured_files(const std::vector<std::string>& files, const std::string& op,
                                             bool scale_given);

// SizeSelection::parse with the flag it came from (--fit-sizes, --sizes) in front of its message.
SizeSelection parse_size_selection(const std::string& flag, const std::string& text);

// One line per row: time and busbw, measured and predicted, error = (predicted - measured) / measured.
// `fitted` (may be empty) adds a column saying which rows a calibration used. Formats: table, csv, json.
void print_measured_rows(std::ostream& out, const std::vector<MeasuredRow>& rows, const std::vector<bool>& fitted,
                         const std::string& format);

// Median and worst |time error| and |busbw error|, per op and overall ("#" lines in table format).
void print_measured_summary(std::ostream& out, const std::vector<MeasuredRow>& rows, const std::string& title);

}  // namespace commsim::cli
