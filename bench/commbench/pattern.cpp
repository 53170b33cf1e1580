#include "pattern.hpp"

#include <algorithm>
#include <cmath>

#include "dtype_codec.hpp"

namespace commsim::bench {
namespace {

// splitmix64 finaliser: cheap and well mixed, so neighbouring indices and ranks get unrelated values.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

double index_term(std::uint64_t j) {
  return static_cast<double>(mix(j) % 3);
}

}  // namespace

Pattern::Pattern(int nranks, DataType type, RedOp redop) : nranks_(nranks), type_(type), redop_(redop) {
  for (int k = 0; k < 3; ++k) {
    ring_min_[k] = 2;
    for (int r = 0; r < nranks; ++r) {
      const double d = (r + k) % 3;
      ring_sum_[k] += d;
      ring_min_[k] = std::min(ring_min_[k], d);
      ring_max_[k] = std::max(ring_max_[k], d);
    }
  }
}

double Pattern::input(int rank, std::uint64_t j) const {
  const double h = index_term(j);
  if (redop_ == RedOp::kProd) return static_cast<std::uint64_t>(rank) == j % nranks_ ? 1 + h : 1;
  return h + static_cast<double>((rank + j) % 3);
}

double Pattern::reduced(std::uint64_t j) const {
  const double h = index_term(j);
  const int k = static_cast<int>(j % 3);
  switch (redop_) {
    case RedOp::kProd:
      return 1 + h;
    case RedOp::kMin:
      return h + ring_min_[k];
    case RedOp::kMax:
      return h + ring_max_[k];
    case RedOp::kSum:
      return wrap_to_type(type_, nranks_ * h + ring_sum_[k]);
    case RedOp::kAvg: {
      const double sum = nranks_ * h + ring_sum_[k];
      // Integer avg is the wrapped sum divided by n, truncated (NCCL's SumPostDiv; our MPI backend divides
      // too).
      return is_integer_type(type_) ? std::trunc(wrap_to_type(type_, sum) / nranks_) : sum / nranks_;
    }
  }
  return 0;
}

double Pattern::tolerance(double expected) const {
  if (redop_ != RedOp::kSum && redop_ != RedOp::kAvg) return 0;  // min/max/prod of small integers are exact
  return type_epsilon(type_) * std::max(1, nranks_ - 1) * std::max(1.0, std::fabs(expected));
}

double Pattern::payload(int rank, std::uint64_t j) {
  return static_cast<double>(mix(j ^ (static_cast<std::uint64_t>(rank) << 40)) % 5);
}

}  // namespace commsim::bench
