#include "study/interleave.hpp"

#include "train/pipeline_layout.hpp"

namespace commsim {

bool interleave_divides(const TrainConfig& c, int v) {
  Parallelism p = c.par;
  if (!p.first_stage_layers && !p.last_stage_layers && c.model.layers % p.pp != 0)
    if (const DefaultSplit d = default_uneven_split(c.model.layers, p.pp, c.mtp_layers()); d.ok)
      p.first_stage_layers = d.first, p.last_stage_layers = d.last;
  p.vpp = v;
  const bool uneven = p.first_stage_layers || p.last_stage_layers;
  return stage_vpp_does_not_divide(pipeline_stages(c.model, p, c.mtp_layers()), v, uneven) < 0;
}

int unstated_interleave(const TrainConfig& c) {
  // Two layers per chunk of a stage's (the longest's, where the split is uneven: 60 layers on PP 16 are
  // 2 + 14 x 4 + 2, whose floor of 3.75 / 2 tried no V at all and ran 1F1B; helper-171).
  for (int v = (c.model.layers + c.par.pp - 1) / c.par.pp / 2; v >= 2; --v)
    if (interleave_divides(c, v)) return v;
  return 1;
}

std::optional<int> vpp_from_layers_per_chunk(const TrainConfig& c, int layers_per_chunk) {
  const long per_pipeline = static_cast<long>(c.par.pp) * layers_per_chunk;
  if (layers_per_chunk <= 0 || c.par.pp <= 1 || c.model.layers % per_pipeline != 0) return std::nullopt;
  const int v = static_cast<int>(c.model.layers / per_pipeline);
  if (v < 1 || !interleave_divides(c, v)) return std::nullopt;
  return v;
}

}  // namespace commsim
