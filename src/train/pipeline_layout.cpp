#include "train/pipeline_layout.hpp"

namespace commsim {

std::vector<Stage> pipeline_stages(const ModelSpec& m, const Parallelism& p) {
  std::vector<int> counts(p.pp, m.layers / p.pp);
  if (p.first_stage_layers || p.last_stage_layers) {
    const int first = p.first_stage_layers, last = p.last_stage_layers;
    const int middle = p.pp - (first ? 1 : 0) - (last ? 1 : 0);
    const int each = middle > 0 ? (m.layers - first - last) / middle : 0;
    for (int i = 0; i < p.pp; ++i) counts[i] = each;
    if (first) counts.front() = first;
    if (last) counts.back() = last;
  }
  std::vector<Stage> out;
  int next = 0;
  for (int i = 0; i < p.pp; ++i) {
    Stage s;
    s.first_layer = next;
    s.layers = counts[i];
    for (int l = next; l < next + counts[i]; ++l) (m.is_moe_layer(l) ? s.moe_layers : s.dense_layers)++;
    s.embedding = i == 0;
    s.logits = i == p.pp - 1;
    next += counts[i];
    out.push_back(s);
  }
  return out;
}

double bubble_microbatches(int pp, int vpp) { return static_cast<double>(pp - 1) / vpp; }

double bubble_fraction(int pp, int vpp, double m) {
  const double b = bubble_microbatches(pp, vpp);
  return b / (m + b);
}

}  // namespace commsim
