#include "train/fp8_casts.hpp"

namespace commsim {

double fp8_cast_bytes_per_element(Precision p) {
  switch (p) {
    case Precision::kFp8: return 4.0;
    case Precision::kFp8Block: return 4.0 + 2.0 * 4.0 / 128.0;
    case Precision::kMxfp8: return 4.0 + 2.0 * 1.0 / 32.0;
    case Precision::kNvfp4:
      return 2.0 + 2.0 + 2.0 * (0.5 + 1.0 / 16.0);
    default: return 0.0;
  }
}

void add_fp8_casts(std::vector<OpCost>& ops, Precision p) {
  const double c = fp8_cast_bytes_per_element(p);
  if (c <= 0) return;
  const std::size_t n = ops.size();
  for (std::size_t i = 0; i < n; ++i) {
    const OpCost g = ops[i];
    if (g.unit != OpUnit::kGemm || !g.low_precision) continue;
    const GemmShape& s = g.shape;
    if (!g.fused_input || p == Precision::kNvfp4)
      ops.push_back(memory_op(g.name + ".cast", c * s.m * s.k * s.groups, 1, 0));
    ops.push_back(memory_op(g.name + ".dcast", c * s.m * s.n * s.groups, 0, 1));
  }
}

}  // namespace commsim
