#include "report/nccl_format.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace commsim {

std::string nccl_float(double value, int width) {
  char buf[64];
  for (int prec : {2, 1, 0}) {
    std::snprintf(buf, sizeof buf, "%*.*f", width, prec, value);
    if (static_cast<int>(std::string(buf).size()) <= width) return buf;
  }
  // Wider than the column rather than an exponent: %7.*e kept one digit of a 13.5 s time ("1e+07", 26% low),
  // and a log reader then refused the row's bandwidths as disagreeing with it. nccl-tests' %7.0f grows the same way.
  std::snprintf(buf, sizeof buf, "%.0f", value);
  return buf;
}

std::string nccl_row_preamble(Op op, std::uint64_t size_bytes, std::uint64_t count, DataType type, RedOp redop,
                              int root) {
  const OpInfo& info = op_info(op);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%12llu  %12llu  %8s  %6s  %6i", static_cast<unsigned long long>(size_bytes),
                static_cast<unsigned long long>(count), dtype_info(type).name,
                info.prints_redop ? redop_name(redop) : "none", info.rooted ? root : -1);
  return buf;
}

std::string nccl_row_body(double time_us, double algbw, double busbw, const std::string& wrong) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "  %7s  %6s  %6s", nccl_float(time_us, 7).c_str(), nccl_float(algbw, 6).c_str(),
                nccl_float(busbw, 6).c_str());
  std::string out = buf;
  if (!wrong.empty()) {
    std::snprintf(buf, sizeof buf, "  %6s", wrong.c_str());
    out += buf;
  }
  return out;
}

std::string nccl_table_header(bool with_in_place, bool with_wrong, const std::string& extra_columns,
                              const std::string& extra_units) {
  std::string l1 = "#                                                              out-of-place";
  std::string l2 = "#       size         count      type   redop    root     time   algbw   busbw";
  std::string l3 = "#        (B)    (elements)                               (us)  (GB/s)  (GB/s)";
  if (with_wrong) {
    l2 += "  #wrong";
    l3 += "        ";
  }
  if (with_in_place) {
    l1 += "                       in-place          ";
    l2 += "     time   algbw   busbw";
    l3 += "     (us)  (GB/s)  (GB/s)";
    if (with_wrong) {
      l2 += "  #wrong ";
      l3 += "         ";
    }
  }
  l2 += extra_columns;
  l3 += extra_units;
  return l1 + "\n" + l2 + "\n" + l3 + "\n";
}

std::string nccl_avg_busbw_line(double avg_busbw) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "# Avg bus bandwidth    : %g ", avg_busbw);
  return buf;
}

}  // namespace commsim
