#include "coll/ops.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/error.hpp"

namespace commsim {
namespace {

const OpInfo kOps[] = {
    {Op::kAllReduce, "all_reduce", true, true, false},
    {Op::kAllGather, "all_gather", false, false, false},
    {Op::kReduceScatter, "reduce_scatter", true, true, false},
    {Op::kBroadcast, "broadcast", false, false, true},
    {Op::kReduce, "reduce", true, true, true},
    {Op::kAllToAll, "alltoall", false, false, false},
    {Op::kSendRecv, "sendrecv", false, true, false},  // nccl-tests prints -o for sendrecv (src/sendrecv.cu)
};

const DataTypeInfo kTypes[] = {
    {DataType::kInt8, "int8", 1},       {DataType::kUint8, "uint8", 1},       {DataType::kInt32, "int32", 4},
    {DataType::kUint32, "uint32", 4},   {DataType::kInt64, "int64", 8},       {DataType::kUint64, "uint64", 8},
    {DataType::kHalf, "half", 2},       {DataType::kFloat, "float", 4},       {DataType::kDouble, "double", 8},
    {DataType::kBfloat16, "bfloat16", 2}, {DataType::kF8e4m3, "f8e4m3", 1},   {DataType::kF8e5m2, "f8e5m2", 1},
};

std::string normalise(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == '_') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

const OpInfo& op_info(Op op) { return kOps[static_cast<int>(op)]; }
const char* op_name(Op op) { return op_info(op).name; }

std::optional<Op> op_from_name(std::string_view name) {
  const std::string n = normalise(name);
  for (const OpInfo& o : kOps)
    if (normalise(o.name) == n) return o.op;
  if (n == "a2a" || n == "alltoallv") return Op::kAllToAll;
  if (n == "bcast") return Op::kBroadcast;
  if (n == "p2p") return Op::kSendRecv;
  return std::nullopt;
}

const std::vector<Op>& all_ops() {
  static const std::vector<Op> ops = {Op::kAllReduce, Op::kAllGather, Op::kReduceScatter, Op::kBroadcast,
                                      Op::kReduce,    Op::kAllToAll,  Op::kSendRecv};
  return ops;
}

std::string op_names() {
  std::string out;
  for (const OpInfo& o : kOps) out += (out.empty() ? "" : ", ") + std::string(o.name);
  return out;
}

const DataTypeInfo& dtype_info(DataType t) { return kTypes[static_cast<int>(t)]; }

std::optional<DataType> dtype_from_name(std::string_view name) {
  const std::string n = normalise(name);
  for (const DataTypeInfo& t : kTypes)
    if (normalise(t.name) == n) return t.type;
  if (n == "fp32" || n == "float32" || n == "f32") return DataType::kFloat;
  if (n == "fp16" || n == "float16" || n == "f16") return DataType::kHalf;
  if (n == "bf16") return DataType::kBfloat16;
  if (n == "fp64" || n == "float64" || n == "f64") return DataType::kDouble;
  // rccl-tests and PyTorch spell the 8-bit floats out: "fp8_e4m3", "float8_e4m3fn", "fp8e5m2"
  if (n == "fp8" || n == "e4m3" || n == "fp8e4m3" || n == "float8e4m3" || n == "float8e4m3fn" ||
      n == "e4m3fn")
    return DataType::kF8e4m3;
  if (n == "e5m2" || n == "fp8e5m2" || n == "float8e5m2") return DataType::kF8e5m2;
  return std::nullopt;
}

std::string dtype_names() {
  std::string out;
  for (const DataTypeInfo& t : kTypes) out += (out.empty() ? "" : ", ") + std::string(t.name);
  return out + " (aliases: fp32, fp16, bf16, fp64, fp8)";
}

std::string nvls_reduction_unsupported(Op op, DataType dtype, RedOp redop) {
  if (op != Op::kAllReduce && op != Op::kReduceScatter) return "";
  bool ok = false;
  switch (dtype) {
    case DataType::kInt32:
    case DataType::kUint32:
    case DataType::kInt64:
    case DataType::kUint64:
    case DataType::kHalf:
    case DataType::kBfloat16: ok = redop == RedOp::kSum || redop == RedOp::kMin || redop == RedOp::kMax; break;
    case DataType::kFloat:
    case DataType::kDouble: ok = redop == RedOp::kSum; break;
    default: ok = false;
  }
  if (ok) return "";
  return std::string("NVSwitch multicast does not reduce ") + redop_name(redop) + " of " + dtype_info(dtype).name +
         " (NCCL's NVLS: sum of 16/32-bit floats, doubles and 32/64-bit integers; min and max of the 16-bit floats and the integers)";
}

const char* redop_name(RedOp r) {
  switch (r) {
    case RedOp::kSum: return "sum";
    case RedOp::kProd: return "prod";
    case RedOp::kMin: return "min";
    case RedOp::kMax: return "max";
    case RedOp::kAvg: return "avg";
  }
  return "?";
}

std::optional<RedOp> redop_from_name(std::string_view name) {
  const std::string n = normalise(name);
  for (RedOp r : {RedOp::kSum, RedOp::kProd, RedOp::kMin, RedOp::kMax, RedOp::kAvg})
    if (n == redop_name(r)) return r;
  return std::nullopt;
}

OpSizes op_sizes(Op op, std::uint64_t requested_bytes, int type_size, int nranks) {
  if (type_size <= 0 || nranks <= 0) throw InputError("op_sizes: type size and rank count must be positive");
  const std::uint64_t count = requested_bytes / static_cast<std::uint64_t>(type_size);
  const std::uint64_t n = static_cast<std::uint64_t>(nranks);
  // Per-rank counts are rounded down to a multiple of 16 bytes (nccl-tests: & -(16/eltSize)).
  const std::uint64_t align = std::max<std::uint64_t>(1, 16 / static_cast<std::uint64_t>(type_size));
  OpSizes s;
  switch (op) {
    case Op::kAllReduce:
    case Op::kBroadcast:
    case Op::kReduce:
    case Op::kSendRecv:
      s.count = count;
      s.send_bytes = s.recv_bytes = count * type_size;
      break;
    case Op::kAllGather: {
      const std::uint64_t base = (count / n) / align * align;
      s.count = base;
      s.send_bytes = base * type_size;
      s.recv_bytes = base * n * type_size;
      break;
    }
    case Op::kReduceScatter: {
      const std::uint64_t base = (count / n) / align * align;
      s.count = base;
      s.send_bytes = base * n * type_size;
      s.recv_bytes = base * type_size;
      break;
    }
    case Op::kAllToAll: {
      const std::uint64_t base = (count / n) / align * align;
      s.count = base;
      s.send_bytes = s.recv_bytes = base * n * type_size;
      break;
    }
  }
  s.size_bytes = std::max(s.send_bytes, s.recv_bytes);
  return s;
}

namespace {
// The bandwidth size / time x factor, to the digits printed (0.01 GB/s; the time to `half_unit_us`, 0.1 us at
// worst) and 2%: "" when `GBps` is it (or, with `ceiling_only`, at most it), else why not. A time printed as
// t is any time in [t - h, t + h]: the bandwidth lies between size / (t + h) and size / (t - h) (no bound
// above when h reaches t, as for `1e+07` printed for 5e6 to 1.5e7 us).
std::string bandwidth_disagrees(double factor, const char* what, int nranks, double size_bytes,
                                double time_us, double GBps, double half_unit_us, bool ceiling_only = false) {
  if (!(time_us > 0)) return "";
  const double h = std::max(half_unit_us, 0.05) + 0.001;
  const double from_time = size_bytes / time_us / 1e3 * factor;
  const double lowest = size_bytes / (time_us + h) / 1e3 * factor * 0.98 - 0.006;
  const double highest = time_us > h ? size_bytes / (time_us - h) / 1e3 * factor * 1.02 + 0.006 : HUGE_VAL;
  if (GBps <= highest && (ceiling_only || GBps >= lowest)) return "";
  char buf[200];
  if (ceiling_only) {
    std::snprintf(buf, sizeof buf, "%.6g GB/s is more than the time allows on any number of ranks: %.6g B in %.6g us is at most %.6g GB/s of %s",
                  GBps, size_bytes, time_us, from_time, what);
    return buf;
  }
  const std::string ranks = nranks > 0 ? " on " + std::to_string(nranks) + " ranks" : "";
  std::snprintf(buf, sizeof buf, "%.6g GB/s disagrees with the time: %.6g B in %.6g us%s is %.6g GB/s of %s", GBps, size_bytes,
                time_us, ranks.c_str(), from_time, what);
  return buf;
}
}  // namespace

double printed_half_unit(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  int decimals = 0;
  bool digits = false, point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (point) ++decimals;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!digits) return 0;
  long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    const bool negative = j < text.size() && text[j] == '-';
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j == text.size()) return 0;
    for (; j < text.size(); ++j) {
      if (text[j] < '0' || text[j] > '9') return 0;
      exponent = std::min(exponent * 10 + (text[j] - '0'), 400L);
    }
    if (negative) exponent = -exponent;
    i = text.size();
  }
  if (i != text.size()) return 0;
  return 0.5 * std::pow(10.0, static_cast<double>(exponent - decimals));
}

std::string busbw_disagrees(Op op, int nranks, double size_bytes, double time_us, double busbw_GBps,
                            double time_half_unit_us) {
  // Ranks unknown: at most the factor of many ranks, 2 for all_reduce and 1 for the others.
  if (nranks < 1)
    return bandwidth_disagrees(op == Op::kAllReduce ? 2.0 : 1.0, "busbw", 0, size_bytes, time_us, busbw_GBps,
                               time_half_unit_us, true);
  return bandwidth_disagrees(busbw_factor(op, nranks), "busbw", nranks, size_bytes, time_us, busbw_GBps,
                             time_half_unit_us);
}

std::string count_disagrees(Op op, int nranks, std::uint64_t size_bytes, std::uint64_t count, int type_size) {
  const auto per_rank = count * static_cast<std::uint64_t>(type_size);  // measured counts are at most 2^50
  const bool split = op == Op::kAllGather || op == Op::kReduceScatter || op == Op::kAllToAll;
  const std::string said = "count " + std::to_string(count) + " x " + std::to_string(type_size) +
                           " B is not the size " + std::to_string(size_bytes) + " B";
  if (!split) return per_rank == size_bytes ? "" : said + " (" + op_name(op) + ": size = count x type size)";
  // size / per_rank, not per_rank x ranks: a count of 2^50 over many ranks overflows
  const bool whole = per_rank == 0 ? size_bytes == 0 : size_bytes % per_rank == 0;
  if (nranks > 0)
    return whole && (per_rank == 0 || size_bytes / per_rank == static_cast<std::uint64_t>(nranks))
               ? ""
               : said + " over " + std::to_string(nranks) + " ranks (" + op_name(op) +
                     ": size = count x type size x ranks)";
  return whole ? "" : said + " times any rank count (" + op_name(op) + ": size = count x type size x ranks)";
}

std::string algbw_disagrees(double size_bytes, double time_us, double algbw_GBps, double time_half_unit_us) {
  return bandwidth_disagrees(1.0, "algbw", 0, size_bytes, time_us, algbw_GBps, time_half_unit_us);
}

double busbw_factor(Op op, int nranks) {
  const double n = nranks;
  switch (op) {
    case Op::kAllReduce: return n > 0 ? 2.0 * (n - 1) / n : 0;
    case Op::kAllGather:
    case Op::kReduceScatter:
    case Op::kAllToAll: return n > 0 ? (n - 1) / n : 0;
    case Op::kBroadcast:
    case Op::kReduce:
    case Op::kSendRecv: return 1.0;
  }
  return 1.0;
}

std::vector<std::uint64_t> sweep_sizes(std::uint64_t min_bytes, std::uint64_t max_bytes, double factor,
                                       std::uint64_t step_bytes) {
  if (max_bytes < min_bytes)
    throw InputError("maximum size " + std::to_string(max_bytes) + " is smaller than the minimum size " + std::to_string(min_bytes));
  if (factor <= 1.0 && step_bytes == 0) throw InputError("step must be positive when the step factor is 1");
  std::vector<std::uint64_t> out;
  for (std::uint64_t s = min_bytes;;) {
    out.push_back(s);
    if (out.size() > 100000) throw InputError("size sweep has more than 100000 points");
    if (s >= max_bytes) break;  // also ends a sweep at 2^64 - 1, where s + 1 would wrap to 0
    std::uint64_t next = 0;
    if (factor > 1.0) {
      // Past max_bytes (or past 2^64, where the cast would be undefined) the sweep is over.
      const double grown = static_cast<double>(s) * factor;
      if (grown >= static_cast<double>(max_bytes) + 1.0) break;
      next = static_cast<std::uint64_t>(grown);
      if (next <= s) next = s + 1;  // -b 0 with a factor: nccl-tests would loop; we move on
    } else {
      if (step_bytes > max_bytes - s) break;
      next = s + step_bytes;
    }
    if (next > max_bytes) break;
    s = next;
  }
  return out;
}

}  // namespace commsim
