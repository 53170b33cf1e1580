#include "core/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace commsim {
namespace {

struct Unit {
  const char* suffix;
  double factor;
};

// Longest suffixes first where one is a suffix of another is irrelevant: we match the whole unit string.
constexpr Unit kBandwidthUnits[] = {
    {"B/s", 1.0},          {"KB/s", 1e3},          {"MB/s", 1e6},          {"GB/s", 1e9},
    {"TB/s", 1e12},        {"KiB/s", 1024.0},      {"MiB/s", 1048576.0},   {"GiB/s", 1073741824.0},
    {"b/s", 1.0 / 8},      {"Kb/s", 1e3 / 8},      {"Mb/s", 1e6 / 8},      {"Gb/s", 1e9 / 8},
    {"Tb/s", 1e12 / 8},    {"GBps", 1e9},          {"Gbps", 1e9 / 8},      {"MBps", 1e6},
};
constexpr Unit kTimeUnits[] = {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}, {"min", 60.0}, {"h", 3600.0}};
constexpr Unit kByteUnits[] = {{"B", 1.0},          {"KB", 1e3},           {"MB", 1e6},
                               {"GB", 1e9},         {"TB", 1e12},          {"KiB", 1024.0},
                               {"MiB", 1048576.0},  {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}};
constexpr Unit kPowerUnits[] = {{"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}};
constexpr Unit kFlopUnits[] = {{"FLOPS", 1.0}, {"GFLOPS", 1e9}, {"TFLOPS", 1e12}, {"PFLOPS", 1e15}};
constexpr Unit kCurrencyUnits[] = {{"USD", 1.0}, {"$", 1.0}};

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

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
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
  }
  return "?";
}

const char* dimension_example(Dimension d) {
  switch (d) {
    case Dimension::kBandwidth: return "450GB/s or 400Gb/s";
    case Dimension::kTime: return "2us";
    case Dimension::kBytes: return "80GB or 64MiB";
    case Dimension::kPower: return "700W";
    case Dimension::kFlopRate: return "989TFLOPS";
    case Dimension::kRatio: return "0.85 or 85%";
    case Dimension::kCurrency: return "2.5USD";
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
                     dimension_example(dim) + ")");
  }
  const double out = value * factor;
  if (!std::isfinite(out)) throw InputError("'" + trim(text) + "' is not a finite number");
  return out;
}

std::uint64_t parse_size_arg(std::string_view text) {
  const std::string s = trim(text);
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0) throw InputError("size '" + s + "' must be a non-negative integer with an optional K, M, G or T suffix");
  std::uint64_t value = 0;
  const auto res = std::from_chars(s.data(), s.data() + i, value);
  if (res.ec != std::errc()) throw InputError("size '" + s + "' is too large");
  std::string suffix = s.substr(i);
  int shift = 0;
  if (suffix.empty()) {
    shift = 0;
  } else if (suffix.size() == 1 || (suffix.size() == 3 && (suffix.substr(1) == "iB" || suffix.substr(1) == "ib")) ||
             (suffix.size() == 2 && (suffix[1] == 'B' || suffix[1] == 'b'))) {
    switch (std::toupper(static_cast<unsigned char>(suffix[0]))) {
      case 'K': shift = 10; break;
      case 'M': shift = 20; break;
      case 'G': shift = 30; break;
      case 'T': shift = 40; break;
      default: throw InputError("size '" + s + "' has an unknown suffix '" + suffix + "' (use K, M, G or T; binary)");
    }
  } else {
    throw InputError("size '" + s + "' has an unknown suffix '" + suffix + "' (use K, M, G or T; binary)");
  }
  if (shift > 0 && value > (UINT64_MAX >> shift)) throw InputError("size '" + s + "' is too large");
  return value << shift;
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
