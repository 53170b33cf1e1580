#include "train/layer_ops.hpp"

#include "train/eager_elementwise.hpp"
#include "train/fp8_casts.hpp"
#include "train/mamba_ops.hpp"
#include "train/moe_ops.hpp"
#include "train/recompute_cost.hpp"

namespace commsim {
namespace {

constexpr double kAct = 2.0;  // bf16 activations

}  // namespace

LocalShape local_shape(const TrainConfig& c) {
  const Parallelism& p = c.par;
  const TrainingParams& tr = c.train;
  LocalShape sh;
  sh.tokens = static_cast<double>(tr.micro_batch) * tr.seq_len / p.cp;
  sh.seq_kv = static_cast<double>(tr.seq_len);
  sh.tp = p.tp;
  sh.cp = p.cp;
  sh.cp_ring = c.overlap.cp;
  sh.ep = p.ep;
  sh.etp = p.expert_tp();
  sh.sp = p.sp();
  sh.precision = tr.precision;
  sh.imbalance = tr.moe_imbalance;
  sh.flash = tr.flash_attention;
  sh.kernel_attention = !tr.sdpa_attention;
  sh.eager = !tr.compile;
  return sh;
}

OpCost mtp_projection_op(const ModelSpec& m, const LocalShape& s) {
  const double h = static_cast<double>(m.hidden);
  OpCost proj;
  proj.name = "mtp_proj";
  proj.flops = 2.0 * s.tokens * 2.0 * h * h / s.tp;
  proj.bytes = 2.0 * (s.tokens * 3.0 * h + 2.0 * h * h / s.tp);
  return proj;
}

OpCost gemm_op(const std::string& name, double m, double n, double k, const LocalShape& s, double count, bool lowp) {
  OpCost o;
  o.name = name;
  o.unit = OpUnit::kGemm;
  o.flops = 2.0 * m * n * k * count;
  const double in = lowp ? gemm_input_bytes(s.precision) : 2.0;
  o.bytes = (in * (m * k + k * n) + 2.0 * m * n) * count;
  o.kernels = 1;  // a grouped GEMM is one launch
  o.low_precision = lowp;
  o.shape = GemmShape{m, n, k, count};
  return o;
}

OpCost memory_op(const std::string& name, double bytes, double fwd_n, double bwd_n) {
  OpCost o;
  o.name = name;
  o.unit = OpUnit::kMemory;
  o.bytes = bytes;
  o.fwd_n = fwd_n;
  o.bwd_n = bwd_n;
  return o;
}

double mlp_in_width(const ModelSpec& m, double f) { return m.activation == Activation::kSwiglu ? 2 * f : f; }

void add_mlp(std::vector<OpCost>& ops, const ModelSpec& m, const std::string& name, double tokens, double f, int tp,
             const LocalShape& s, double count) {
  const double h = static_cast<double>(m.hidden);
  ops.push_back(gemm_op(name + ".fc1", tokens, mlp_in_width(m, f) / tp, h, s, count));
  const double act_bytes = (m.activation == Activation::kSwiglu ? 3.0 : 2.0) * tokens * f / tp * kAct *
                           count * eager_activation_ratio(m, s.eager);
  ops.push_back(memory_op(name + ".act", act_bytes));
  ops.push_back(gemm_op(name + ".fc2", tokens, h, f / tp, s, count));
}

namespace {
OpCost gemm(const std::string& name, double m, double n, double k, const LocalShape& s, double count = 1, bool lowp = true) {
  return gemm_op(name, m, n, k, s, count, lowp);
}
OpCost mem(const std::string& name, double bytes) { return memory_op(name, bytes); }
}  // namespace

namespace {

// Context parallelism's ring attention (Transformer Engine's P2P form, overlap.cp; the all-gather form
// gathers K/V and runs one pass) beyond one FlashAttention pass: each of the cp steps after the first
// re-reads this rank's queries and writes a partial output, which is merged into the output afterwards (read
// the partial, read and write the output: 2 + 2 + 4 bytes a value); backward, each step re-reads Q, O and dO
// (and O and dO again for its row sums), writes partial dQ and dK/dV, and adds them into the accumulated dQ
// and the dK/dV passed round the ring (read 2, read and write 4). Per step beyond the first, with Q, O and KV
// this rank's query, output and key/value elements (per rank: T tokens):
//   forward   2Q + 8O
//   backward  (2Q + 4O) + 4O + (2Q + 2KV) + (6Q + 6KV) = 10Q + 8O + 8KV
// The causal load balancing (half the queries or half the keys on most steps) is not counted. This is what
// keeps the core from shrinking as 1/cp: its traffic per layer is (cp - 1) / cp of a full sequence's Q and O.
OpCost cp_merge_op(const ModelSpec& m, const LocalShape& s) {
  const double steps = s.cp - 1.0, hpt = static_cast<double>(m.heads) / s.tp;
  const double Q = s.tokens * hpt * static_cast<double>(m.q_dim()) / m.heads;
  const double O = s.tokens * hpt * static_cast<double>(m.v_dim()) / m.heads;
  const double KV = s.tokens * (m.mla ? hpt * static_cast<double>(m.q_dim() + m.v_dim()) / m.heads
                                      : static_cast<double>(m.kv_dim()) * 2.0 / s.tp);
  const double fwd = steps * (2.0 * Q + 8.0 * O), bwd = steps * (10.0 * Q + 8.0 * O + 8.0 * KV);
  return memory_op("cp_merge", fwd, 1, bwd / fwd);
}

// Self-attention with its pre-norm and residual add: norm1 ... residual1.
void add_attention_block(std::vector<OpCost>& ops, const ModelSpec& m, const LocalShape& s) {
  const double T = s.tokens, h = static_cast<double>(m.hidden), t = s.tp, a = m.heads;
  const double Tn = s.sp ? T / t : T;  // tokens of the norms and residual adds on this GPU
  const std::size_t first = ops.size();
  ops.push_back(mem("norm1", 2 * Tn * h * kAct * eager_norm_ratio(m, s.eager)));
  // Attention projections.
  if (m.mla) {
    const MlaSpec& l = *m.mla;
    const double qk = static_cast<double>(l.qk_nope_head_dim + l.qk_rope_head_dim);
    if (l.q_lora_rank > 0) {
      ops.push_back(gemm("q_down", T, static_cast<double>(l.q_lora_rank), h, s));
      ops.push_back(gemm("q_up", T, a * qk / t, static_cast<double>(l.q_lora_rank), s));
    } else {
      ops.push_back(gemm("q", T, a * qk / t, h, s));
    }
    ops.push_back(gemm("kv_down", T, static_cast<double>(l.kv_lora_rank + l.qk_rope_head_dim), h, s));
    ops.push_back(gemm("kv_up", T, a * static_cast<double>(l.qk_nope_head_dim + l.v_head_dim) / t, static_cast<double>(l.kv_lora_rank), s));
  } else {
    ops.push_back(gemm("qkv", T, static_cast<double>(m.head_dim) * (a + 2.0 * m.kv_heads) / t, h, s));
  }
  // The projections after a norm (TE LayerNormLinear, also MLA's q/kv latent norms) get FP8 inputs from it.
  for (std::size_t i = first; i < ops.size(); ++i) ops[i].fused_input = ops[i].unit == OpUnit::kGemm;
  if (m.rope_dim() > 0)
    ops.push_back(
        mem("rope", 2 * T * static_cast<double>(m.rope_dim()) / t * kAct * eager_rope_ratio(s.eager)));
  // Attention core. FlashAttention: causal, so half of the s^2 work is executed (masked blocks skipped).
  // Without it (Megatron before 2022): full QK^T and AV batched GEMMs, and the s^2 scores go through HBM:
  // written by QK^T, read and written by the fused scale-mask-softmax, dropout (mask 1 B + output), read by
  // AV: about 2 + 4 + 3 + 2 = 11 bytes per score.
  {
    const double qk = static_cast<double>(m.q_dim()) / a, v = static_cast<double>(m.v_dim()) / a;
    OpCost o;
    o.name = "attention";
    o.unit = OpUnit::kAttention;
    o.flops = (s.flash ? 0.5 : 1.0) * 2.0 * T * s.seq_kv * (a / t) * (qk + v);
    o.bytes = kAct * (T * (a / t) * (2 * qk + 2 * v) + s.seq_kv * (a / t) * (qk + v));
    // Kernel-model shape: T/s_kv sequences' worth of queries (b/cp with CP) per head, each against s_kv keys.
    if (s.flash && s.kernel_attention && s.seq_kv > 0) o.attn = AttentionShape{T / s.seq_kv * (a / t), 1.0, s.seq_kv, qk, v, true, false};
    ops.push_back(o);
    if (!s.flash) ops.push_back(mem("softmax", 11.0 * T * s.seq_kv * (a / t)));
    if (s.flash && s.cp > 1 && s.cp_ring) ops.push_back(cp_merge_op(m, s));
  }
  ops.push_back(gemm("out_proj", T, h, static_cast<double>(m.v_dim()) / t, s));
  ops.push_back(mem("residual1", 3 * Tn * h * kAct));
}

// An MLP (dense or MoE) with its pre-norm and residual add: norm2 ... residual2.
void add_mlp_block(std::vector<OpCost>& ops, const ModelSpec& m, bool moe_layer, const LocalShape& s) {
  const double T = s.tokens, h = static_cast<double>(m.hidden);
  const double Tn = s.sp ? T / s.tp : T;
  ops.push_back(mem("norm2", 2 * Tn * h * kAct * eager_norm_ratio(m, s.eager)));
  if (moe_layer && m.moe) {
    add_moe_ops(ops, m, s);
  } else {
    add_mlp(ops, m, "mlp", T, static_cast<double>(m.ffn_hidden), s.tp, s);
    ops[ops.size() - 3].fused_input = true;  // fc1 after the norm: TE's LayerNormMLP quantises in the norm
  }
  ops.push_back(mem("residual2", 3 * Tn * h * kAct));
}

}  // namespace

std::vector<OpCost> layer_forward_ops(const ModelSpec& m, LayerKind kind, const LocalShape& s) {
  std::vector<OpCost> ops;
  if (kind_has_attention(kind)) add_attention_block(ops, m, s);
  if (kind == LayerKind::kMamba) add_mamba_ops(ops, m, s);
  if (kind_has_ffn(kind)) add_mlp_block(ops, m, kind_has_moe(kind), s);
  if (s.low_precision()) add_fp8_casts(ops, s.precision);
  tag_recompute(ops, m, kind);
  return ops;
}

std::vector<OpCost> layer_forward_ops(const ModelSpec& m, bool moe_layer, const LocalShape& s) {
  return layer_forward_ops(m, moe_layer && m.moe ? LayerKind::kMoe : LayerKind::kDense, s);
}

std::vector<OpCost> embedding_forward_ops(const ModelSpec& m, const LocalShape& s) {
  const double Tn = s.sp ? s.tokens / s.tp : s.tokens;
  return {mem("embedding", 2 * Tn * static_cast<double>(m.hidden) * kAct)};
}

std::vector<OpCost> logits_forward_ops(const ModelSpec& m, const LocalShape& s) {
  const double T = s.tokens, h = static_cast<double>(m.hidden), V = static_cast<double>(m.vocab);
  // The output layer runs in bf16 (Transformer Engine keeps it out of fp8); cross-entropy on fp32 logits.
  return {mem("final_norm", 2 * (s.sp ? T / s.tp : T) * h * kAct * eager_norm_ratio(m, s.eager)),
          gemm("logits", T, V / s.tp, h, s, 1, false), mem("cross_entropy", 2 * T * V / s.tp * 4.0)};
}

namespace {

// Active weights of the model's matrix multiplies: all but the embeddings and norms (and a Mamba-2
// mixer's convolution, A, D, dt bias and gated norm, which are not GEMMs).
double matmul_params(const ModelSpec& m) {
  const double h = static_cast<double>(m.hidden);
  if (!m.hybrid()) return m.active_params() - m.embedding_params() - m.hidden - m.layers * 2.0 * m.hidden;
  double p = m.active_params() - m.embedding_params() - h - m.layers * h;
  if (m.mamba) {
    const MambaSpec& b = *m.mamba;
    const double di = b.inner(), gn = b.group_state();
    p -= m.layers_of(LayerKind::kMamba) * ((di + 2.0 * gn) * (b.conv_kernel + 1.0) + 3.0 * b.heads + di);
  }
  return p;
}

// Forward FLOPs per token of the sequence mixers beyond their projections: the attention cores (full,
// non-causal) and the Mamba-2 SSD scans.
double mixer_core_flops(const ModelSpec& m, double seq) {
  const double attn = 2.0 * seq * static_cast<double>(m.q_dim() + m.v_dim()) * m.attention_layers();
  return attn + (m.mamba ? m.layers_of(LayerKind::kMamba) * mamba_ssd_flops_per_token(*m.mamba, 1) : 0.0);
}

}  // namespace

double model_flops_per_token(const ModelSpec& m, double seq) {
  const double fwd = 2.0 * matmul_params(m) + mixer_core_flops(m, seq) + 2.0 * static_cast<double>(m.hidden) * m.vocab;
  return 3.0 * fwd;
}

double full_recompute_flops_per_token(const ModelSpec& m, double seq) { return 2.0 * matmul_params(m) + mixer_core_flops(m, seq); }

double megatron_bridge_flops_per_token(const ModelSpec& m, double seq) {
  const double attn_core = 2.0 * seq * static_cast<double>(m.q_dim() + m.v_dim()) * m.attention_layers();  // forward, full
  return model_flops_per_token(m, seq) - 3.0 * 0.5 * attn_core;
}

double megatron_gpt_flops(double coeff, double B, double s, double L, double h, double V) {
  return coeff * B * s * L * h * h * (1.0 + s / (6.0 * h) + V / (16.0 * L * h));
}

double foundry_flops_per_token(double params, double layers, double hidden, double seq) {
  return 6.0 * params + 12.0 * layers * hidden * seq;
}

}  // namespace commsim
