// The seven collectives as nccl-tests defines them: names, byte counts, algbw and the bus-bandwidth factor.
// Written once here and shared by the simulator (commsim) and the benchmark (commbench), so a prediction
// and a measurement of the same row are normalised identically.
//
//   algbw = S / t, with S the "size" column (bytes), 1 GB = 1e9 B
//   busbw = algbw * factor(n):   all_reduce 2(n-1)/n; all_gather, reduce_scatter, alltoall (n-1)/n;
//                                broadcast, reduce, sendrecv 1
// Source: nccl-tests doc/PERFORMANCE.md and src/<coll>.cu (*GetBw, *GetCollByteCount).
// Example (tested): all_reduce on 8 ranks, 1 GiB in 4038.8 us -> algbw 265.85 GB/s, busbw 465.24 GB/s.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace commsim {

enum class Op { kAllReduce, kAllGather, kReduceScatter, kBroadcast, kReduce, kAllToAll, kSendRecv };

struct OpInfo {
  Op op;
  const char* name;  // nccl-tests name: "all_reduce", ...
  bool reduces;       // combines data with a reduction operator
  bool prints_redop;  // nccl-tests prints the -o operator (all_reduce, reduce_scatter, reduce, sendrecv)
  bool rooted;       // prints a root (otherwise -1)
};

const OpInfo& op_info(Op op);
const char* op_name(Op op);
std::optional<Op> op_from_name(std::string_view name);  // accepts "all_reduce", "allreduce", "all-reduce"
const std::vector<Op>& all_ops();
std::string op_names();  // "all_reduce, all_gather, ..." for messages

// nccl-tests data types.
enum class DataType { kInt8, kUint8, kInt32, kUint32, kInt64, kUint64, kHalf, kFloat, kDouble, kBfloat16, kF8e4m3, kF8e5m2 };
struct DataTypeInfo {
  DataType type;
  const char* name;  // nccl-tests name: "float", "half", "bfloat16", ...
  int size;          // bytes per element
};
const DataTypeInfo& dtype_info(DataType t);
std::optional<DataType> dtype_from_name(std::string_view name);  // also "fp32", "bf16", "fp16", "fp8"
std::string dtype_names();

enum class RedOp { kSum, kProd, kMin, kMax, kAvg };
const char* redop_name(RedOp r);
std::optional<RedOp> redop_from_name(std::string_view name);
// Why NCCL's NVLS (NVSwitch multicast, NVLS and NVLSTree) cannot reduce this type with this operation, or "":
// the switch reduces sum of 16- and 32-bit floats, 32- and 64-bit integers and doubles, and min/max of the
// 16-bit floats and the integers; nothing else (prod, avg, 8-bit types). NCCL 2.18-2.30
// `ncclNvlsSupported(devRedOp, type)` (src/include/device.h). Operations without a reduction: "".
std::string nvls_reduction_unsupported(Op op, DataType dtype, RedOp redop);

// The byte counts of one nccl-tests row for a requested size (the -b/-e value) on n ranks.
struct OpSizes {
  std::uint64_t count = 0;       // per-rank parameter count (the "count" column)
  std::uint64_t send_bytes = 0;  // per-rank send buffer
  std::uint64_t recv_bytes = 0;  // per-rank receive buffer
  std::uint64_t size_bytes = 0;  // max(send, recv): the "size" column and the S of algbw
};
// As nccl-tests: all_gather/reduce_scatter/alltoall round the per-rank count down to a multiple of 16 bytes.
OpSizes op_sizes(Op op, std::uint64_t requested_bytes, int type_size, int nranks);

double busbw_factor(Op op, int nranks);
// Why a printed busbw (GB/s) disagrees with its printed time (us) for `size_bytes` on `nranks`, or "": they
// are one measurement (busbw = size / time x busbw_factor) within the digits nccl-tests prints (0.01 GB/s,
// 0.1 us at worst) and 2%. The caller adds what may explain it. With the ranks unknown (0) only the most any
// rank count allows is checked (busbw_factor below 2 for all_reduce, at most 1 for the others).
// `time_half_unit_us` is half the last printed digit of the time when it is coarser than 0.1 us: `1e+07`, as
// older commbench builds printed 13537807 us, is any time in [0.5e7, 1.5e7] (printed_half_unit).
std::string busbw_disagrees(Op op, int nranks, double size_bytes, double time_us, double busbw_GBps,
                            double time_half_unit_us = 0.05);
// Why a printed count (elements per rank, nccl-tests' "count" column) disagrees with its size and data type,
// or "": size = count x type size, times the ranks for all_gather, reduce_scatter and alltoall (a multiple of
// it with the ranks unknown, 0). A count of float's beside "int8" is a type edited alone, and the type
// decides what is predicted (NVLS reduces no 8-bit type).
std::string count_disagrees(Op op, int nranks, std::uint64_t size_bytes, std::uint64_t count, int type_size);
// The same for an algbw (size / time, whatever the ranks).
std::string algbw_disagrees(double size_bytes, double time_us, double algbw_GBps,
                            double time_half_unit_us = 0.05);
// Half the unit of the last digit of a printed decimal number: 0.005 for "12.34", 0.5 for "13537807", 5e6 for
// "1e+07", 50 for "1.35e+04"; 0 when the text is no such number.
double printed_half_unit(std::string_view text);
inline double algbw_GBps(std::uint64_t size_bytes, double time_us) {
  return time_us > 0 ? static_cast<double>(size_bytes) / (time_us * 1e3) : 0.0;
}
inline double busbw_GBps(Op op, int nranks, std::uint64_t size_bytes, double time_us) {
  return algbw_GBps(size_bytes, time_us) * busbw_factor(op, nranks);
}

// The sizes a -b/-e/-f/-i sweep visits, as nccl-tests: multiply by f when f > 1, else add step.
std::vector<std::uint64_t> sweep_sizes(std::uint64_t min_bytes, std::uint64_t max_bytes, double factor,
                                       std::uint64_t step_bytes);

}  // namespace commsim
