#include "train/layout_checks.hpp"

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
  if (group % (static_cast<long>(etp) * p.ep) != 0)
    fail("parallelism.ep", "etp*ep = " + str(etp) + "*" + str(p.ep) + " does not divide tp*cp*dp = " + str(group) +
                               " (EP is folded over TP x CP x DP; etp defaults to tp" +
                               (p.etp == 0 && etp > 1 && group % p.ep == 0 ? "; parallelism.etp=1 folds it, as Megatron's MoE recipes run experts)" : ")"));
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

}  // namespace commsim
