#include "time_limit.hpp"

#include <algorithm>
#include <cmath>

namespace commsim::bench {
namespace {

constexpr double kStartupSeconds = 10;
constexpr double kStartupPerRankSeconds = 0.1;
constexpr double kUnitSeconds = 0.05;
constexpr double kSlowBytesPerSecond = 1e8;
constexpr double kCapSeconds = 7 * 24 * 3600;

}  // namespace

int default_timeout_s(const Options& o, std::int64_t nranks) {
  const double units =
      o.warmup_iters + 1.0 + static_cast<double>(o.iters) * o.agg_iters + 1.0 + 3.0 * o.check;
  double per_placement = 0;  // seconds for one pass over the sweep, one placement
  for (std::uint64_t bytes : sweep_sizes(o.min_bytes, o.max_bytes, o.step_factor, o.step_bytes))
    per_placement += units * (kUnitSeconds + static_cast<double>(bytes) / kSlowBytesPerSecond);
  double cases = 0;  // (op, type, redop) combinations; the redop only multiplies reducing collectives
  for (Op op : o.ops)
    cases += static_cast<double>(o.types.size()) * (op_info(op).reduces ? o.redops.size() : 1);
  const double total =
      kStartupSeconds + kStartupPerRankSeconds * static_cast<double>(nranks) + cases * 2 * per_placement;
  return static_cast<int>(std::clamp(std::ceil(total), 1.0, kCapSeconds));
}

int effective_timeout_s(const Options& o, std::int64_t nranks) {
  return o.timeout_s ? *o.timeout_s : default_timeout_s(o, nranks);
}

}  // namespace commsim::bench
