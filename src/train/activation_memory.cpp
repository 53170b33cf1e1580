#include "train/activation_memory.hpp"

#include <algorithm>

namespace commsim {

unsigned selective_modules(const TrainingParams& t) {
  return t.recompute_modules ? t.recompute_modules : static_cast<unsigned>(kRecomputeCoreAttn);
}

unsigned effective_recompute_modules(const TrainingParams& t) { return t.recompute == Recompute::kSelective ? selective_modules(t) : 0; }

double layer_activation_bytes(const ModelSpec& m, bool moe_layer, const TrainConfig& c) {
  return layer_activation_bytes(m, moe_layer, c.par, c.train);
}

double layer_activation_bytes(const ModelSpec& m, bool moe_layer, const Parallelism& p, const TrainingParams& tr) {
  return layer_activation_bytes(m, moe_layer && m.moe ? LayerKind::kMoe : LayerKind::kDense, p, tr);
}

double layer_activation_bytes(const ModelSpec& m, LayerKind kind, const Parallelism& p, const TrainingParams& tr) {
  const double T = static_cast<double>(tr.micro_batch) * tr.seq_len / p.cp;
  const double h = static_cast<double>(m.hidden), t = p.tp;
  const double r = p.sp() ? 1.0 / t : 1.0;  // share of the tokens a TP rank keeps outside the TP region
  if (tr.recompute == Recompute::kFull) return 2.0 * T * h * r;
  const unsigned mods = effective_recompute_modules(tr);
  // GEMM inputs kept for the backward in the run's low precision (an fp8 byte; nvfp4's column-wise copy, half
  // a byte and a scale per 16) where Transformer Engine caches them (fp8_activation_cache).
  const bool lowp_cache = is_low_precision(tr.precision) && tr.fp8_activation_cache.value_or(true);
  const double g = lowp_cache ? gemm_input_bytes(tr.precision) : 2.0;
  const bool is_moe = kind_has_moe(kind) && m.moe;
  const bool attention = kind_has_attention(kind), mixer = kind_has_mixer(kind), ffn = kind_has_ffn(kind);

  if ((mods & kRecomputeOpSac) && kind == LayerKind::kDense) {
    // torchtitan's op-level SAC keeps the outputs of matmuls 1, 3, 5, 7 of wq wk wv wo w1 w3 w2 and of the
    // attention, recomputes the rest: layer input, Q, V, O, the w1 output, the w2 output.
    const double f = static_cast<double>(m.ffn_hidden);
    double op = 2.0 * h * r + (2.0 * m.q_dim() + 2.0 * m.kv_dim() + 2.0 * m.v_dim() + 2.0 * f) / t + 2.0 * h * r;
    if (m.dropout) op += 2.0 * h * r;
    return T * op;
  }
  // Norm inputs, norm outputs, dropout masks: one of each per block (two in a transformer layer).
  const int blocks = kind_blocks(kind);
  double per_token = 2.0 * blocks * h * r;
  if (!(mods & kRecomputeLayernorm)) {
    if (mixer && ffn) per_token += g * h * r + (is_moe ? 2.0 : g) * h * r;
    else per_token += (is_moe ? 2.0 : g) * h * r;
  }
  if (m.dropout) per_token += blocks * h * r;

  // Mamba-2 (mamba_ops.hpp): the in_proj output (z, x, B, C, dt), the conv output (x, B, C), dt in fp32,
  // the scan output y, the gated norm's output (the out_proj input); the scan's chunk states are recomputed
  // in its backward (mamba_chunk_scan_combined saves its inputs only).
  if (kind == LayerKind::kMamba && m.mamba) {
    const MambaSpec& b = *m.mamba;
    const double di = b.inner(), gn = b.group_state();
    per_token += (2.0 * (2.0 * di + 2.0 * gn + b.heads) + 2.0 * (di + 2.0 * gn) + 4.0 * b.heads + 2.0 * di + g * di) / t;
  }

  // Attention: Q, K, V (from the up-projections under MLA), the output O.
  if (attention && m.mla) {
    const MlaSpec& a = *m.mla;
    const double ql = static_cast<double>(a.q_lora_rank), kvl = static_cast<double>(a.kv_lora_rank);
    per_token += (ql > 0 ? (2.0 + g) * ql : 0.0) + (2.0 + g) * kvl + 2.0 * a.qk_rope_head_dim;
    if (!(mods & kRecomputeMlaUpProj)) per_token += (2.0 * 2.0 * m.q_dim() + 2.0 * m.v_dim()) / t;
  } else if (attention) {
    per_token += (2.0 * (m.q_dim() + m.kv_dim()) + 2.0 * m.kv_dim()) / t;
  }
  if (attention) per_token += 2.0 * m.v_dim() / t;

  // MLP: dense, or router + routed experts + shared experts.
  const bool swiglu = m.activation == Activation::kSwiglu;
  auto mlp = [&](double f, bool drop_act, double fc1_out = 2.0) {
    return (fc1_out * (swiglu ? 2.0 : 1.0) * f + (drop_act ? 0.0 : g * f)) / t;
  };
  if (is_moe) {
    const MoeSpec& e = *m.moe;
    if (!(mods & kRecomputeMoe)) {
      per_token += 4.0 * e.experts * r;
      const bool drop_act = mods & kRecomputeMoeAct;
      const double fc1_out = drop_act && tr.moe_act_input_fp8 && is_low_precision(tr.precision) ? 1.0 : 2.0;
      // Each routed copy's input: the dispatcher gathers tokens over the expert-TP group only, so under SP a
      // rank holds etp/tp of the T tokens' copies (all of them at etp = tp; helper-123: counted whole at etp
      // 1, 3 GiB too much on Qwen3-30B at TP 2); the experts' hidden, T·k/tp tokens at full width or T·k at
      // 1/etp, is T·k·f/tp either way.
      const double dispatched = std::min(1.0, p.expert_tp() * r);
      per_token +=
          e.top_k * (dispatched * g * h + mlp(static_cast<double>(e.expert_ffn_hidden), drop_act, fc1_out));
      if (e.shared_experts > 0 && !(mods & kRecomputeSharedExperts))
        per_token += e.shared_experts * mlp(static_cast<double>(e.shared_ffn_hidden), false);
    }
  } else if (ffn && !(mods & kRecomputeMlp)) {
    per_token += mlp(static_cast<double>(m.ffn_hidden), mods & kRecomputeMlpAct);
  }

  double bytes = T * per_token;
  if (!attention) return bytes;
  // Without FlashAttention the scores, softmax and its dropout are kept: 5 bytes per score (Korthikanti).
  if (!tr.flash_attention && tr.recompute == Recompute::kNone) bytes += 5.0 * m.heads * static_cast<double>(tr.seq_len) * T / t;
  if (!tr.flash_attention && tr.recompute == Recompute::kSelective && !(mods & kRecomputeCoreAttn))
    bytes += 5.0 * m.heads * static_cast<double>(tr.seq_len) * T / t;
  return bytes;
}

double logits_activation_bytes(const ModelSpec& m, const TrainConfig& c) {
  const double T = static_cast<double>(c.train.micro_batch) * c.train.seq_len / c.par.cp;
  return c.train.loss_bytes_per_logit * T * static_cast<double>(m.vocab) / c.par.tp;
}

}  // namespace commsim
