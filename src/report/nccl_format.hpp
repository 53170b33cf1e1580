// nccl-tests' result-table format, byte for byte, for the simulator's table and commbench's.
// Source: nccl-tests src/util.cu (writeResultHeader, writeBenchmarkLinePreamble, writeBenchmarkLineBody,
// getFloatStr) as printed by nccl-tests 2.18 (see ../shared/validation/logs/gh200_2x1_all_reduce.log).
//
//      1048576        262144     float     sum      -1   339.61    3.09    3.09       0   335.85 ...
//   %12li  %12li  %8s  %6s  %6i | per place: "  %7s  %6s  %6s  %6s" (time, algbw, busbw via getFloatStr)
#pragma once

#include <cstdint>
#include <string>

#include "coll/ops.hpp"

namespace commsim {

// Formats `value` in `width` characters, right-aligned: %.2f, else %.1f, else %.0f, which grows wider when
// even that does not fit (a time of 10 s or more in the 7-wide column: "13500000").
std::string nccl_float(double value, int width);

// "     1048576        262144     float     sum      -1" (root -1 when the op has none).
std::string nccl_row_preamble(Op op, std::uint64_t size_bytes, std::uint64_t count, DataType type, RedOp redop,
                              int root);
// "   339.61    3.09    3.09" (+ "  %6s" #wrong when `wrong` is non-empty).
std::string nccl_row_body(double time_us, double algbw, double busbw, const std::string& wrong);

// The three '#' header lines of the table. `with_in_place`: nccl-tests' two halves; otherwise only the
// out-of-place half (the simulator's), followed by `extra_columns` (e.g. "  algorithm  protocol").
std::string nccl_table_header(bool with_in_place, bool with_wrong, const std::string& extra_columns = "",
                              const std::string& extra_units = "");

// "# Avg bus bandwidth    : 14.9966 " as nccl-tests prints it (%g and a trailing space).
std::string nccl_avg_busbw_line(double avg_busbw);

}  // namespace commsim
