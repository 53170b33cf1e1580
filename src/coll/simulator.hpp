// The user API of the collective model: predict one nccl-tests row (op, size, type) on a topology, with the
// algorithm and protocol forced or chosen the way NCCL's tuner does (lowest predicted time).
// The max-min solve of each (algorithm, op) is size-independent and cached, so a size sweep costs one solve
// per algorithm plus arithmetic per size.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "coll/algorithm.hpp"
#include "hw/gpu_spec.hpp"

namespace commsim {

struct Prediction {
  Op op = Op::kAllReduce;
  DataType dtype = DataType::kFloat;
  int ranks = 0;
  OpSizes sizes;          // nccl-tests byte counts
  double time_us = 0;
  double algbw_GBps = 0;
  double busbw_GBps = 0;
  std::string algorithm;  // chosen or forced
  Proto proto = Proto::kSimple;
  std::string bottleneck;
  double latency_us = 0, bandwidth_us = 0;  // the chosen candidate's two terms before calibration scaling
};

// One candidate's time split into the two terms a calibration scales (seconds):
//   latency   = launch overhead + algorithm latency
//   bandwidth = (S + ramp x min(S, saturation)) / algbw
struct TimeSplit {
  double latency = 0, bandwidth = 0;
};

// NCCL's selection weight of a ring (enqueue.cc): 1024 for an all_reduce, reduce_scatter or reduce of
// f8e4m3/f8e5m2 over more than 8 ranks, else 1. NCCL moves the fp8 of an all_gather or broadcast as int8
// (taskAppend), so those keep their ring; systems of other vendors and host ranks run other libraries (1).
// It multiplies the ring's time when the tuner compares candidates, never the time reported.
double fp8_ring_penalty(Op op, DataType dtype, int ranks, GpuArch arch);

// Why NCCL refuses this reduction on this GPU ("" when it runs): fp8 all_reduce, reduce_scatter and reduce
// need sm90 or newer (enqueue.cc); on Ampere and Ada NCCL returns ncclInvalidArgument. Other vendors' GPUs
// and host ranks run their own libraries and are not judged.
std::string fp8_reduction_unsupported(Op op, DataType dtype, const GpuSpec& gpu);

class CollectiveSimulator {
 public:
  explicit CollectiveSimulator(const Topology& topo, const CollectiveModel& model = CollectiveModel::shipped());

  // `algo`: "auto" or an algorithm name; `proto`: nullopt for auto. Throws InputError when a forced
  // algorithm cannot run the op here or does not support the protocol, or the name is unknown.
  // `redop`: NVLS and NVLSTree reduce only some operations of some types (nvls_reduction_unsupported).
  Prediction predict(Op op, std::uint64_t requested_bytes, DataType dtype, const std::string& algo = "auto",
                     std::optional<Proto> proto = std::nullopt, RedOp redop = RedOp::kSum) const;

  // Time of one algorithm/protocol for S bytes (seconds); infinity when unsupported. With the system's
  // calibration: t = latency_scale x split.latency + split.bandwidth / bandwidth_scale_at(bytes)
  // (graded above the calibration's cache_bytes: CalibrationScales::bandwidth_scale_at).
  double time_of(const Algorithm& a, Op op, Proto p, double bytes) const;
  // The unscaled terms of time_of (both infinite when unsupported).
  TimeSplit split_of(const Algorithm& a, Op op, Proto p, double bytes) const;
  // Replaces the calibration taken from the topology's system (used by the fit).
  void set_calibration(const Calibration& c) { calibration_ = c; }
  const AlgoBandwidth& bandwidth(const Algorithm& a, Op op) const;
  const Topology& topology() const { return topo_; }
  const CollectiveModel& model() const { return model_; }

 private:
  const Topology& topo_;
  const CollectiveModel& model_;
  Calibration calibration_;
  mutable std::map<std::pair<const Algorithm*, Op>, AlgoBandwidth> cache_;
};

}  // namespace commsim
