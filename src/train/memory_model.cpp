#include "train/memory_model.hpp"

#include <algorithm>
#include <optional>

namespace commsim {

StageParams stage_params(const ModelSpec& m, const Stage& s, const Parallelism& p) {
  StageParams out;
  const double routed = m.moe ? m.moe->experts * m.mlp_params(m.moe->expert_ffn_hidden) : 0.0;
  const double moe_non_expert = m.moe ? m.moe_layer_params() - routed : 0.0;
  double dense = 0;
  for (int k = 0; k < kLayerKinds; ++k) {
    const LayerKind kind = static_cast<LayerKind>(k);
    if (s.count(kind) > 0) dense += s.count(kind) * (kind_has_moe(kind) ? m.kind_params(kind) - routed : m.kind_params(kind));
  }
  out.dense = dense / p.tp;
  if (m.moe) out.experts = s.moe_layers() * routed / (static_cast<double>(p.ep) * p.expert_tp());
  if (s.mtp_layers > 0) {
    // Each MTP module: one layer of the model's last kind (an MoE layer for DeepSeek-V3), its projection
    // of [norm(h); norm(emb)] (2h x h) and two norms; embedding and output layer shared with the model.
    const bool moe_mtp = m.is_moe_layer(m.layers - 1);
    const double layer = moe_mtp ? moe_non_expert : m.dense_layer_params();
    const double h = static_cast<double>(m.hidden);
    out.dense += s.mtp_layers * (layer + 2.0 * h * h + 2.0 * h) / p.tp;
    if (moe_mtp) out.experts += s.mtp_layers * routed / (static_cast<double>(p.ep) * p.expert_tp());
  }
  const double vh = static_cast<double>(m.vocab) * static_cast<double>(m.hidden) / p.tp;
  if (s.embedding) out.dense += vh;
  if (s.logits && (!m.tied_embeddings || p.pp > 1)) out.dense += vh;  // tied: one copy unless split over stages
  return out;
}

double activation_microbatches(int i, int p, int v, double m) {
  return schedule_in_flight(v > 1 ? Schedule::kInterleaved : Schedule::k1f1b, i, p, v, m);
}

namespace {

// ZeRO-3 (FSDP) gathers each unit's weights (bf16) before it computes and prefetches the next: at its peak a
// stage holds two adjacent units gathered beside its shards. The units, in order: the embedding, the layers,
// the MTP modules, the output layer; each counts only the part whose group exceeds one rank (dp x cp = 1, or
// edp = 1 for the experts, keeps its whole weights already and gathers nothing, as estimator.cpp costs no
// gather either). The largest adjacent pair is bounded by the largest layers (the stage's layer order aside).
double gathered_weights(const ModelSpec& m, const Stage& s, const Parallelism& p) {
  const bool dense_split = static_cast<double>(p.zero_dp()) * p.cp > 1, expert_split = p.edp_shard() > 1;
  auto gathered = [&](const Stage& unit) {
    const StageParams u = stage_params(m, unit, p);
    return 2.0 * ((dense_split ? u.dense : 0.0) + (expert_split ? u.experts : 0.0));
  };
  double l1 = 0, l2 = 0;  // the two largest layers (l2 = 0 with one layer)
  for (int k = 0; k < kLayerKinds; ++k) {
    const int n = s.kinds[static_cast<std::size_t>(k)];
    if (n == 0) continue;
    Stage one;
    one.kinds[static_cast<std::size_t>(k)] = 1;
    const double u = gathered(one);
    for (int i = 0; i < std::min(n, 2); ++i) {
      if (u > l1) l2 = l1, l1 = u;
      else l2 = std::max(l2, u);
    }
  }
  Stage unit;
  unit.embedding = s.embedding;
  const double e = s.embedding ? gathered(unit) : 0.0;
  unit.embedding = false, unit.logits = s.logits;
  const double o = s.logits ? gathered(unit) : 0.0;
  unit.logits = false, unit.mtp_layers = 1;
  const double t = s.mtp_layers > 0 ? gathered(unit) : 0.0, t2 = s.mtp_layers > 1 ? t : 0.0;
  const double before_output = t > 0 ? std::max(t + t2, t + o) : l1 + o;
  return std::max({l1 + l2, e + l1, l1 + t, before_output});
}

// Bytes per micro-batch of one layer of each kind (LayerKind), and of the layer being recomputed under full
// recompute: computed once per config (the layout search calls this for every layout), added per layer.
struct LayerActivations {
  std::array<double, kLayerKinds> layer{}, full{};
  const MemoryOverhead* overhead = nullptr;  // memory_overhead(), looked up once (it locks and checks the data dir)
};

LayerActivations layer_activations(const TrainConfig& c) {
  LayerActivations a;
  a.overhead = &memory_overhead();
  const bool full = c.train.recompute == Recompute::kFull;
  std::optional<TrainingParams> none;  // the layer being recomputed holds its full set during its backward
  if (full) none = c.train, none->recompute = Recompute::kNone;
  for (int k = 0; k < kLayerKinds; ++k) {
    const LayerKind kind = static_cast<LayerKind>(k);
    if (c.model.layers_of(kind) == 0) continue;
    a.layer[static_cast<std::size_t>(k)] = layer_activation_bytes(c.model, kind, c.par, c.train);
    if (full) a.full[static_cast<std::size_t>(k)] = layer_activation_bytes(c.model, kind, c.par, *none);
  }
  return a;
}

double stage_activation_bytes(const TrainConfig& c, const Stage& s, const LayerActivations& act) {
  // Block recompute (training.recompute_num_layers): a share f of the layers keeps only its input, the rest
  // its full set (act.full, the set without recompute).
  const double f = recomputed_share(s, c);
  double per_mb = 0;
  for (std::size_t k = 0; k < act.layer.size(); ++k) per_mb += s.kinds[k] * (f * act.layer[k] + (1.0 - f) * act.full[k]);
  if (s.mtp_layers > 0) {
    // An MTP module keeps its layer's activations and its projection's input (2h per token, bf16).
    const double T = static_cast<double>(c.train.micro_batch) * c.train.seq_len / c.par.cp;
    const double r = c.par.sp() ? 1.0 / c.par.tp : 1.0;
    per_mb += s.mtp_layers * (act.layer[static_cast<std::size_t>(c.model.layer_kind(c.model.layers - 1))] +
                              2.0 * 2.0 * static_cast<double>(c.model.hidden) * T * r);
  }
  return per_mb;
}

MemoryBreakdown stage_memory(const TrainConfig& c, const Stage& s, int index, int stages, double m, const LayerActivations& act) {
  const Parallelism& p = c.par;
  const StageParams sp = stage_params(c.model, s, p);
  // ZeRO shards over dp x cp for dense weights and over the expert-DP group for experts; hybrid sharding
  // (dp_shard) over one copy's part of each.
  const double dp_dense = static_cast<double>(p.zero_dp()) * p.cp, dp_exp = p.edp_shard();
  auto shard = [&](double per_param, int min_zero) {
    const bool split = p.zero >= min_zero;
    return per_param * (sp.dense / (split ? dp_dense : 1.0) + sp.experts / (split ? dp_exp : 1.0));
  };
  MemoryBreakdown b;
  b.stage = index;
  b.weights = shard(2.0, 3);
  b.gradients = shard(c.train.grad_bytes, 2);
  b.optimizer = shard(4.0 + 2.0 * c.train.moment_bytes, 1);  // fp32 master, Adam m and v
  if (p.zero >= 3) b.weights += gathered_weights(c.model, s, p);

  b.in_flight = schedule_in_flight(p.sched(), index, stages, p.vpp, m);
  b.activations = stage_activation_bytes(c, s, act) * b.in_flight;
  if (c.train.recompute == Recompute::kFull && s.layers > 0) {
    // The layer being recomputed: a MoE layer's set where the stage has one; a hybrid stack's largest block.
    // Its input is in that set and already counted as its checkpoint (counting it twice made recomputing
    // every layer hold more than recomputing all but one).
    auto rebuilt = [&](std::size_t k) { return act.full[k] - act.layer[k]; };
    double largest =
        rebuilt(static_cast<std::size_t>(s.moe_layers() > 0 ? LayerKind::kMoe : LayerKind::kDense));
    if (c.model.hybrid())
      for (std::size_t k = 0; k < act.full.size(); ++k)
        if (s.kinds[k] > 0) largest = std::max(largest, rebuilt(k));
    // Block recompute: a chunk's later layers, not recomputed, run their backward first and free their sets
    // before its first recomputed layer is rebuilt, which raises the peak only by what exceeds them (it
    // counted one layer's set on top, and N = 1 needed more than no recompute).
    if (const double f = recomputed_share(s, c); f < 1.0) {
      const int chunks = c.par.sched() == Schedule::kInterleaved ? c.par.vpp : 1;
      double kept = 0;
      for (std::size_t k = 0; k < act.full.size(); ++k) kept += s.kinds[k] * act.full[k];
      largest = std::max(0.0, largest - (1.0 - f) * kept / chunks);
    }
    b.activations += largest;
  }
  if (s.logits) b.activations += (1 + s.mtp_layers) * logits_activation_bytes(c.model, c);  // each MTP module has its own loss
  const MemoryOverhead& o = *act.overhead;
  b.runtime = o.used(b.allocated(), c.par.multi_rank()) - b.allocated();
  b.cache = o.reserved(b.allocated()) - b.allocated();
  return b;
}

}  // namespace

MemoryBreakdown stage_memory(const TrainConfig& c, const Stage& s, int index, int stages, double m) {
  return stage_memory(c, s, index, stages, m, layer_activations(c));
}

double peak_stage_memory(const TrainConfig& c, const std::vector<Stage>& stages, double m) {
  if (c.par.sched() == Schedule::kDualPipe) {
    double peak = 0;
    for (const MemoryBreakdown& b : stage_memories(c, stages, m)) peak = std::max(peak, b.needed());
    return peak;
  }
  const LayerActivations act = layer_activations(c);
  const int n = static_cast<int>(stages.size());
  double peak = 0;
  for (int i = 0; i < n; ++i) peak = std::max(peak, stage_memory(c, stages[i], i, n, m, act).needed());
  return peak;
}

std::vector<MemoryBreakdown> stage_memories(const TrainConfig& c, const std::vector<Stage>& stages, double m) {
  const LayerActivations act = layer_activations(c);
  std::vector<MemoryBreakdown> out;
  const int n = static_cast<int>(stages.size());
  out.reserve(n);
  for (int i = 0; i < n; ++i) out.push_back(stage_memory(c, stages[i], i, n, m, act));
  if (c.par.sched() != Schedule::kDualPipe) return out;
  // DualPipe: rank i holds stages i and p - 1 - i (both directions): the model states of both, p + 1
  // micro-batches of the mean of their activations, and the loss of whichever is the last stage.
  std::vector<MemoryBreakdown> dual(n);
  const MemoryOverhead& o = memory_overhead();
  for (int i = 0; i < n; ++i) {
    const MemoryBreakdown &a = out[i], &b = out[n - 1 - i];
    MemoryBreakdown& d = dual[i];
    d.stage = i;
    d.weights = a.weights + b.weights;
    d.gradients = a.gradients + b.gradients;
    d.optimizer = a.optimizer + b.optimizer;
    d.in_flight = a.in_flight;
    const Stage& last = stages.back();
    const double loss = (1 + last.mtp_layers) * logits_activation_bytes(c.model, c);
    const double act_a = a.activations - (stages[i].logits ? loss : 0.0);
    const double act_b = b.activations - (stages[n - 1 - i].logits ? loss : 0.0);
    d.activations = (act_a + act_b) / 2.0 + (i == 0 || i == n - 1 ? loss : 0.0);
    d.runtime = o.used(d.allocated(), c.par.multi_rank()) - d.allocated();
    d.cache = o.reserved(d.allocated()) - d.allocated();
  }
  return dual;
}

}  // namespace commsim
