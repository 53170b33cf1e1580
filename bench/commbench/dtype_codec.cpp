#include "dtype_codec.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

namespace commsim::bench {
namespace {

// The FP8 formats: sign, `exp_bits` exponent bits with bias 2^(exp_bits-1)-1, `man_bits` mantissa bits,
// subnormals. `ieee_specials`: the all-ones exponent encodes inf/NaN (e5m2); otherwise only S.1111.111 is NaN
// (e4m3 "fn", max 448). Both saturate on overflow (__NV_SATFINITE).
struct MiniFormat {
  int exp_bits;
  int man_bits;
  bool ieee_specials;

  int bias() const { return (1 << (exp_bits - 1)) - 1; }
  std::uint32_t nan_bits() const { return (1u << (exp_bits + man_bits)) - 1; }  // all ones, sign clear
  std::uint32_t inf_bits() const { return ((1u << exp_bits) - 1) << man_bits; }
  std::uint32_t max_finite_bits() const { return ieee_specials ? inf_bits() - 1 : nan_bits() - 1; }
};

constexpr MiniFormat kE4m3{4, 3, false};
constexpr MiniFormat kE5m2{5, 2, true};

double decode(const MiniFormat& fmt, std::uint32_t bits) {
  const bool negative = (bits >> (fmt.exp_bits + fmt.man_bits)) & 1u;
  const std::uint32_t magnitude = bits & fmt.nan_bits();
  const int exponent = static_cast<int>(magnitude >> fmt.man_bits);
  const std::uint32_t mantissa = magnitude & ((1u << fmt.man_bits) - 1);
  double value;
  if (fmt.ieee_specials && exponent == (1 << fmt.exp_bits) - 1) {
    value =
        mantissa == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  } else if (!fmt.ieee_specials && magnitude == fmt.nan_bits()) {
    value = std::numeric_limits<double>::quiet_NaN();
  } else if (exponent == 0) {
    value = std::ldexp(static_cast<double>(mantissa), 1 - fmt.bias() - fmt.man_bits);
  } else {
    value = std::ldexp(static_cast<double>(mantissa | (1u << fmt.man_bits)),
                       exponent - fmt.bias() - fmt.man_bits);
  }
  return negative ? -value : value;
}

// Round to nearest even: count the value in quanta of its binade (or of the subnormal range), round that
// count with nearbyint (the default rounding mode is to-nearest-even), then encode the rounded value.
std::uint32_t encode(const MiniFormat& fmt, float f) {
  const std::uint32_t sign = std::signbit(f) ? 1u << (fmt.exp_bits + fmt.man_bits) : 0u;
  if (std::isnan(f)) return sign | fmt.nan_bits();
  const double a = std::fabs(static_cast<double>(f));
  if (std::isinf(a) || a > decode(fmt, fmt.max_finite_bits())) return sign | fmt.max_finite_bits();
  const int min_normal_exp = 1 - fmt.bias();
  const int exp = a == 0.0 ? min_normal_exp : std::max(std::ilogb(a), min_normal_exp);
  const int quantum = exp - fmt.man_bits;
  const double rounded = std::ldexp(std::nearbyint(std::ldexp(a, -quantum)), quantum);
  if (rounded > decode(fmt, fmt.max_finite_bits())) return sign | fmt.max_finite_bits();
  if (rounded == 0.0) return sign;
  const int r_exp = std::ilogb(rounded);
  if (r_exp <
      min_normal_exp) {  // subnormal: exponent field 0, mantissa in units of 2^(min_normal_exp - man_bits)
    return sign | static_cast<std::uint32_t>(std::ldexp(rounded, fmt.man_bits - min_normal_exp));
  }
  const auto biased = static_cast<std::uint32_t>(r_exp + fmt.bias());
  const auto mantissa =
      static_cast<std::uint32_t>(std::ldexp(rounded, fmt.man_bits - r_exp)) & ((1u << fmt.man_bits) - 1);
  return sign | (biased << fmt.man_bits) | mantissa;
}

// FP8 decoding through a 256-entry table, built once.
template <const MiniFormat& Fmt>
float decode_fp8(std::uint8_t bits) {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (std::uint32_t b = 0; b < 256; ++b) t[b] = static_cast<float>(decode(Fmt, b));
    return t;
  }();
  return table[bits];
}

}  // namespace

// half <- float with bit operations (this runs inside the MPI backend's reduction of half data, so it is
// timed): rebias the exponent from 127 to 15, keep 10 of the 23 mantissa bits, round the 13 dropped bits to
// nearest even; a carry into the exponent is the correct rounding, up to infinity from 65520.
std::uint16_t float_to_half(float f) {
  const auto u = std::bit_cast<std::uint32_t>(f);
  const auto sign = static_cast<std::uint16_t>((u >> 16) & 0x8000u);
  const std::uint32_t a = u & 0x7FFFFFFFu;
  if (a >= 0x7F800000u) return sign | (a > 0x7F800000u ? 0x7E00u : 0x7C00u);  // NaN (quiet), infinity
  if (a >= 0x477FF000u) return sign | 0x7C00u;                                // >= 65520 rounds to infinity
  std::uint32_t h, dropped, half_way;
  if (a < 0x38800000u) {                          // below 2^-14: a subnormal half, in units of 2^-24
    if (a < 0x33000000u) return sign;             // below 2^-25: rounds to zero
    const std::uint32_t shift = 126 - (a >> 23);  // 14 .. 24
    const std::uint32_t significand = (a & 0x7FFFFFu) | 0x800000u;
    h = significand >> shift;
    dropped = significand & ((1u << shift) - 1);
    half_way = 1u << (shift - 1);
  } else {
    h = (a >> 13) - (112u << 10);  // exponent 127 -> 15 bias, top 10 mantissa bits
    dropped = a & 0x1FFFu;
    half_way = 0x1000u;
  }
  if (dropped > half_way || (dropped == half_way && (h & 1u))) ++h;
  return sign | static_cast<std::uint16_t>(h);
}

float half_to_float(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1Fu;
  const std::uint32_t mantissa = bits & 0x3FFu;
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24, exact in float
    const float v = static_cast<float>(mantissa) * 5.9604644775390625e-8f;
    return sign ? -v : v;
  }
  if (exponent == 0x1F) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));  // inf, NaN
  return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

std::uint8_t float_to_e4m3(float f) {
  return static_cast<std::uint8_t>(encode(kE4m3, f));
}
float e4m3_to_float(std::uint8_t bits) {
  return decode_fp8<kE4m3>(bits);
}
std::uint8_t float_to_e5m2(float f) {
  return static_cast<std::uint8_t>(encode(kE5m2, f));
}
float e5m2_to_float(std::uint8_t bits) {
  return decode_fp8<kE5m2>(bits);
}

// bfloat16 is the top half of a float: round the low 16 bits to nearest even, keep NaNs quiet.
std::uint16_t float_to_bf16(float f) {
  const auto u = std::bit_cast<std::uint32_t>(f);
  if (std::isnan(f)) return static_cast<std::uint16_t>((u >> 16) | 0x0040u);
  return static_cast<std::uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}
float bf16_to_float(std::uint16_t bits) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

bool is_integer_type(DataType t) {
  switch (t) {
    case DataType::kInt8:
    case DataType::kUint8:
    case DataType::kInt32:
    case DataType::kUint32:
    case DataType::kInt64:
    case DataType::kUint64:
      return true;
    default:
      return false;
  }
}

double type_epsilon(DataType t) {
  switch (t) {
    case DataType::kHalf:
      return std::ldexp(1.0, -10);
    case DataType::kBfloat16:
      return std::ldexp(1.0, -7);
    case DataType::kF8e4m3:
      return std::ldexp(1.0, -kE4m3.man_bits);
    case DataType::kF8e5m2:
      return std::ldexp(1.0, -kE5m2.man_bits);
    case DataType::kFloat:
      return std::ldexp(1.0, -23);
    case DataType::kDouble:
      return std::ldexp(1.0, -52);
    default:
      return 0.0;
  }
}

double wrap_to_type(DataType t, double exact) {
  if (!is_integer_type(t)) return exact;
  return with_codec(t, [exact](auto codec) { return decltype(codec)::load(decltype(codec)::store(exact)); });
}

}  // namespace commsim::bench
