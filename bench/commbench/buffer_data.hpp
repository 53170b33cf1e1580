// Typed loops that write generated values into a host buffer and count the elements that differ from the
// expected ones: nccl-tests' InitData and CheckData, on the host. One type switch per buffer.
#pragma once

#include <cmath>
#include <cstdint>

#include "coll/ops.hpp"
#include "dtype_codec.hpp"

namespace commsim::bench {

// buffer[k] = value(k) for k < count, converted to type t.
template <class ValueFn>
void fill_elements(DataType t, void* buffer, std::uint64_t count, ValueFn&& value) {
  with_codec(t, [&](auto codec) {
    using Codec = decltype(codec);
    auto* p = static_cast<typename Codec::Storage*>(buffer);
    for (std::uint64_t k = 0; k < count; ++k) p[k] = Codec::store(value(k));
  });
}

// Number of k < count where |buffer[k] - expected(k)| > tolerance(expected(k)); NaN or infinity is wrong.
template <class ExpectedFn, class ToleranceFn>
std::uint64_t count_wrong(DataType t, const void* buffer, std::uint64_t count, ExpectedFn&& expected,
                          ToleranceFn&& tolerance) {
  return with_codec(t, [&](auto codec) {
    using Codec = decltype(codec);
    const auto* p = static_cast<const typename Codec::Storage*>(buffer);
    std::uint64_t wrong = 0;
    for (std::uint64_t k = 0; k < count; ++k) {
      const double want = expected(k);
      const double got = Codec::load(p[k]);
      if (!(std::fabs(got - want) <= tolerance(want))) ++wrong;
    }
    return wrong;
  });
}

}  // namespace commsim::bench
