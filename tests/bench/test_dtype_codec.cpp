// Host conversions for the reduced-precision types. Expected bit patterns are the IEEE 754 binary16, bfloat16
// and OCP FP8 (E4M3 "fn", E5M2) encodings, as CUDA's round-to-nearest-even, saturating (FP8) conversions
// give.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "dtype_codec.hpp"

using namespace commsim;
using namespace commsim::bench;

TEST_CASE("half: known encodings, rounding to nearest even, overflow to infinity", "[commbench][dtype]") {
  CHECK(float_to_half(1.0f) == 0x3C00);
  CHECK(float_to_half(-2.0f) == 0xC000);
  CHECK(float_to_half(65504.0f) == 0x7BFF);                      // largest finite
  CHECK(float_to_half(65520.0f) == 0x7C00);                      // halfway to 2^16 rounds to even: infinity
  CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);         // smallest subnormal
  CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);  // tie -> even mantissa 0
  CHECK(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3C02);  // tie -> even mantissa 2
  CHECK(std::isnan(half_to_float(float_to_half(std::numeric_limits<float>::quiet_NaN()))));
  CHECK(half_to_float(0x3555) == Approx(0.333251953125));
}

TEST_CASE("half: every finite encoding round-trips", "[commbench][dtype]") {
  for (std::uint32_t b = 0; b < 0x10000; ++b) {
    const auto bits = static_cast<std::uint16_t>(b);
    const float f = half_to_float(bits);
    if (std::isnan(f)) continue;
    REQUIRE(float_to_half(f) == bits);
  }
}

TEST_CASE("half: every midpoint between neighbours rounds to the even one, and just off it to the nearer",
          "[commbench][dtype]") {
  for (std::uint16_t lo = 0; lo < 0x7BFF; ++lo) {  // positive finite neighbours lo, lo + 1
    const auto hi = static_cast<std::uint16_t>(lo + 1);
    const double a = half_to_float(lo), b = half_to_float(hi);
    const auto mid = static_cast<float>((a + b) / 2);  // exact: 12 significant bits
    REQUIRE(float_to_half(mid) == ((lo & 1) ? hi : lo));
    REQUIRE(float_to_half(std::nextafter(mid, 0.0f)) == lo);
    REQUIRE(float_to_half(std::nextafter(mid, 1e9f)) == hi);
    REQUIRE(float_to_half(-mid) == (((lo & 1) ? hi : lo) | 0x8000));
  }
}

TEST_CASE("bfloat16: top half of a float, rounded to nearest even", "[commbench][dtype]") {
  CHECK(float_to_bf16(1.0f) == 0x3F80);
  CHECK(float_to_bf16(3.0f) == 0x4040);
  CHECK(float_to_bf16(1.0f + std::ldexp(1.0f, -8)) == 0x3F80);      // tie -> even
  CHECK(float_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)) == 0x3F82);  // tie -> even
  CHECK(bf16_to_float(0x4049) == 3.140625f);
  for (std::uint32_t b = 0; b < 0x10000; ++b) {
    const auto bits = static_cast<std::uint16_t>(b);
    if (!std::isnan(bf16_to_float(bits))) REQUIRE(float_to_bf16(bf16_to_float(bits)) == bits);
  }
}

TEST_CASE("fp8: e4m3 saturates at 448, e5m2 at 57344, all encodings round-trip", "[commbench][dtype]") {
  CHECK(float_to_e4m3(1.0f) == 0x38);
  CHECK(float_to_e4m3(448.0f) == 0x7E);
  CHECK(float_to_e4m3(1000.0f) == 0x7E);  // satfinite
  CHECK(float_to_e4m3(-3.0f) == 0xC4);
  CHECK(float_to_e4m3(std::ldexp(1.0f, -9)) == 0x01);  // smallest subnormal
  CHECK(std::isnan(e4m3_to_float(0x7F)));
  CHECK(float_to_e5m2(1.0f) == 0x3C);
  CHECK(float_to_e5m2(57344.0f) == 0x7B);
  CHECK(float_to_e5m2(1e6f) == 0x7B);  // satfinite
  CHECK(std::isinf(e5m2_to_float(0x7C)));
  for (std::uint32_t b = 0; b < 0x100; ++b) {
    const auto bits = static_cast<std::uint8_t>(b);
    if (!std::isnan(e4m3_to_float(bits))) REQUIRE(float_to_e4m3(e4m3_to_float(bits)) == bits);
    if (!std::isnan(e5m2_to_float(bits)) && !std::isinf(e5m2_to_float(bits)))
      REQUIRE(float_to_e5m2(e5m2_to_float(bits)) == bits);
  }
}

TEST_CASE("pattern values 0..16 are exact in every type", "[commbench][dtype]") {
  for (int v = 0; v <= 16; ++v) {
    CHECK(half_to_float(float_to_half(v)) == v);
    CHECK(bf16_to_float(float_to_bf16(v)) == v);
    CHECK(e4m3_to_float(float_to_e4m3(v)) == v);
    if (v <= 8) CHECK(e5m2_to_float(float_to_e5m2(v)) == v);
  }
}

TEST_CASE("integer results wrap modulo 2^bits", "[commbench][dtype]") {
  CHECK(wrap_to_type(DataType::kInt8, 130) == -126);
  CHECK(wrap_to_type(DataType::kUint8, 256) == 0);
  CHECK(wrap_to_type(DataType::kUint8, 300) == 44);
  CHECK(wrap_to_type(DataType::kInt32, 7) == 7);
  CHECK(wrap_to_type(DataType::kFloat, 1e12) == 1e12);  // floating types do not wrap
  CHECK(type_epsilon(DataType::kHalf) == std::ldexp(1.0, -10));
  CHECK(type_epsilon(DataType::kInt64) == 0);
}
