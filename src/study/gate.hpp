// Pass/fail gates of `commsim validate` (--max-median-error, --max-row-error, ...): a bound in percent on the
// median or the worst |error| of the compared rows, error = (predicted - reference) / reference.
//
// A gate means something or refuses to run:
//   - the bound must be a finite number >= 0 (check_gate_bound: InputError naming the flag, exit 2);
//   - it fails (RuntimeError, exit 1) when no row qualifies, when any compared error is not finite (NaN or
//     inf never compares above a bound, so it would pass silently), or when the statistic exceeds the bound.
// Example (tested): errors {0.10, -0.20, 0.05}: median |error| 10%, worst 20%; bound 15 passes the median
// gate and fails the worst-row gate.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace commsim {

enum class GateStat { kMedian, kWorst };

struct Gate {
  std::string flag;             // "--max-median-error-64m": named in every message
  std::string rows;             // what the rows are: "rows >= 64 MiB"
  GateStat stat = GateStat::kMedian;
  std::optional<double> bound;  // percent; unset: no gate
};

// Throws InputError if the bound is set and negative, NaN or infinite.
void check_gate_bound(const Gate& g);

// Throws RuntimeError if the gate is set and fails on `errors` (fractions, signed). No-op when unset.
void enforce_gate(const Gate& g, const std::vector<double>& errors);

}  // namespace commsim
