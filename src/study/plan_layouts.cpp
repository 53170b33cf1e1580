#include "study/plan_layouts.hpp"

#include <algorithm>
#include <cmath>

#include "topo/system_loader.hpp"
#include "train/layout_search.hpp"

namespace commsim {

namespace {

std::optional<TrainEstimate> try_layout(TrainConfig cfg) {
  try {
    TrainEstimate e = estimate_training(cfg);
    if (e.fits && e.memory.needed() <= e.memory_capacity * (1.0 - cfg.search.memory_headroom)) return e;
  } catch (const InputError& e) {  // an invalid layout for this model and cluster: skip it
    // A fault of the system's or the model's files is no layout's (`gpu.arch: cpu`, which has no
    // efficiencies): it was skipped with every layout, and the plan said "no layout fits in memory", exit 0.
    const std::string& key = e.loc().key;
    for (const char* file_part : {"gpu.", "node.", "fabric.", "calibration.", "model."})
      if (key.rfind(file_part, 0) == 0) throw;
  }
  return std::nullopt;
}

}  // namespace

std::optional<TrainEstimate> quick_layout_search(const TrainConfig& base) {
  const SystemSpec spec = load_system(base.system, base.sets, base.sets_written_at);
  const int per_node = spec.node.gpus * spec.ranks_per_package();
  const long ranks = static_cast<long>(base.nodes) * per_node;
  const ModelSpec& m = base.model;
  const long batch = std::max(1L, base.train.global_batch);
  std::optional<TrainEstimate> best;
  for (int tp : {1, 2, 4, 8}) {
    if (tp > per_node || m.heads % tp != 0 || (m.kv_heads > 0 && m.kv_heads % tp != 0)) continue;
    for (int pp : {1, 2, 4, 8, 16, 32}) {
      if (m.layers % pp != 0 || ranks % (static_cast<long>(tp) * pp) != 0) continue;
      const long dp = ranks / (static_cast<long>(tp) * pp);
      if (batch % dp != 0) continue;  // the batch is held: a DP that does not divide it is no layout
      std::vector<int> eps{1};
      if (m.moe)
        for (int ep = 2; ep <= std::min<long>(m.moe->experts, dp); ep *= 2)
          if (m.moe->experts % ep == 0 && dp % ep == 0) eps.push_back(ep);
      for (int ep : eps) {
        TrainConfig cfg = base;
        cfg.par = Parallelism{};
        cfg.par.tp = tp;
        cfg.par.pp = pp;
        cfg.par.ep = ep;
        cfg.train.micro_batch = 1;
        cfg.train.global_batch = batch;
        cfg.train.recompute = Recompute::kSelective;
        std::optional<TrainEstimate> e = try_layout(cfg);
        if (!e) {
          cfg.train.recompute = Recompute::kFull;
          e = try_layout(cfg);
        }
        if (e && (!best || e->tokens_per_s > best->tokens_per_s)) best = std::move(e);
      }
    }
  }
  return best;
}

}  // namespace commsim

namespace commsim {

std::optional<TrainEstimate> auto_layout_search(const TrainConfig& base) {
  LayoutSearchOptions o = search_options(base);  // --set on a layout key fixes it
  o.limits.top = 1;
  LayoutSearchResult r = search_layouts(base, o);
  if (r.top.empty()) return std::nullopt;
  return std::move(r.top.front());
}

}  // namespace commsim
