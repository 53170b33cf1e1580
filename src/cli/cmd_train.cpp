// commsim train [CONFIG] [flags]: the training-step estimator (docs/training.md). Table (default), json, csv.
// Exit code 3 in every format when the model does not fit in the GPU's memory (the row is still printed).
#include <optional>

#include "cli/common.hpp"
#include "cli/train_auto.hpp"
#include "cli/train_ops.hpp"
#include "cli/train_report.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/units.hpp"
#include "hw/catalog.hpp"
#include "report/table.hpp"
#include "study/prices.hpp"
#include "topo/system_loader.hpp"
#include "train/estimator.hpp"

namespace commsim::cli {
namespace {


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
  c->add_option("config", a->config, "training config: a shipped name (configs/train/NAME.yaml) or a YAML path; flags and --set override it")
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
  c->add_option(
      "--precision", a->precision,
      "bf16, fp16, fp8, fp8_block, mxfp8 or nvfp4 (mxfp8 and nvfp4 on GPUs whose kernels run them)");
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
    // A shipped config by name (`train llama3-70b-h100`) or a path (also one under the data directory).
    // An existing file is read as given (`l70.yml`, `cfg`); else a shipped name or a data-directory path.
    const std::string config = a->config.empty() || file_exists(a->config)
                                   ? a->config
                                   : resolve_data_path("configs/train", "training config", a->config, SourceLoc{"CONFIG", 0, 0, ""});
    TrainConfig cfg = load_train_config(config, a->sets);
    const TrainFlags f{a->model, a->system, a->precision, a->recompute, a->gpus, a->nodes, a->gpus_per_node, a->tp, a->pp,
                       a->dp, a->cp, a->ep, a->vpp, a->zero, a->seq_len, a->global_batch, a->micro_batch};
    apply_flags(cfg, f);
    if (a->top && !a->auto_layout && !cfg.auto_layout) throw InputError("--top: needs --auto or parallelism: auto");
    if (!a->auto_layout && !cfg.auto_layout)
      for (const std::string& s : a->sets)  // a bound with no search to bound was accepted and changed nothing
        if (s.rfind("search.", 0) == 0 || s.rfind("search=", 0) == 0)
          throw InputError(SourceLoc{"--set", 0, 0, s.substr(0, s.find('='))}, "the search bounds need --auto or parallelism: auto");
    if (a->ops && (a->auto_layout || cfg.auto_layout))
      throw InputError("--ops: profiles one layout; not with --auto or parallelism: auto");
    if (a->ops) {
      a->out.open();
      print_compute_ops(a->out.stream(), cfg, format, cmdline);
      a->out.finish();
      return;
    }
    // cost.pricing: the price per GPU-hour of the system's GPU in the prices file (cost.prices, or the
    // shipped).
    if (!cfg.pricing.empty() && !cfg.system.empty())
      price_training(cfg, load_system(cfg.system, cfg.sets, cfg.sets_written_at).gpu,
                     load_prices(cfg.prices));
    if (a->auto_layout || cfg.auto_layout) {
      // A layout flag or --set fixes its dimension of the search (--tp 8: the fastest layouts with TP 8).
      LayoutSearchOptions o = search_options(cfg);
      if (a->top) o.limits.top = *a->top;
      a->out.open();
      const LayoutSearchResult r = search_layouts(cfg, o);
      // Fixed dimensions whose product does not divide the ranks (--dp 5 of 64) leave no layout; the search's
      // rejection counts then named a reason from the other loops ("layers % pp").
      long fixed = 1;
      std::string named;  // the fixed dimensions by name: "tp 3, pp 2" (the message named none)
      struct Fixed {
        const char* name;
        int value;
        bool of_ranks;  // tp x pp x dp x cp are the ranks
      };
      const Fixed dims[] = {{"tp", o.limits.tp, true},  {"pp", o.limits.pp, true},
                            {"dp", o.limits.dp, true},  {"cp", o.limits.cp, true},
                            {"ep", o.limits.ep, false}, {"vpp", o.limits.vpp, false}};
      for (const auto& [name, d, of_ranks] : dims) {
        if (d <= 0) continue;
        if (of_ranks) fixed *= d;
        named += (named.empty() ? "" : ", ") + std::string(name) + " " + std::to_string(d);
      }
      if (o.limits.micro_batch > 0)
        named += (named.empty() ? "" : ", ") + ("micro-batch " + std::to_string(o.limits.micro_batch));
      if (r.tried == 0 || r.ranks % fixed != 0)  // only fixed dimensions empty the space: tp = 1, pp = 1, ... is always a candidate
        throw InputError("--auto: no layout of " + std::to_string(r.ranks) +
                         " ranks has the dimensions the layout flags fix (" + named +
                         "): tp x pp x cp x dp must be the ranks, ep must divide tp x cp x dp, the "
                         "micro-batch global_batch / dp");
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
    if (format == Format::kJson) out << json_text(train_json(e, cmdline)) << "\n";
    else if (format == Format::kCsv) print_train_csv(out, e);
    else print_train_table(out, e);
    a->out.finish();  // the report is whole; exit code 3 below says it does not fit
    if (!e.fits)
      throw DoesNotFitError("does not fit: " + fmt(e.memory.needed() / kGiB, 1) + " GiB needed per GPU, " +
                            fmt(e.memory_capacity / kGiB, 1) + " GiB available (raise tp/pp/zero or recompute)");
  });
}

}  // namespace commsim::cli
