// commsim train [CONFIG] [flags]: the training-step estimator (docs/training.md). Table (default), json, csv.
// Exit code 3 in every format when the model does not fit in the GPU's memory (the row is still printed).
#include <cmath>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "cli/train_auto.hpp"
#include "cli/train_ops.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "report/table.hpp"
#include "train/estimator.hpp"
#include "train/pipeline_layout.hpp"

namespace commsim::cli {
namespace {

constexpr double kGiB = 1073741824.0;

std::string layout(const TrainEstimate& e) {
  const Parallelism& p = e.config.par;
  std::string s = "TP" + std::to_string(p.tp) + " PP" + std::to_string(p.pp) + " DP" + std::to_string(p.dp) + " CP" +
                  std::to_string(p.cp) + " EP" + std::to_string(p.ep) +
                  (e.config.model.moe ? " ETP" + std::to_string(p.expert_tp()) : std::string()) + " VPP" +
                  std::to_string(p.vpp) + " ZeRO-" + std::to_string(p.zero) + (p.sp() ? " SP" : "") + " " +
                  schedule_name(p.sched());
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

nlohmann::json to_json(const TrainEstimate& e, const std::string& cmdline) {
  const StepBreakdown& b = e.breakdown;
  const TrainConfig& c = e.config;
  nlohmann::json j;
  j["context"] = {{"tool", "commsim"}, {"version", commsim_version()}, {"schema_version", 1}, {"command_line", cmdline},
                  {"config_file", c.file}, {"model", c.model.name}, {"system", c.system}, {"gpu", e.gpu},
                  {"gpus", e.gpus}, {"ranks", e.ranks}, {"nodes", e.nodes}, {"system_set", c.sets}};
  nlohmann::json ov = nlohmann::json::array();
  for (const TrainOverride& o : c.overrides) ov.push_back({{"key", o.key}, {"value", o.value}, {"origin", o.origin}});
  j["context"]["overrides"] = ov;
  j["parallelism"] = {{"tp", c.par.tp}, {"pp", c.par.pp}, {"dp", c.par.dp}, {"cp", c.par.cp}, {"ep", c.par.ep},
                      {"vpp", c.par.vpp}, {"zero", c.par.zero}, {"sequence_parallel", c.par.sp()},
                      {"etp", c.par.expert_tp()}, {"edp", c.par.edp()}, {"schedule", schedule_name(c.par.sched())},
                      {"first_stage_layers", c.par.first_stage_layers}, {"last_stage_layers", c.par.last_stage_layers},
                      {"mtp_layers", c.mtp_layers()}};
  j["training"] = {{"seq_len", c.train.seq_len}, {"global_batch", c.train.global_batch}, {"micro_batch", c.train.micro_batch},
                   {"precision", precision_name(c.train.precision)}, {"recompute", recompute_name(c.train.recompute)},
                   {"recompute_num_layers", c.train.recompute_layers}, {"microbatches_per_pipeline", e.microbatches}};
  j["step_time_s"] = e.step_time_s;
  j["tokens_per_s"] = e.tokens_per_s;
  j["tokens_per_s_per_gpu"] = e.tokens_per_s_per_gpu;
  j["model_tflops_per_gpu"] = e.model_tflops_per_gpu;
  j["hardware_tflops_per_gpu"] = e.hardware_tflops_per_gpu;
  j["mfu"] = e.mfu;
  j["hfu"] = e.hfu;
  if (e.mfu_fp8 > 0) j["mfu_fp8_peak"] = e.mfu_fp8;  // fp8-class runs: model FLOPs over the dense fp8 peak
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
  j["totals"] = {{"tokens", e.train_tokens}, {"time_s", e.train_time_s}, {"time_days", e.train_time_s / 86400.0},
                 {"gpu_hours", e.gpu_hours}, {"cost_usd", e.cost_usd}, {"energy_mwh", e.energy_mwh}};
  return j;
}

// "# overrides: parallelism.pp=2 (--pp) fabric.nic_speed=200Gb/s (--set)": the command line's values.
void print_overrides(std::ostream& out, const TrainConfig& c) {
  if (c.overrides.empty()) return;
  out << "# overrides:";
  for (const TrainOverride& o : c.overrides) out << " " << o.key << "=" << o.value << " (" << o.origin << ")";
  out << "\n";
}

// A hybrid stack's blocks by kind ("; hybrid: 23 Mamba-2, 6 attention, 23 MoE blocks"), else nothing.
std::string hybrid_blocks(const ModelSpec& m) {
  if (!m.hybrid()) return "";
  std::string s;
  for (const auto& [kind, name] : {std::pair{LayerKind::kMamba, "Mamba-2"}, {LayerKind::kAttention, "attention"},
                                   {LayerKind::kMlp, "MLP"}, {LayerKind::kMoeMlp, "MoE"}})
    if (const int n = m.layers_of(kind); n > 0) s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + name;
  return "; hybrid: " + s + " blocks";
}

void print_table(std::ostream& out, const TrainEstimate& e) {
  const TrainConfig& c = e.config;
  const StepBreakdown& b = e.breakdown;
  out << "# commsim train: " << c.model.name << " (" << fmt(e.params_total / 1e9, 1) << "B params, "
      << fmt(e.params_active / 1e9, 1) << "B active" << hybrid_blocks(c.model) << ") on " << c.system << ", " << e.gpus
      << " x " << e.gpu << " (" << e.nodes << " node" << (e.nodes == 1 ? "" : "s") << ")\n";
  out << "# " << layout(e) << "; seq " << c.train.seq_len << ", global batch " << c.train.global_batch << ", micro-batch "
      << c.train.micro_batch << " (" << fmt(e.microbatches, 0) << " per pipeline), " << precision_name(c.train.precision)
      << ", recompute " << recompute_name(c.train.recompute)
      << (c.train.recompute_layers > 0 ? " of the first " + std::to_string(c.train.recompute_layers) + " layer(s) per model chunk" : "")
      << "\n";
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
             (e.mfu_fp8 > 0 ? " (bf16 peak); " + fmt(100.0 * e.mfu_fp8, 1) + "% of the " + fmt(e.peak_fp8_tflops_per_gpu, 1) + " fp8 peak" : "")});
  t.add({"memory per GPU", fmt(e.memory.total() / kGiB, 1), "GiB", "of " + fmt(e.memory_capacity / kGiB, 1) + " GiB"});
  t.add({"  weights", fmt(e.memory.weights / kGiB, 1), "GiB", ""});
  t.add({"  gradients", fmt(e.memory.gradients / kGiB, 1), "GiB", ""});
  t.add({"  optimizer states", fmt(e.memory.optimizer / kGiB, 1), "GiB", ""});
  t.add({"  activations", fmt(e.memory.activations / kGiB, 1), "GiB",
         fmt(e.memory.in_flight, 1) + " micro-batches, stage " + std::to_string(e.memory.stage)});
  t.add({"  runtime overhead", fmt(e.memory.runtime / kGiB, 1), "GiB", "context, NCCL, fragmentation"});
  if (e.stage_memory.size() > 1) {
    std::string per;
    for (const MemoryBreakdown& m : e.stage_memory) per += (per.empty() ? "" : " ") + fmt(m.total() / kGiB, 1);
    t.add({"memory per stage", per, "GiB", "stages 0.." + std::to_string(e.stage_memory.size() - 1)});
  }
  // Fits when the allocated peak, the context and NCCL's buffers do; "tight" where the allocator's cache
  // (which it hands back before failing an allocation) takes the total past the capacity.
  const bool tight = e.fits && e.memory.total() > e.memory_capacity;
  t.add({"fits", e.fits ? (tight ? "yes, tight" : "yes") : "NO", "", "needs " + fmt(e.memory.needed() / kGiB, 1) + " GiB, the allocator's cache aside"});
  if (e.train_tokens > 0) {
    t.add({"tokens to train", fmt(e.train_tokens / 1e12, 3), "T", ""});
    t.add({"time to train", fmt(e.train_time_s / 86400.0, 1), "days", ""});
    t.add({"GPU-hours", fmt(e.gpu_hours, 0), "h", ""});
    if (c.gpu_hour_usd > 0) t.add({"cost", fmt(e.cost_usd / 1e6, 2), "M USD", "at " + fmt(c.gpu_hour_usd, 2) + " USD/GPU-h"});
    t.add({"energy (TDP)", fmt(e.energy_mwh, 0), "MWh", ""});
  }
  t.print(out);
}

void print_csv(std::ostream& out, const TrainEstimate& e) {
  out << "# commsim " << commsim_version() << " train: " << (e.config.file.empty() ? "(flags only)" : e.config.file) << "\n";
  print_overrides(out, e.config);
  const StepBreakdown& b = e.breakdown;
  const Parallelism& p = e.config.par;
  Table t({"model", "system", "gpus", "tp", "pp", "dp", "cp", "ep", "vpp", "zero", "step_time_s", "tokens_per_s",
           "tokens_per_s_per_gpu", "model_tflops_per_gpu", "hardware_tflops_per_gpu", "mfu", "memory_gib_per_gpu", "fits",
           "compute_s", "tp_s", "cp_s", "ep_s", "pp_s", "dp_s", "bubble_s", "optimizer_s", "train_time_s", "gpu_hours",
           "cost_usd", "energy_mwh"});
  auto g = [](double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::string(buf);
  };
  t.add({e.config.model.name, e.config.system, std::to_string(e.gpus), std::to_string(p.tp), std::to_string(p.pp),
         std::to_string(p.dp), std::to_string(p.cp), std::to_string(p.ep), std::to_string(p.vpp), std::to_string(p.zero),
         g(e.step_time_s), g(e.tokens_per_s), g(e.tokens_per_s_per_gpu), g(e.model_tflops_per_gpu),
         g(e.hardware_tflops_per_gpu), g(e.mfu), g(e.memory.total() / kGiB), e.fits ? "true" : "false", g(b.compute), g(b.tp),
         g(b.cp), g(b.ep), g(b.pp), g(b.dp), g(b.bubble), g(b.optimizer), g(e.train_time_s), g(e.gpu_hours), g(e.cost_usd),
         g(e.energy_mwh)});
  t.print_csv(out);
}

}  // namespace

void register_train(CLI::App& app, const std::string& cmdline) {
  struct Args {
    std::string config;
    std::optional<std::string> model, system, precision, recompute;
    std::optional<int> gpus, nodes, gpus_per_node, tp, pp, dp, cp, ep, vpp, zero;
    std::optional<long> seq_len, global_batch, micro_batch;
    std::vector<std::string> sets;
    bool auto_layout = false, ops = false;
    std::optional<int> top;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("train", "estimate a training step: time, throughput, MFU, memory, cost (docs/training.md)");
  c->add_option("config", a->config, "training config YAML (configs/train/*.yaml); flags and --set override it")
      ->check(file_name());  // train '' ran without a config: "no system given"
  c->add_option("--model,-m", a->model, "built-in model (configs/models/) or a model YAML");
  c->add_option("--system,-s", a->system, "system name (see `commsim catalog`) or path to a system YAML");
  c->add_option("--gpus", a->gpus, "total GPUs (packages)")->check(at_least(1));
  c->add_option("--nodes", a->nodes, "number of nodes")->check(at_least(1));
  c->add_option("--gpus-per-node", a->gpus_per_node, "use only this many GPUs of each node")->check(at_least(1));
  c->add_option("--tp", a->tp, "tensor-parallel size")->check(at_least(1));
  c->add_option("--pp", a->pp, "pipeline-parallel size")->check(at_least(1));
  c->add_option("--dp", a->dp, "data-parallel size (default: GPUs / (tp*pp*cp))")->check(at_least(1));
  c->add_option("--cp", a->cp, "context-parallel size")->check(at_least(1));
  c->add_option("--ep", a->ep, "expert-parallel size (folded over tp*cp*dp; --set parallelism.etp=N for expert TP)")->check(at_least(1));
  c->add_option("--vpp", a->vpp, "virtual pipeline stages per GPU (interleaved 1F1B)")->check(at_least(1));
  c->add_option("--zero", a->zero, "ZeRO stage 0-3 (3 = FSDP)")->check(at_least(0));
  c->add_option("--seq-len", a->seq_len, "sequence length (tokens)")->check(at_least(1));
  c->add_option("--global-batch", a->global_batch, "global batch (sequences per step)")->check(at_least(1));
  c->add_option("--micro-batch", a->micro_batch, "micro-batch (sequences)")->check(at_least(1));
  c->add_option("--precision", a->precision, "bf16, fp16, fp8, fp8_block or mxfp8 (mxfp8 on GPUs whose kernels run it)");
  c->add_option("--recompute", a->recompute, "activation recompute: none, selective or full");
  c->add_option("--set", a->sets,
                "override any key: a config key (parallelism.pp=4, training.global_batch=512, model.layers=40, "
                "overlap.tp=true, cost.gpu_hour_usd=2.5) or a system key (fabric.nic_speed=200Gb/s); repeatable")
      ->take_all();
  c->add_flag("--auto", a->auto_layout,
              "search every valid layout (as parallelism: auto); --tp, --pp, --dp, --cp, --ep, --vpp, --zero, "
              "--micro-batch and --recompute fix their dimension of the search");
  c->add_option("--top", a->top, "with --auto (or parallelism: auto): report the K fastest layouts (default 1)")->check(at_least(1));
  c->add_flag("--ops", a->ops,
              "print where a micro-batch's compute goes instead: every op of each layer kind, the embedding and the "
              "logits, with FLOPs, bytes, forward and backward time and share (docs/training.md)");
  a->out.add_to(*c, "table, json, csv");
  c->callback([a, cmdline] {
    const Format format = parse_format(a->out.format);
    model_flag_before_sets(a->model, a->sets);
    TrainConfig cfg = load_train_config(a->config, a->sets);
    const TrainFlags f{a->model, a->system, a->precision, a->recompute, a->gpus, a->nodes, a->gpus_per_node, a->tp, a->pp,
                       a->dp, a->cp, a->ep, a->vpp, a->zero, a->seq_len, a->global_batch, a->micro_batch};
    apply_flags(cfg, f);
    if (a->top && !a->auto_layout && !cfg.auto_layout) throw InputError("--top: needs --auto or parallelism: auto");
    if (a->ops && (a->auto_layout || cfg.auto_layout))
      throw InputError("--ops: profiles one layout; not with --auto or parallelism: auto");
    if (a->ops) {
      a->out.open();
      print_compute_ops(a->out.stream(), cfg, format, cmdline);
      a->out.finish();
      return;
    }
    if (a->auto_layout || cfg.auto_layout) {
      LayoutSearchOptions o;
      o.limits = cfg.search;
      if (a->top) o.limits.top = *a->top;
      // A layout flag fixes its dimension of the search (--tp 8: the fastest layouts with TP 8).
      for (auto [flag, to] : {std::pair{&a->tp, &o.limits.tp}, {&a->pp, &o.limits.pp}, {&a->dp, &o.limits.dp},
                              {&a->cp, &o.limits.cp}, {&a->ep, &o.limits.ep}, {&a->vpp, &o.limits.vpp}})
        if (*flag) *to = **flag;
      if (a->micro_batch) o.limits.micro_batch = *a->micro_batch;
      if (a->zero) o.zero = {*a->zero};
      if (a->recompute) {  // as `train` runs it: full is every layer unless recompute_num_layers says
        o.recompute = {cfg.train.recompute};
        o.block_recompute = false;
      }
      a->out.open();
      const LayoutSearchResult r = search_layouts(cfg, o);
      if (r.tried == 0)  // only fixed dimensions empty the space: tp = 1, pp = 1, ... is always a candidate
        throw InputError("--auto: no layout of " + std::to_string(r.ranks) +
                         " ranks has the dimensions the layout flags fix (tp x pp x cp x dp must be the ranks, "
                         "ep must divide tp x cp x dp, the micro-batch global_batch / dp)");
      // Exit 3 is memory: when no layout was valid at all (--tp 16 with 8 KV heads, --cp 3), the layout
      // flags or search bounds asked for an impossible layout.
      if (r.top.empty() && r.rejected.count("does not fit") == 0)
        throw InputError("--auto: no valid layout of " + std::to_string(r.ranks) +
                         " ranks has the dimensions the layout flags and search bounds allow: " + search_counts(r));
      if (r.top.empty()) throw DoesNotFitError("no layout fits: " + search_counts(r));
      print_layout_search(a->out.stream(), cfg, r, format, cmdline);
      a->out.finish();
      return;
    }
    const TrainEstimate e = estimate_training(cfg);
    std::ostream& out = a->out.stream();
    // Every format prints the row; "does not fit" is the exit code (3) in every format.
    if (format == Format::kJson) out << json_text(to_json(e, cmdline)) << "\n";
    else if (format == Format::kCsv) print_csv(out, e);
    else print_table(out, e);
    a->out.finish();  // the report is whole; exit code 3 below says it does not fit
    if (!e.fits)
      throw DoesNotFitError("does not fit: " + fmt(e.memory.needed() / kGiB, 1) + " GiB needed per GPU, " +
                            fmt(e.memory_capacity / kGiB, 1) + " GiB available (raise tp/pp/zero or recompute)");
  });
}

}  // namespace commsim::cli
