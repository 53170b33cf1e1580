// Result sinks, as google/benchmark's reporters: the nccl-tests table or CSV on stdout, JSON to a file (-J).
// Only rank 0 reports. Rows are flushed as they complete, so a killed sweep still leaves usable output.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "result.hpp"

namespace commsim::bench {

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void context(const RunContext& ctx) = 0;
  virtual void begin_test(Op op) = 0;
  virtual void result(const Result& r) = 0;  // out-of-place, then in-place, for each size
  virtual void end_test(const TestSummary& s) = 0;
  virtual void finish() {}
};

// The nccl-tests header, table (report/nccl_format) and footer.
std::unique_ptr<Reporter> make_table_reporter(std::FILE* out);
// One line per result; the context goes to `context_out` as '#' lines (stderr), so `out` is pure CSV.
std::unique_ptr<Reporter> make_csv_reporter(std::FILE* out, std::FILE* context_out);
// Rewritten whole (AtomicFile) after every row with "complete": false and at finish() with "complete": true;
// nothing is written before the first row. main checks beforehand that the path is writable.
std::unique_ptr<Reporter> make_json_reporter(const std::string& path);

// The "# ..." header lines shared by the table and CSV reporters.
std::string context_header(const RunContext& ctx);

}  // namespace commsim::bench
