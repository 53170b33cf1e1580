// Automatic layouts (`parallelism: auto`, `commsim train --auto`): every valid TP x PP x CP x EP x VPP x
// ZeRO x recompute x micro-batch layout of a model on a cluster, estimated with the training estimator; the
// fastest that fit in memory are kept. Called by `train`, and by `plan` and `sweep`.
//
// Space (R ranks, n ranks per node, L layers):
//   tp   divides R, at most n (the scale-up domain: 8 on HGX, 72 on NVL72) or search.max_tp; must divide
//        heads, kv_heads (not under MLA) and ffn_hidden
//   pp   divides R/tp, at most L; when it does not divide L the stages are uneven: the middle stages hold
//        e = ceil(L/pp) layers, the first and last ceil(r/2) and floor(r/2) of the r = L - (pp-2) e left
//        (Llama 3 405B: 126 on 16 = 7 + 14 x 8 + 7; DeepSeek-V3: 61 on 16 = 3 + 14 x 4 + 2), each >= 1
//   cp   divides R/(tp pp), and 2 cp divides seq_len (load-balanced causal chunks), and tp divides seq_len/cp
//        under sequence parallelism;
//        dp = R/(tp pp cp), must divide global_batch
//   etp  MoE: 1 and tp (expert tensor parallelism; must divide expert_ffn_hidden)
//   ep   1 for dense models; divides tp*cp*dp/etp and experts for MoE (folded over TP x CP x DP)
//   vpp  1..(largest stage) with pp > 1, dividing the layers of every stage but shortened first and last
//        ones, as the estimator accepts (Llama 3 405B's 7 + 14 x 8 + 7 under vpp 8, the Llama 3 report's
//        layout; DeepSeek-V3's 7 + 6 x 8 + 6 on pp 8); schedule 1f1b, interleaved with
//        vpp > 1 -- unless the base config names zero-bubble or dualpipe, which are kept with vpp 1
//        (dualpipe: even pp, an even number >= 2 pp of micro-batches)
//   micro-batch divides global_batch/dp; ZeRO 0..3; recompute none, selective, full; full recompute of the
//        fewest layers per model chunk that fit (training.recompute_num_layers, Megatron's block method,
//        found by bisection on memory) where the layout does not fit without recompute; every layer when
//        nothing less fits, or when no recompute fits (then faster than any full recompute)
//   dp_shard (hybrid sharding) with search.hybrid_sharding: all of dp, then every divisor of dp from 2, for
//        ZeRO 1-3, where (MoE) the dp / dp_shard copies divide the expert-DP group; without it, a base
//        config's parallelism.dp_shard is held (only layouts whose dp it divides, with ZeRO 1-3, are tried)
//        or ZeRO shards over all of dp
// Other keys (precision, sequence parallelism, order, overlap, MTP, dispatcher) stay as the base config has
// them.
//
// Algorithm (exact; tested equal to exhaustive search): for every candidate, memory per stage and a
// step-time lower bound LB = (m + (p-1)/v) * max_k (compute_k + ep_k) * (1 - 1e-9) (the step is m tau +
// bubble tau + non-negative terms with tau >= every stage's compute and exposed EP exchange, ep_k = its MoE
// layers x ep_layer_exposed, ep_layer_comm.hpp; MTP compute included; zero-bubble/DualPipe: no bubble term,
// DualPipe's terms the mean of a rank's two stages), both from memoised per-layer costs
// (EstimateContext). Candidates that do not fit are rejected; the others are estimated in increasing LB
// order until LB exceeds the k-th best step time found, and the rest are counted as pruned.
// Ranking: step time, then peak memory per GPU, then the enumeration order (tp, pp, cp, etp, ep, vpp,
// micro-batch, ZeRO, shard group (all of dp first), recompute none < selective < full, each ascending):
// deterministic.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "train/estimator.hpp"

namespace commsim {

struct LayoutSearchOptions {
  SearchLimits limits;  // top k and the bounds (train_config.hpp)
  std::vector<int> zero = {0, 1, 2, 3};
  std::vector<Recompute> recompute = {Recompute::kNone, Recompute::kSelective, Recompute::kFull};
  bool prune = true;  // false: estimate every layout that fits (exhaustive; for tests)
  bool block_recompute = true;  // full recompute of the fewest layers per chunk that fit (false: every layer)
  int min_vpp = 1;  // 2: interleaved layouts only (a given `parallelism.schedule: interleaved`)
};

struct LayoutSearchResult {
  std::vector<TrainEstimate> top;  // fastest first, at most limits.top
  long tried = 0;      // layouts considered; an invalid outer choice (tp, pp, cp, ep) counts once
  long fits = 0;       // valid layouts that fit in memory
  long evaluated = 0;  // of those, fully estimated
  long pruned = 0;     // of those, skipped: step-time lower bound above the k-th best
  std::map<std::string, long> rejected;  // reason ("heads % tp", ..., "does not fit") -> layouts
  int ranks = 0;
};

// The options a config asks for: its `search:` bounds, and every layout key given outside the config file (a
// flag, --set, a sweep axis) fixed at its value, as `train --auto --tp 8` fixes TP --
// parallelism.tp, pp, dp, cp, ep, vpp and zero, training.micro_batch and training.recompute (full is then
// every layer). Keys in the file are searched over. InputError for parallelism.etp, first_stage_layers,
// last_stage_layers and training.recompute_num_layers given so: the search sets them per layout; and for
// search.hybrid_sharding beside a given parallelism.dp_shard.
LayoutSearchOptions search_options(const TrainConfig& c);

// Throws InputError for a base config without model, seq_len or global_batch; DoesNotFitError is the
// caller's to raise when result.top is empty.
LayoutSearchResult search_layouts(const TrainConfig& base, const LayoutSearchOptions& options);
LayoutSearchResult search_layouts(const TrainConfig& base, const LayoutSearchOptions& options, EstimateContext& ctx);

// The search's pipeline split of L layers over pp stages: first = last = 0 (even) when pp divides L, else
// the uneven rule above. False when no split exists (the rest r < 2).
bool uneven_stages(int layers, int pp, int& first, int& last);

// "TP8 PP4 DP32 CP1 EP1 VPP5 ZeRO-1 mb1 selective" for a report line; block recompute: "full(N)"; hybrid
// sharding: "ZeRO-3 shard 8".
std::string layout_name(const TrainConfig& c);

}  // namespace commsim
