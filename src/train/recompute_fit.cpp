#include "train/recompute_fit.hpp"

#include <algorithm>

#include "train/estimator.hpp"
#include "train/pipeline_layout.hpp"

namespace commsim {

std::optional<TrainConfig> least_recompute_that_fits(const TrainConfig& c) {
  EstimateContext ctx(c);
  auto fits = [&ctx](const TrainConfig& t) { return estimate_training(t, ctx).fits; };
  if (fits(c)) return c;
  TrainConfig t = c;
  if (c.train.recompute == Recompute::kNone) {
    t.train.recompute = Recompute::kSelective;
    t.train.recompute_layers = 0;
    if (fits(t)) return t;
  }
  t.train.recompute = Recompute::kFull;
  t.train.recompute_layers = 0;
  if (!fits(t)) return std::nullopt;
  // The most layers a model chunk holds: N at or above it recomputes every layer.
  const int chunks = c.par.sched() == Schedule::kInterleaved ? c.par.vpp : 1;
  int most = 1;
  for (const Stage& s : pipeline_stages(c.model, c.par, c.mtp_layers())) most = std::max(most, (s.layers + chunks - 1) / chunks);
  int lo = 1, hi = most;  // the answer is in [lo, hi]; hi fits (it is every layer)
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    t.train.recompute_layers = mid;
    if (fits(t)) hi = mid;
    else lo = mid + 1;
  }
  t.train.recompute_layers = hi < most ? hi : 0;
  return t;
}

}  // namespace commsim
