#include "train/moe_ops.hpp"

#include <algorithm>

namespace commsim {

// With EP folded over TP x CP x DP and etp != tp, an expert sees T * k * ep * etp / (E * tp) tokens, its FFN
// split by etp (Megatron's parallel folding).
static int expert_tp(const LocalShape& s) { return s.etp > 0 ? s.etp : s.tp; }

double busiest_rank_factor(int experts, int ep, int top_k, double u) {
  const double local = std::max(1.0, static_cast<double>(experts) / ep);
  // A token picks each expert at most once, so at most min(k, L) of its k on this rank: the rank takes at most
  // ep * min(k, L) / k times its balanced share (1 with every expert on it, ep = 1).
  const double most = ep * std::min(static_cast<double>(top_k), local) / std::max(1, top_k);
  return std::max(1.0, std::min(1.0 + (std::max(1.0, u) - 1.0) / local, most));
}

double tokens_per_local_expert(const MoeSpec& e, const LocalShape& s) {
  return s.tokens * s.ep * e.top_k / e.experts * busiest_rank_factor(e.experts, s.ep, e.top_k, s.imbalance) * expert_tp(s) / s.tp;
}

ExpertLaunches expert_launches(const MoeSpec& e, const LocalShape& s) {
  const double local = static_cast<double>(e.experts) / s.ep;
  const double per_cast = s.low_precision() ? 1.0 : 0.0;
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
  const double routed_bytes = 2.0 * T * k * h * kAct * busiest_rank_factor(e.experts, s.ep, e.top_k, s.imbalance);  // read + write of the routed tokens
  ops.push_back(memory_op("permute", routed_bytes, 1, 1));
  const std::size_t first = ops.size();
  add_mlp(ops, m, "experts", tokens_per_local_expert(e, s), static_cast<double>(e.expert_ffn_hidden), expert_tp(s), s, E / s.ep);
  // The busiest rank's experts: its hottest at u times the balanced count, the others balanced (r's premise):
  // with r the rank's mean over the balanced count, the hottest group's rows are m / r * (L * (r - 1) + 1).
  const double r = busiest_rank_factor(e.experts, s.ep, e.top_k, s.imbalance), L = E / s.ep;
  for (std::size_t i = first; i < ops.size(); ++i) {
    ops[i].grouped = ops[i].unit == OpUnit::kGemm;
    if (ops[i].grouped && r > 1.0) ops[i].shape.hot_m = ops[i].shape.m / r * (L * (r - 1.0) + 1.0);
  }
  ops.push_back(memory_op("unpermute", routed_bytes, 1, 1));
  if (e.shared_experts > 0)
    add_mlp(ops, m, "shared", T, static_cast<double>(e.shared_ffn_hidden) * e.shared_experts, s.tp, s);
}

}  // namespace commsim
