// Bounded reading of the numbers in a measured file (nccl-tests text, commbench JSON, the CSV schema), and
// the join of one row's out-of-place and in-place records into one Measurement.
//
// Every value is checked before it is converted: sizes and counts are whole numbers in [0, 2^50] (1 PiB;
// no collective buffer is larger, and every such value is exact in a double), times in [0.001, 1e12] us
// (11.6 days), bandwidths 0 or in [1e-12, 1e6] GB/s, #wrong in [0, 2^50], ranks in [0, 2^24]. NaN, inf,
// negatives, fractions where a whole number is due, and anything beyond the bounds are InputErrors naming
// file:line (or the JSON path).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "study/measurements.hpp"

namespace commsim {

inline constexpr double kMaxMeasuredBytes = 1125899906842624.0;  // 2^50
inline constexpr double kMaxMeasuredTimeUs = 1e12;
inline constexpr double kMaxMeasuredGBps = 1e6;
inline constexpr double kMaxMeasuredRanks = 16777216.0;  // 2^24
// The floors: nothing a GPU collective takes is under 0.001 us (nccl-tests prints two decimals; a launch
// alone takes microseconds), and commbench's MPI backend times a one-rank in-place no-op at 0.008 us, which
// its own JSON holds (a floor of 0.01 us refused commbench's file, 2026-12-06). A bandwidth is a size over a
// time, so a slow small transfer is a real one (commbench writes an 8-byte sendrecv of 9.6 ms as 8.3e-7
// GB/s); under 1e-12 GB/s (8 bytes in over 2 hours) it is no measurement. Below them a denormal busbw
// (1e-320) made an error of inf% and a time of 1e-320 us was fitted as 0. A bandwidth may be 0: nccl-tests
// prints 0.00 for the smallest sizes.
inline constexpr double kMinMeasuredTimeUs = 0.001;
inline constexpr double kMinMeasuredGBps = 1e-12;

// A decimal number as nccl-tests and commbench print it ("339.61", "1.2e+05", "0"). Throws InputError(where)
// naming `what` unless the text is a finite number in [0, max] (and whole when `whole`).
double measured_number(std::string_view text, const char* what, double max, bool whole, const SourceLoc& where);
// The same checks on a number already converted (JSON).
double bounded_number(double v, const char* what, double max, bool whole, const SourceLoc& where);

// A time or bandwidth already read (within its maximum) checked against its floor.
double time_above_floor(double us, const char* what, const SourceLoc& where);
double bandwidth_above_floor(double GBps, const char* what, const SourceLoc& where);

inline std::uint64_t measured_size(std::string_view t, const char* what, const SourceLoc& where) {
  return static_cast<std::uint64_t>(measured_number(t, what, kMaxMeasuredBytes, true, where));
}
inline double measured_time(std::string_view t, const char* what, const SourceLoc& where) {
  return time_above_floor(measured_number(t, what, kMaxMeasuredTimeUs, false, where), what, where);
}
inline double measured_bandwidth(std::string_view t, const char* what, const SourceLoc& where) {
  return bandwidth_above_floor(measured_number(t, what, kMaxMeasuredGBps, false, where), what, where);
}
// A #wrong cell: a count, or "N/A" / "" when the data was not checked (nullopt).
std::optional<std::uint64_t> measured_wrong(std::string_view t, const SourceLoc& where);

// One record of a CSV or JSON file: one placement (out-of-place or in-place) of one row.
struct MeasuredRecord {
  Op op = Op::kAllReduce;
  DataType dtype = DataType::kFloat;
  std::uint64_t size_bytes = 0, count = 0;
  std::string redop;
  long root = -1;
  int nranks = 0;
  bool in_place = false;
  double time_us = 0;
  double time_half_unit_us = 0;  // CSV: half the time's last printed digit (printed_half_unit); JSON: 0
  std::optional<double> busbw_GBps;
  std::optional<std::uint64_t> wrong;
  int line = 0;
  std::string key;  // JSON: "results[3]"
};

// Joins records of the same (op, dtype, size, redop, root, ranks) into one Measurement, in file order. A second
// out-of-place (or in-place) record of one row is an InputError naming both: it had replaced the first silently.
class MeasurementJoiner {
 public:
  explicit MeasurementJoiner(std::string file) : file_(std::move(file)) {}
  void add(const MeasuredRecord& r);
  std::vector<Measurement> take() { return std::move(rows_); }

 private:
  std::string file_;
  std::vector<Measurement> rows_;
  std::map<std::tuple<Op, DataType, std::uint64_t, std::string, long, int>, std::size_t> index_;
  std::map<std::size_t, std::string> first_out_of_place_, first_in_place_;  // row -> "line 12" or "results[3]"
};

// A printed reduction as the collective model reads it: sum, prod, min, max, avg; "mulsum" (nccl-tests' pre-
// multiplied sum) as avg; "none" or nothing (an op without one) as sum.
RedOp measured_redop(const std::string& text);

}  // namespace commsim
