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
                               " (EP is folded over TP x CP x DP; etp defaults to tp)");
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
    // The even stages; shortened first/last stages may split unevenly into chunks (Llama 3 405B's 7-layer
    // end stages under vpp 4, as the Llama 3 report ran them).
    const std::vector<Stage> stages = pipeline_stages(c.model, p);
    const bool uneven = p.first_stage_layers || p.last_stage_layers;
    for (std::size_t i = 0; i < stages.size(); ++i)
      if ((!uneven || (i > 0 && i + 1 < stages.size())) && stages[i].layers % p.vpp != 0)
        fail("parallelism.vpp", str(p.vpp) + " does not divide the " + str(stages[i].layers) + " layers of stage " + str(static_cast<long>(i)));
  }
}

void check_schedule_batch(const TrainConfig& c, const LayoutFail& fail) {
  const Parallelism& p = c.par;
  if (p.sched() != Schedule::kDualPipe) return;
  const long m = c.train.global_batch / (c.train.micro_batch * p.dp);
  if (m < 2L * p.pp || m % 2 != 0)
    fail("training.global_batch", "dualpipe needs an even number of micro-batches per pipeline, at least 2*pp = " + str(2L * p.pp) +
                                      "; got " + str(m));
}

}  // namespace commsim
