// Host-side element access for every nccl-tests data type, so both backends initialise and check buffers on
// the host (the NCCL backend copies device buffers back first, as nccl-tests' CheckData compares on the host
// after a cudaMemcpy when it cannot use its device kernels).
//
// half (IEEE binary16), bfloat16 and the two OCP FP8 formats are stored as raw bits and converted with
// round-to-nearest-even, as CUDA's __float2half_rn, __float2bfloat16_rn and
// __nv_cvt_float_to_fp8(x, __NV_SATFINITE, ...) do: half overflows to infinity, FP8 saturates to its largest
// finite value (e4m3: 448, e5m2: 57344). Example (tested): 1.0f -> half 0x3C00, bf16 0x3F80, e4m3 0x38,
// e5m2 0x3C.
#pragma once

#include <cstdint>
#include <type_traits>

#include "coll/ops.hpp"

namespace commsim::bench {

std::uint16_t float_to_half(float f);
float half_to_float(std::uint16_t bits);
std::uint16_t float_to_bf16(float f);
float bf16_to_float(std::uint16_t bits);
std::uint8_t float_to_e4m3(float f);
float e4m3_to_float(std::uint8_t bits);
std::uint8_t float_to_e5m2(float f);
float e5m2_to_float(std::uint8_t bits);

bool is_integer_type(DataType t);
// 2^-(mantissa bits): the relative spacing of the type; 0 for integer types.
double type_epsilon(DataType t);
// An exact integer reduced modulo 2^bits into the type's range, as integer sums wrap in NCCL and MPI.
// Floating types return `exact` unchanged.
double wrap_to_type(DataType t, double exact);

// A codec maps one stored element to and from double. Native C++ types convert directly (integers wrap
// modulo 2^bits, which C++20 defines); the reduced-precision floats go through float.
template <class T>
struct NativeCodec {
  using Storage = T;
  static double load(T v) { return static_cast<double>(v); }
  static T store(double v) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<T>(static_cast<long long>(v));
    } else {
      return static_cast<T>(v);
    }
  }
};

template <class Bits, float (*Decode)(Bits), Bits (*Encode)(float)>
struct BitsCodec {
  using Storage = Bits;
  static double load(Bits v) { return Decode(v); }
  static Bits store(double v) { return Encode(static_cast<float>(v)); }
};

using HalfCodec = BitsCodec<std::uint16_t, half_to_float, float_to_half>;
using Bf16Codec = BitsCodec<std::uint16_t, bf16_to_float, float_to_bf16>;
using E4m3Codec = BitsCodec<std::uint8_t, e4m3_to_float, float_to_e4m3>;
using E5m2Codec = BitsCodec<std::uint8_t, e5m2_to_float, float_to_e5m2>;

// Calls f(Codec{}) with the codec of `t`: one switch per buffer, typed loops inside.
template <class F>
decltype(auto) with_codec(DataType t, F&& f) {
  switch (t) {
    case DataType::kInt8:
      return f(NativeCodec<std::int8_t>{});
    case DataType::kUint8:
      return f(NativeCodec<std::uint8_t>{});
    case DataType::kInt32:
      return f(NativeCodec<std::int32_t>{});
    case DataType::kUint32:
      return f(NativeCodec<std::uint32_t>{});
    case DataType::kInt64:
      return f(NativeCodec<std::int64_t>{});
    case DataType::kUint64:
      return f(NativeCodec<std::uint64_t>{});
    case DataType::kHalf:
      return f(HalfCodec{});
    case DataType::kFloat:
      return f(NativeCodec<float>{});
    case DataType::kDouble:
      return f(NativeCodec<double>{});
    case DataType::kBfloat16:
      return f(Bf16Codec{});
    case DataType::kF8e4m3:
      return f(E4m3Codec{});
    case DataType::kF8e5m2:
      return f(E5m2Codec{});
  }
  return f(NativeCodec<float>{});
}

}  // namespace commsim::bench
