// The training validation mapping (configs/validation/training-systems.yaml): which catalog system a row's
// hardware is, which built-in model its model column names, the uneven pipeline stages of a recipe, what
// each source leaves unreported (its defaults, stated once per source), the source families the
// leave-one-source-out fit holds out, the architectures not modelled and the rows excluded with their reason
// (docs/validation.md).
// Every key is checked as a config is: an unknown key or a bad value names file, line and key.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "study/mapping_rules.hpp"
#include "train/train_config.hpp"

namespace commsim {

struct SystemRule {
  std::string gpu, intra, inter, system;
  std::vector<std::string> sets;
};
struct ModelRule {
  std::string match, model;        // model: the built-in shape; empty where `sizes` picks one
  std::vector<std::string> sizes;  // a family's built-in sizes: the one nearest the row's params_B
};
// The built-in model a rule gives a row: its `model`, or among its `sizes` the one whose parameter count is
// nearest the row's params_B by ratio (MPT 125M .. 70B from one rule: "MPT 1.32B" is mpt-1b); nullopt where
// the rule picks by size and the row reports no parameter count.
std::optional<std::string> rule_model(const ModelRule& r, std::optional<double> params_b);
// Uneven pipeline stages of a built-in model at a pipeline depth, as the source's recipe splits it.
struct StageRule {
  std::string model;
  long pp = 0;
  int first = 0, last = 0;
};
// What a source leaves unsaid ("n/r"), as that source's documentation states its defaults.
struct SourceRule {
  std::vector<std::string> match;  // substrings of the source column, any of them
  // Built-in models the rule speaks for (empty: every row of the source): a report that states one model's
  // layout is cited for another's figure too (DeepSeek-V2's gives DeepSeek 67B's GPU hours); such a row takes
  // the next rule that matches.
  std::vector<std::string> models;
  std::optional<long> micro_batch;
  std::optional<long> pp_micro_batch;  // with pp > 1 the micro_batch column is the local batch, split into these
  // true: with pp > 1 the micro_batch column is the local batch, split into pp micro-batches (torchtitan before
  // 2025: pipeline_parallel_microbatches defaulted to the number of stages); as configs/validation/memory-mapping.yaml
  bool micro_batch_from_pp = false;
  std::optional<std::string> recompute;
  std::map<std::string, std::string> recompute_by_model;  // where the source's configs differ by model
  std::optional<bool> sequence_parallel;
  std::optional<bool> overlap_tp;
  std::optional<bool> overlap_dp;
  std::optional<bool> overlap_cp;  // CP's K/V exchange behind the attention core (false: an all-gather exposed)
  std::optional<bool> flash_attention;
  // The MoE token dispatcher and EP overlap the source states (training.moe_dispatcher, overlap.ep).
  std::optional<std::string> moe_dispatcher;
  std::optional<bool> overlap_ep;
  std::optional<bool> overlap_shared_expert;  // overlap.moe_shared_expert
  std::optional<bool> sdpa_attention;  // training.attention_kernel the framework uses
  // training.compile: "true", "false" or "stated" (PyTorch frameworks whose benchmarks list their techniques:
  // compiled where a row's precision or notes name torch.compile, eager where none does)
  std::optional<std::string> compile;
  // Memory conventions (they change memory, not time): what "selective" keeps, the loss, FP8 activations.
  unsigned recompute_modules = 0;
  std::optional<double> loss_bytes_per_logit;
  std::optional<bool> fp8_activation_cache;
  // Layout conventions the source states once for all its rows: the pipeline schedule, the virtual stages
  // where the row's VPP is not reported, the ZeRO stage where its zero_sharding is not, and the FP8 recipe
  // its "FP8" means (fp8: tensor-wise; fp8_block: DeepSeek's 1x128 / 128x128 tiles).
  std::optional<Schedule> schedule;
  std::optional<int> vpp, zero;
  // false: FSDP (ZeRO-3) under pipeline parallelism keeps weights gathered and gradients unreduced until the
  // last micro-batch (torchtitan: reshard_after_forward = not pp_enabled): ZeRO-1 communication and memory.
  bool fsdp_reshards_with_pp = true;
  // The ZeRO stage a bare "FSDP" cell of this source is (study/sharding_cells.hpp, bare_fsdp): 2 where the
  // source says its FSDP keeps the weights after the forward pass; none: FSDP's default, 3.
  std::optional<int> fsdp_stage;
  // The expert tensor-parallel size of its MoE rows where the row has no ETP column (parallelism.etp;
  // Megatron-Bridge's MoE recipes set expert_tensor_parallel_size 1).
  std::optional<int> etp;
  std::optional<Precision> fp8;
  std::optional<int> moment_bytes;  // Adam's m and v: 2 where the source keeps them in bf16
  std::optional<int> grad_bytes;    // the gradient buffer and its DP reduction: 2 where grads reduce in bf16
  bool moe_act_input_fp8 = false;   // the experts' SwiGLU input cached in FP8 (training.moe_act_input_fp8)
};
// Software a run cannot have used: a report whose arXiv id is older than the paper that introduced the
// software ran without it (arXiv numbers papers in submission order, YYMM.NNNNN), unless its source rule
// says otherwise. `before_arxiv` rules of the mapping file.
struct ArxivEra {
  std::pair<int, long> id;  // (YYMM, number)
  std::string id_text;
  std::optional<bool> sequence_parallel, flash_attention;
};
// The first arXiv identifier a source cell cites ("arXiv:2104.04473", "arxiv.org/abs/2205.01068"), or nullopt.
std::optional<std::pair<int, long>> first_arxiv_id(const std::string& cell);
struct FamilyRule {
  std::vector<std::string> match;
  std::string family;
};
struct TrainingMapping {
  std::string path;  // the file, where an error that is the mapping's (no family for a source) is placed
  std::vector<FamilyRule> families;
  std::vector<UnsupportedRule> unsupported;
  std::vector<SystemRule> systems;
  std::vector<ModelRule> models;
  std::vector<StageRule> stages;
  std::vector<ArxivEra> eras;
  std::vector<SourceRule> sources;
  std::map<std::string, std::string> excluded;
};

// Reads and checks the mapping file (InputError naming file, line and key).
TrainingMapping load_training_mapping(const std::string& path);

}  // namespace commsim
