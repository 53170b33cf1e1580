#include "train/moe_ops.hpp"

namespace commsim {

// With EP folded over TP x CP x DP and etp != tp, an expert sees T * k * ep * etp / (E * tp) tokens, its FFN
// split by etp (Megatron's parallel folding).
static int expert_tp(const LocalShape& s) { return s.etp > 0 ? s.etp : s.tp; }

double tokens_per_local_expert(const MoeSpec& e, const LocalShape& s) {
  return s.tokens * s.ep * e.top_k / e.experts * s.imbalance * expert_tp(s) / s.tp;
}

ExpertLaunches expert_launches(const MoeSpec& e, const LocalShape& s) {
  const double local = static_cast<double>(e.experts) / s.ep;
  const double per_cast = s.fp8 ? 1.0 : 0.0;
  return {local * (2.0 + 2.0 * per_cast), local * (4.0 + 2.0 * per_cast)};
}

void add_moe_ops(std::vector<OpCost>& ops, const ModelSpec& m, const LocalShape& s) {
  const MoeSpec& e = *m.moe;
  const double T = s.tokens, h = static_cast<double>(m.hidden), E = e.experts, k = e.top_k;
  const double Tn = s.sp ? T / s.tp : T;  // the router runs on the sequence-parallel shard
  constexpr double kAct = 2.0;            // bf16 tokens

  OpCost router = gemm_op("router", Tn, E, h, s, 1, false);  // kept in bf16 (Megatron, TE)
  router.fused_input = true;
  ops.push_back(router);
  ops.push_back(memory_op("router.topk", 16.0 * Tn * E, 1, 1));
  const double routed_bytes = 2.0 * T * k * h * kAct * s.imbalance;  // read + write of the routed tokens
  ops.push_back(memory_op("permute", routed_bytes, 1, 1));
  const std::size_t first = ops.size();
  add_mlp(ops, m, "experts", tokens_per_local_expert(e, s), static_cast<double>(e.expert_ffn_hidden), expert_tp(s), s, E / s.ep);
  for (std::size_t i = first; i < ops.size(); ++i) ops[i].grouped = ops[i].unit == OpUnit::kGemm;
  ops.push_back(memory_op("unpermute", routed_bytes, 1, 1));
  if (e.shared_experts > 0)
    add_mlp(ops, m, "shared", T, static_cast<double>(e.shared_ffn_hidden) * e.shared_experts, s.tp, s);
}

}  // namespace commsim
