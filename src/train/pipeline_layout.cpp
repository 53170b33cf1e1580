#include "train/pipeline_layout.hpp"

#include <algorithm>

namespace commsim {

int recomputed_layers(const Stage& s, const TrainConfig& c) {
  if (c.train.recompute != Recompute::kFull) return 0;
  if (c.train.recompute_layers <= 0) return s.layers;
  const int chunks = c.par.sched() == Schedule::kInterleaved ? c.par.vpp : 1;
  return std::min(s.layers, c.train.recompute_layers * chunks);
}

double recomputed_share(const Stage& s, const TrainConfig& c) {
  if (c.train.recompute != Recompute::kFull || c.train.recompute_layers <= 0 || s.layers <= 0) return 1.0;
  return static_cast<double>(recomputed_layers(s, c)) / s.layers;
}

std::vector<Stage> pipeline_stages(const ModelSpec& m, const Parallelism& p, int mtp_layers) {
  std::vector<int> counts(p.pp, m.layers / p.pp);
  if (p.first_stage_layers || p.last_stage_layers) {
    const int first = p.first_stage_layers, last = p.last_stage_layers;
    const int middle = p.pp - (first ? 1 : 0) - (last ? 1 : 0);
    const int each = middle > 0 ? (m.layers - first - last) / middle : 0;
    for (int i = 0; i < p.pp; ++i) counts[i] = each;
    if (first) counts.front() = first;
    if (last) counts.back() = last;
  }
  std::vector<Stage> out(static_cast<std::size_t>(p.pp));
  // Which layers a stage holds: one contiguous block, or under the interleaved schedule its v chunks, the
  // model's layers dealt chunk-major (chunk 0 of stages 0..p-1, then chunk 1, ...), each stage's count
  // split as evenly as it goes, the earlier chunks one more. The kinds follow (MoE every 2nd layer puts
  // 8 MoE layers on one rank and 4 on the next where contiguous blocks said 6 each: Maverick on PP 4 VPP 4).
  const int chunks = p.sched() == Schedule::kInterleaved ? std::max(1, p.vpp) : 1;
  int next = 0;
  for (int c = 0; c < chunks; ++c)
    for (int i = 0; i < p.pp; ++i) {
      Stage& s = out[static_cast<std::size_t>(i)];
      const int n = counts[i] / chunks + (c < counts[i] % chunks ? 1 : 0);
      if (c == 0) s.first_layer = next;
      for (int l = next; l < next + n; ++l) s.kinds[static_cast<std::size_t>(m.layer_kind(l))]++;
      next += n;
    }
  for (int i = 0; i < p.pp; ++i) {
    Stage& s = out[static_cast<std::size_t>(i)];
    s.layers = counts[i];
    s.embedding = i == 0;
    s.logits = i == p.pp - 1;
    if (s.logits) s.mtp_layers = mtp_layers;
  }
  return out;
}

int stage_vpp_does_not_divide(const std::vector<Stage>& stages, int vpp, bool uneven) {
  if (vpp <= 1) return -1;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const Stage& s = stages[i];
    const bool end = uneven && (i == 0 || i + 1 == stages.size());
    // An end stage's chunks: its layers, the embedding (first) and the loss with the MTP modules (last).
    const int units = s.layers + (s.embedding ? 1 : 0) + (s.logits ? 1 + s.mtp_layers : 0);
    if (end ? units < vpp : s.layers % vpp != 0) return static_cast<int>(i);
  }
  return -1;
}

DefaultSplit balanced_uneven_split(int layers, int pp) {
  DefaultSplit d;
  d.units = static_cast<long>(layers) + 2;
  if (pp < 2 || layers < 2) return d;
  const long each = (static_cast<long>(layers) + pp - 1) / pp;  // long: layers near INT_MAX
  const long rest = layers - (pp - 2) * each;
  if (rest < 2) return d;
  d.first = static_cast<int>((rest + 1) / 2), d.last = static_cast<int>(rest / 2);
  d.ok = true;
  return d;
}

DefaultSplit default_uneven_split(int layers, int pp, int mtp) {
  DefaultSplit d;
  d.units = static_cast<long>(layers) + 2 + mtp;
  if (pp < 2) return d;
  if (d.units % pp == 0) {
    const int each = static_cast<int>(d.units / pp);  // at most (INT_MAX + 2 + mtp) / 2
    d.first = each - 1;
    d.last = each - 1 - mtp;
    d.ok = d.megatron = d.first >= 1 && d.last >= 1;
    if (d.ok) return d;
  }
  DefaultSplit b = balanced_uneven_split(layers, pp);
  b.units = d.units;
  return b;
}

double bubble_fraction(double b, double m) { return m + b > 0 ? b / (m + b) : 0.0; }

}  // namespace commsim
