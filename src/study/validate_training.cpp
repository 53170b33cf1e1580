#include "study/validate_training.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/csv.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/stats.hpp"
#include "core/units.hpp"
#include "core/yaml_reader.hpp"
#include "study/case_cells.hpp"
#include "study/interleave.hpp"
#include "study/mapping_rules.hpp"
#include "study/nccl_row_cells.hpp"
#include "study/not_predicted.hpp"
#include "study/row_model.hpp"
#include "study/sharding_cells.hpp"
#include "study/source_recompute.hpp"
#include "study/training_mapping.hpp"
#include "study/training_metric.hpp"
#include "topo/system_cache.hpp"
#include "topo/system_loader.hpp"
#include "train/estimator.hpp"
#include "train/pipeline_layout.hpp"
#include "train/recompute_fit.hpp"

namespace commsim {
namespace {

std::string lower(const std::string& s) { return lower_case(s); }
bool contains(const std::string& hay, const std::string& needle) { return contains_nocase(hay, needle); }

// Does a row say it ran compiled? A source rule's `compile: stated` (torchtitan's December 2024 benchmark,
// whose tables list each run's techniques: "FSDP", "FSDP + torch.compile", "+ Float8"): compiled where the
// row's precision or notes name torch.compile ("compile" as a word: "torch.compile", "compile=True", "+
// compile +") or torchao's Float8 ("float8", "fp8 linears"), which that benchmark ran only compiled (its
// memory table lists the 8B CP rows as "fp8 linears + torch.compile"); a "compile" negated ("without
// torch.compile", "not using torch.compile", "no compile", "torch.compile disabled", "compile=False") is
// eager, and so is a row naming neither ("FSDP", "eager"). "compiler" and "compiled" are other words
// ("figures compiled from ...").
bool states_compile(const CsvRow& row) {
  bool compiled = false, negated = false;
  for (const char* col : {"precision", "notes"}) {
    std::vector<std::string> w(1);  // the cell's words: letters and digits, lower case
    for (char ch : lower_case(row.at(col))) {
      if (std::isalnum(static_cast<unsigned char>(ch)))
        w.back() += ch;
      else if (!w.back().empty())
        w.emplace_back();
    }
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] == "float8" || (w[i] == "fp8" && i + 1 < w.size() && w[i + 1] == "linears")) compiled = true;
      if (w[i] != "compile") continue;
      std::size_t b = i;  // the word before, past "torch", "using", "use", "with"
      while (b > 0 && (w[b - 1] == "torch" || w[b - 1] == "using" || w[b - 1] == "use" || w[b - 1] == "with"))
        --b;
      const bool before = b > 0 && (w[b - 1] == "no" || w[b - 1] == "not" || w[b - 1] == "without");
      const bool after =
          i + 1 < w.size() && (w[i + 1] == "disabled" || w[i + 1] == "off" || w[i + 1] == "false");
      (before || after ? negated : compiled) = true;
    }
  }
  return compiled && !negated;
}

constexpr const char* kAddRule = "add a rule to the mapping, or exclude the row there";

// A published run the estimator refuses (a layout that does not divide as it splits work, a scale the system
// does not hold): out of reach, named by the column the message is about.
OutOfReach not_estimable(const InputError& err) {
  const std::string m = err.what();
  // The estimator's messages name their key; the first key found decides the column (at one place, the first
  // listed: parallelism.dp_shard before parallelism.dp, which it starts with).
  static const std::pair<const char*, const char*> keys[] = {{"cluster.gpus_per_node", "gpus_per_node"},
                                                             {"cluster.", "num_gpus"},
                                                             {"parallelism.vpp", "VPP"},
                                                             {"parallelism.etp", "EP"},
                                                             {"parallelism.ep", "EP"},
                                                             {"parallelism.first_stage", "PP"},
                                                             {"parallelism.last_stage", "PP"},
                                                             {"parallelism.pp", "PP"},
                                                             {"parallelism.tp", "TP"},
                                                             {"parallelism.cp", "CP"},
                                                             {"parallelism.dp_shard", "zero_sharding"},
                                                             {"parallelism.dp", "DP"},
                                                             {"training.micro_batch", "micro_batch"},
                                                             {"training.global_batch", "global_batch"},
                                                             {"training.seq_len", "seq_len"},
                                                             {"model.", "arch"},
                                                             {"training.precision", "precision"}};
  const char* col = "num_gpus";
  std::size_t first = std::string::npos;
  for (const auto& [key, column] : keys)
    if (const std::size_t at = m.find(key); at < first) {
      first = at;
      col = column;
    }
  return OutOfReach{col, "the estimator cannot run the published layout: " + m,
                    "a published run ran: say in docs/validation.md what the estimator lacks, or exclude the row in the mapping"};
}

// Maps one row to a case (InputError for a malformed cell; OutOfReach where the catalog cannot predict it).
TrainingCase map_row(const TrainingMapping& map, const CaseRow& cells, const std::string& csv_path) {
  const CsvRow& row = cells.row();
  const std::string& id = cells.id();
  auto bad = [&cells](const std::string& col, const std::string& what) { return cells.bad(col, what); };
  // Read strictly wherever the row goes: "nan", "-1" or "0x10" is bad input, not a missing size (only a rule
  // that picks a size read it strictly; the check of a mapped model's size skipped such a cell silently).
  const std::optional<double> params_b =
      not_reported(row.at("params_B")) ? std::nullopt : std::optional<double>(cells.positive("params_B"));
  const auto gpn_cell = row.fields.find("gpus_per_node");  // a column older files lack
  // 0: not given (a plain long: GCC 12 warns of an optional read behind its check)
  const long gpn = gpn_cell == row.fields.end() ? 0 : cells.count_or_described("gpus_per_node").value_or(0);
  if (const UnsupportedHit hit = unsupported_hit(map.unsupported, row.fields); hit.reason)
    throw OutOfReach{hit.column, *hit.reason, "the mapping's unsupported rules"};
  // Hardware.
  const SystemRule* sys = nullptr;
  for (const SystemRule& r : map.systems)
    if (names_hardware(row.at("gpu"), r.gpu) &&
        (r.intra.empty() || contains_loosely(row.at("intra_node_link"), r.intra)) &&
        (r.inter.empty() || contains_loosely(row.at("inter_node_link"), r.inter))) {
      sys = &r;
      break;
    }
  if (!sys) throw OutOfReach{"gpu", "no rule maps hardware '" + row.at("gpu") + "' to a system"};
  std::string family;
  for (const FamilyRule& r : map.families)
    if (names_source(row.at("source"), r.match)) {
      family = r.family;
      break;
    }
  // The mapping's gap, not the row's: placed at the mapping, so it stops the file (helper-173: it was listed
  // as one row not predicted, exit 0).
  if (family.empty() && !map.families.empty())
    throw InputError(SourceLoc{map.path, 0, 0, "source_families"},
                     cells.id() + " (" + row.file + ":" + std::to_string(row.line) +
                         "): no source_families rule matches the source '" + row.at("source") +
                         "' (the last rule's match: \"\" takes any)");
  TrainConfig c;
  c.system = sys->system;
  c.sets = sys->sets;
  // Model: a built-in shape by name, overridden by the arch column's dimensions (study/row_model.hpp).
  const RowModel rm = row_model(map, cells, params_b);
  const SourceRule* src = nullptr;
  for (const SourceRule& r : map.sources)
    if (names_source(row.at("source"), r.match) &&
        (r.models.empty() || std::find(r.models.begin(), r.models.end(), rm.builtin) != r.models.end())) {
      src = &r;
      break;
    }
  c.model = rm.model;
  c.has_model = true;
  if (c.model.mtp_layers > 0 &&
      (denies_mtp(row.at("model")) || denies_mtp(row.at("arch")) || denies_mtp(row.at("notes"))))
    c.train.mtp = false;
  const std::string& model_name = rm.builtin;
  // Layout and batch.
  // What a prediction needs: a row that does not report it is out of reach; a cell that is no count, bad input.
  auto need = [&cells](const std::string& col) {
    if (not_reported(cells.at(col))) throw OutOfReach{col, "not reported ('" + cells.at(col) + "'), and a prediction needs it",
                                     "exclude the row in the mapping"};
    return cells.count(col);
  };
  c.gpus = static_cast<int>(need("num_gpus"));
  // TP and PP "n/a" or "-": not used (an FSDP-only run), 1; "n/r" or empty is not reported, out of reach.
  c.par.tp = unused_dimension(row.at("TP")) ? 1 : static_cast<int>(need("TP"));
  c.par.pp = unused_dimension(row.at("PP")) ? 1 : static_cast<int>(need("PP"));
  // GPUs per node: a row on fewer GPUs per node than the system's (4 of 8) uses that many of each node; text
  // ("4 per tray / 72 per NVL domain") or not reported leaves the system's, and more than it holds is out of reach.
  // On a rack-scale node (NVL72, CloudMatrix: a domain of many boards) the count is the tray's or the host's, not
  // the NVLink domain's: ignored.
  const SystemSpec sys_spec = load_system(c.system, c.sets);
  const bool rack_scale = sys_spec.node.gpus > sys_spec.node.board.gpus;
  if (gpn > 0 && !rack_scale) {
    const int per_node = sys_spec.node.gpus;
    if (gpn > per_node)
      throw OutOfReach{"gpus_per_node", std::to_string(gpn) + " GPUs per node, and " + c.system + " has " + std::to_string(per_node)};
    if (gpn < per_node) c.gpus_per_node = static_cast<int>(gpn);
  }
  // The scale-out NICs the inter-node cell states, where they differ from the system's, on a run of more than
  // one node of one board each (as a collective row's; helper-128: "1x 25GbE per node" ran on the MI300X
  // box's 8 x 400 Gb/s). A rack-scale row keeps its system's.
  const int per_node_used =
      c.gpus_per_node > 0 ? c.gpus_per_node : sys_spec.node.gpus;  // 4 of 8: 8 GPUs are 2 nodes
  if (!rack_scale && sys_spec.node.gpus == sys_spec.node.board.gpus && c.gpus > per_node_used)
    for (std::string& set :
         nic_sets(nic_cell_for_board(row.at("inter_node_link"), per_node_used, sys_spec.node.gpus),
                  sys_spec.node.gpus, sys_spec.node.board.nics, sys_spec.fabric.nic_speed * 8.0))
      c.sets.push_back(std::move(set));
  // CP and EP "n/a" (or empty): the dimension is not used, 1. DP not given: GPUs / (TP * PP * CP), as the
  // public file derives it (../shared/validation/README.md).
  auto not_applicable = [&](const std::string& col) { return trim(row.at(col)).empty() || unused_dimension(row.at(col)); };
  const bool dp_reported = !not_applicable("DP") && lower(row.at("DP")) != "n/r";
  // CP not reported beside a reported DP: what TP x PP x DP leaves of the GPUs (1 where they are all of them;
  // helper-122: such a row was not predicted).
  if (!not_applicable("CP") && not_reported(row.at("CP")) && dp_reported) {
    const long tp_pp_dp = static_cast<long>(c.par.tp) * c.par.pp * need("DP");
    if (c.gpus % tp_pp_dp != 0) need("CP");  // out of reach, named
    c.par.cp = static_cast<int>(c.gpus / tp_pp_dp);
  } else {
    c.par.cp = not_applicable("CP") ? 1 : static_cast<int>(need("CP"));
  }
  // A dense model has no experts to spread: EP not reported is 1.
  c.par.ep =
      not_applicable("EP") || (!c.model.moe && not_reported(row.at("EP"))) ? 1 : static_cast<int>(need("EP"));
  if (dp_reported) {
    c.par.dp = static_cast<int>(need("DP"));  // a number, or an error naming the column
  } else {
    const long model_parallel = static_cast<long>(c.par.tp) * c.par.pp * c.par.cp;
    if (c.gpus % model_parallel != 0)
      throw bad("DP", "not given, and TP x PP x CP = " + std::to_string(model_parallel) + " does not divide num_gpus " + std::to_string(c.gpus));
    c.par.dp = static_cast<int>(c.gpus / model_parallel);
  }
  if (c.model.moe) c.par.etp = expert_tp_cell(cells, c.par, src ? src->etp : std::nullopt);
  const VppCell vpp = vpp_cell(row.at("VPP"));
  if (!vpp.understood) throw bad("VPP", "'" + row.at("VPP") + "' is not " + kVppRead);
  c.par.vpp = vpp.vpp ? *vpp.vpp : 1;
  if (src && src->schedule) c.par.schedule = *src->schedule;
  if (vpp.schedule) c.par.schedule = *vpp.schedule;  // the row's own word wins over its source's default
  for (const StageRule& r : map.stages)
    if (!model_name.empty() && r.model == model_name && r.pp == c.par.pp) {
      c.par.first_stage_layers = r.first;
      c.par.last_stage_layers = r.last;
      break;
    }
  // Not reported: the source's count where its stages split into it, else the interleave the row's word
  // names. A row that says it does not interleave ("n/a", "-") or runs no pipeline keeps 1 (the Llama 3
  // report's 8 chunks, derived for 405B at PP 16, were forced on its 70B rows at PP 4 and on PP 1: refused,
  // helper-135).
  const bool stated_none = unused_dimension(row.at("VPP"));
  if (!vpp.vpp && !stated_none && c.par.pp > 1) {
    if (vpp.layers_per_chunk)  // layers per model chunk: V = L / (PP x N), else what "interleaved" alone
                               // gives
      c.par.vpp = vpp_from_layers_per_chunk(c, *vpp.layers_per_chunk).value_or(unstated_interleave(c));
    else if (src && src->vpp) {  // the source's count, or the nearest below it the stages split into (not
      c.par.vpp = 1;             // the largest any would: V 10 for 20 layers a stage, helper-137)
      for (int v = *src->vpp; v >= 2 && c.par.vpp == 1; --v)
        if (interleave_divides(c, v)) c.par.vpp = v;
    } else if (vpp.interleaved)
      c.par.vpp = unstated_interleave(c);
  }
  // Host or NVMe offload (ZeRO-Offload, ZeRO-Infinity) and ZeRO++'s quantised, hierarchical exchanges change
  // where the time goes in ways the estimator does not model: the row is named, not read as plain ZeRO.
  if (contains(row.at("zero_sharding"), "offload") || contains(row.at("zero_sharding"), "infinity") ||
      contains(row.at("zero_sharding"), "zero++"))
    throw OutOfReach{"zero_sharding",
                     "offload to the host or NVMe (ZeRO-Offload, ZeRO-Infinity) or ZeRO++'s quantised, "
                     "hierarchical exchanges: not modelled",
                     "exclude the row in the mapping"};
  std::optional<int> zero = cells.zero_stage("zero_sharding");
  if (src && src->fsdp_stage) {
    if (bare_fsdp(row.at("zero_sharding"))) zero = *src->fsdp_stage;
    // "FSDP=0" on such a source's row is no FSDP at all, not its default stage (helper-173: the Llama 3
    // report's rule gave it ZeRO-2).
    else if (!zero && denies_fsdp(row.at("zero_sharding")))
      zero = 0;
  }
  c.par.zero = zero ? *zero : src && src->zero ? *src->zero : 0;
  // FSDP under torch.distributed.pipelining syncs gradients on the last backward only: ZeRO-2 (SHARD_GRAD_OP)
  // as well as ZeRO-3 is ZeRO-1 there, as the memory mapping reads it (helper-183: ZeRO-2 was left, and it
  // reduce-scatters every micro-batch since 2026-12-08).
  if (c.par.zero >= 2 && c.par.pp > 1 && src && !src->fsdp_reshards_with_pp) c.par.zero = 1;
  // Hybrid sharding: the cell's shard group, else one host's GPUs (FSDP's HYBRID_SHARD shards within a host).
  const long host_gpus = gpn > 0 ? gpn : rack_scale ? sys_spec.node.board.gpus : sys_spec.node.gpus;
  c.par.dp_shard = cells.dp_shard("zero_sharding", c.par.zero, c.par, host_gpus);
  c.train.seq_len = need("seq_len");
  if (not_reported(row.at("global_batch"))) need("global_batch");  // out of reach, named
  c.train.global_batch = cells.sequences("global_batch", c.train.seq_len);
  if (const std::optional<long> mb = cells.count_or_unreported("micro_batch")) c.train.micro_batch = *mb;
  else if (src && src->micro_batch) c.train.micro_batch = *src->micro_batch;
  else throw OutOfReach{"micro_batch", "not reported, and its source rule gives no default", "add micro_batch to the source rule, or exclude the row"};
  if (c.par.pp > 1 && src && src->pp_micro_batch) c.train.micro_batch = *src->pp_micro_batch;
  if (c.par.pp > 1 && src && src->micro_batch_from_pp) {
    if (c.train.micro_batch % c.par.pp != 0)
      throw bad("micro_batch", "the local batch " + std::to_string(c.train.micro_batch) + " does not split into pp = " +
                                   std::to_string(c.par.pp) + " micro-batches (the source rule's micro_batch_from_pp)");
    c.train.micro_batch /= c.par.pp;
  }
  const std::string rc = row.at("act_recompute");
  const std::optional<Recompute> stated = recompute_cell(rc);
  if (stated) {
    c.train.recompute = *stated;
    if (const std::optional<int> n = cells.recompute_layers("act_recompute")) c.train.recompute_layers = *n;
  } else if (!not_reported(rc)) {  // the source's default fills an unreported cell, not an unreadable one
    throw bad("act_recompute", "'" + rc + "' is not a recompute policy (none, selective, full; n/r when not reported)");
  } else if (const std::optional<std::string> d =
                 src ? source_recompute(src->recompute_by_model, src->recompute, c.model.name)
                     : std::nullopt) {
    c.train.recompute = parse_recompute(*d, "recompute");
  } else {
    throw OutOfReach{"act_recompute", "not reported, and its source rule gives no default", "add recompute to the source rule, or exclude the row"};
  }
  const bool recompute_reported = stated.has_value();
  if (contains(rc, "sequence parallel")) c.par.sequence_parallel = true;
  else if (src && src->sequence_parallel) c.par.sequence_parallel = *src->sequence_parallel;
  if (src && src->overlap_tp) c.overlap.tp = *src->overlap_tp;

  if (src && src->overlap_dp) c.overlap.dp_grad_reduce = *src->overlap_dp;
  if (src && src->overlap_cp) c.overlap.cp = *src->overlap_cp;
  if (src && src->flash_attention) c.train.flash_attention = *src->flash_attention;
  // A report older than the software ran without it, where its rule does not say (the mapping's before_arxiv).
  if (const std::optional<std::pair<int, long>> id = first_arxiv_id(row.at("source")))
    for (const ArxivEra& e : map.eras) {
      if (*id >= e.id) continue;
      if (e.sequence_parallel && !(src && src->sequence_parallel) && !contains(rc, "sequence parallel"))
        c.par.sequence_parallel = *e.sequence_parallel;
      if (e.flash_attention && !(src && src->flash_attention)) c.train.flash_attention = *e.flash_attention;
    }
  if (src && src->moe_dispatcher) c.train.moe_dispatcher = *src->moe_dispatcher;
  if (src && src->overlap_ep) c.overlap.ep = *src->overlap_ep;
  if (src && src->overlap_shared_expert) c.overlap.moe_shared_expert = *src->overlap_shared_expert;
  if (src && src->sdpa_attention) c.train.sdpa_attention = *src->sdpa_attention;
  if (src && src->compile)
    c.train.compile = *src->compile == "stated" ? states_compile(row) : *src->compile == "true";
  if (src && c.train.recompute == Recompute::kSelective) c.train.recompute_modules = src->recompute_modules;
  if (c.train.recompute == Recompute::kSelective)  // the modules the row lists, over its source's
    if (const std::optional<unsigned> modules = cells.recompute_modules("act_recompute")) c.train.recompute_modules = *modules;
  if (src && src->loss_bytes_per_logit) c.train.loss_bytes_per_logit = *src->loss_bytes_per_logit;
  if (src && src->moment_bytes) c.train.moment_bytes = *src->moment_bytes;
  if (src && src->grad_bytes) c.train.grad_bytes = *src->grad_bytes;
  if (src) c.train.moe_act_input_fp8 = src->moe_act_input_fp8;
  if (src) c.train.fp8_activation_cache = src->fp8_activation_cache;
  if (const std::optional<std::string> fp = unmodelled_precision(row.at("precision")))
    throw OutOfReach{"precision", *fp + " is not a precision the estimator models (" + kPrecisionsRead + ")"};
  c.train.precision = cells.precision("precision", src && src->fp8 ? *src->fp8 : Precision::kFp8);

  TrainingCase k;
  k.case_id = id;
  k.model = row.at("model");
  k.system = c.system;
  k.metric_text = row.at("metric");
  k.family = family;
  k.arch = arch_name(sys_spec.gpu.arch);
  k.moe = c.model.moe.has_value();
  k.recompute_reported = recompute_reported;
  k.row = SourceLoc{csv_path, row.line, 0, ""};
  // A row without its figure ("n/r") has nothing to compare: named, not a stop of the whole file.
  if (not_reported(row.at("value")))
    throw OutOfReach{
        "value", "the published figure is not reported ('" + trim(row.at("value")) + "'): nothing to compare",
        "give the figure, or exclude the row in the mapping"};
  const std::optional<PublishedMetric> pm = read_published_metric(cells);
  if (!pm)
    throw OutOfReach{"metric", "unknown metric '" + k.metric_text + "' (" + kMetricsComputed + ")",
                     "a metric commsim computes, or exclude the row in the mapping"};
  k.metric = pm->metric;
  if (k.metric == TrainingMetric::kMfuFp8 && (!is_fp8(c.train.precision) || !sys_spec.gpu.fp8_flops))
    throw OutOfReach{"metric",
                     "an MFU over the FP8 peak of a run that is not in FP8 on a GPU with an FP8 peak",
                     "the MFU over the bf16 peak (\"MFU %\"), or exclude the row in the mapping"};
  if (k.metric == TrainingMetric::kMfuFp4 &&
      (c.train.precision != Precision::kNvfp4 || !sys_spec.gpu.fp4_flops))
    throw OutOfReach{"metric",
                     "an MFU over the FP4 peak of a run that is not in NVFP4 on a GPU with an FP4 peak",
                     "the MFU over the bf16 peak (\"MFU %\"), or exclude the row in the mapping"};
  k.published = pm->value;
  k.params = pm->params;
  k.tokens = pm->tokens;
  // The row's own numbers disagree (TP x PP x DP x CP is not its GPU count): bad input, not the estimator's
  // limit, whatever the row says of its recompute.
  const long product = static_cast<long>(c.par.tp) * c.par.pp * c.par.dp * c.par.cp;
  if (product != c.gpus)
    throw cells.bad("num_gpus", "parallelism: tp*pp*dp*cp = " + std::to_string(product) + " does not equal the " +
                                    std::to_string(c.gpus) + " GPUs of the row");
  if (!recompute_reported) {
    // The run ran, so it fit: where the source's default does not, the least recompute that does. The row
    // is still predicted with the default (docs/validation.md, "Memory": such recipes save memory more
    // cheaply than whole-layer recompute), and fits when some recompute makes it fit.
    std::optional<TrainConfig> t;
    try {
      t = least_recompute_that_fits(c);
    } catch (const InputError& err) {
      throw not_estimable(err);
    }
    if (t && (t->train.recompute != c.train.recompute || t->train.recompute_layers != c.train.recompute_layers))
      k.fits_with = t->train.recompute_layers > 0
                        ? "full recompute of " + std::to_string(t->train.recompute_layers) + " layer(s) per model chunk"
                        : std::string(recompute_name(t->train.recompute)) + " recompute";
  }
  // The published run as the estimator sees it: one estimate now (its context kept for the predictions), so a
  // layout the estimator cannot run is this row's, not the file's.
  try {
    k.context = std::make_shared<EstimateContext>(c);
    (void)estimate_training(c, *k.context);
  } catch (const InputError& err) {
    throw not_estimable(err);
  }
  k.config = std::move(c);
  return k;
}

}  // namespace

TrainingCases read_training_cases(const std::string& csv_path, const std::string& mapping_path,
                                  const std::optional<std::string>& only) {
  const SystemCache
      systems;  // the rows share a dozen systems, each loaded by the mapping, the row and its estimate
  const std::string mp = mapping_path.empty() ? data_file("configs/validation/training-systems.yaml") : mapping_path;
  const TrainingMapping map = load_training_mapping(mp);
  TrainingCases rep;
  CaseIds ids;
  for (const CsvRow& row : read_csv(csv_path)) {
    const CaseRow cells(row, mp);
    ids.add(cells);
    const std::string& id = cells.id();
    if (only && id != *only) continue;
    if (auto it = map.excluded.find(id); it != map.excluded.end()) {
      rep.excluded.emplace_back(id, it->second);
      continue;
    }
    try {
      rep.cases.push_back(map_row(map, cells, csv_path));
    } catch (const OutOfReach& o) {  // named with why, and the next row read
      rep.not_predicted.push_back(
          {id, InputError(cells.where(o.col), id + ": " + o.what + " (" +
                                                  (o.hint.empty() ? std::string(kAddRule) : o.hint) + ": " +
                                                  mp + ")")
                   .what()});
    } catch (const InputError& e) {
      // A cell of this row that does not read ("AMP O2", "180K", sizes that do not multiply to its GPUs): the
      // row's, named where it is, and the file's other rows predicted (it stopped the file, exit 2, so one
      // cell hid every other figure: helper-171). An error in another file (the mapping, a catalog entry)
      // still stops it.
      if (!cells.placed_here(e)) throw;
      rep.not_predicted.push_back({id, e.what(), true});
    }
  }
  if (!only)
    for (const auto& [id, why] : map.excluded)
      if (!ids.has(id)) rep.unmatched_exclusions.push_back(id);
  return rep;
}

TrainingValidationRow predict_training_case(const TrainingCase& k) {
  const TrainConfig& c = k.config;
  const ModelSpec& m = c.model;
  const TrainEstimate e = [&] {
    try {
      if (!k.context) k.context = std::make_shared<EstimateContext>(c);
      return estimate_training(c, *k.context);
    } catch (const InputError& err) {  // a layout or scale that does not divide: name the row
      throw InputError(k.row, k.case_id + ": " + err.what());
    }
  }();
  TrainingValidationRow v;
  v.case_id = k.case_id;
  v.model = k.model;
  v.system = k.system;
  v.metric = k.metric_text;
  v.family = k.family;
  v.moe = k.moe;
  v.gpus = e.gpus;
  const Parallelism& p = e.config.par;
  v.layout =
      "TP" + std::to_string(p.tp) + " PP" + std::to_string(p.pp) + " DP" + std::to_string(p.dp) +
      (p.cp > 1 ? " CP" + std::to_string(p.cp) : "") + (p.ep > 1 ? " EP" + std::to_string(p.ep) : "") +
      (p.ep > 1 && p.expert_tp() != p.tp ? " ETP" + std::to_string(p.expert_tp()) : "") +
      (p.vpp > 1 ? " VPP" + std::to_string(p.vpp) : "") +
      (p.sched() == Schedule::kDualPipe || p.sched() == Schedule::kZeroBubble
           ? std::string(" ") + schedule_name(p.sched())
           : "") +
      " Z" + std::to_string(p.zero) +
      (p.dp_replicas() > 1 ? "/" + std::to_string(p.zero_dp()) : std::string()) + " " +
      recompute_name(e.config.train.recompute) +
      (e.config.train.recompute_layers > 0 ? "(" + std::to_string(e.config.train.recompute_layers) + ")"
                                           : "") +
      " " + precision_name(e.config.train.precision);
  v.published = k.published;
  v.step_time_s = e.step_time_s;
  v.mfu = e.mfu;
  v.memory_gib = e.memory.total() / kGiB;
  v.needed_gib = e.memory.needed() / kGiB;
  v.capacity_gib = e.memory_capacity / kGiB;
  v.fits = e.fits;
  if (!e.fits) v.fits_with = k.fits_with;
  v.predicted = predicted_metric(k.metric, e, m, k.params, k.tokens);
  v.error = (v.predicted - v.published) / v.published;
  return v;
}

void summarise(TrainingValidationReport& rep) {
  std::vector<double> errs;
  rep.worst_abs = 0;
  for (const auto& r : rep.rows) {
    errs.push_back(std::fabs(r.error));
    rep.worst_abs = std::max(rep.worst_abs, std::fabs(r.error));
  }
  rep.median_abs = median(errs);
}

TrainingValidationReport validate_training(const std::string& csv_path, const std::string& mapping_path) {
  return validate_training(read_training_cases(csv_path, mapping_path));
}

TrainingValidationReport validate_training(const TrainingCases& cases) {
  TrainingValidationReport rep;
  rep.excluded = cases.excluded;
  rep.unmatched_exclusions = cases.unmatched_exclusions;
  rep.not_predicted = cases.not_predicted;
  for (const TrainingCase& k : cases.cases) rep.rows.push_back(predict_training_case(k));
  summarise(rep);
  return rep;
}

}  // namespace commsim
