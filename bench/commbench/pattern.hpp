// The data every rank puts in its send buffer, and the values a correct collective leaves in the receive
// buffers. Plays the role of nccl-tests' InitData + expected buffers (src/common.cu, verifiable/).
//
// All inputs are small non-negative integers (0..4), exact in every type down to f8e5m2, so reduction results
// are exact while they stay in the type's exact-integer range (half: 2048, bfloat16: 256, e4m3: 16, e5m2: 8);
// past it the check allows a relative error of eps(type) * (nranks - 1) (one rounding per reduction step).
//
//   reduction input   x(r, j) = h(j) + (r + j) mod 3,      h(j) = hash(j) mod 3
//     sum(j) = n h(j) + S[j mod 3]  with S[k] = sum_r (r + k) mod 3; min, max likewise; avg = sum / n
//     Example (tested): n = 4, j with h(j) = 1 and j mod 3 = 0: inputs 1,2,3,1 -> sum 7, min 1, max 3.
//   prod input        x(r, j) = 1 + h(j) if r == j mod n, else 1      -> prod(j) = 1 + h(j) (never overflows)
//   payload           y(r, j) = hash(r, j) mod 5   (all_gather, broadcast, alltoall, sendrecv)
//
// h(j) varies along the buffer, so a block delivered at the wrong offset or to the wrong rank is caught;
// integer results wrap modulo 2^bits exactly as NCCL's and MPI's integer sums do.
#pragma once

#include <array>
#include <cstdint>

#include "coll/ops.hpp"

namespace commsim::bench {

class Pattern {
 public:
  Pattern(int nranks, DataType type, RedOp redop);

  // Element j of rank r's input to a reduction.
  double input(int rank, std::uint64_t j) const;
  // Element j of the reduction of all ranks' inputs, as the type holds it (integers wrapped).
  double reduced(std::uint64_t j) const;
  // Largest |got - expected| accepted for a reduction result `expected`.
  double tolerance(double expected) const;
  // Element j of rank r's data for collectives that move data without reducing it.
  static double payload(int rank, std::uint64_t j);

 private:
  int nranks_;
  DataType type_;
  RedOp redop_;
  std::array<double, 3> ring_sum_{}, ring_min_{}, ring_max_{};  // over r of (r + k) mod 3, for k = 0, 1, 2
};

}  // namespace commsim::bench
