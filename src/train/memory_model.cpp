#include "train/memory_model.hpp"

#include <algorithm>

namespace commsim {

double layer_activation_bytes(const ModelSpec& m, bool moe_layer, const TrainConfig& c) {
  const Parallelism& p = c.par;
  const double T = static_cast<double>(c.train.micro_batch) * c.train.seq_len / p.cp;
  const double h = static_cast<double>(m.hidden), t = p.tp;
  const bool sp = p.sp();
  if (c.train.recompute == Recompute::kFull) return 2.0 * T * h / (sp ? t : 1.0);
  // Replicated across TP without SP: two norm inputs (4h), QKV and fc1 inputs (2h each), two dropout masks
  // (2h, only for models with dropout).
  const double replicated = (m.dropout ? 10.0 : 8.0) * h;
  // Split by TP: Q and K (2 bytes each), V, the projection input, the MLP intermediates.
  const double kdim = m.mla ? static_cast<double>(m.q_dim()) : static_cast<double>(m.kv_dim());
  const double vdim = m.mla ? static_cast<double>(m.v_dim()) : static_cast<double>(m.kv_dim());
  auto mlp_mid = [&](double f) { return (m.activation == Activation::kSwiglu ? 6.0 : 4.0) * f; };
  double split = 2.0 * (m.q_dim() + kdim) + 2.0 * vdim + 2.0 * m.v_dim();
  double routed = 0;
  if (moe_layer && m.moe) {
    const MoeSpec& e = *m.moe;
    // top_k copies of each token enter the experts (the fc1 input and the intermediates).
    routed = e.top_k * (2.0 * h + mlp_mid(static_cast<double>(e.expert_ffn_hidden)) / t);
    if (e.shared_experts > 0) split += mlp_mid(static_cast<double>(e.shared_ffn_hidden) * e.shared_experts);
  } else {
    split += mlp_mid(static_cast<double>(m.ffn_hidden));
  }
  double per_token = (sp ? replicated / t : replicated) + split / t + routed;
  double bytes = T * per_token;
  if (!c.train.flash_attention && c.train.recompute == Recompute::kNone)
    bytes += 5.0 * m.heads * static_cast<double>(c.train.seq_len) * T / t;  // scores, softmax, dropout
  return bytes;
}

StageParams stage_params(const ModelSpec& m, const Stage& s, const Parallelism& p) {
  StageParams out;
  const double moe_non_expert = m.moe ? m.moe_layer_params() - m.moe->experts * m.mlp_params(m.moe->expert_ffn_hidden) : 0.0;
  out.dense = (s.dense_layers * m.dense_layer_params() + s.moe_layers * moe_non_expert) / p.tp;
  const double vh = static_cast<double>(m.vocab) * static_cast<double>(m.hidden) / p.tp;
  if (s.embedding) out.dense += vh;
  if (s.logits && (!m.tied_embeddings || p.pp > 1)) out.dense += vh;  // tied: one copy unless split over stages
  if (m.moe) out.experts = s.moe_layers * m.moe->experts * m.mlp_params(m.moe->expert_ffn_hidden) / (static_cast<double>(p.ep) * p.tp);
  return out;
}

MemoryBreakdown stage_memory(const TrainConfig& c, const Stage& s, int index, int stages, double m) {
  const Parallelism& p = c.par;
  const StageParams sp = stage_params(c.model, s, p);
  const double dp_dense = static_cast<double>(p.dp) * p.cp, dp_exp = dp_dense / p.ep;
  auto shard = [&](double per_param, int min_zero) {
    const bool split = p.zero >= min_zero;
    return per_param * (sp.dense / (split ? dp_dense : 1.0) + sp.experts / (split ? dp_exp : 1.0));
  };
  MemoryBreakdown b;
  b.weights = shard(2.0, 3);
  b.gradients = shard(c.train.grad_bytes, 2);
  b.optimizer = shard(12.0, 1);
  if (p.zero >= 3 && s.layers > 0) {
    // Two unsharded layers in flight (the current one and the prefetched next).
    b.weights += 2.0 * 2.0 * sp.total() / s.layers;
  }
  double per_mb = 0;
  for (int l = s.first_layer; l < s.first_layer + s.layers; ++l)
    per_mb += layer_activation_bytes(c.model, c.model.is_moe_layer(l), c);
  const double T = static_cast<double>(c.train.micro_batch) * c.train.seq_len / p.cp;
  // Micro-batches whose activations the stage holds at the peak: stage i of p holds p - i in 1F1B.
  b.stage = index;
  double in_flight = std::min(m, static_cast<double>(stages - index));
  if (p.vpp > 1) in_flight *= 1.0 + (stages - 1.0) / (static_cast<double>(stages) * p.vpp);
  b.activations = per_mb * std::max(1.0, in_flight);
  if (c.train.recompute == Recompute::kFull && s.layers > 0) {
    TrainConfig sel = c;
    sel.train.recompute = Recompute::kSelective;
    b.activations += layer_activation_bytes(c.model, s.moe_layers > 0, sel);  // one layer rematerialised
  }
  if (s.logits) b.activations += T * static_cast<double>(c.model.vocab) / p.tp * 4.0 * 2.0;  // fp32 logits + grad
  return b;
}

MemoryBreakdown peak_memory(const TrainConfig& c, const std::vector<Stage>& stages, double m) {
  MemoryBreakdown best;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const MemoryBreakdown b = stage_memory(c, stages[i], static_cast<int>(i), static_cast<int>(stages.size()), m);
    if (i == 0 || b.total() > best.total()) best = b;
  }
  return best;
}

}  // namespace commsim
