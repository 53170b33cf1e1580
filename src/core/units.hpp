// Unit-suffixed quantities, as written in YAML files and flags: "450GB/s", "400Gb/s", "2us", "80GB", "700W".
//
// Everything is converted to SI base units: bytes/s, seconds, bytes, watts, FLOP/s. Decimal prefixes
// (K, M, G, T, P = 1e3..1e15) unless the binary form is spelled (KiB, MiB, GiB, TiB). Lower-case 'b' means
// bits ("400Gb/s" = 50e9 bytes/s). Command-line sizes follow nccl-tests instead: "-b 8 -e 8G" is binary
// (K = 1024), see parse_size_arg.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace commsim {

enum class Dimension { kBandwidth, kTime, kBytes, kPower, kFlopRate, kRatio, kCurrency };

const char* dimension_name(Dimension d);
const char* dimension_example(Dimension d);  // "450GB/s", "2us", ...

// Parses "<number><unit>" of the given dimension. Throws InputError (without location; callers add it) on
// a missing or wrong unit, a malformed number, or a non-finite value. Ratios are plain numbers or "85%".
double parse_quantity(std::string_view text, Dimension dim);

// nccl-tests size argument: "8", "64K", "8G", "1M": an integer with an optional K, M, G or T suffix, binary
// (K = 1024) as in nccl-tests; "KiB"/"KB" spellings are read the same way. Throws InputError.
std::uint64_t parse_size_arg(std::string_view text);

// Human formatting for reports.
std::string format_bytes_binary(double bytes);  // "1 GiB", "512 KiB", "8 B"
std::string format_bandwidth(double bytes_per_s);  // "450 GB/s"
std::string format_time(double seconds);  // "2.0 us", "1.25 ms"

}  // namespace commsim
