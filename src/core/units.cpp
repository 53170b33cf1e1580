#include "core/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"

namespace commsim {
namespace {

struct Unit {
  const char* suffix;
  double factor;
};

// Longest suffixes first where one is a suffix of another is irrelevant: we match the whole unit string.
constexpr Unit kBandwidthUnits[] = {
    {"B/s", 1.0},       {"KB/s", 1e3},        {"MB/s", 1e6},           {"GB/s", 1e9},     {"TB/s", 1e12},
    {"KiB/s", 1024.0},  {"MiB/s", 1048576.0}, {"GiB/s", 1073741824.0}, {"b/s", 1.0 / 8},  {"Kb/s", 1e3 / 8},
    {"Mb/s", 1e6 / 8},  {"Gb/s", 1e9 / 8},    {"Tb/s", 1e12 / 8},      {"kB/s", 1e3},     {"kb/s", 1e3 / 8},
    {"MBps", 1e6},      {"GBps", 1e9},        {"TBps", 1e12},          {"Mbps", 1e6 / 8}, {"Gbps", 1e9 / 8},
    {"Tbps", 1e12 / 8},
};
constexpr Unit kTimeUnits[] = {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}, {"min", 60.0}, {"h", 3600.0}, {"d", 86400.0}};
// Sizes: bare K/M/G/T binary (as nccl-tests), KiB.. binary, KB.. decimal (see units.hpp and parse_size).
constexpr Unit kByteUnits[] = {{"B", 1.0},          {"KB", 1e3},           {"MB", 1e6},
                               {"GB", 1e9},         {"TB", 1e12},          {"KiB", 1024.0},
                               {"MiB", 1048576.0},  {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
                               {"K", 1024.0},       {"M", 1048576.0},      {"G", 1073741824.0},
                               {"T", 1099511627776.0}};
constexpr Unit kPowerUnits[] = {{"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}};
constexpr Unit kFlopUnits[] = {{"FLOPS", 1.0}, {"GFLOPS", 1e9}, {"TFLOPS", 1e12}, {"PFLOPS", 1e15}, {"TOPS", 1e12}};
constexpr Unit kCurrencyUnits[] = {{"USD", 1.0}, {"$", 1.0}, {"kUSD", 1e3}, {"MUSD", 1e6}, {"BUSD", 1e9}};
constexpr Unit kAreaUnits[] = {{"mm2", 1.0}, {"mm^2", 1.0}, {"cm2", 100.0}};

template <std::size_t N>
bool lookup(const Unit (&units)[N], std::string_view s, double* factor) {
  for (const Unit& u : units) {
    if (s == u.suffix) {
      *factor = u.factor;
      return true;
    }
  }
  return false;
}

template <std::size_t N>
std::string suffixes(const Unit (&units)[N]) {
  std::string out;
  for (const Unit& u : units) out += (out.empty() ? "" : " ") + std::string(u.suffix);
  return out;
}

// The units a dimension takes, for a message: "B/s KB/s ...".
std::string unit_list(Dimension dim) {
  switch (dim) {
    case Dimension::kBandwidth:
      return suffixes(kBandwidthUnits);
    case Dimension::kTime:
      return suffixes(kTimeUnits);
    case Dimension::kBytes:
      return suffixes(kByteUnits);
    case Dimension::kPower:
      return suffixes(kPowerUnits);
    case Dimension::kFlopRate:
      return suffixes(kFlopUnits);
    case Dimension::kCurrency:
      return suffixes(kCurrencyUnits) + " or none (USD)";
    case Dimension::kArea:
      return suffixes(kAreaUnits);
    case Dimension::kRatio:
      return "none or %";
  }
  return "?";
}

// Splits "450GB/s" into (450, "GB/s"); spaces between number and unit are allowed.
std::pair<double, std::string> split_number(std::string_view text) {
  const std::string s = trim(text);
  std::size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == '-' ||
                          s[i] == '+' || ((s[i] == 'e' || s[i] == 'E') && i > 0 && i + 1 < s.size() &&
                                          (std::isdigit(static_cast<unsigned char>(s[i + 1])) ||
                                           s[i + 1] == '-' || s[i + 1] == '+')))) {
    ++i;
  }
  if (i == 0) throw InputError("'" + s + "' does not start with a number");
  double value = 0;
  const auto res = std::from_chars(s.data(), s.data() + i, value);
  if (res.ec != std::errc() || res.ptr != s.data() + i) throw InputError("'" + s + "' is not a valid number");
  return {value, trim(std::string_view(s).substr(i))};
}

}  // namespace

const char* dimension_name(Dimension d) {
  switch (d) {
    case Dimension::kBandwidth: return "bandwidth";
    case Dimension::kTime: return "time";
    case Dimension::kBytes: return "size";
    case Dimension::kPower: return "power";
    case Dimension::kFlopRate: return "compute rate";
    case Dimension::kRatio: return "ratio";
    case Dimension::kCurrency: return "price";
    case Dimension::kArea: return "area";
  }
  return "?";
}

const char* dimension_example(Dimension d) {
  switch (d) {
    case Dimension::kBandwidth: return "450GB/s or 400Gb/s";
    case Dimension::kTime:
      return "2us or 90d (ns, us, ms, s, min, h, d)";
    case Dimension::kBytes: return "80GB or 64MiB";
    case Dimension::kPower: return "700W";
    case Dimension::kFlopRate: return "989TFLOPS";
    case Dimension::kRatio: return "0.85 or 85%";
    case Dimension::kCurrency: return "2.5USD";
    case Dimension::kArea: return "814mm2";
  }
  return "?";
}

double parse_quantity(std::string_view text, Dimension dim) {
  auto [value, unit] = split_number(text);
  double factor = 0;
  bool ok = false;
  switch (dim) {
    case Dimension::kBandwidth: ok = lookup(kBandwidthUnits, unit, &factor); break;
    case Dimension::kTime: ok = lookup(kTimeUnits, unit, &factor); break;
    case Dimension::kBytes: ok = lookup(kByteUnits, unit, &factor); break;
    case Dimension::kPower: ok = lookup(kPowerUnits, unit, &factor); break;
    case Dimension::kFlopRate: ok = lookup(kFlopUnits, unit, &factor); break;
    case Dimension::kCurrency: ok = unit.empty() || lookup(kCurrencyUnits, unit, &factor); if (unit.empty()) factor = 1; break;
    case Dimension::kArea: ok = lookup(kAreaUnits, unit, &factor); break;
    case Dimension::kRatio:
      if (unit.empty()) {
        ok = true;
        factor = 1;
      } else if (unit == "%") {
        ok = true;
        factor = 0.01;
      }
      break;
  }
  if (!ok) {
    const std::string what = unit.empty() ? "has no unit" : "has unit '" + unit + "', which is not a " +
                                                                std::string(dimension_name(dim)) + " unit";
    throw InputError("'" + trim(text) + "' " + what + " (expected a " + dimension_name(dim) + " such as " +
                     dimension_example(dim) + "; units: " + unit_list(dim) + ")");
  }
  const double out = value * factor;
  if (!std::isfinite(out)) throw InputError("'" + trim(text) + "' is not a finite number");
  // A size is below 2^64, as parse_size's: a capacity of 1e30B ran and printed a capacity of 9e20 GiB.
  if (dim == Dimension::kBytes && std::fabs(out) >= 18446744073709551616.0)
    // a decimal figure, read as a double: 2^64 - 1 rounds to 2^64 (it said "at most 2^64 - 1" of 2^64 - 1)
    throw InputError("size '" + trim(text) + "' is too large (a size is below 16 EiB, 2^64 bytes)");
  // A value many orders of magnitude from anything physical is a typo (1e-300Gb/s, 5e30W), not a what-if: it
  // would run and print a silently absurd number. Zero and signs are the callers' to check.
  const PlausibleRange r = plausible_range(dim);
  if (out != 0 && (std::fabs(out) < r.lo || std::fabs(out) > r.hi))
    throw InputError("'" + trim(text) + "' is outside the plausible range of a " + dimension_name(dim) + " (" +
                     r.text + ")");
  return out;
}

// The range's text is written in units the parser accepts, so it can be pasted back.
PlausibleRange plausible_range(Dimension d) {
  switch (d) {
    case Dimension::kBandwidth: return {1e3, 1e17, "1KB/s to 100000TB/s"};
    case Dimension::kTime: return {1e-15, 1e10, "1e-15s to 1e10s, 300 years"};
    case Dimension::kBytes: return {1, INFINITY, "1B and more"};  // sizes: below 2^64 (parse_quantity, parse_size)
    case Dimension::kPower: return {1e-3, 1e11, "0.001W to 100000MW"};
    case Dimension::kFlopRate: return {1e6, 1e24, "1e6FLOPS to 1e9PFLOPS"};
    case Dimension::kRatio: return {0, INFINITY, "any"};
    case Dimension::kCurrency: return {1e-6, 1e15, "1e-6 to 1e15"};
    case Dimension::kArea: return {1e-3, 1e7, "0.001 to 10^7 mm2"};
  }
  return {0, INFINITY, "any"};
}

namespace {

// The multiplier of a size suffix: 1024^n for K/M/G/T and KiB..TiB, 1000^n for KB..TB, 1 for B or none;
// 0 when unknown.
std::uint64_t size_factor(const std::string& suffix) {
  if (suffix.empty() || suffix == "B") return 1;
  static const std::string kPrefixes = "KMGT";
  const auto p = kPrefixes.find(static_cast<char>(std::toupper(static_cast<unsigned char>(suffix[0]))));
  if (p == std::string::npos) return 0;
  const std::string rest = suffix.substr(1);
  std::uint64_t f = 1;
  if (rest.empty() || rest == "iB") {
    for (std::size_t i = 0; i <= p; ++i) f *= 1024;
  } else if (rest == "B") {
    for (std::size_t i = 0; i <= p; ++i) f *= 1000;
  } else {
    return 0;
  }
  return f;
}

}  // namespace

std::uint64_t parse_size(std::string_view text) {
  const std::string s = trim(text);
  const std::string shown = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  const std::string usage = " (a whole number of bytes with an optional suffix: K, M, G, T or KiB.. binary, KB.. decimal)";
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.'))
    throw InputError("size '" + shown + "' must be a non-negative number" + usage);
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  const bool integral = i == s.size() || !(s[i] == '.' || s[i] == 'e' || s[i] == 'E');
  std::size_t end = i;
  if (!integral) {
    if (end < s.size() && s[end] == '.') {
      ++end;
      while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
    }
    if (end < s.size() && (s[end] == 'e' || s[end] == 'E')) {
      std::size_t j = end + 1;
      if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
      const std::size_t digits = j;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j > digits) end = j;
    }
  }
  const std::string suffix = trim(std::string_view(s).substr(end));
  const std::uint64_t factor = size_factor(suffix);
  if (factor == 0) {
    const std::string bits = suffix.size() >= 2 && suffix.back() == 'b' ? "; 'b' means bits" : "";
    throw InputError("size '" + shown + "' has an unknown suffix '" + suffix.substr(0, 16) + "'" + bits + usage);
  }
  const std::string too_large = "size '" + shown + "' is too large (at most 2^64 - 1 bytes)";
  if (integral) {
    std::uint64_t value = 0;
    const auto res = std::from_chars(s.data(), s.data() + i, value);
    if (res.ec != std::errc()) throw InputError(too_large);
    if (value > UINT64_MAX / factor) throw InputError(too_large);
    return value * factor;
  }
  double value = 0;
  const auto res = std::from_chars(s.data(), s.data() + end, value);
  if (res.ec == std::errc::result_out_of_range) throw InputError(too_large);
  if (res.ec != std::errc() || res.ptr != s.data() + end) throw InputError("size '" + shown + "' is not a valid number" + usage);
  const double bytes = value * static_cast<double>(factor);
  if (!std::isfinite(bytes) || bytes >= 18446744073709551616.0) throw InputError(too_large);
  if (bytes != std::floor(bytes)) throw InputError("size '" + shown + "' is not a whole number of bytes");
  return static_cast<std::uint64_t>(bytes);
}

std::string format_bytes_binary(double bytes) {
  static const char* kNames[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int i = 0;
  while (bytes >= 1024.0 && i < 5) {
    bytes /= 1024.0;
    ++i;
  }
  char buf[64];
  if (bytes == std::floor(bytes)) std::snprintf(buf, sizeof buf, "%.0f %s", bytes, kNames[i]);
  else std::snprintf(buf, sizeof buf, "%.2f %s", bytes, kNames[i]);
  return buf;
}

std::string format_bandwidth(double bps) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f GB/s", bps / 1e9);
  return buf;
}

std::string format_time(double s) {
  char buf[64];
  if (s < 1e-3) std::snprintf(buf, sizeof buf, "%.1f us", s * 1e6);
  else if (s < 1) std::snprintf(buf, sizeof buf, "%.2f ms", s * 1e3);
  else std::snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

}  // namespace commsim
