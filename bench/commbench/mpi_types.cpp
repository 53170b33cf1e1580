#include "mpi_types.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "dtype_codec.hpp"

namespace commsim::bench {
namespace {

int custom_index(DataType t) {
  switch (t) {
    case DataType::kHalf:
      return 0;
    case DataType::kBfloat16:
      return 1;
    case DataType::kF8e4m3:
      return 2;
    case DataType::kF8e5m2:
      return 3;
    default:
      return -1;
  }
}

int op_index(RedOp r) {
  switch (r) {
    case RedOp::kProd:
      return 1;
    case RedOp::kMin:
      return 2;
    case RedOp::kMax:
      return 3;
    default:
      return 0;  // sum, and avg (sum, then divide)
  }
}

struct Sum {
  static float apply(float a, float b) { return a + b; }
};
struct Prod {
  static float apply(float a, float b) { return a * b; }
};
struct Min {
  static float apply(float a, float b) { return std::min(a, b); }
};
struct Max {
  static float apply(float a, float b) { return std::max(a, b); }
};

// MPI_User_function: inout[i] = in[i] (op) inout[i], through float.
template <class Codec, class Fn>
void reduce_through_float(void* in, void* inout, int* len, MPI_Datatype*) {
  using S = typename Codec::Storage;
  const S* a = static_cast<const S*>(in);
  S* b = static_cast<S*>(inout);
  for (int i = 0; i < *len; ++i) {
    b[i] =
        Codec::store(Fn::apply(static_cast<float>(Codec::load(a[i])), static_cast<float>(Codec::load(b[i]))));
  }
}

template <class Codec>
void create_ops(std::array<MPI_Op, 4>& ops) {
  MPI_Op_create(reduce_through_float<Codec, Sum>, 1, &ops[0]);
  MPI_Op_create(reduce_through_float<Codec, Prod>, 1, &ops[1]);
  MPI_Op_create(reduce_through_float<Codec, Min>, 1, &ops[2]);
  MPI_Op_create(reduce_through_float<Codec, Max>, 1, &ops[3]);
}

}  // namespace

MpiTypes::MpiTypes() {
  MPI_Type_contiguous(2, MPI_BYTE, &bytes2_);
  MPI_Type_commit(&bytes2_);
  MPI_Type_contiguous(1, MPI_BYTE, &bytes1_);
  MPI_Type_commit(&bytes1_);
  create_ops<HalfCodec>(custom_ops_[0]);
  create_ops<Bf16Codec>(custom_ops_[1]);
  create_ops<E4m3Codec>(custom_ops_[2]);
  create_ops<E5m2Codec>(custom_ops_[3]);
}

MpiTypes::~MpiTypes() {
  for (auto& per_type : custom_ops_)
    for (MPI_Op& op : per_type) MPI_Op_free(&op);
  MPI_Type_free(&bytes2_);
  MPI_Type_free(&bytes1_);
}

MPI_Datatype MpiTypes::type(DataType t) const {
  switch (t) {
    case DataType::kInt8:
      return MPI_INT8_T;
    case DataType::kUint8:
      return MPI_UINT8_T;
    case DataType::kInt32:
      return MPI_INT32_T;
    case DataType::kUint32:
      return MPI_UINT32_T;
    case DataType::kInt64:
      return MPI_INT64_T;
    case DataType::kUint64:
      return MPI_UINT64_T;
    case DataType::kFloat:
      return MPI_FLOAT;
    case DataType::kDouble:
      return MPI_DOUBLE;
    case DataType::kHalf:
    case DataType::kBfloat16:
      return bytes2_;
    case DataType::kF8e4m3:
    case DataType::kF8e5m2:
      return bytes1_;
  }
  return MPI_BYTE;
}

MPI_Op MpiTypes::op(DataType t, RedOp r) const {
  if (const int c = custom_index(t); c >= 0) return custom_ops_[c][op_index(r)];
  switch (r) {
    case RedOp::kProd:
      return MPI_PROD;
    case RedOp::kMin:
      return MPI_MIN;
    case RedOp::kMax:
      return MPI_MAX;
    default:
      return MPI_SUM;
  }
}

void divide_elements(DataType t, void* data, std::uint64_t count, int n) {
  with_codec(t, [&](auto codec) {
    using Codec = decltype(codec);
    using S = typename Codec::Storage;
    auto* p = static_cast<S*>(data);
    if constexpr (std::is_same_v<Codec, NativeCodec<S>> && std::is_integral_v<S>) {
      for (std::uint64_t i = 0; i < count; ++i) p[i] = static_cast<S>(p[i] / static_cast<S>(n));  // truncates
    } else {
      for (std::uint64_t i = 0; i < count; ++i) p[i] = Codec::store(Codec::load(p[i]) / n);
    }
  });
}

}  // namespace commsim::bench
