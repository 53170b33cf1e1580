#include "cli/train_report.hpp"

#include <algorithm>
#include <cstdio>

#include "cli/common.hpp"
#include "core/data_path.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "report/table.hpp"
#include "train/pipeline_layout.hpp"

namespace commsim::cli {

void print_overrides(std::ostream& out, const TrainConfig& c) {
  // The system keys the config's cluster.set changed (an H200 of 40 GiB read as the catalog's): the --set ones
  // are among the overrides below.
  std::string from_config;
  for (const std::string& s : c.sets) {
    const auto eq = s.find('=');
    const std::string key = s.substr(0, eq);
    // A key an override sets is shown there, with the value that counts.
    if (std::none_of(c.overrides.begin(), c.overrides.end(), [&](const TrainOverride& o) { return o.key == key; }))
      from_config += " " + s;
  }
  if (!from_config.empty()) out << "# cluster.set:" << from_config << "\n";
  if (c.overrides.empty()) return;
  out << "# overrides:";
  for (const TrainOverride& o : c.overrides) out << " " << o.key << "=" << o.value << " (" << o.origin << ")";
  out << "\n";
}

nlohmann::json overrides_json(const TrainConfig& c) {
  nlohmann::json ov = nlohmann::json::array();
  for (const TrainOverride& o : c.overrides) ov.push_back({{"key", o.key}, {"value", o.value}, {"origin", o.origin}});
  return ov;
}

namespace {

// A hybrid stack's blocks by kind ("; hybrid: 23 Mamba-2, 6 attention, 23 MoE blocks"), else nothing.
std::string hybrid_blocks(const ModelSpec& m) {
  if (!m.hybrid()) return "";
  std::string s;
  for (const auto& [kind, name] : {std::pair{LayerKind::kMamba, "Mamba-2"}, {LayerKind::kAttention, "attention"},
                                   {LayerKind::kMlp, "MLP"}, {LayerKind::kMoeMlp, "MoE"}})
    if (const int n = m.layers_of(kind); n > 0) s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + name;
  return "; hybrid: " + s + " blocks";
}

}  // namespace

std::string train_layout(const TrainEstimate& e) {
  const Parallelism& p = e.config.par;
  std::string s = "TP" + std::to_string(p.tp) + " PP" + std::to_string(p.pp) + " DP" + std::to_string(p.dp) + " CP" +
                  std::to_string(p.cp) + " EP" + std::to_string(p.ep) +
                  (e.config.model.moe ? " ETP" + std::to_string(p.expert_tp()) : std::string()) + " VPP" +
                  std::to_string(p.vpp) + " ZeRO-" + std::to_string(p.zero) + (p.sp() ? " SP" : "") + " " +
                  schedule_name(p.sched());
  if (p.dp_replicas() > 1)
    s += " hybrid-sharded over " + std::to_string(p.zero_dp()) + " DP ranks (" +
         std::to_string(p.dp_replicas()) + " copies)";
  if (p.first_stage_layers || p.last_stage_layers) {
    // the stages as the estimate has them, runs of equal stages as NxL: 7+14x8+7, or 6+15x8 with no last split
    const std::vector<Stage> stages = pipeline_stages(e.config.model, p);
    s += " stages ";
    for (std::size_t i = 0; i < stages.size();) {
      std::size_t j = i;
      while (j < stages.size() && stages[j].layers == stages[i].layers) ++j;
      s += (i ? "+" : "") + (j - i > 1 ? std::to_string(j - i) + "x" : std::string()) + std::to_string(stages[i].layers);
      i = j;
    }
  }
  if (e.config.mtp_layers()) s += " MTP" + std::to_string(e.config.mtp_layers());
  return s;
}

nlohmann::json stage_layers_json(int layers) {
  return layers > 0 ? nlohmann::json(layers) : nlohmann::json(nullptr);
}

std::string stage_layers_text(int layers, const std::string& none) {
  return layers > 0 ? std::to_string(layers) : none;
}

nlohmann::json train_json(const TrainEstimate& e, const std::string& cmdline) {
  const StepBreakdown& b = e.breakdown;
  const TrainConfig& c = e.config;
  nlohmann::json j;
  j["context"] = {{"tool", "commsim"}, {"version", commsim_version()}, {"schema_version", 1}, {"command_line", cmdline},
                  {"config_file", c.file}, {"model", c.model.name}, {"system", c.system}, {"gpu", e.gpu},
                  {"gpus", e.gpus}, {"ranks", e.ranks}, {"nodes", e.nodes}, {"system_set", c.sets}};
  j["context"]["overrides"] = overrides_json(c);
  j["parallelism"] = {{"tp", c.par.tp},
                      {"pp", c.par.pp},
                      {"dp", c.par.dp},
                      {"cp", c.par.cp},
                      {"ep", c.par.ep},
                      {"vpp", c.par.vpp},
                      {"zero", c.par.zero},
                      {"sequence_parallel", c.par.sp()},
                      {"etp", c.par.expert_tp()},
                      {"edp", c.par.edp()},
                      {"schedule", schedule_name(c.par.sched())},
                      {"first_stage_layers", stage_layers_json(c.par.first_stage_layers)},
                      {"last_stage_layers", stage_layers_json(c.par.last_stage_layers)},
                      {"mtp_layers", c.mtp_layers()}};
  j["parallelism"]["dp_shard"] = c.par.zero_dp();  // ZeRO's shard group in DP ranks (dp: not hybrid)
  j["training"] = {{"seq_len", c.train.seq_len},
                   {"global_batch", c.train.global_batch},
                   {"micro_batch", c.train.micro_batch},
                   {"precision", precision_name(c.train.precision)},
                   {"recompute", recompute_name(c.train.recompute)},
                   {"recompute_num_layers", c.train.recompute_layers},
                   {"microbatches_per_pipeline", e.microbatches},
                   {"compile", c.train.compile}};
  j["step_time_s"] = e.step_time_s;
  j["tokens_per_s"] = e.tokens_per_s;
  j["tokens_per_s_per_gpu"] = e.tokens_per_s_per_gpu;
  j["model_tflops_per_gpu"] = e.model_tflops_per_gpu;
  j["hardware_tflops_per_gpu"] = e.hardware_tflops_per_gpu;
  j["mfu"] = e.mfu;
  j["hfu"] = e.hfu;
  // fp8-class runs: model FLOPs over the dense fp8 peak; null otherwise (the key was absent, the CSV's cell
  // empty)
  j["mfu_fp8_peak"] = e.mfu_fp8 > 0 ? nlohmann::json(e.mfu_fp8) : nlohmann::json(nullptr);
  j["mfu_fp4_peak"] = e.mfu_fp4 > 0 ? nlohmann::json(e.mfu_fp4) : nlohmann::json(nullptr);  // nvfp4 runs
  j["memory_gib_per_gpu"] = e.memory.total() / kGiB;
  j["memory"] = {{"weights_gib", e.memory.weights / kGiB}, {"gradients_gib", e.memory.gradients / kGiB},
                 {"optimizer_gib", e.memory.optimizer / kGiB}, {"activations_gib", e.memory.activations / kGiB},
                 {"runtime_gib", e.memory.runtime / kGiB}, {"allocated_gib", e.memory.allocated() / kGiB},
                 {"needed_gib", e.memory.needed() / kGiB},
                 {"capacity_gib", e.memory_capacity / kGiB}, {"peak_stage", e.memory.stage}};
  for (const MemoryBreakdown& m : e.stage_memory)
    j["memory"]["stages"].push_back({{"stage", m.stage}, {"total_gib", m.total() / kGiB}, {"weights_gib", m.weights / kGiB},
                                     {"gradients_gib", m.gradients / kGiB}, {"optimizer_gib", m.optimizer / kGiB},
                                     {"activations_gib", m.activations / kGiB}, {"runtime_gib", m.runtime / kGiB},
                                     {"microbatches_in_flight", m.in_flight}});
  j["fits"] = e.fits;
  j["breakdown"] = {{"compute_s", b.compute}, {"tp_s", b.tp}, {"cp_s", b.cp}, {"ep_s", b.ep}, {"pp_s", b.pp},
                    {"dp_s", b.dp}, {"bubble_s", b.bubble}, {"optimizer_s", b.optimizer}};
  j["bubble_fraction"] = e.bubble_fraction;
  j["params_total"] = e.params_total;
  j["params_active"] = e.params_active;
  // Without training.tokens there is no run to total (null, as sweep writes it; 0 read as "costs $0"), and
  // without a price no cost.
  const bool run = e.train_tokens > 0, priced = run && c.gpu_hour_usd > 0;
  auto opt = [](bool known, double v) { return known ? nlohmann::json(v) : nlohmann::json(nullptr); };
  j["totals"] = {
      {"tokens", opt(run, e.train_tokens)},
      {"time_s", opt(run, e.train_time_s)},
      {"time_days", opt(run, e.train_time_s / 86400.0)},
      {"gpu_hours", opt(run, e.gpu_hours)},
      {"cost_usd", opt(priced, e.cost_usd)},
      {"gpus_held", e.gpus_held},  // the GPUs the cost pays for: whole nodes
      {"energy_mwh", opt(run, e.energy_mwh)},
      // no price given: null, as cost_usd (0.0 and "cost.gpu_hour_usd" read as a price of $0 given)
      {"gpu_hour_usd", opt(c.gpu_hour_usd > 0, c.gpu_hour_usd)},
      {"pricing", c.gpu_hour_usd > 0 ? nlohmann::json(c.pricing.empty() ? "cost.gpu_hour_usd" : c.pricing)
                                     : nlohmann::json(nullptr)},
      // the prices file cost.pricing read (cost.prices, or the shipped one); null without cost.pricing
      {"prices_file", c.gpu_hour_usd > 0 && !c.pricing.empty()
                          ? nlohmann::json(c.prices.empty() ? "topologies/prices.yaml" : c.prices)
                          : nlohmann::json(nullptr)}};
  return j;
}

void print_train_table(std::ostream& out, const TrainEstimate& e) {
  const TrainConfig& c = e.config;
  const StepBreakdown& b = e.breakdown;
  out << "# commsim train: " << c.model.name << " (" << fmt(e.params_total / 1e9, 1) << "B params, "
      << fmt(e.params_active / 1e9, 1) << "B active" << hybrid_blocks(c.model) << ") on " << c.system << ", " << e.gpus
      << " x " << e.gpu << " (" << e.nodes << " node" << (e.nodes == 1 ? "" : "s") << ")\n";
  out << "# " << train_layout(e) << "; seq " << c.train.seq_len << ", global batch " << c.train.global_batch
      << ", micro-batch " << c.train.micro_batch << " (" << fmt(e.microbatches, 0) << " per pipeline), "
      << precision_name(c.train.precision) << ", recompute " << recompute_name(c.train.recompute)
      << (c.train.recompute_layers > 0
              ? " of the first " + std::to_string(c.train.recompute_layers) + " layer(s) per model chunk"
              : "")
      << (c.train.compile ? "" : ", eager (training.compile: false)") << "\n";
  print_overrides(out, c);
  Table t({"metric", "value", "unit", "share"});
  auto pct = [&](double v) { return fmt(100.0 * v / e.step_time_s, 1) + "%"; };
  t.add({"step time", fmt(e.step_time_s, 3), "s", "100%"});
  t.add({"  compute", fmt(b.compute, 3), "s", pct(b.compute)});
  t.add({"  exposed TP comm", fmt(b.tp, 3), "s", pct(b.tp)});
  t.add({"  exposed CP comm", fmt(b.cp, 3), "s", pct(b.cp)});
  t.add({"  exposed EP comm", fmt(b.ep, 3), "s", pct(b.ep)});
  t.add({"  exposed PP comm", fmt(b.pp, 3), "s", pct(b.pp)});
  t.add({"  exposed DP comm", fmt(b.dp, 3), "s", pct(b.dp)});
  t.add({"  pipeline bubble", fmt(b.bubble, 3), "s", pct(b.bubble)});
  t.add({"  optimizer", fmt(b.optimizer, 3), "s", pct(b.optimizer)});
  t.add({"tokens/s", fmt(e.tokens_per_s, 0), "tok/s", ""});
  t.add({"tokens/s per GPU", fmt(e.tokens_per_s_per_gpu, 1), "tok/s", ""});
  t.add({"model TFLOPS per GPU", fmt(e.model_tflops_per_gpu, 1), "TFLOPS", ""});
  t.add({"hardware TFLOPS per GPU", fmt(e.hardware_tflops_per_gpu, 1), "TFLOPS", ""});
  t.add({"MFU", fmt(100.0 * e.mfu, 1), "%",
         "of " + fmt(e.peak_tflops_per_gpu, 1) + " TFLOPS" +
             (e.mfu_fp8 > 0 ? " (bf16 peak); " + fmt(100.0 * e.mfu_fp8, 1) + "% of the " +
                                  fmt(e.peak_fp8_tflops_per_gpu, 1) + " fp8 peak"
                            : "") +
             (e.mfu_fp4 > 0 ? " (bf16 peak); " + fmt(100.0 * e.mfu_fp4, 1) + "% of the " +
                                  fmt(e.peak_fp4_tflops_per_gpu, 1) + " fp4 peak"
                            : "")});
  t.add({"memory per GPU", fmt(e.memory.total() / kGiB, 1), "GiB", "of " + fmt(e.memory_capacity / kGiB, 1) + " GiB"});
  t.add({"  weights", fmt(e.memory.weights / kGiB, 1), "GiB", ""});
  t.add({"  gradients", fmt(e.memory.gradients / kGiB, 1), "GiB", ""});
  t.add({"  optimizer states", fmt(e.memory.optimizer / kGiB, 1), "GiB", ""});
  t.add({"  activations", fmt(e.memory.activations / kGiB, 1), "GiB",
         fmt(e.memory.in_flight, 1) + " micro-batches, stage " + std::to_string(e.memory.stage)});
  t.add({"  runtime overhead", fmt(e.memory.runtime / kGiB, 1), "GiB", "context, NCCL, fragmentation"});
  // Per stage: the range in the table and each stage's figure below it (16 figures in the value column made
  // every line of the table 190 columns wide).
  std::string per;
  if (e.stage_memory.size() > 1) {
    double lo = e.stage_memory.front().total(), hi = lo;
    for (const MemoryBreakdown& m : e.stage_memory) {
      per += (per.empty() ? "" : " ") + fmt(m.total() / kGiB, 1);
      lo = std::min(lo, m.total()), hi = std::max(hi, m.total());
    }
    t.add({"memory per stage", fmt(lo / kGiB, 1) + "-" + fmt(hi / kGiB, 1), "GiB",
           std::to_string(e.stage_memory.size()) + " stages, each below"});
  }
  // Fits when the allocated peak, the context and NCCL's buffers do; "tight" where the allocator's cache
  // (which it hands back before failing an allocation) takes the total past the capacity.
  const bool tight = e.fits && e.memory.total() > e.memory_capacity;
  t.add({"fits", e.fits ? (tight ? "yes, tight" : "yes") : "NO", "", "needs " + fmt(e.memory.needed() / kGiB, 1) + " GiB, the allocator's cache aside"});
  if (e.train_tokens > 0) {
    t.add({"tokens to train", fmt_small(e.train_tokens / 1e12, 3), "T", ""});
    t.add({"time to train", fmt_small(e.train_time_s / 86400.0, 1), "days", ""});
    t.add({"GPU-hours", fmt(e.gpu_hours, 0), "h", ""});
    if (c.gpu_hour_usd > 0)
      t.add({"cost", fmt_musd(e.cost_usd), "M USD",
             "at " + fmt(c.gpu_hour_usd, 2) + " USD/GPU-h" +
                 (c.pricing.empty()
                      ? std::string()
                      : " (" + c.pricing + ", " + (c.prices.empty() ? "prices.yaml" : c.prices) + ")") +
                 (e.gpus_held > e.gpus ? " for the " + std::to_string(e.gpus_held) + " GPUs of its " +
                                             std::to_string(e.nodes) + (e.nodes == 1 ? " node" : " nodes") +
                                             ", " + std::to_string(e.gpus) + " used"
                                       : std::string())});
    t.add({"energy (TDP)", fmt_small(e.energy_mwh, 0), "MWh", ""});
  }
  t.print(out);
  if (!per.empty())
    out << "# memory per stage, stages 0.." << e.stage_memory.size() - 1 << " (GiB): " << per << "\n";
}

void print_train_csv(std::ostream& out, const TrainEstimate& e) {
  out << "# commsim " << commsim_version() << " train: " << (e.config.file.empty() ? "(flags only)" : e.config.file) << "\n";
  print_overrides(out, e.config);
  const StepBreakdown& b = e.breakdown;
  const Parallelism& p = e.config.par;
  // The header and its row packed alike, many columns to a line.
  // clang-format off
  Table t({"model", "system", "gpus", "tp", "pp", "dp", "cp", "ep", "vpp", "zero", "step_time_s", "tokens_per_s",
           "tokens_per_s_per_gpu", "model_tflops_per_gpu", "hardware_tflops_per_gpu", "mfu", "memory_gib_per_gpu", "fits",
           "compute_s", "tp_s", "cp_s", "ep_s", "pp_s", "dp_s", "bubble_s", "optimizer_s", "train_time_s", "gpu_hours",
           "cost_usd", "energy_mwh", "time_days", "hfu", "mfu_fp8_peak", "bubble_fraction", "params_total",
           "params_active", "precision", "schedule", "etp", "dp_shard", "mfu_fp4_peak"});
  auto g = six_digits;
  const bool run = e.train_tokens > 0;  // totals without training.tokens are empty (0 read as "costs $0")
  t.add({e.config.model.name, e.config.system, std::to_string(e.gpus), std::to_string(p.tp), std::to_string(p.pp),
         std::to_string(p.dp), std::to_string(p.cp), std::to_string(p.ep), std::to_string(p.vpp), std::to_string(p.zero),
         g(e.step_time_s), g(e.tokens_per_s), g(e.tokens_per_s_per_gpu), g(e.model_tflops_per_gpu),
         g(e.hardware_tflops_per_gpu), g(e.mfu), g(e.memory.total() / kGiB), e.fits ? "true" : "false", g(b.compute), g(b.tp),
         g(b.cp), g(b.ep), g(b.pp), g(b.dp), g(b.bubble), g(b.optimizer), run ? g(e.train_time_s) : "",
         run ? g(e.gpu_hours) : "", run && e.config.gpu_hour_usd > 0 ? g(e.cost_usd) : "", run ? g(e.energy_mwh) : "",
         run ? g(e.train_time_s / 86400.0) : "", g(e.hfu), e.mfu_fp8 > 0 ? g(e.mfu_fp8) : "", g(e.bubble_fraction),
         g(e.params_total), g(e.params_active), precision_name(e.config.train.precision), schedule_name(p.sched()),
         std::to_string(p.expert_tp()), std::to_string(p.zero_dp()), e.mfu_fp4 > 0 ? g(e.mfu_fp4) : ""});
  // clang-format on
  t.print_csv(out);
}

}  // namespace commsim::cli
