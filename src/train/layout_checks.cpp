#include "train/layout_checks.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "core/text.hpp"
#include "train/pipeline_layout.hpp"

namespace commsim {
namespace {
std::string str(long v) { return std::to_string(v); }
}  // namespace

void check_expert_layout(const TrainConfig& c, const LayoutFail& fail) {
  const ModelSpec& m = c.model;
  const Parallelism& p = c.par;
  if (p.etp > 1 && !m.moe) fail("parallelism.etp", "expert tensor parallelism needs a MoE model");
  if (p.ep > 1 && !m.moe) fail("parallelism.ep", "expert parallelism needs a MoE model");
  if (!m.moe) return;
  if (m.moe->experts % p.ep != 0) fail("parallelism.ep", str(p.ep) + " does not divide experts (" + str(m.moe->experts) + ")");
  const int etp = p.expert_tp();
  if (m.moe->expert_ffn_hidden % etp != 0)
    fail(p.etp ? "parallelism.etp" : "parallelism.tp",
         str(etp) + " (expert tensor parallel) does not divide expert_ffn_hidden (" + str(m.moe->expert_ffn_hidden) + ")");
  const long group = static_cast<long>(p.tp) * p.cp * p.dp;
  if (group % (static_cast<long>(etp) * p.ep) != 0)  // blamed on an etp > 1 given, else on ep
    fail(p.etp > 1 ? "parallelism.etp" : "parallelism.ep",
         "etp*ep = " + str(etp) + "*" + str(p.ep) + " does not divide tp*cp*dp = " + str(group) +
             " (EP is folded over TP x CP x DP; etp defaults to tp" +
             (etp > 1 && group % p.ep == 0
                  ? "; parallelism.etp=1 folds it, as Megatron's MoE recipes run experts)"
                  : ")"));
}

void check_dp_shard(const TrainConfig& c, const LayoutFail& fail) {
  const Parallelism& p = c.par;
  if (p.dp_shard == 0) return;
  if (p.dp_shard < 0) fail("parallelism.dp_shard", "must be at least 1, got " + str(p.dp_shard));
  if (p.dp % p.dp_shard != 0)
    fail("parallelism.dp_shard", str(p.dp_shard) + " does not divide dp (" + str(p.dp) +
                                     "): each shard group is dp_shard of the DP ranks");
  if (p.zero == 0 && p.dp_shard < p.dp)
    fail("parallelism.dp_shard", "zero 0 shards nothing: hybrid sharding needs zero 1, 2 or 3");
  if (c.model.moe && p.edp() % p.dp_replicas() != 0)
    fail("parallelism.dp_shard", str(p.dp_replicas()) + " copies (dp / dp_shard = " + str(p.dp) + " / " +
                                     str(p.dp_shard) + ") do not divide the expert-data-parallel group (" +
                                     str(p.edp()) + " ranks)");
}

void check_mamba_layout(const TrainConfig& c, const LayoutFail& fail) {
  const ModelSpec& m = c.model;
  const Parallelism& p = c.par;
  if (!m.mamba || m.layers_of(LayerKind::kMamba) == 0) return;
  if (m.mamba->groups % p.tp != 0)
    fail("parallelism.tp", str(p.tp) + " does not divide the Mamba-2 groups (" + str(m.mamba->groups) +
                               "): Megatron splits the SSM heads and B/C groups over TP");
  if (p.cp > 1) fail("parallelism.cp", "context parallelism over Mamba-2 layers is not modelled");
}

void check_schedule(const TrainConfig& c, const LayoutFail& fail) {
  const Parallelism& p = c.par;
  const Schedule s = p.sched();
  // named as the user spelled it (train_config.cpp reads pipeline.schedule as parallelism.schedule)
  const char* key = c.where.count("pipeline.schedule") ? "pipeline.schedule" : "parallelism.schedule";
  if (p.vpp > 1 && p.pp < 2) fail("parallelism.vpp", "interleaving needs pp >= 2");
  if (s == Schedule::kInterleaved && p.vpp < 2) fail(key, "interleaved needs vpp >= 2");
  if (p.vpp > 1 && s != Schedule::kInterleaved)
    fail("parallelism.vpp", str(p.vpp) + " virtual stages need schedule: interleaved, not " + schedule_name(s));
  if (s == Schedule::kDualPipe && (p.pp < 2 || p.pp % 2 != 0))
    fail(key, "dualpipe needs an even pp (two stages per rank), got pp " + str(p.pp));
}

void check_vpp_stages(const TrainConfig& c, const LayoutFail& fail) {
  const Parallelism& p = c.par;
  if (p.vpp > 1) {
    const std::vector<Stage> stages = pipeline_stages(c.model, p, c.mtp_layers());
    const bool uneven = p.first_stage_layers || p.last_stage_layers;
    const int i = stage_vpp_does_not_divide(stages, p.vpp, uneven);
    if (i >= 0) {
      const int layers = stages[static_cast<std::size_t>(i)].layers;
      if (uneven && (i == 0 || i + 1 == static_cast<int>(stages.size())))
        fail("parallelism.vpp", str(p.vpp) + " model chunks leave one of stage " + str(static_cast<long>(i)) + " empty (its " +
                                    str(layers) + " layers, with the " + (i == 0 ? "embedding" : "loss") + ")");
      else
        fail("parallelism.vpp", str(p.vpp) + " does not divide the " + str(layers) + " layers of stage " + str(static_cast<long>(i)));
    }
  }
}

void check_schedule_batch(const TrainConfig& c, const LayoutFail& fail) {
  const Parallelism& p = c.par;
  const long m = c.train.global_batch / (c.train.micro_batch * p.dp);
  // Megatron's interleaved schedule runs the micro-batches in groups of pp per model chunk
  // (microbatch_group_size_per_vp_stage, at least pp and at most the micro-batches): with fewer than pp the
  // chunks run one after another and interleaving does not shrink the bubble, which (p - 1)/v assumes.
  if (p.sched() == Schedule::kInterleaved && m < p.pp)
    fail("training.global_batch", "the interleaved schedule needs at least pp = " + str(p.pp) +
                                      " micro-batches per pipeline (global_batch / (micro_batch * dp)); got " + str(m));
  if (p.sched() != Schedule::kDualPipe) return;
  if (m < 2L * p.pp || m % 2 != 0)
    fail("training.global_batch", "dualpipe needs an even number of micro-batches per pipeline, at least 2*pp = " + str(2L * p.pp) +
                                      "; got " + str(m));
}

void check_layout(TrainConfig& c, int world) {
  // The values come from the config file (file:line:col), --set or a flag: name where the key came from.
  // A check of several keys blames the first of them given on the command line: "parallelism" (the product
  // of the sizes against the GPUs) a size, else the GPU count; the global batch itself, else the micro-batch.
  auto origin = [&c](const std::string& key) -> SourceLoc {
    std::vector<const char*> blame;
    if (key == "parallelism")  // --nodes 3 named the file
      blame = {"parallelism.dp", "parallelism.pp", "parallelism.tp", "parallelism.cp", "cluster.gpus", "cluster.nodes", "cluster.gpus_per_node"};
    if (key == "training.global_batch") blame = {"training.global_batch", "training.micro_batch"};
    if (key == "training.tokens") blame = {"training.tokens", "training.global_batch", "training.seq_len"};
    if (key == "parallelism.tp") blame = {"parallelism.tp", "model.heads", "model.kv_heads", "model.ffn_hidden"};
    if (key == "parallelism.pp") blame = {"parallelism.pp", "model.layers"};
    if (key == "parallelism.cp") blame = {"parallelism.cp", "training.seq_len"};
    if (key == "training.seq_len") blame = {"training.seq_len", "parallelism.tp", "parallelism.cp"};
    for (const char* k : blame)
      if (given_on_command_line(c, k)) return origin_loc(c, k);
    return origin_loc(c, key);
  };
  check_layout(c, world, [&origin](const std::string& key, const std::string& what) {
    throw InputError(origin(key), key + ": " + what);  // "file:line:col: key: what", its place kept
  });
}

void check_layout(TrainConfig& c, int world,
                  const std::function<void(const std::string& key, const std::string& what)>& report) {
  const ModelSpec& m = c.model;
  Parallelism& p = c.par;
  auto fail = [&report](const std::string& key, const std::string& what) {
    report(key, what);
    throw InputError(key + ": " + what);  // `report` throws; the checks below rely on not returning
  };
  auto str = [](long v) { return std::to_string(v); };
  if (!c.has_model) fail("model", "no model given (a built-in name, a path, or an inline mapping; --model)");
  if (c.train.seq_len <= 0) fail("training.seq_len", "required (--seq-len)");
  if (c.train.global_batch <= 0) fail("training.global_batch", "required (--global-batch)");
  if (c.train.micro_batch <= 0) fail("training.micro_batch", "must be at least 1");
  // A run of fewer tokens than one step is a fraction of a step, which no step time measures (plan's
  // --tokens).
  const double step_tokens = static_cast<double>(c.train.global_batch) * static_cast<double>(c.train.seq_len);
  if (c.train.tokens > 0 && static_cast<double>(c.train.tokens) < step_tokens)
    fail("training.tokens", six_digits(c.train.tokens) + " tokens are less than one step's " +
                                six_digits(step_tokens) + " (global_batch " + str(c.train.global_batch) +
                                " x seq_len " + str(c.train.seq_len) + ")");
  // Configs and flags check these when read; a layout built in code (a validation CSV's row) may not have:
  // every later check divides by them.
  for (const auto& [key, v] : {std::pair{"parallelism.tp", p.tp}, {"parallelism.pp", p.pp}, {"parallelism.cp", p.cp},
                               {"parallelism.ep", p.ep}, {"parallelism.vpp", p.vpp}})
    if (v < 1) fail(key, "must be at least 1, got " + str(v));
  if (p.dp < 0 || p.etp < 0) fail(p.dp < 0 ? "parallelism.dp" : "parallelism.etp", "must not be negative");
  // ffn_hidden: a hybrid stack without MLP blocks ('-') has none (0)
  const bool needs_ffn = !m.hybrid() || m.hybrid_pattern.find('-') != std::string::npos;
  if (m.layers < 1 || m.heads < 1 || m.kv_heads < 1 || m.hidden < 1 || (needs_ffn && m.ffn_hidden < 1))
    fail("model", "layers, heads, kv_heads, hidden and ffn_hidden must be at least 1");
  // The model's shape may come from another file than the layout's (--set model=PATH): name it.
  const std::string of_model = " of model '" + m.name + "'" + (m.file.empty() ? std::string() : " (" + m.file + ")");
  if (m.heads % p.tp != 0) fail("parallelism.tp", str(p.tp) + " does not divide heads (" + str(m.heads) + ")" + of_model);
  if (!m.mla && m.kv_heads % p.tp != 0)
    fail("parallelism.tp",
         str(p.tp) + " does not divide kv_heads (" + str(m.kv_heads) + ")" + of_model +
             ": Megatron-core and Transformer Engine split the KV heads over TP; a fork that "
             "replicates them (bigcode's, for multi-query attention) is not modelled");
  if (m.ffn_hidden % p.tp != 0)
    fail("parallelism.tp", str(p.tp) + " does not divide ffn_hidden (" + str(m.ffn_hidden) + ")" + of_model);
  check_schedule(c, fail);
  if (!p.first_stage_layers && !p.last_stage_layers && m.layers % p.pp != 0) {
    // The default uneven split (pipeline_layout.hpp): Megatron's, where the embedding, the loss and the MTP
    // modules count as a layer each, else the balanced one; resolved here as first/last_stage_layers.
    const DefaultSplit d = default_uneven_split(m.layers, p.pp, c.mtp_layers());
    if (!d.ok)
      fail("parallelism.pp",
           str(p.pp) + " does not divide layers (" + str(m.layers) + ") nor layers + embedding + loss" +
               (c.mtp_layers() ? " + MTP" : std::string()) + " (" + str(d.units) + ")" + of_model +
               (p.pp == 2 ? std::string(", and two stages need 2 layers")
                          : ", and " + str((static_cast<long>(m.layers) + p.pp - 1) / p.pp) +
                                " layers on each middle stage leave the first or last none") +
               "; set first_stage_layers/last_stage_layers for uneven stages");
    p.first_stage_layers = d.first, p.last_stage_layers = d.last;
  }
  if (p.first_stage_layers || p.last_stage_layers) {
    // the split's key to blame: one given on the command line, else the one set (first before last)
    const char* split_key = given_on_command_line(c, "parallelism.last_stage_layers") &&
                                    !given_on_command_line(c, "parallelism.first_stage_layers")
                                ? "parallelism.last_stage_layers"
                            : p.first_stage_layers ? "parallelism.first_stage_layers"
                                                   : "parallelism.last_stage_layers";
    if (p.pp < 2) fail(split_key, "uneven stages need pp >= 2");
    const int first = p.first_stage_layers ? p.first_stage_layers : 0, last = p.last_stage_layers ? p.last_stage_layers : 0;
    const long inner = static_cast<long>(m.layers) - first - last;  // long: INT_MAX layers and stage layers
    const int middle = p.pp - (first ? 1 : 0) - (last ? 1 : 0);
    // the message said "the remaining -999999920 layers"
    if (inner < 0)
      fail(split_key, "first_stage_layers + last_stage_layers = " + str(static_cast<long>(first) + last) +
                          " is more than the model's " + str(m.layers) + " layers");
    if (middle == 0 ? inner != 0 : inner % middle != 0 || inner == 0)
      fail(split_key, "the remaining " + str(inner) + " layers do not divide evenly over the other " +
                                                 str(middle) + " stages");
  }
  check_vpp_stages(c, fail);
  if (c.train.seq_len % p.cp != 0) fail("parallelism.cp", str(p.cp) + " does not divide seq_len (" + str(c.train.seq_len) + ")");
  // Context parallelism balances causal attention by giving each rank two of 2·cp chunks (Megatron's
  // get_batch_on_this_cp_rank, Transformer Engine, torchtitan's head-tail split): seq_len % (2·cp) == 0.
  if (p.cp > 1 && c.train.seq_len % (2L * p.cp) != 0)
    fail("parallelism.cp", str(p.cp) + ": seq_len " + str(c.train.seq_len) +
                               " is not a multiple of 2 x cp = " + str(2L * p.cp) +
                               " (each context-parallel rank holds two of 2 x cp equal chunks)");
  // Sequence parallelism splits each CP rank's tokens over TP (Megatron asserts seq_length % tp == 0 with it).
  if (p.sp() && p.tp > 1 && (c.train.seq_len / p.cp) % p.tp != 0)
    fail("training.seq_len", "with sequence parallelism, tp " + str(p.tp) + " does not divide the " + str(c.train.seq_len / p.cp) +
                                 " tokens per context-parallel rank (seq_len / cp)");
  const long tpc = static_cast<long>(p.tp) * p.pp * p.cp;
  if (p.dp == 0) {
    if (world % tpc != 0)
      fail("parallelism", "tp*pp*cp = " + str(tpc) + " does not divide the " + str(world) + " GPUs");
    p.dp = static_cast<int>(world / tpc);
  } else if (tpc * p.dp != world) {
    fail("parallelism", "tp*pp*dp*cp = " + str(tpc * p.dp) + " does not equal the " + str(world) + " GPUs of the cluster");
  }
  check_expert_layout(c, fail);
  check_dp_shard(c, fail);
  check_mamba_layout(c, fail);
  const long per = c.train.micro_batch * p.dp;
  if (c.train.global_batch % per != 0)
    fail("training.global_batch", str(c.train.global_batch) + " is not divisible into micro-batches of " + str(c.train.micro_batch) +
                                      " on " + str(p.dp) + " data-parallel ranks");
  check_schedule_batch(c, fail);
  if (c.train.recompute_layers > 0 && c.train.recompute != Recompute::kFull)
    fail("training.recompute_num_layers", "needs recompute: full (as Megatron's --recompute-method block), not " +
                                              std::string(recompute_name(c.train.recompute)));
  // Checked when the file is read, and here where both came from the command line: `--recompute full --set
  // training.recompute_modules=[mlp]` ran as full without a word. Modules belong to the selective policy and
  // stand aside where a layout search (train --auto, plan, parallelism: auto) tries another.
  if (c.train.recompute_modules != 0 && c.train.recompute != Recompute::kSelective &&
      given_on_command_line(c, "training.recompute_modules") && given_on_command_line(c, "training.recompute"))
    fail("training.recompute_modules", "needs recompute: selective (as Megatron's --recompute-modules), not " +
                                           std::string(recompute_name(c.train.recompute)));
  // The busiest expert takes at most every routed token: experts / top_k times its balanced share (Mixtral
  // 8x7B: 4). Above it the step time grew without bound (64: 240 s against 5.7 s balanced).
  if (m.moe && m.moe->top_k > 0 && c.train.moe_imbalance > static_cast<double>(m.moe->experts) / m.moe->top_k + 1e-9) {
    char most[32];
    std::snprintf(most, sizeof most, "%g", static_cast<double>(m.moe->experts) / m.moe->top_k);
    char given[32];
    std::snprintf(given, sizeof given, "%g", c.train.moe_imbalance);
    fail("training.moe_imbalance", std::string(given) + " is more than the busiest expert can take: every routed token, " + most +
                                       " times its balanced share (experts / top_k = " + str(m.moe->experts) + " / " +
                                       str(m.moe->top_k) + ")");
  }
  if (c.train.mtp.value_or(false) && m.mtp_layers == 0)
    fail("training.mtp", "model '" + m.name + "' has no multi-token-prediction layers (model.mtp_layers)");
}

}  // namespace commsim
