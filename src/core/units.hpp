// Unit-suffixed quantities, as written in YAML files and flags: "450GB/s", "400Gb/s", "2us", "80GB", "700W".
//
// Everything is converted to SI base units: bytes/s, seconds, bytes, watts, FLOP/s (TOPS counts as FLOP/s),
// USD; die areas stay in mm^2 ("814mm2").
//
// Sizes, one convention in YAML and on the command line (docs/config.md, "Units"): a bare K, M, G or T is
// binary (1024^n, as nccl-tests: "-e 8G" = 8 * 2^30); KiB, MiB, GiB, TiB are binary; KB, MB, GB, TB are
// decimal (1000^n); B or no suffix is bytes. Bandwidths stay decimal (GB/s = 1e9 bytes/s); lower-case 'b'
// means bits ("400Gb/s" = 50e9 bytes/s).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace commsim {

inline constexpr double kGiB = 1073741824.0;  // bytes in a GiB (2^30)

enum class Dimension { kBandwidth, kTime, kBytes, kPower, kFlopRate, kRatio, kCurrency, kArea };  // kArea: mm^2

const char* dimension_name(Dimension d);
const char* dimension_example(Dimension d);  // "450GB/s", "2us", ...

// Parses "<number><unit>" of the given dimension. Throws InputError (without location; callers add it) on
// a missing or wrong unit, a malformed number, or a non-finite value. Ratios are plain numbers or "85%".
// A value whose magnitude lies outside plausible_range(dim) (zero aside) is an InputError too: a typo, not a
// what-if (1e-300Gb/s, 5e30W).
double parse_quantity(std::string_view text, Dimension dim);
struct PlausibleRange {
  double lo, hi;     // SI units; |value| in [lo, hi]
  const char* text;  // for messages
};
PlausibleRange plausible_range(Dimension d);

// A size in bytes, by the convention above: "8", "64K" = 65536, "1KB" = 1000, "1KiB" = 1024, "1.5G" =
// 1610612736, "2e3" = 2000. The result must be a whole number of bytes below 2^64. Throws InputError
// (without location; callers add it) on a malformed number, an unknown suffix, a negative, non-finite,
// fractional or overflowing size.
std::uint64_t parse_size(std::string_view text);
// The same, for nccl-tests style command-line arguments (-b, -e, -i).
inline std::uint64_t parse_size_arg(std::string_view text) { return parse_size(text); }

// Human formatting for reports.
std::string format_bytes_binary(double bytes);  // "1 GiB", "512 KiB", "8 B"
std::string format_bandwidth(double bytes_per_s);  // "450 GB/s"
std::string format_time(double seconds);  // "2.0 us", "1.25 ms"

}  // namespace commsim
