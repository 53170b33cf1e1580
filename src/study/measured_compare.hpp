// Measured rows against the simulator: which sizes of a sweep to use, and the prediction of each measured
// row on a system (same op, size, type and rank count; the algorithm chosen as NCCL's tuner would).
// Used by `commsim calibrate` (the fit) and `commsim validate collectives --measured` (the comparison).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "coll/simulator.hpp"
#include "study/measurements.hpp"

namespace commsim {

// Rows of each sweep (same file, op, type and ranks) to use: all, the even- or odd-indexed sizes (0 = the
// smallest), optionally within a size range. Text: "all" | "even" | "odd" | "MIN:MAX" | "odd,MIN:MAX", sizes
// with nccl-tests suffixes (64K = 65536), either bound may be empty ("64K:").
struct SizeSelection {
  enum class Index { kAll, kEven, kOdd };
  Index index = Index::kAll;
  std::uint64_t min = 0, max = UINT64_MAX;
  std::string text = "all";
  static SizeSelection parse(const std::string& text);  // InputError on bad text
};
std::vector<bool> select_sizes(const std::vector<Measurement>& rows, const SizeSelection& sel);

// --nodes / --gpus / --gpus-per-node as given (0 = not given).
struct ScaleRequest {
  int nodes = 0, gpus = 0, gpus_per_node = 0;
  bool given() const { return nodes > 0 || gpus > 0 || gpus_per_node > 0; }
};

struct MeasuredRow {
  Measurement m;
  int nodes = 1, ranks = 0;
  double predicted_us = 0, predicted_busbw_GBps = 0;
  double latency_us = 0, bandwidth_us = 0;  // the chosen candidate's terms before calibration scaling
  std::string algorithm, protocol;
  double time_error() const { return (predicted_us - m.measured_time_us()) / m.measured_time_us(); }
  // The measured busbw from the measured time, size / time x the op's factor on the row's ranks: the printed
  // one has two decimals (a true 0.0331 printed 0.03 made bw_err +42% beside a t_err of -22%; 0.00 was no
  // figure at all) and is checked against the time only within its digits and 2% (measurements.cpp).
  double measured_busbw() const { return busbw_GBps(m.op, ranks, m.size_bytes, m.measured_time_us()); }
  // So bw_err = 1 / (1 + t_err) - 1 on every row; NaN only without a time.
  double busbw_error() const {
    const double b = measured_busbw();
    return b > 0 ? (predicted_busbw_GBps - b) / b : std::numeric_limits<double>::quiet_NaN();
  }
};

// Predicts measured rows on one system, keeping a topology and simulator per scale. The scale of a row is
// the request when given (the row must have been measured on as many ranks), else its own rank count and,
// when known, node count. Throws InputError naming the row's file:line when it cannot be predicted.
class MeasuredPredictor {
 public:
  MeasuredPredictor(const SystemSpec& spec, const ScaleRequest& req) : spec_(spec), req_(req) {}
  MeasuredRow predict(const Measurement& m, const Calibration& cal);
  std::vector<MeasuredRow> predict_all(const std::vector<Measurement>& rows, const Calibration& cal);
  // The simulator of a row's scale (checked as predict does), e.g. to list its candidates' terms.
  const CollectiveSimulator& simulator_for(const Measurement& m) { return *sim_for(m).sim; }

 private:
  struct Sim {
    std::unique_ptr<Topology> topo;
    std::unique_ptr<CollectiveSimulator> sim;
  };
  Sim& sim_for(const Measurement& m);
  const SystemSpec& spec_;
  ScaleRequest req_;
  std::map<std::tuple<int, int, bool>, Sim> sims_;  // (nodes, gpus per node, NVLS off by NCCL_NVLS_ENABLE=0)
  std::unique_ptr<SystemSpec> no_nvls_;             // spec_ without NVLS, for runs that turned it off
};

// Median and worst |x| (0 for none).
struct AbsStats {
  int rows = 0;
  double median = 0, worst = 0;
};
// Over the finite values (a NaN error is a row without that figure).
AbsStats abs_stats(std::vector<double> values);

}  // namespace commsim
