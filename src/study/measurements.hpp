// Measured collective results read back for calibration and validation: commbench JSON (-J) and raw
// nccl-tests (or commbench) text output. One record per (op, type, size) row, with the out-of-place and
// in-place columns side by side, as the nccl-tests table prints them.
//
// Text logs (shared/validation/logs): `NCCL INFO` and other non-table lines are skipped; the column header
// (`#  size  count  type  redop  [root]  time  algbw  busbw  #wrong|error  time ...`) says where each value
// is; the collective comes from `# Collective test starting: X[_perf]`, else from an `X_perf` command line,
// else from the caller's fallback; ranks and hosts from the `#  Rank N ... on HOST device ...` lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coll/ops.hpp"

namespace commsim {

struct Measurement {
  Op op = Op::kAllReduce;
  DataType dtype = DataType::kFloat;
  std::uint64_t size_bytes = 0;  // the "size" column: bytes per rank, max(send, recv)
  std::uint64_t count = 0;       // the "count" column
  std::optional<double> time_us, time_in_place_us;        // out-of-place, in-place
  std::optional<double> busbw_GBps, busbw_in_place_GBps;  // as printed
  int nranks = 0;                // 0: unknown
  int nodes = 0;                 // distinct hostnames; 0: unknown
  std::string file;
  int line = 0;                  // text: the row's line; JSON: 0
  // The time compared with predictions: out-of-place when measured, else in-place.
  double measured_time_us() const { return time_us ? *time_us : time_in_place_us.value_or(0.0); }
  double measured_busbw_GBps() const { return busbw_GBps ? *busbw_GBps : busbw_in_place_GBps.value_or(0.0); }
};

// Reads one file, JSON if it starts with '{', else nccl-tests text. `fallback_op` names the collective of
// text tables that do not say it. Throws InputError naming file:line on anything it cannot read, and when
// the file holds no result row.
std::vector<Measurement> read_measurements(const std::string& path, std::optional<Op> fallback_op = std::nullopt);

std::vector<Measurement> parse_commbench_json(const std::string& text, const std::string& file);
std::vector<Measurement> parse_nccl_tests_log(const std::string& text, const std::string& file,
                                              std::optional<Op> fallback_op = std::nullopt);

}  // namespace commsim
