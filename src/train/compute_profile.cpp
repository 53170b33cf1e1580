#include "train/compute_profile.hpp"

#include <algorithm>
#include <utility>

#include "train/estimate_context.hpp"
#include "train/moe_ops.hpp"

namespace commsim {
namespace {

struct Profiler {
  const Roofline& rl;
  bool lowp = false;  // low-precision training (fp8 formats, nvfp4)
  std::vector<OpProfile> rows;
};

void add_ops(Profiler& p, const std::string& part, int count, const std::vector<OpCost>& ops, double bwd_runs = -1) {
  const Roofline& rl = p.rl;
  for (const OpCost& o : ops) {
    OpProfile r;
    r.part = part, r.count = count, r.op = o;
    r.lowp = p.lowp && o.low_precision && o.unit == OpUnit::kGemm;
    const double t = rl.time(o);
    // The embedding and logits are timed as 3x their forward (estimator.cpp): backward runs 2.
    r.fwd_s = bwd_runs < 0 ? o.fwd_n * t : t;
    r.bwd_s = bwd_runs < 0 ? rl.backward_time(o) : bwd_runs * t;
    p.rows.push_back(std::move(r));
  }
}

// A layer's ops, and the wait for the host's expert kernel issue where layer_cost adds one.
void add_layer(Profiler& p, const std::string& part, int count, const std::vector<OpCost>& ops,
               const ExpertLaunches& launches) {
  std::vector<OpProfile>& rows = p.rows;
  const std::size_t first = rows.size();
  add_ops(p, part, count, ops);
  double fwd = 0, bwd = 0;
  for (std::size_t i = first; i < rows.size(); ++i) fwd += rows[i].fwd_s, bwd += rows[i].bwd_s;
  const LayerCost lc = layer_cost(p.rl, ops, launches);
  if (lc.fwd - fwd > 0 || lc.bwd - bwd > 0) {
    OpProfile r;
    r.part = part, r.count = count;
    r.op.name = "experts.host_issue";
    r.op.unit = OpUnit::kMemory;
    r.op.kernels = launches.fwd;
    r.fwd_s = std::max(0.0, lc.fwd - fwd), r.bwd_s = std::max(0.0, lc.bwd - bwd);
    rows.push_back(std::move(r));
  }
}

}  // namespace

std::vector<OpProfile> compute_profile(const TrainConfig& config) {
  EstimateContext ctx(config);
  TrainConfig c = config;
  check_layout(c, ctx.ranks());  // the layout errors estimate_training gives (heads % tp, EP folding, ...)
  Profiler p{ctx.roofline(c.train.precision), is_low_precision(c.train.precision), {}};
  const ModelSpec& m = c.model;
  const LocalShape sh = local_shape(c);
  auto launches = [&](LayerKind k) { return kind_has_moe(k) && m.moe ? expert_launches(*m.moe, sh) : ExpertLaunches{}; };
  for (int k = 0; k < kLayerKinds; ++k) {
    const LayerKind kind = static_cast<LayerKind>(k);
    const int n = m.layers_of(kind);
    if (n == 0) continue;
    add_layer(p, std::string(layer_kind_name(kind)) + " layer", n, layer_forward_ops(m, kind, sh), launches(kind));
  }
  add_ops(p, "embedding", 1, embedding_forward_ops(m, sh), 2);
  add_ops(p, "logits", 1, logits_forward_ops(m, sh), 2);
  if (const int n = c.mtp_layers(); n > 0) {
    const LayerKind last = m.layer_kind(m.layers - 1);
    add_layer(p, "mtp module", n, layer_forward_ops(m, last, sh), launches(last));
    add_ops(p, "mtp module", n, {mtp_projection_op(m, sh)}, 2);
    add_ops(p, "mtp module", n, logits_forward_ops(m, sh), 2);
  }
  return std::move(p.rows);
}

}  // namespace commsim
