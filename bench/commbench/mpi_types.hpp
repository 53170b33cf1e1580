// MPI datatypes and reduction operations for every nccl-tests type and redop.
//
// Integer, float and double map to MPI's predefined types and ops. half, bfloat16 and the FP8 formats have no
// MPI type: they travel as contiguous bytes and reduce through user-defined, commutative MPI_Ops that convert
// to float, combine, and round back to nearest even (one rounding per step, like NCCL's half reduction). MPI
// has no average: avg reduces with the sum and the backend then divides by n (see MpiBackend::finish_avg).
#pragma once

#include <mpi.h>

#include <array>

#include "coll/ops.hpp"

namespace commsim::bench {

class MpiTypes {
 public:
  MpiTypes();   // after MPI_Init
  ~MpiTypes();  // before MPI_Finalize
  MpiTypes(const MpiTypes&) = delete;
  MpiTypes& operator=(const MpiTypes&) = delete;

  MPI_Datatype type(DataType t) const;
  // The op to pass to MPI for `r` on type `t` (the sum for avg).
  MPI_Op op(DataType t, RedOp r) const;

 private:
  static constexpr int kCustomTypes = 4;  // half, bfloat16, f8e4m3, f8e5m2
  static constexpr int kCustomOps = 4;    // sum, prod, min, max
  MPI_Datatype bytes2_ = MPI_DATATYPE_NULL, bytes1_ = MPI_DATATYPE_NULL;
  std::array<std::array<MPI_Op, kCustomOps>, kCustomTypes> custom_ops_{};
};

// dst[i] /= n for count elements of type t (integers truncate, as NCCL's integer avg).
void divide_elements(DataType t, void* data, std::uint64_t count, int n);

}  // namespace commsim::bench
