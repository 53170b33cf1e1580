#include "train/recompute_cost.hpp"

#include "train/layer_ops.hpp"

namespace commsim {
namespace {

bool starts_with(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// The op a cast belongs to: "experts.fc1.cast" -> "experts.fc1".
std::string base_op(const std::string& name) {
  for (const char* suffix : {".cast", ".dcast"}) {
    const std::string x(suffix);
    if (name.size() > x.size() && name.compare(name.size() - x.size(), x.size(), x) == 0) return name.substr(0, name.size() - x.size());
  }
  return name;
}

// torchtitan's op-level SAC counts the matmuls of a layer in call order and saves the odd ones: the matmuls
// of a dense layer as commsim's ops hold them (op, its share of the op's forward, FLOPs per token), in order.
struct SacMatmul {
  const char* op;
  double share, flops;
};
std::vector<SacMatmul> sac_matmuls(const ModelSpec& m) {
  const double h = static_cast<double>(m.hidden), f = static_cast<double>(m.ffn_hidden);
  std::vector<SacMatmul> v;
  if (m.mla) {
    const MlaSpec& a = *m.mla;
    const double q = static_cast<double>(m.q_dim()), ql = static_cast<double>(a.q_lora_rank);
    const double kvl = static_cast<double>(a.kv_lora_rank);
    if (a.q_lora_rank > 0) v.push_back({"q_down", 1, 2 * h * ql}), v.push_back({"q_up", 1, 2 * ql * q});
    else v.push_back({"q", 1, 2 * h * q});
    v.push_back({"kv_down", 1, 2 * h * (kvl + a.qk_rope_head_dim)});
    v.push_back({"kv_up", 1, 2 * kvl * m.heads * static_cast<double>(a.qk_nope_head_dim + a.v_head_dim)});
  } else {
    const double a = m.heads, kv = m.kv_heads, dh = static_cast<double>(m.head_dim);
    for (double share : {a / (a + 2 * kv), kv / (a + 2 * kv), kv / (a + 2 * kv)}) v.push_back({"qkv", share, 2 * h * dh * (a + 2 * kv) * share});
  }
  v.push_back({"out_proj", 1, 2 * static_cast<double>(m.v_dim()) * h});
  if (m.activation == Activation::kSwiglu) v.push_back({"mlp.fc1", 0.5, 2 * h * f}), v.push_back({"mlp.fc1", 0.5, 2 * h * f});
  else v.push_back({"mlp.fc1", 1, 2 * h * f});
  v.push_back({"mlp.fc2", 1, 2 * f * h});
  return v;
}

// The share of op `op`'s forward that torchtitan's op-level SAC re-runs in a dense layer: the even matmuls
// (wk, wo, w3 of a GQA SwiGLU layer), the elementwise ops, not the attention.
double op_sac_share(const ModelSpec& m, const std::string& op) {
  if (op == "norm1" || op == "norm2" || op == "rope" || op == "mlp.act" || op == "residual1" || op == "residual2") return 1.0;
  const std::vector<SacMatmul> v = sac_matmuls(m);
  double share = 0;
  for (std::size_t i = 1; i < v.size(); i += 2)
    if (op == v[i].op) share += v[i].share;
  return share;
}

// Selective recompute's forward FLOPs per token of one layer of kind `kind`, whole model (no parallelism).
double kind_recompute_flops(const ModelSpec& m, LayerKind kind, double seq, unsigned mods) {
  const double h = static_cast<double>(m.hidden), F = m.activation == Activation::kSwiglu ? 3.0 : 2.0;
  const double mla_up = m.mla ? 2.0 * (static_cast<double>(m.mla->q_lora_rank > 0 ? m.mla->q_lora_rank : m.hidden) * m.q_dim() +
                                       static_cast<double>(m.mla->kv_lora_rank) * m.heads *
                                           static_cast<double>(m.mla->qk_nope_head_dim + m.mla->v_head_dim))
                              : 0.0;
  if ((mods & kRecomputeOpSac) && kind == LayerKind::kDense) {
    const std::vector<SacMatmul> v = sac_matmuls(m);
    double f = 0;
    for (std::size_t i = 1; i < v.size(); i += 2) f += v[i].flops;
    return f;
  }
  double f = 0;
  if (kind_has_attention(kind)) {
    if (mods & kRecomputeCoreAttn) f += 2.0 * seq * static_cast<double>(m.q_dim() + m.v_dim());
    if (mods & kRecomputeMlaUpProj) f += mla_up;
  }
  if (kind_has_ffn(kind) && !kind_has_moe(kind) && (mods & kRecomputeMlp)) f += F * 2.0 * h * static_cast<double>(m.ffn_hidden);
  if (kind_has_moe(kind) && m.moe) {
    const MoeSpec& e = *m.moe;
    const double shared = e.shared_experts * F * 2.0 * h * static_cast<double>(e.shared_ffn_hidden);
    if (mods & kRecomputeMoe) f += 2.0 * h * e.experts + e.top_k * F * 2.0 * h * static_cast<double>(e.expert_ffn_hidden) + shared;
    else if (mods & kRecomputeSharedExperts) f += shared;
  }
  return f;
}

}  // namespace

OpRecompute op_recompute(const ModelSpec& m, LayerKind kind, const std::string& name) {
  const std::string op = base_op(name);
  OpRecompute r;
  if (kind == LayerKind::kDense) r.op_sac = op_sac_share(m, op);
  if (op == "attention" || op == "softmax" || op == "cp_merge") r.modules |= kRecomputeCoreAttn;
  if (m.mla && (op == "q_up" || op == "q" || op == "kv_up" || op == "rope")) r.modules |= kRecomputeMlaUpProj;
  if (op == "norm1" || op == "norm2") r.modules |= kRecomputeLayernorm;
  if (starts_with(op, "mlp.")) r.modules |= kRecomputeMlp | (op == "mlp.act" ? kRecomputeMlpAct : 0u);
  if (op == "router" || op == "router.topk" || op == "permute" || op == "unpermute" || starts_with(op, "experts.") ||
      starts_with(op, "shared."))
    r.modules |= kRecomputeMoe;
  // The activation's output is the FC2 input: rebuilding it under FP8 re-quantises it as well.
  if (op == "experts.act" || name == "experts.fc2.cast") r.modules |= kRecomputeMoeAct;
  if (name == "mlp.fc2.cast") r.modules |= kRecomputeMlpAct;
  if (starts_with(op, "shared.")) r.modules |= kRecomputeSharedExperts;
  return r;
}

void tag_recompute(std::vector<OpCost>& ops, const ModelSpec& m, LayerKind kind) {
  for (OpCost& o : ops) {
    const OpRecompute r = op_recompute(m, kind, o.name);
    o.recompute_modules = r.modules, o.op_sac = r.op_sac;
  }
}

double selective_recompute_time(const ModuleTimes& t, unsigned mods, bool op_sac_layer) {
  if ((mods & kRecomputeOpSac) && op_sac_layer) return t[static_cast<std::size_t>(kOpSacIndex)];
  mods &= ~static_cast<unsigned>(kRecomputeOpSac);
  if (mods & kRecomputeMoe) mods &= ~static_cast<unsigned>(kRecomputeMoeAct | kRecomputeSharedExperts);
  if (mods & kRecomputeMlp) mods &= ~static_cast<unsigned>(kRecomputeMlpAct);
  double s = 0;
  for (int i = 0; i < kRecomputeModuleBits; ++i)
    if (mods & (1u << i)) s += t[static_cast<std::size_t>(i)];
  return s;
}

bool reruns_attention(Recompute r, LayerKind kind, unsigned mods) {
  if (!kind_has_attention(kind) || r == Recompute::kNone) return false;
  if (r == Recompute::kFull) return true;
  if ((mods & kRecomputeOpSac) && kind == LayerKind::kDense) return false;
  return (mods & kRecomputeCoreAttn) != 0;
}

bool reruns_ffn(LayerKind kind, unsigned mods) {
  if (kind_has_moe(kind)) return (mods & kRecomputeMoe) != 0;
  if (!kind_has_ffn(kind) || ((mods & kRecomputeOpSac) && kind == LayerKind::kDense)) return false;
  return (mods & kRecomputeMlp) != 0;
}

Recompute ep_recompute(Recompute r, LayerKind kind, unsigned mods) {
  return r == Recompute::kFull || (r == Recompute::kSelective && reruns_ffn(kind, mods)) ? Recompute::kFull : Recompute::kNone;
}

double recompute_flops_per_token(const ModelSpec& m, double seq, Recompute r, unsigned mods) {
  if (r == Recompute::kFull) return full_recompute_flops_per_token(m, seq);
  if (r != Recompute::kSelective) return 0.0;
  double f = 0;
  for (int k = 0; k < kLayerKinds; ++k) {
    const LayerKind kind = static_cast<LayerKind>(k);
    const int n = m.layers_of(kind);
    if (n > 0) f += n * kind_recompute_flops(m, kind, seq, mods);
  }
  return f;
}

}  // namespace commsim
