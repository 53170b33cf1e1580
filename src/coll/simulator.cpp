#include "coll/simulator.hpp"

#include <algorithm>
#include <cmath>

#include "coll/protocols.hpp"
#include "core/error.hpp"

namespace commsim {

CollectiveSimulator::CollectiveSimulator(const Topology& topo, const CollectiveModel& model)
    : topo_(topo), model_(model), calibration_(topo.spec().calibration) {}

const AlgoBandwidth& CollectiveSimulator::bandwidth(const Algorithm& a, Op op) const {
  const auto key = std::make_pair(&a, op);
  auto it = cache_.find(key);
  if (it == cache_.end()) it = cache_.emplace(key, a.bandwidth(op, topo_, model_)).first;
  return it->second;
}

double CollectiveSimulator::time_of(const Algorithm& a, Op op, Proto p, double bytes) const {
  const TimeSplit s = split_of(a, op, p, bytes);
  const CalibrationScales& c = calibration_.for_op(op_name(op));
  return c.latency_scale * s.latency + s.bandwidth / c.bandwidth_scale_at(bytes);
}

TimeSplit CollectiveSimulator::split_of(const Algorithm& a, Op op, Proto p, double bytes) const {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (!a.supports_proto(p) || !protocol_enabled(p, topo_, model_, ring_intra_nvlink(topo_)) ||
      !a.unsupported(op, topo_).empty())
    return TimeSplit{inf, inf};
  const AlgoBandwidth& bw = bandwidth(a, op);
  const double factor = busbw_factor(op, topo_.ranks());
  double algbw = bw.algbw * a.proto_efficiency(p, topo_, model_);
  const double cap = a.bus_cap(op, p, topo_, model_);
  if (std::isfinite(cap) && factor > 0) algbw = std::min(algbw, cap / factor);
  TimeSplit s;
  s.latency = model_.launch_overhead() + a.latency(op, p, topo_, model_, bytes);
  if (bytes > 0) s.bandwidth = (bytes + model_.ramp_factor() * std::min(bytes, model_.ramp_saturation())) / algbw;
  return s;
}

namespace {
bool is_fp8(DataType dtype) { return dtype == DataType::kF8e4m3 || dtype == DataType::kF8e5m2; }
bool nccl_reduces(Op op) { return op == Op::kAllReduce || op == Op::kReduceScatter || op == Op::kReduce; }
bool runs_nccl(GpuArch arch) {
  return arch == GpuArch::kAmpere || arch == GpuArch::kAda || arch == GpuArch::kHopper || arch == GpuArch::kBlackwell;
}
}  // namespace

double fp8_ring_penalty(Op op, DataType dtype, int ranks, GpuArch arch) {
  return is_fp8(dtype) && nccl_reduces(op) && ranks > 8 && runs_nccl(arch) ? 1024.0 : 1.0;
}

std::string fp8_reduction_unsupported(Op op, DataType dtype, const GpuSpec& gpu) {
  if (!is_fp8(dtype) || !nccl_reduces(op) || (gpu.arch != GpuArch::kAmpere && gpu.arch != GpuArch::kAda)) return "";
  return std::string("NCCL reduces ") + dtype_info(dtype).name +
         " only on sm90 and newer GPUs (\"FP8 reduction support begins with sm90 capable devices\"), not on " + gpu.name + " (" +
         arch_name(gpu.arch) + "); all_gather, broadcast, alltoall and sendrecv move fp8 on any GPU";
}

Prediction CollectiveSimulator::predict(Op op, std::uint64_t requested_bytes, DataType dtype, const std::string& algo,
                                        std::optional<Proto> proto, RedOp redop) const {
  Prediction pr;
  pr.op = op;
  pr.dtype = dtype;
  pr.ranks = topo_.ranks();
  pr.sizes = op_sizes(op, requested_bytes, dtype_info(dtype).size, pr.ranks);
  const double bytes = static_cast<double>(pr.sizes.size_bytes);

  const std::string fp8_why = fp8_reduction_unsupported(op, dtype, topo_.spec().gpu);
  if (!fp8_why.empty()) throw InputError(fp8_why);

  // The switch's reduction support, beside the topology's: an NVLS prediction for prod or int8 was NCCL's
  // sum-of-float time, on an algorithm NCCL would not pick.
  const std::string nvls_why = nvls_reduction_unsupported(op, dtype, redop);
  auto unsupported = [&](const Algorithm& a) {
    std::string why = a.unsupported(op, topo_);
    if (why.empty() && (a.name() == "nvls" || a.name() == "nvls_tree")) why = nvls_why;
    return why;
  };
  if (proto) {
    const std::string why = protocol_unavailable(*proto, topo_, model_, ring_intra_nvlink(topo_));
    if (!why.empty()) throw InputError(why);
  }
  std::vector<const Algorithm*> candidates;
  if (algo == "auto") {
    for (const Algorithm* a : algorithms())
      if (a->in_auto() && unsupported(*a).empty()) candidates.push_back(a);
  } else {
    const Algorithm* a = find_algorithm(algo);
    if (a == nullptr) throw InputError("unknown algorithm '" + algo + "' (valid: auto, " + algorithm_names() + "; see --algo help)");
    const std::string why = unsupported(*a);
    if (!why.empty()) throw InputError("algorithm '" + algo + "' cannot run " + op_name(op) + " here: " + why);
    if (proto && !a->supports_proto(*proto))
      throw InputError(std::string("algorithm '") + algo + "' does not support protocol " + proto_name(*proto));
    candidates.push_back(a);
  }
  if (candidates.empty()) throw InputError(std::string("no algorithm can run ") + op_name(op) + " on this system");

  // NCCL's tuner relegates an fp8 reduction ring over more than 8 ranks (a chain deep enough to lose
  // precision) behind every other algorithm: its table entry is multiplied by 1024 (enqueue.cc,
  // updateCollCostTable). The penalty orders the candidates only; a ring chosen anyway runs at its time.
  const double penalty = fp8_ring_penalty(op, dtype, topo_.ranks(), topo_.spec().gpu.arch);
  double best = std::numeric_limits<double>::infinity();
  const Algorithm* best_algo = nullptr;
  Proto best_proto = Proto::kSimple;
  for (const Algorithm* a : candidates) {
    for (Proto p : kAllProtos) {
      if (proto && p != *proto) continue;
      if (!proto && bytes > a->auto_max_bytes(op, p, topo_, model_)) continue;
      const double t = time_of(*a, op, p, bytes) * (a->name() == "ring" ? penalty : 1.0);
      if (t < best) {
        best = t;
        best_algo = a;
        best_proto = p;
      }
    }
  }
  if (best_algo == nullptr) {
    throw InputError(std::string("no algorithm supports protocol ") + (proto ? proto_name(*proto) : "?") + " for " + op_name(op));
  }
  pr.time_us = time_of(*best_algo, op, best_proto, bytes) * 1e6;
  const TimeSplit split = split_of(*best_algo, op, best_proto, bytes);
  pr.latency_us = split.latency * 1e6;
  pr.bandwidth_us = split.bandwidth * 1e6;
  pr.algorithm = std::string(best_algo->name());
  pr.proto = best_proto;
  pr.bottleneck = bandwidth(*best_algo, op).bottleneck;
  pr.algbw_GBps = algbw_GBps(pr.sizes.size_bytes, pr.time_us);
  pr.busbw_GBps = pr.algbw_GBps * busbw_factor(op, pr.ranks);
  return pr;
}

}  // namespace commsim
