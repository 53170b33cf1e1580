#include "train/tp_overlap.hpp"

#include <algorithm>

namespace commsim {

double tp_pair_exposed(double comm, double gemm) { return std::max(0.0, comm - gemm); }

double tp_exposed_sp(double ag, double rs, const TpPairGemms& g, int forwards) {
  double fwd = 0, bwd = 0;
  if (g.mixer) {
    fwd += tp_pair_exposed(ag, g.qkv) + tp_pair_exposed(rs, g.out_proj);
    bwd += tp_pair_exposed(ag, g.out_proj) + tp_pair_exposed(rs, g.qkv);
  }
  if (g.mlp) {
    fwd += tp_pair_exposed(ag, g.fc1) + tp_pair_exposed(rs, g.fc2);
    bwd += tp_pair_exposed(ag, g.fc2) + tp_pair_exposed(rs, g.fc1);
  }
  return forwards * fwd + bwd;
}

double tp_exposed_ar(double ar, const TpPairGemms& g, int forwards) {
  double fwd = 0, bwd = 0;
  if (g.mixer) fwd += tp_pair_exposed(ar, g.out_proj), bwd += tp_pair_exposed(ar, g.qkv);
  if (g.mlp) fwd += tp_pair_exposed(ar, g.fc2), bwd += tp_pair_exposed(ar, g.fc1);
  return forwards * fwd + bwd;
}

}  // namespace commsim
