// What every layout of one training run on one cluster shares: the loaded system, its scale, the roofline,
// the collective model, and memoised results of the pure functions the estimator calls for a layout:
//   layer costs   forward and backward time of each kind of layer (LayerKind), an MTP module, the embedding and the
//                 logits, keyed by what they depend on (tp, cp, ep, etp, micro-batch, sequence length and
//                 parallelism, precision, flash attention, moe_imbalance)
//   collectives   CommModel::time of one kind of process group, keyed by the op, the byte count (exact
//                 bits), the grouped dimensions and the rank map's key (sizes of every dense and folded
//                 expert dimension and the strides: they determine every group's ranks, hence placement);
//                 below it, the closure of those groups (CommModel::reduce, built rank by rank from the
//                 rank map) and, per op and closure, its time as a function of the byte count
//                 (CommModel::Curve: the algorithms' latencies and bandwidths, one flow solve each)
// A memo returns the very double the function returned the first time, so an estimate made through a
// shared context (the layout search) is byte-identical to one made alone (tested). A context belongs to
// one model, system, set of system overrides and cluster size: estimate_training(config, ctx) checks that.
// Not thread-safe: a thread pool gives each thread its own context.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "topo/system_loader.hpp"
#include "train/comm_model.hpp"
#include "train/compute_model.hpp"
#include "train/moe_ops.hpp"
#include "train/rank_map.hpp"
#include "train/recompute_cost.hpp"
#include "train/tp_overlap.hpp"
#include "train/train_config.hpp"

namespace commsim {

// The shared experts' time of one MoE layer and micro-batch, pass by pass (seconds): forward, backward, and
// the forward recompute reruns (0 where it does not).
struct SharedPasses {
  double fwd = 0, bwd = 0, rerun = 0;
};

struct LayerCost {
  double fwd = 0, bwd = 0, attn = 0, experts = 0;  // forward, backward, the attention core, the routed experts
  double gemm = 0;  // its GEMMs (one pass): the weight-gradient time W of the backward (zero-bubble, DualPipe)
  double shared_fwd = 0, shared_bwd = 0;  // the shared experts' ops (shared.*), forward and backward
  TpPairGemms tp_pairs;  // one pass of each GEMM a TP collective pairs with (overlap.tp; tp_overlap.hpp)
  ModuleTimes modules{};      // forward time by selective-recompute module (recompute_cost.hpp)
  bool op_sac_layer = false;  // torchtitan's op-level SAC applies to it (a dense layer)
  // The forward time recompute re-runs: full every op, selective the ops of `mods` (the effective list,
  // effective_recompute_modules).
  double recompute(Recompute r, unsigned mods) const {
    return r == Recompute::kFull ? fwd : r == Recompute::kSelective ? selective_recompute_time(modules, mods, op_sac_layer) : 0.0;
  }
  double compute(Recompute r, unsigned mods) const { return fwd + bwd + recompute(r, mods); }
  // The shared experts' time under `r`, pass by pass: forward, backward, and the forward again where
  // recompute reruns it (full, or selective with the moe or shared_experts module). What
  // overlap.moe_shared_expert hides each pass's EP exchanges behind.
  SharedPasses shared(Recompute r, unsigned mods) const {
    const bool again = r == Recompute::kFull || (r == Recompute::kSelective &&
                                                 (mods & (kRecomputeMoe | kRecomputeSharedExperts)) != 0);
    return {shared_fwd, shared_bwd, again ? shared_fwd : 0.0};
  }
  // Block recompute: a share f of the layers under `r`, the rest without recompute (pipeline_layout.hpp).
  double compute(Recompute r, unsigned mods, double f) const {
    return f < 1.0 ? f * compute(r, mods) + (1.0 - f) * compute(Recompute::kNone, 0) : compute(r, mods);
  }
};

struct LayerCosts {
  std::array<LayerCost, kLayerKinds> kind;  // by LayerKind: the kinds the model has (the others zero)
  const LayerCost& of(LayerKind k) const { return kind[static_cast<std::size_t>(k)]; }
  LayerCost mtp;                     // one MTP module: a layer of the model's last kind, its projection, its logits
  double embedding = 0, logits = 0;  // forward time
};

// Sums a layer's forward ops into its forward, backward, attention, GEMM, expert and recompute-module times;
// the routed-expert section runs no faster than the host issues its kernels (`launches`, moe_ops.hpp): what
// the issue time exceeds the GPU time by is added, forward and backward (and to the moe module).
LayerCost layer_cost(const Roofline& rl, const std::vector<OpCost>& ops, const ExpertLaunches& launches = {});

class EstimateContext {
 public:
  explicit EstimateContext(const TrainConfig& c);  // loads the system; throws InputError as estimate_training does
  const SystemSpec& spec() const { return spec_; }
  const Scale& scale() const { return scale_; }
  int dies() const { return dies_; }
  int gpus() const { return scale_.nodes * scale_.gpus_per_node; }
  int ranks() const { return gpus() * dies_; }
  int ranks_per_node() const { return scale_.gpus_per_node * dies_; }
  // Throws RuntimeError when `c` names another model, system or cluster than the context was made for.
  void check_same_cluster(const TrainConfig& c) const;

  const Roofline& roofline(Precision p);
  // `c` must have passed check_layout.
  const LayerCosts& layer_costs(const TrainConfig& c);
  // CommModel::time(op, ranks.groups(dims), bytes), memoised.
  double comm(Op op, const RankMap& ranks, const std::vector<Dim>& dims, double bytes);
  // Point-to-point between consecutive pipeline stages: the slowest of three boundaries of every PP group at
  // once: the first ({g[0], g[1]}), the first that crosses nodes, and the slowest inside a node by its
  // route's slowest link (on bridged PCIe boards the pair 0-1 shares an NVLink bridge, 1-2 crosses PCIe, 3-4
  // the sockets; only 0-1 was timed).
  double pp_send_recv(const RankMap& ranks, double bytes);

  std::size_t comm_entries() const { return comm_.size(); }
  std::size_t closure_entries() const { return closures_.size(); }

 private:
  using Key = std::vector<std::int64_t>;
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  // pairs 0: whole groups; 1: the first boundary of each group; 2: its first boundary that crosses nodes; 3:
  // its slowest boundary inside a node (slowest_local_boundary).
  double memo(Key key, const RankMap& ranks, const std::vector<Dim>& dims, Op op, double bytes, int pairs);

  // The boundary i (stage i to i + 1 of the group's ranks `g`) inside one node whose route has the slowest
  // link, the first of equals; 0 when none is inside a node.
  std::size_t slowest_local_boundary(const std::vector<int>& g);

  std::string model_, system_;
  std::vector<std::string> sets_;
  SystemSpec spec_;
  Scale scale_;
  int dies_ = 1;
  CommModel model_comm_;
  // Derived from the efficiency table: dropped when efficiency_generation() moves (a fitter's override).
  std::uint64_t generation_ = efficiency_generation();
  std::map<Precision, std::unique_ptr<Roofline>> rooflines_;
  std::unordered_map<Key, LayerCosts, KeyHash> layers_;
  std::unordered_map<Key, double, KeyHash> comm_;      // by rank map and dims
  std::unordered_map<Key, std::int64_t, KeyHash> shapes_;  // (dims, pairs, rank map) -> closure id, -1: none
  std::unordered_map<Key, std::int64_t, KeyHash> closure_ids_;  // the closure's groups (CommModel::reduce) -> id
  std::vector<CommModel::Reduced> reduced_;                // by closure id
  std::unordered_map<Key, CommModel::Curve, KeyHash> closures_;  // by op and closure id
};

}  // namespace commsim
