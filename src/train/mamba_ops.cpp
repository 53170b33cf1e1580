#include "train/mamba_ops.hpp"

#include "train/eager_elementwise.hpp"

namespace commsim {
namespace {

constexpr double kMambaAct = 2.0;  // bf16 activations

}  // namespace

double mamba_ssd_flops_per_token(const MambaSpec& b, int tp) {
  const double Q = b.chunk, N = static_cast<double>(b.state), P = static_cast<double>(b.head_dim);
  const double H = b.heads, g = b.groups;
  return (2.0 * Q * N * g + 2.0 * Q * P * H + 4.0 * N * P * H) / tp;
}

double mamba_ssd_bytes_per_token(const MambaSpec& b, int tp) {
  const double Q = b.chunk, N = static_cast<double>(b.state), P = static_cast<double>(b.head_dim);
  const double H = b.heads, g = b.groups, di = b.inner(), gn = g * N;
  return (4.0 * (di + 2.0 * gn) + 2.0 * di + 4.0 * 4.0 * H * P * N / Q + 2.0 * 4.0 * Q * g + 12.0 * H) / tp;
}

void add_mamba_ops(std::vector<OpCost>& ops, const ModelSpec& m, const LocalShape& s) {
  const MambaSpec& b = *m.mamba;
  const double T = s.tokens, h = static_cast<double>(m.hidden), t = s.tp;
  const double Tn = s.sp ? T / t : T;
  const double di = b.inner(), gn = b.group_state();
  ops.push_back(memory_op("norm1", 2 * Tn * h * kMambaAct * eager_norm_ratio(m, s.eager)));
  ops.push_back(gemm_op("mamba.in_proj", T, (2.0 * di + 2.0 * gn + b.heads) / t, h, s));
  ops.back().fused_input = true;
  ops.push_back(memory_op("mamba.conv1d", 2.0 * kMambaAct * T * (di + 2.0 * gn) / t));
  OpCost ssd = memory_op("mamba.ssd", T * mamba_ssd_bytes_per_token(b, s.tp));
  ssd.flops = T * mamba_ssd_flops_per_token(b, s.tp);
  ops.push_back(ssd);
  ops.push_back(memory_op("mamba.gated_norm", 3.0 * kMambaAct * T * di / t));
  ops.push_back(gemm_op("mamba.out_proj", T, h, di / t, s));
  ops.push_back(memory_op("residual1", 3 * Tn * h * kMambaAct));
}

}  // namespace commsim
