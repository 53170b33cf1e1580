// The exposed part of the EP all-to-all when overlap.ep hides it behind another micro-batch's compute:
// DeepSeek-V3's DualPipe or Megatron-Core's 1F1B A2A overlap (--overlap-moe-expert-parallel-comm). Data:
// topologies/ep-overlap.yaml (each fraction with its kind and source). Per MoE layer and micro-batch:
//   exposed = max(f * A, A - C),  A the all-to-all time, C the compute it hides behind
// with f the schedule's exposed_fraction (dualpipe under DualPipe, a2a_overlap otherwise).
// Check (tested): f 0.1, A 4, C 10 -> 0.4; A 4, C 1 -> 3.
#pragma once

#include "core/yaml_reader.hpp"
#include "train/pipeline_schedule.hpp"

namespace commsim {

struct EpOverlap {
  Figure dualpipe, a2a_overlap;
  double exposed(Schedule s, double a2a, double compute) const;
};

// topologies/ep-overlap.yaml (cached per data directory). Throws InputError naming file:line:key.
const EpOverlap& ep_overlap();

}  // namespace commsim
