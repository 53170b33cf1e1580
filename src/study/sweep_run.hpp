// Running one sweep point: the base with the point's values applied through the override path `--set` and
// the `train` flags use, then the training estimator or the collective simulator. A point that does not fit
// or whose combination is invalid is a row with a status and a reason, never an abort.
//
// Rows are plain records (google/benchmark's Run): reporters (report/sweep_report.hpp) format them.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "study/prices.hpp"
#include "study/sweep_contexts.hpp"
#include "study/sweep_spec.hpp"

namespace commsim {

struct SweepRow {
  std::size_t index = 0;
  std::string key;                  // point_key()
  std::vector<std::string> axes;    // values, aligned to SweepSpec::axes
  std::string status;               // ok | does_not_fit | invalid | error
  std::string reason;               // why, when status is not ok
  std::vector<double> numbers;      // aligned to SweepColumns::numbers; NaN when not computed
  std::vector<std::string> labels;  // aligned to SweepColumns::labels
};

struct SweepColumns {
  std::vector<std::string> numbers, labels;
};
// Training: step_time_s, tokens_per_s_per_gpu, mfu, memory_gib_per_gpu, ..., breakdown, totals; labels gpu,
// layout. Collective: ranks, nodes, time_us, algbw_GBps, busbw_GBps; labels gpu, algorithm, protocol,
// bottleneck.
const SweepColumns& sweep_columns(SweepKind kind);

class SweepRunner {
 public:
  explicit SweepRunner(const SweepSpec& spec) : spec_(spec) {}
  // Thread-safe: points may run concurrently.
  SweepRow run(const SweepPoint& p) const;

 private:
  void run_train(SweepRow& row, const std::vector<std::string>& values) const;
  void run_collective(SweepRow& row, const std::vector<std::string>& values) const;
  // A prices file (cost.prices; "" the shipped one), read once when a point first asks (cost.pricing).
  const Prices& prices(const std::string& file) const;
  const SweepSpec& spec_;
  mutable std::mutex base_mu_;  // yaml-cpp nodes are not safe to clone concurrently
  mutable std::mutex prices_mu_;
  mutable std::map<std::string, Prices> prices_;
  mutable SweepContexts contexts_;  // what points of one cluster share (study/sweep_contexts.hpp)
};

}  // namespace commsim
