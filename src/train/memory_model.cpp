#include "train/memory_model.hpp"

#include <algorithm>

namespace commsim {

StageParams stage_params(const ModelSpec& m, const Stage& s, const Parallelism& p) {
  StageParams out;
  const double routed = m.moe ? m.moe->experts * m.mlp_params(m.moe->expert_ffn_hidden) : 0.0;
  const double moe_non_expert = m.moe ? m.moe_layer_params() - routed : 0.0;
  out.dense = (s.dense_layers * m.dense_layer_params() + s.moe_layers * moe_non_expert) / p.tp;
  if (m.moe) out.experts = s.moe_layers * routed / (static_cast<double>(p.ep) * p.tp);
  const double vh = static_cast<double>(m.vocab) * static_cast<double>(m.hidden) / p.tp;
  if (s.embedding) out.dense += vh;
  if (s.logits && (!m.tied_embeddings || p.pp > 1)) out.dense += vh;  // tied: one copy unless split over stages
  return out;
}

double activation_microbatches(int i, int p, int v, double m) {
  if (v <= 1) return std::max(1.0, std::min(m, static_cast<double>(p - i)));
  const double warmup = 2.0 * (p - i - 1) + (v - 1.0) * p;
  return std::max(1.0, std::min(m * v, warmup + 1.0)) / v;
}

namespace {

// Bytes per micro-batch of one dense and one MoE layer ([1]), and of the layer being recomputed under full
// recompute ([0] dense-stage, [1] stage with MoE layers): computed once, added per layer in layer order.
struct LayerActivations {
  double layer[2] = {0, 0}, full[2] = {0, 0};
};

LayerActivations layer_activations(const TrainConfig& c) {
  LayerActivations a;
  a.layer[0] = layer_activation_bytes(c.model, false, c);
  a.layer[1] = layer_activation_bytes(c.model, true, c);
  if (c.train.recompute == Recompute::kFull) {
    TrainConfig none = c;  // the layer being recomputed holds its full set during its backward
    none.train.recompute = Recompute::kNone;
    a.full[0] = layer_activation_bytes(c.model, false, none);
    a.full[1] = layer_activation_bytes(c.model, true, none);
  }
  return a;
}

MemoryBreakdown stage_memory(const TrainConfig& c, const Stage& s, int index, int stages, double m, const LayerActivations& act) {
  const Parallelism& p = c.par;
  const StageParams sp = stage_params(c.model, s, p);
  const double dp_dense = static_cast<double>(p.dp) * p.cp, dp_exp = dp_dense / p.ep;
  auto shard = [&](double per_param, int min_zero) {
    const bool split = p.zero >= min_zero;
    return per_param * (sp.dense / (split ? dp_dense : 1.0) + sp.experts / (split ? dp_exp : 1.0));
  };
  MemoryBreakdown b;
  b.stage = index;
  b.weights = shard(2.0, 3);
  b.gradients = shard(c.train.grad_bytes, 2);
  b.optimizer = shard(12.0, 1);
  if (p.zero >= 3 && s.layers > 0) b.weights += 2.0 * 2.0 * sp.total() / s.layers;  // current + prefetched layer

  double per_mb = 0;
  for (int l = s.first_layer; l < s.first_layer + s.layers; ++l) per_mb += act.layer[c.model.is_moe_layer(l) ? 1 : 0];
  b.in_flight = activation_microbatches(index, stages, p.vpp, m);
  b.activations = per_mb * b.in_flight;
  if (c.train.recompute == Recompute::kFull && s.layers > 0) b.activations += act.full[s.moe_layers > 0 ? 1 : 0];
  if (s.logits) b.activations += logits_activation_bytes(c.model, c);
  const MemoryOverhead& o = memory_overhead();
  b.runtime = o.used(b.allocated()) - b.allocated();
  return b;
}

}  // namespace

MemoryBreakdown stage_memory(const TrainConfig& c, const Stage& s, int index, int stages, double m) {
  return stage_memory(c, s, index, stages, m, layer_activations(c));
}

std::vector<MemoryBreakdown> stage_memories(const TrainConfig& c, const std::vector<Stage>& stages, double m) {
  const LayerActivations act = layer_activations(c);
  std::vector<MemoryBreakdown> out;
  out.reserve(stages.size());
  for (std::size_t i = 0; i < stages.size(); ++i)
    out.push_back(stage_memory(c, stages[i], static_cast<int>(i), static_cast<int>(stages.size()), m, act));
  return out;
}

}  // namespace commsim
