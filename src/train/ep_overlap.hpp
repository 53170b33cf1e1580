// The exposed part of the EP all-to-all when overlap.ep hides it behind another micro-batch's compute:
// DeepSeek-V3's DualPipe or Megatron-Core's 1F1B A2A overlap (--overlap-moe-expert-parallel-comm). Data:
// topologies/ep-overlap.yaml (each fraction with its kind and source). Per MoE layer and micro-batch, the
// fraction f of the all-to-all time A that stays serial (dualpipe under DualPipe, a2a_overlap otherwise) and
// the rest beside the compute C it hides behind, whose kernels hold s of the GPU's S SMs while they run, so
// that the compute beside them goes at 1 - rho, rho = s / S (DeepSeek-V3 keeps 20 of H800's 132 SMs for it):
//   time of the pair = f A + max((1 - f) A, C + rho (1 - f) A)
//   exposed = f A + max((1 - f) A - C, rho (1 - f) A)        (= max(f A, A - C) at rho 0)
// Check (tested): f 0.1, A 4, C 10, rho 0 -> 0.4; A 4, C 1 -> 3; f 0, A 4, C 10, rho 0.25 -> 1; A 4, C 2,
// rho 0.25 -> 2.
#pragma once

#include "core/yaml_reader.hpp"
#include "train/pipeline_schedule.hpp"

namespace commsim {

struct EpOverlap {
  Figure dualpipe, a2a_overlap;
  Figure sms_deepep, sms_hybridep, sms_alltoall;  // comm_sms: the SMs a dispatcher's kernels hold
  // `rho`: the share of the GPU's SMs the dispatcher's kernels hold (comm_sms / SMs), 0 for none.
  double exposed(Schedule s, double a2a, double compute, double rho = 0.0) const;
};

// The exchange A run beside compute C on the SMs its kernels leave (share rho held): what stays exposed,
// max(A - C, rho A) (EpOverlap::exposed's part beside the compute; Megatron's --moe-shared-expert-overlap
// with C the shared experts' time). Check (tested): A 4, C 1 -> 3; A 4, C 10, rho 0.25 -> 1.
double exposed_beside(double a2a, double compute, double rho);

// topologies/ep-overlap.yaml (cached per data directory). Throws InputError naming file:line:key.
const EpOverlap& ep_overlap();

}  // namespace commsim
