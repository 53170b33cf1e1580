// A training run to estimate: model, cluster, parallel layout, batch and precision, overlap policy, cost.
// Read from a YAML file (configs/train/*.yaml; keys in docs/config.md, "Training") and/or command-line
// flags; a flag overrides the file. Everything is checked against the model and the GPU count by
// check_layout(), which names the offending key ("parallelism.tp: 3 does not divide heads (64)").
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "train/model_spec.hpp"
#include "train/pipeline_schedule.hpp"
#include "train/recompute_modules.hpp"

namespace commsim {

// fp8: FP8 GEMMs with per-tensor (current/delayed) scaling, Transformer Engine's default; fp8_block: FP8 with
// 1x128 / 128x128 block scales (DeepSeek-V3, DeepGEMM, Megatron's "blockwise" recipe); mxfp8: Blackwell's
// block-scaled format (32-element blocks, E8M0 scales). All three run GEMMs at the catalog's fp8 rate.
// nvfp4: Blackwell's 4-bit format (E2M1 values, an E4M3 scale per 16 elements and an FP32 scale per tensor;
// Transformer Engine's NVFP4BlockScaling recipe), GEMMs at the catalog's fp4 rate (compute.fp4).
enum class Precision { kBf16, kFp16, kFp8, kFp8Block, kMxfp8, kNvfp4 };
inline bool is_fp8(Precision p) { return p == Precision::kFp8 || p == Precision::kFp8Block || p == Precision::kMxfp8; }
// GEMMs below 16 bits (the fp8 family or nvfp4): their inputs quantised, their casts charged.
inline bool is_low_precision(Precision p) {
  return is_fp8(p) || p == Precision::kNvfp4;
}
// Bytes of one GEMM input element kept or read in the run's precision (2 in bf16/fp16; an fp8 byte; nvfp4's
// half byte and an E4M3 scale per 16).
inline double gemm_input_bytes(Precision p) {
  return p == Precision::kNvfp4 ? 0.5 + 1.0 / 16.0 : is_fp8(p) ? 1.0 : 2.0;
}
enum class Recompute { kNone, kSelective, kFull };
const char* precision_name(Precision p);
const char* recompute_name(Recompute r);
Precision parse_precision(const std::string& s, const std::string& key);  // throws InputError naming key
Recompute parse_recompute(const std::string& s, const std::string& key);

// "15T", "2.5B", "800M", "1e9", "4096": a plain count with an optional decimal suffix K, M, B or G, T, P.
double parse_count(const std::string& text, const std::string& key);

struct Parallelism {
  int tp = 1, pp = 1, dp = 0, cp = 1, ep = 1, vpp = 1;  // dp 0: GPUs / (tp * pp * cp)
  int zero = 1;                                        // 0..3; 3 = FSDP
  // ZeRO's shard group in DP ranks (HSDP, FSDP's HYBRID_SHARD, Megatron's num_distributed_optimizer_instances
  // = dp / dp_shard): the ZeRO state is sharded over dp_shard x cp ranks and replicated over dp / dp_shard of
  // them; 0: over all of dp.
  int dp_shard = 0;
  std::optional<bool> sequence_parallel;               // default: on (it applies only at tp > 1)
  int etp = 0;                                         // expert tensor parallel; 0: tp (Megatron's default)
  int first_stage_layers = 0, last_stage_layers = 0;   // 0: layers / pp, or Megatron's embedding/loss split
  std::optional<Schedule> schedule;                    // default: interleaved when vpp > 1, else 1f1b
  std::vector<std::string> order = {"tp", "cp", "ep", "dp", "pp"};  // innermost first (Megatron)
  // Megatron turns sequence parallelism off at TP 1 (there is no TP region to shard): asked for there, it is
  // off.
  bool sp() const { return tp > 1 && sequence_parallel.value_or(true); }
  // More than one rank: the run creates NCCL communicators (one GPU holds no NCCL buffers).
  bool multi_rank() const { return static_cast<long>(tp) * pp * dp * cp > 1; }
  int expert_tp() const { return etp > 0 ? etp : tp; }
  // The expert-data-parallel size: EP folded over TP x CP x DP (Megatron's parallel folding).
  int edp() const { return tp * cp * dp / (expert_tp() * ep); }
  // Hybrid sharding: the DP ranks one ZeRO shard spans, the copies of it, and the expert-DP ranks one expert
  // shard spans (the expert-DP group split into as many copies).
  int zero_dp() const { return dp_shard > 0 ? dp_shard : dp; }
  int dp_replicas() const { return dp / zero_dp(); }
  int edp_shard() const { return edp() / dp_replicas(); }
  Schedule sched() const { return schedule.value_or(vpp > 1 ? Schedule::kInterleaved : Schedule::k1f1b); }
};

struct TrainingParams {
  long seq_len = 0;
  long global_batch = 0;  // sequences per step
  long micro_batch = 1;
  Precision precision = Precision::kBf16;
  Recompute recompute = Recompute::kSelective;
  double tokens = 0;            // tokens to train (0: no time/cost totals)
  bool flash_attention = true;  // no s^2 score activations, attention recomputed in backward
  // training.compile: elementwise ops fused (torch.compile; Megatron/NeMo's TE and Apex kernels); false:
  // PyTorch eager, the model code's norms, rotary and activation as separate kernels
  // (train/eager_elementwise.hpp)
  bool compile = true;
  // training.attention_kernel: cudnn (Transformer Engine's fused attention, Megatron/NeMo: the kernel model) or
  // sdpa (PyTorch SDPA, torchtitan: the roofline's `attention` efficiency); compute_model.hpp
  bool sdpa_attention = false;
  int grad_bytes = 4;           // fp32 gradient accumulation (Megatron); 2 for bf16 grads
  int moment_bytes = 4;         // Adam's m and v each: fp32; 2 for bf16 (DeepSeek-V3, Megatron --exp-avg-dtype bf16)
  unsigned recompute_modules = 0;            // RecomputeModule bits with selective; 0: Megatron's default [core_attn]
  // With recompute full: Megatron's --recompute-method block --recompute-num-layers N, the first N layers of
  // each model chunk recomputed and the others keeping their activations; 0: every layer (uniform).
  int recompute_layers = 0;
  std::optional<bool> fp8_activation_cache;  // fp8: GEMM inputs kept as FP8 copies (default true, Transformer Engine)
  bool moe_act_input_fp8 = false;  // fp8 with moe_act recomputed: the experts' FC1 output kept in FP8 (DeepSeek-V3)
  std::string moe_dispatcher = "alltoall";    // EP exchange: alltoall (NCCL) | deepep | hybridep (ep_dispatch.hpp)
  double moe_imbalance = 1.0;                 // busiest expert's tokens / balanced (>= 1; 1: force-balanced routing)
  double loss_bytes_per_logit = 6;           // Megatron's fused vocab-parallel cross-entropy: fp32 softmax + bf16 logits
  std::optional<bool> mtp;                   // multi-token prediction; default: on when the model has mtp_layers
};

// Which communication hides behind compute (defaults as Megatron-LM's recommended flags).
struct OverlapPolicy {
  bool dp_grad_reduce = true;   // --overlap-grad-reduce: buckets during the last micro-batch's backward
  bool dp_param_gather = true;  // --overlap-param-gather: ZeRO-1/2 parameter all-gather behind forward
  bool tp = false;              // false: TP collectives exposed; true: each behind its paired GEMM (tp_overlap.hpp)
  std::optional<bool> ep;       // EP all-to-all behind another micro-batch's compute; default: on under dualpipe
  bool moe_shared_expert =
      false;  // --moe-shared-expert-overlap: the EP exchange beside the shared experts' compute
  bool cp = true;               // CP K/V exchange behind attention compute
  bool pp = true;               // steady-state send/recv hidden; fill and drain exposed
  bool fsdp_prefetch = true;    // ZeRO-3 all-gathers prefetched behind the previous layer
  bool ep_on(Schedule s) const { return ep.value_or(s == Schedule::kDualPipe); }
};

// `parallelism: auto` / `train --auto`: the layout search's bounds (the `search:` section; 0 = no bound
// beyond validity; max_tp 0 = the scale-up domain, i.e. the ranks of a node). docs/config.md.
struct SearchLimits {
  int top = 1;  // layouts to report
  int max_tp = 0, max_pp = 0, max_cp = 0, max_ep = 0, max_vpp = 0;
  long max_micro_batch = 0;
  // The share of each GPU's memory a searched layout leaves free (0 to 0.5): a layout fits the search when it
  // needs at most (1 - headroom) x capacity. 0: `fits` as train reports it (a published run fits, tightly).
  double memory_headroom = 0;
  // Hybrid sharding as a search dimension (search.hybrid_sharding): every shard group dividing dp (2 to dp)
  // is tried for ZeRO 1-3, not only all of dp. Off by default: it multiplies the ZeRO layouts by dp's
  // divisors.
  bool hybrid_sharding = false;
  // Dimensions the caller fixes (`train --auto --tp 8`): only that value is searched; 0 = free.
  int tp = 0, pp = 0, dp = 0, cp = 0, ep = 0, vpp = 0;
  long micro_batch = 0;
};

// A value given on the command line rather than in the config file: `--set key=value` or a flag.
struct TrainOverride {
  std::string key;     // dotted config key, e.g. "parallelism.pp" or "fabric.nic_speed"
  std::string value;   // as given
  std::string origin;  // "--set" or the flag, e.g. "--pp"
};

struct TrainConfig {
  std::string file;  // "" when built from flags only
  ModelSpec model;
  bool has_model = false;
  std::string system;
  int gpus = 0, nodes = 0, gpus_per_node = 0;
  std::vector<std::string> sets;                    // system overrides: cluster.set's, then --set's system keys
  std::map<std::string, SourceLoc> sets_written_at;  // cluster.set entries: text -> their place in the file
  Parallelism par;
  bool auto_layout = false;  // parallelism: auto (train/layout_search.hpp)
  SearchLimits search;
  TrainingParams train;
  OverlapPolicy overlap;
  double gpu_hour_usd = 0;
  // cost.pricing: "rent" or "purchase" ("" none): the price per GPU-hour is the prices file's for the
  // config's GPU (study/prices.hpp price_training sets gpu_hour_usd); `pricing_at` is where it was given.
  std::string pricing;
  SourceLoc pricing_at;
  // cost.prices: the prices file cost.pricing reads ("" the shipped topologies/prices.yaml), a path read
  // beside the file it is written in, then from the current directory (--set), then the data directory.
  std::string prices;
  double dp_bucket_params = 40e6;  // Megatron DDP bucket size (parameters)
  std::vector<TrainOverride> overrides;   // command-line values, in order (shown in every output format)
  // The file's recompute_num_layers that a --set training.recompute other than full dropped (0: none), so
  // that a --recompute full after it ends with the file's block recompute (it ended without).
  int dropped_recompute_layers = 0;
  std::map<std::string, SourceLoc> where;  // where the layout keys came from, for check_layout's messages
  // MTP modules trained (on the last stage): the model's mtp_layers unless training.mtp is false.
  int mtp_layers() const { return train.mtp.value_or(true) ? model.mtp_layers : 0; }
};

// Reads a training config (path "" for none: flags and --set only). `sets` are --set overrides: keys of the
// config (model.*, cluster.*, parallelism.*, training.*, overlap.*, cost.*) are applied to the YAML tree
// before the typed parse (train/train_overrides.cpp), so a bad value blames --set; system keys (gpu.*, node.*,
// fabric.*, calibration.*, nodes) join cluster.set.
TrainConfig load_train_config(const std::string& path, const std::vector<std::string>& sets = {});
// The same from a tree already loaded (a sweep's base, cloned per point; `root` is modified), read from `path`.
TrainConfig load_train_config(YAML::Node root, const std::string& path, const std::vector<std::string>& sets);
// --model NAME beside --set model.KEY=VALUE: the keys edit the flag's model, so the flag goes first, as
// --set model=NAME, and is cleared (else --set builds an inline model without a name, which the flag would
// then replace whole). Call before load_train_config and apply_flags.
void model_flag_before_sets(std::optional<std::string>& model, std::vector<std::string>& sets);
// The typed parse of a config tree; `overridden` lists the keys that came from --set, `model_file` the file
// an inlined built-in model came from.
TrainConfig parse_train_config(const YAML::Node& tree, const std::string& path,
                               std::shared_ptr<const std::set<std::string>> overridden, const std::string& model_file = "");

// Command-line flags; unset ones leave the config as it is.
// Command-line flags; unset ones leave the config as it is. Each set flag is recorded in cfg.overrides and
// cfg.where, so a layout error names the flag ("--pp: parallelism.pp: 6 does not divide layers (80)").
struct TrainFlags {
  std::optional<std::string> model, system, precision, recompute;
  std::optional<int> gpus, nodes, gpus_per_node, tp, pp, dp, cp, ep, vpp, zero;
  std::optional<long> seq_len, global_batch, micro_batch;
};
void apply_flags(TrainConfig& cfg, const TrainFlags& f);

// Checks the layout against the model and the world size (ranks); fills dp when derived. Throws InputError.
void check_layout(TrainConfig& cfg, int world);
// The same, each failed check given to `fail(key, what)` ("parallelism.tp", "3 does not divide heads (64)"),
// which throws: a layout built in code (a validation CSV's row) names its own columns.
void check_layout(TrainConfig& cfg, int world,
                  const std::function<void(const std::string& key, const std::string& what)>& fail);

// Whether the key's value came from a flag or --set (not the config file nor a default).
bool given_on_command_line(const TrainConfig& cfg, const std::string& key);
// Where cfg's `key` came from, for messages: file:line:col, "--set", the flag, else the config file; the key
// left out (the message names it), so an InputError keeps a place a caller can place again.
SourceLoc origin_loc(const TrainConfig& cfg, const std::string& key);

}  // namespace commsim
