#include "study/measured_fields.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/text.hpp"

namespace commsim {
namespace {

std::string shown(std::string_view t) {  // the cell as quoted in a message, cut short
  std::string s(t.substr(0, 40));
  if (t.size() > 40) s += "...";
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return s;
}

std::string bound_text(double max) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", max);
  return buf;
}

}  // namespace

double bounded_number(double v, const char* what, double max, bool whole, const SourceLoc& where) {
  if (!std::isfinite(v)) throw InputError(where, std::string("the ") + what + " is not a finite number");
  if (v < 0) throw InputError(where, std::string("the ") + what + " is negative");
  if (v > max) throw InputError(where, std::string("the ") + what + " is larger than " + bound_text(max));
  if (whole && v != std::floor(v)) throw InputError(where, std::string("the ") + what + " is not a whole number");
  return v;
}

double measured_number(std::string_view text, const char* what, double max, bool whole, const SourceLoc& where) {
  if (!plain_decimal(text))  // no "nan", "inf", hex or leading spaces, which from_chars and strtod would take
    throw InputError(where, std::string("cannot read the ") + what + " value '" + shown(text) + "'");
  const std::size_t skip = text[0] == '+' ? 1 : 0;
  double v = 0;
  const auto res = std::from_chars(text.data() + skip, text.data() + text.size(), v);
  if (res.ec == std::errc::result_out_of_range)
    throw InputError(where, std::string("the ") + what + " value '" + shown(text) + "' is out of range");
  if (res.ec != std::errc() || res.ptr != text.data() + text.size())
    throw InputError(where, std::string("cannot read the ") + what + " value '" + shown(text) + "'");
  return bounded_number(v, what, max, whole, where);
}

double time_above_floor(double us, const char* what, const SourceLoc& where) {
  if (us < kMinMeasuredTimeUs)
    throw InputError(where, std::string("the ") + what + " is below " + bound_text(kMinMeasuredTimeUs) + " us (no measured time)");
  return us;
}

double bandwidth_above_floor(double GBps, const char* what, const SourceLoc& where) {
  if (GBps != 0 && GBps < kMinMeasuredGBps)
    throw InputError(where, std::string("the ") + what + " is below " + bound_text(kMinMeasuredGBps) +
                                " GB/s and not 0 (no measured bandwidth)");
  return GBps;
}

std::optional<std::uint64_t> measured_wrong(std::string_view t, const SourceLoc& where) {
  if (t.empty() || t == "N/A" || t == "-") return std::nullopt;
  return static_cast<std::uint64_t>(measured_number(t, "#wrong", kMaxMeasuredBytes, true, where));
}

void MeasurementJoiner::add(const MeasuredRecord& r) {
  // The reduction as commbench and nccl-tests print it ("none" for collectives without one; "mulsum" for
  // ncclRedOpPreMulSum): anything else was read as sum, and its row joined apart from its twin.
  if (!r.redop.empty() && r.redop != "none" && r.redop != "mulsum" && !redop_from_name(r.redop))
    throw InputError(SourceLoc{file_, r.line, 0, r.key.empty() ? "redop" : r.key + ".redop"},
                     "unknown reduction '" + r.redop.substr(0, 64) +
                         "' (valid: sum, prod, min, max, avg, mulsum, none, or empty)");
  if (r.nranks > 0 && r.root >= r.nranks) {
    throw InputError(SourceLoc{file_, r.line, 0, r.key.empty() ? "root" : r.key + ".root"},
                     "root " + std::to_string(r.root) + " is not a rank of the " + std::to_string(r.nranks) + " (0 to " +
                         std::to_string(r.nranks - 1) + ", or -1: no root)");
  }
  // Rows of 0 bytes (nccl-tests prints one for every size that rounds to no element: -b 8 all_gather on 8
  // ranks gives several) move nothing: no bandwidth to compare or fit. Their repeats were "a second result".
  if (r.size_bytes == 0) return;
  // "" and "none" are one (no reduction named): an out-of-place row and its in-place twin written each way
  // join.
  const std::string redop = r.redop.empty() || r.redop == "none" ? std::string() : r.redop;
  const auto key = std::make_tuple(r.op, r.dtype, r.size_bytes, redop, r.root, r.nranks);
  auto it = index_.find(key);
  if (it == index_.end()) {
    Measurement m;
    m.op = r.op;
    m.dtype = r.dtype;
    m.size_bytes = r.size_bytes;
    m.count = r.count;
    m.nranks = r.nranks;
    m.redop = measured_redop(r.redop);
    m.file = file_;
    m.line = r.line;
    it = index_.emplace(key, rows_.size()).first;
    rows_.push_back(m);
  }
  Measurement& m = rows_[it->second];
  std::optional<double>& time = r.in_place ? m.time_in_place_us : m.time_us;
  std::string& first = (r.in_place ? first_in_place_ : first_out_of_place_)[it->second];
  const std::string here = r.key.empty() ? "line " + std::to_string(r.line) : r.key;
  if (time) {
    throw InputError(SourceLoc{file_, r.line, 0, r.key},
                     std::string("a second ") + (r.in_place ? "in-place" : "out-of-place") + " result for " +
                         op_name(r.op) + " " + dtype_info(r.dtype).name + " " + std::to_string(r.size_bytes) +
                         " B (first at " + first + "): one result per size, or one file per run");
  }
  first = here;
  time = r.time_us;
  (r.in_place ? m.busbw_in_place_GBps : m.busbw_GBps) = r.busbw_GBps;
  if (r.wrong) m.wrong = m.wrong.value_or(0) + *r.wrong;
}

RedOp measured_redop(const std::string& text) {
  if (text == "mulsum") return RedOp::kAvg;
  const std::optional<RedOp> r = redop_from_name(text);
  return r ? *r : RedOp::kSum;
}

}  // namespace commsim
