// The expert-parallel exchange of one MoE layer and one micro-batch on one GPU, as the estimator charges it
// (training.moe_dispatcher):
//   alltoall        n x all_to_all(T_n k h 2 B) over the EP group (folded over TP x CP x DP), through the
//                   collective model; n = 4 (dispatch and combine, forward and backward), 6 under full
//                   recompute (the forward again)
//   deepep/hybridep (n/2 - 1)(dispatch + combine) + 2 combine: the forward dispatch in fp8 under fp8
//                   training (1 + 4/128 B per element), everything else in bf16 (ep_dispatch.hpp), over the
//                   nodes of the EP group that spans the most (groups differ where EP does not divide a node)
// T_n = the GPU's tokens outside the TP region (micro_batch * seq / cp, / tp with SP), k = top_k, h hidden.
// Exposed: all of it, or with overlap.ep the share topologies/ep-overlap.yaml leaves beside the layer's
// compute (DualPipe, Megatron's A2A overlap; ep_overlap.hpp).
// The layout search adds the exposed time to its lower bound (layout_search.hpp): the estimator charges it to
// every MoE layer of every micro-batch.
#pragma once

#include "train/estimate_context.hpp"
#include "train/rank_map.hpp"
#include "train/train_config.hpp"

namespace commsim {

// Exposed EP exchange seconds of one MoE layer and micro-batch under recompute `r`; 0 without EP or MoE.
// `moe_compute` is the layer's compute under `r` (what overlap.ep hides the exchange behind); `total`, when
// given, receives the exchange's whole time (exposed or not). With training.moe_imbalance u the exchange is
// that of the busiest rank: (u + E_local - 1) / E_local times the balanced one (E_local = experts / ep; the
// other local experts balanced, an assumption). Throws InputError for a DeepEP / Hybrid-EP dispatcher on a
// node without a scale-up domain. `shared` is the layer's shared experts' time under `r`, pass by pass
// (LayerCost::shared): with overlap.moe_shared_expert and overlap.ep off, each pass's exchanges run beside
// that pass's shared experts (exposed_beside per pass: Megatron's --moe-shared-expert-overlap runs the
// shared experts' forward beside the forward dispatch and combine, their backward beside the backward's; a
// backward's shared compute cannot hide a forward exchange, helper-179).
double ep_layer_exposed(EstimateContext& ctx, const TrainConfig& c, const RankMap& ranks, Recompute r,
                        double moe_compute, const SharedPasses& shared, double* total = nullptr);

// Exposed seconds of the expert-tensor-parallel gather of one MoE layer and micro-batch where ETP is wider
// than TP (etp > tp; 0 otherwise): Megatron's token dispatcher all-gathers the tokens it received over the
// ETP group before the experts (each ETP rank holds a slice of every local expert's FFN) and reduce-scatters
// their outputs after, AllGather-V / ReduceScatter-V of S = etp T_n k h 2 B (the busiest rank's, as above)
// over the ETP groups; the backward mirrors both, full recompute (`r`) runs the forward's again: 2 (3) x (AG
// + RS), exposed (the dispatcher's collectives are not behind a GEMM). With etp <= tp the TP collectives of
// the layer stand in for it (docs/training.md, "Communication"); an etp above tp cost nothing until
// 2026-12-07.
double etp_gather_exposed(EstimateContext& ctx, const TrainConfig& c, const RankMap& ranks, Recompute r);

}  // namespace commsim
