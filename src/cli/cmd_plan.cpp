// commsim plan: smallest cluster per candidate system that meets a deadline (or the fastest within a budget),
// its layout, time, GPU-hours, cost and energy, and the time-vs-cost Pareto frontier (study/plan.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "cli/train_report.hpp"
#include "core/data_path.hpp"
#include "core/json_text.hpp"
#include "core/text.hpp"
#include "core/yaml_override.hpp"
#include "report/html_report.hpp"
#include "report/plan_html.hpp"
#include "report/table.hpp"
#include "study/plan.hpp"
#include "study/plan_layouts.hpp"
#include "train/layout_search.hpp"

namespace commsim::cli {

constexpr int kPlanMaxVpp = 8;
namespace {

const char* kDefaultCandidates = "hgx-h20,dgx-h100,hgx-h200,hgx-b200,gb200-nvl72,cloudmatrix-384";

double flag_quantity(const std::string& flag, const std::string& text, Dimension dim) {
  try {
    const double v = parse_quantity(text, dim);
    if (v > 0) return v;
  } catch (const InputError& e) {
    throw InputError(SourceLoc{flag, 0, 0, ""}, e.what());
  }
  throw InputError(SourceLoc{flag, 0, 0, ""}, "'" + text + "' must be positive");
}

// As --op: an empty item ("a,,b", a trailing comma) is an error, a repeated one is planned once.
std::vector<std::string> split_list(const std::string& s) {
  const SourceLoc flag{"--candidates", 0, 0, ""};
  if (s.empty()) throw InputError(flag, "no candidate systems given");
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = s.find(',', start);
    const std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw InputError(flag, "empty system name in '" + s + "' (a comma-separated list such as dgx-h100,hgx-b200)");
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// A --set key that plan decides itself would be overwritten without a word: why it cannot be set, or "".
std::string plan_owned(const std::string& given, bool quick) {
  // pipeline.schedule is parallelism.schedule's other spelling (it was let through and dropped under quick)
  const std::string key =
      given == "pipeline.schedule" || given == "pipeline" ? "parallelism.schedule" : given;
  auto under = [&key](const char* section) { return key.rfind(section, 0) == 0; };
  // A whole section given as a mapping (`--set 'parallelism={schedule: dualpipe}'`) reached past these
  // checks: under quick it was listed and dropped, under auto its tp applied where parallelism.tp is refused.
  if (key == "cluster") return "plan chooses the cluster (--candidates, --max-gpus)";
  if (key == "parallelism")
    return "plan's layout search chooses the layout; set the keys it keeps one by one (parallelism.order, "
           "parallelism.sequence_parallel, and parallelism.schedule under --layouts auto)";
  if (key == "training")
    return "plan decides tokens, seq_len, global_batch and precision (their flags), micro_batch and "
           "recompute (its "
           "layout search); set other training keys one by one (training.flash_attention=false)";
  if (key == "model" || under("model.")) return key == "model" ? "plan's model is --model" : "";
  if (key == "training.tokens") return "plan's tokens are --tokens";
  if (key == "training.seq_len") return "plan's sequence length is --seq-len";
  if (key == "training.global_batch") return "plan's global batch is --global-batch";
  if (key == "training.precision") return "plan's precision is --precision";
  if (key == "cluster.system" || key == "cluster.gpus" || key == "cluster.nodes" || key == "cluster.gpus_per_node")
    return "plan chooses the cluster (--candidates, --max-gpus)";
  // The system key `nodes` (its default scale): --layouts auto refused it at the first estimate, quick failed
  // every size and blamed --deadline.
  if (key == "nodes") return default_nodes_refused("plan sizes the cluster (--max-gpus)");
  if (key == "cost" || under("cost.")) return "plan prices each candidate from --prices and --pricing";
  if (quick && (key == "search" || under("search.")) && key != "search.memory_headroom")
    return "--layouts quick tries Megatron's defaults, not a search; --layouts auto reads the search bounds";
  if (key == "parallelism.dp_shard")
    return "plan does not hold a shard group (train --auto does); --layouts auto searches them with --set "
           "search.hybrid_sharding=true";
  const bool searched_training = key == "training.micro_batch" || key == "training.recompute" || key == "training.recompute_num_layers";
  const bool kept_by_auto = key == "parallelism.order" || key == "parallelism.sequence_parallel" || key == "parallelism.schedule";
  if (searched_training || (under("parallelism.") && (quick || !kept_by_auto)))
    return std::string("plan's layout search chooses it") + (quick && kept_by_auto ? " (--layouts quick tries Megatron's defaults; --layouts auto keeps it)" : "");
  return "";
}

std::string layout(const TrainEstimate& e) { return layout_name(e.config); }

const PlanPoint* point(const PlanCandidate& c) { return c.chosen ? &*c.chosen : c.best ? &*c.best : nullptr; }

void print_table(std::ostream& os, const PlanResult& r) {
  Table t({"candidate", "gpu", "TPP", "status", "gpus", "layout", "days", "GPU-hours", "cost M USD", "USD/GPU-h",
           "facility MWh", "MFU", "pareto"});
  for (const PlanCandidate& c : r.candidates) {
    const PlanPoint* p = point(c);
    if (!p) {
      t.add({c.system, c.gpu, fmt(c.tpp, 0), plan_status(c), "-", "-", "-", "-", "-", "-", "-", "-", "-"});
      continue;
    }
    t.add({c.system, c.gpu, fmt(c.tpp, 0), plan_status(c), std::to_string(p->gpus), layout(p->estimate),
           fmt_small(p->time_s / 86400.0, 1), fmt_small(p->gpu_hours, 0), fmt_musd(p->cost_usd),
           fmt(p->usd_per_gpu_hour, 2), fmt_small(p->energy_mwh, 0), fmt(p->estimate.mfu * 100, 1) + "%",
           c.pareto ? "*" : ""});
  }
  t.print(os);
}

void print_csv(std::ostream& os, const PlanResult& r) {
  // clang-format off
  Table t({"system", "gpu", "tpp", "status", "gpus", "nodes", "tp", "pp", "dp", "cp", "ep", "etp", "vpp", "schedule",
           "first_stage_layers", "last_stage_layers", "zero", "dp_shard", "micro_batch", "recompute",
           "recompute_num_layers", "global_batch", "train_days", "gpu_hours", "cost_usd", "usd_per_gpu_hour",
           "energy_mwh", "mfu", "pareto"});
  // clang-format on
  for (const PlanCandidate& c : r.candidates) {
    const PlanPoint* p = point(c);
    std::vector<std::string> row{c.system, c.gpu, fmt(c.tpp, 1), plan_status(c)};
    if (p) {
      const TrainConfig& k = p->estimate.config;
      for (const std::string& v : {std::to_string(p->gpus),
                                   std::to_string(p->nodes),
                                   std::to_string(k.par.tp),
                                   std::to_string(k.par.pp),
                                   std::to_string(k.par.dp),
                                   std::to_string(k.par.cp),
                                   std::to_string(k.par.ep),
                                   std::to_string(k.par.expert_tp()),
                                   std::to_string(k.par.vpp),
                                   std::string(schedule_name(k.par.sched())),
                                   stage_layers_text(k.par.first_stage_layers, ""),
                                   stage_layers_text(k.par.last_stage_layers, ""),
                                   std::to_string(k.par.zero),
                                   std::to_string(k.par.zero_dp()),
                                   std::to_string(k.train.micro_batch),
                                   std::string(recompute_name(k.train.recompute)),
                                   std::to_string(k.train.recompute_layers),
                                   std::to_string(k.train.global_batch),
                                   fmt(p->time_s / 86400.0, 3),
                                   fmt(p->gpu_hours, 0),
                                   fmt(p->cost_usd, 0),
                                   fmt(p->usd_per_gpu_hour, 4),
                                   fmt(p->energy_mwh, 1),
                                   fmt(p->estimate.mfu, 4)})
        row.push_back(v);
    } else {
      row.resize(row.size() + 24);
    }
    row.push_back(c.pareto ? "1" : "0");
    t.add(row);
  }
  t.print_csv(os);
}

// What each priced row's GPU price rests on, and its kind and source: the shipped rents come from different
// providers and the server prices from different kinds of quote (a list price beside an analyst's rack
// estimate), which a ranking on cost inherits (config.md, "Prices").
void print_price_basis(std::ostream& os, const PlanResult& r) {
  // A server price for another box than a system's node (8 GPUs priced, 72 per node): the cost counts GPUs at
  // the server's price per GPU, not whole servers bought. Every candidate of the GPU is checked (only the
  // first was, so the line depended on the order of --candidates).
  std::map<std::string, std::vector<std::string>> odd;  // GPU -> "SYSTEM's nodes N"
  for (const PlanCandidate& c : r.candidates) {
    const PlanPoint* at = point(c);
    if (!at) continue;
    const long per_node = at->nodes > 0 ? at->gpus / at->nodes : 0;
    const std::string what = c.system + "'s nodes " + std::to_string(per_node);
    std::vector<std::string>& v = odd[c.gpu];
    if (c.rate.server_gpus > 0 && per_node > 0 && per_node % c.rate.server_gpus &&
        c.rate.server_gpus % per_node && std::find(v.begin(), v.end(), what) == v.end())
      v.push_back(what);
  }
  std::set<std::string> seen, kinds;
  for (const PlanCandidate& c : r.candidates) {
    if (!point(c) || !seen.insert(c.gpu).second) continue;  // priced rows only (not dropped, no layout)
    const Provenance& p = c.rate.provenance;
    os << "# price of " << c.gpu << ": " << fmt(c.rate.usd_per_gpu_hour, 2) << " USD/GPU-h (" << c.rate.basis
       << ")";
    if (!p.kind.empty()) os << "; " << p.kind;
    if (!p.source.empty()) os << ": " << p.source;
    if (!p.note.empty()) os << " (" << p.note << ")";
    if (const std::vector<std::string>& v = odd[c.gpu]; !v.empty()) {
      os << "; the server holds " << c.rate.server_gpus << " GPUs and ";
      const char* sep = "";
      for (const std::string& w : v) os << sep << w, sep = ", ";
      os << ": the cost counts GPUs at its price per GPU, not whole servers";
    }
    os << "\n";
    kinds.insert(p.kind.empty() ? "unstated" : p.kind);
  }
  if (kinds.size() > 1) {
    os << "# these prices are of different kinds (";
    const char* sep = "";
    for (const std::string& k : kinds) os << sep << k, sep = ", ";
    os << "): a ranking on cost is no firmer than the least certain of them\n";
  }
}

nlohmann::json to_json(const PlanResult& r, const nlohmann::json& context) {
  nlohmann::json j;
  j["context"] = context;
  j["candidates"] = nlohmann::json::array();
  for (const PlanCandidate& c : r.candidates) {
    nlohmann::json x = {{"system", c.system}, {"gpu", c.gpu},
                        {"tpp", c.tpp},       {"status", plan_status(c)},
                        {"pareto", c.pareto}, {"cluster_sizes_searched", c.evaluated}};
    // What its cost rests on (every candidate: a price is read before any search).
    x["price"] = {{"usd_per_gpu_hour", c.rate.usd_per_gpu_hour},
                  {"basis", c.rate.basis},
                  {"kind", c.rate.provenance.kind},
                  {"source", c.rate.provenance.source},
                  {"note", c.rate.provenance.note}};
    if (const PlanPoint* p = point(c)) {
      const TrainConfig& k = p->estimate.config;
      x["gpus"] = p->gpus;
      x["nodes"] = p->nodes;
      // The uneven split too: plan's pp need not divide the layers, and `train` cannot rerun the layout without it.
      x["parallelism"] = {{"tp", k.par.tp},
                          {"pp", k.par.pp},
                          {"dp", k.par.dp},
                          {"cp", k.par.cp},
                          {"ep", k.par.ep},
                          {"etp", k.par.expert_tp()},
                          {"vpp", k.par.vpp},
                          {"schedule", schedule_name(k.par.sched())},
                          {"first_stage_layers", stage_layers_json(k.par.first_stage_layers)},
                          {"last_stage_layers", stage_layers_json(k.par.last_stage_layers)},
                          {"zero", k.par.zero},
                          {"dp_shard", k.par.zero_dp()}};
      x["training"] = {{"global_batch", k.train.global_batch}, {"micro_batch", k.train.micro_batch},
                       {"recompute", recompute_name(k.train.recompute)}, {"recompute_num_layers", k.train.recompute_layers}};
      x["train_time_s"] = p->time_s;
      x["gpu_hours"] = p->gpu_hours;
      x["cost_usd"] = p->cost_usd;
      x["usd_per_gpu_hour"] = p->usd_per_gpu_hour;
      x["energy_mwh"] = p->energy_mwh;
      x["mfu"] = p->estimate.mfu;
      x["tokens_per_s"] = p->estimate.tokens_per_s;
    } else {  // every candidate has every key, null where none was chosen (as train's and sweep's JSON)
      for (const char* k : {"gpus", "nodes", "parallelism", "training", "train_time_s", "gpu_hours",
                            "cost_usd", "usd_per_gpu_hour", "energy_mwh", "mfu", "tokens_per_s"})
        x[k] = nullptr;
    }
    j["candidates"].push_back(x);
  }
  return j;
}

}  // namespace

void register_plan(CLI::App& app, const std::string& cmdline) {
  struct Args {
    std::string model, tokens, deadline, budget, candidates = kDefaultCandidates, prices, pricing = "purchase";
    std::string precision = "bf16", layouts = "auto";
    std::optional<double> max_tpp;
    long max_gpus = 65536, seq_len = 8192;
    int jobs = default_jobs();
    std::optional<long> global_batch;
    std::vector<std::string> sets;
    std::string html;
    bool progress = false, quiet = false;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("plan", "smallest cluster per candidate system for a deadline or a budget, cost, energy, Pareto frontier");
  c->add_option("--model,-m", a->model, "built-in model (configs/models/) or a model YAML")->required();
  c->add_option("--tokens", a->tokens, "tokens to train (15T, 2.5B)")->required();
  c->add_option("--deadline", a->deadline, "time to train at most (90d, 2000h)");
  c->add_option("--budget", a->budget, "cost at most (20MUSD, 500kUSD)");
  c->add_option("--candidates", a->candidates, "comma-separated systems (see `commsim catalog`)");
  c->add_option("--prices", a->prices, "prices file (default: the shipped topologies/prices.yaml)")->check(file_name());
  c->add_option("--pricing", a->pricing, "rent (per GPU-hour) or purchase (server amortised + power x PUE x energy)");
  c->add_option("--max-tpp", a->max_tpp, "drop candidates whose export-control TPP is at or above N")
      ->check(decimal_number());
  c->add_option("--max-gpus", a->max_gpus, "largest cluster searched (GPUs)")->check(at_least(1));
  c->add_option("--seq-len", a->seq_len, "sequence length (tokens)")->check(at_least(1));
  c->add_option("--global-batch", a->global_batch, "global batch in sequences (default: 16M tokens / seq-len), held at every cluster size: a size whose layouts cannot divide it is skipped")
      ->check(at_least(1));
  c->add_option("--precision", a->precision, "bf16, fp16, fp8, fp8_block, mxfp8 or nvfp4");
  c->add_option("--layouts", a->layouts, "layout search per cluster: auto (parallelism: auto's) or quick (TP, PP, EP only)");
  c->add_option("--set", a->sets, "override a config or system key (as `train --set`); repeatable")->take_all();
  c->add_option("-j,--jobs", a->jobs,
                "candidates searched at once, at most " + std::to_string(kMaxJobs) +
                    " (default: the cores; the result does not depend on it)")
      ->check(in_range(1, kMaxJobs));
  c->add_option("--html", a->html,
                "also write a self-contained HTML report (frontier, breakdown, memory) to FILE")
      ->check(file_beside_stdout());
  CLI::Option* progress = c->add_flag("--progress", a->progress, "show the progress line (cluster sizes searched, of all candidates') on stderr even when it is not a terminal");
  c->add_flag("--quiet", a->quiet, "no progress line")->excludes(progress);
  a->out.add_to(*c, "table, csv, json");
  c->callback([a, cmdline] {
    check_distinct_outputs({{"--out", a->out.out}, {"--html", a->html}});
    const Format format = parse_format(a->out.format);
    for (const std::string& text : a->sets) {
      const std::string key = split_override(text, "--set").key;
      if (const std::string why = plan_owned(key, a->layouts == "quick"); !why.empty())
        throw InputError(SourceLoc{"--set", 0, 0, key}, why);
    }
    PlanRequest req;
    std::optional<std::string> model = a->model;
    model_flag_before_sets(model, a->sets);
    req.base = load_train_config("", a->sets);
    // plan reports each candidate's fastest layout at each size: search.top was read and dropped.
    if (req.base.search.top != 1)
      throw InputError(req.base.where.count("search.top") ? req.base.where.at("search.top")
                                                          : SourceLoc{"--set", 0, 0, "search.top"},
                       "plan reports the fastest layout of each candidate and size: search.top is train "
                       "--auto's (--top K)");
    TrainFlags f;
    f.model = model;
    f.precision = a->precision;
    f.seq_len = a->seq_len;
    f.global_batch = a->global_batch.value_or(std::max(1L, 16L * 1024 * 1024 / a->seq_len));
    apply_flags(req.base, f);
    // VPP at most 8 unless --set search.max_vpp says otherwise, as the shipped automatic studies: the estimator
    // charges nothing per interleaved chunk, so an unbounded search picks 1-layer chunks no recipe runs.
    if (a->layouts == "auto" && req.base.search.max_vpp == 0) req.base.search.max_vpp = kPlanMaxVpp;
    req.base.train.tokens = parse_count(a->tokens, "--tokens");
    req.global_batch_given = a->global_batch.has_value();
    // One step past the whole run: the run is a fraction of a step, which no cluster size can time (a plan
    // of 2^31 sequences on 1T tokens "met" its deadline).
    const double step_tokens =
        static_cast<double>(req.base.train.global_batch) * static_cast<double>(req.base.train.seq_len);
    if (step_tokens > static_cast<double>(req.base.train.tokens))
      throw InputError(SourceLoc{a->global_batch ? "--global-batch" : "--tokens", 0, 0, ""},
                       "one step's " + six_digits(step_tokens) + " tokens (global batch " +
                           std::to_string(req.base.train.global_batch) + " x seq_len " +
                           std::to_string(req.base.train.seq_len) + ") are more than --tokens (" +
                           six_digits(static_cast<double>(req.base.train.tokens)) +
                           "): the run is less than one step");
    if (!a->deadline.empty()) req.deadline_s = flag_quantity("--deadline", a->deadline, Dimension::kTime);
    if (!a->budget.empty()) req.budget_usd = flag_quantity("--budget", a->budget, Dimension::kCurrency);
    // NaN compares false to every TPP and would drop nothing; inf drops nothing and printed "TPP < inf"
    // 1e-320 (a denormal) printed "TPP at or above 0"; no accelerator's TPP is below 1.
    if (a->max_tpp && !(*a->max_tpp >= 1 && *a->max_tpp <= 1e12))
      throw InputError(SourceLoc{"--max-tpp", 0, 0, ""}, "must be a number of TPP from 1 to 1e12");
    req.candidates = split_list(a->candidates);
    req.pricing = parse_pricing(a->pricing);
    req.max_tpp = a->max_tpp;
    if (a->max_gpus > kMaxRanks)
      throw InputError(SourceLoc{"--max-gpus", 0, 0, ""}, "at most " + std::to_string(kMaxRanks) + " (the most ranks commsim models)");
    req.max_gpus = a->max_gpus;
    req.jobs = a->jobs;
    req.quick_layouts = a->layouts == "quick";
    const Prices prices = load_prices(a->prices);
    // Named as given; the shipped file by its place in the data directory, not an absolute path.
    const std::string prices_name = a->prices.empty() ? "shipped topologies/prices.yaml" : a->prices;
    if (a->layouts != "auto" && a->layouts != "quick")
      throw InputError(SourceLoc{"--layouts", 0, 0, ""}, "unknown layout search '" + a->layouts + "' (valid: auto, quick)");
    // The outputs are opened before the search (minutes for a large plan): an unwritable one fails now.
    std::optional<HtmlReportFile> html;
    if (!a->html.empty()) html.emplace(a->html);
    a->out.open();
    std::optional<Progress> progress;  // its total (the cluster sizes of the candidates searched) comes with the first call
    req.on_progress = [&](std::size_t done, std::size_t total) {
      if (!progress) progress.emplace("plan", total, a->progress, a->quiet, "cluster sizes");
      progress->tick(done);
    };
    const PlanResult r = run_plan(req, prices, a->layouts == "auto" ? LayoutFinder(auto_layout_search) : LayoutFinder(quick_layout_search));
    if (progress) progress->finish();
    // The page first (a closed stdout pipe, the end of the table, then lost it). One that cannot be written
    // (a full disk) leaves an --out file as it was; printed to stdout, the answer is printed before the
    // error.
    std::exception_ptr page_error;
    try {
      if (html) html->write(plan_html_report(req, r, cmdline));
    } catch (const Error&) {
      if (!a->out.out.empty()) throw;
      page_error = std::current_exception();
    }

    std::ostream& os = a->out.stream();
    // The --set overrides (plan's own flags are in its header line and the JSON context).
    TrainConfig sets_only;
    for (const TrainOverride& o : req.base.overrides)  // not the model=--model that --set model.* puts first
      if (o.origin == "--set" && o.key != "model") sets_only.overrides.push_back(o);
    const std::string goal = req.deadline_s ? "deadline " + fmt_small(*req.deadline_s / 86400.0, 1) + " days"
                                            : "budget " + fmt_musd(*req.budget_usd) + " M USD";
    if (format == Format::kJson) {
      nlohmann::json ctx = {{"tool", "commsim"}, {"version", commsim_version()}, {"schema_version", 1},
                            {"command_line", cmdline}, {"model", req.base.model.name}, {"tokens", req.base.train.tokens},
                            {"goal", goal}, {"pricing", pricing_name(req.pricing)}, {"prices_file", prices_name},
                            {"max_gpus", req.max_gpus}};
      if (req.max_tpp) ctx["max_tpp"] = *req.max_tpp;
      ctx["precision"] = precision_name(req.base.train.precision);
      if (a->layouts == "auto") ctx["max_vpp"] = req.base.search.max_vpp;
      ctx["overrides"] = overrides_json(sets_only);
      os << json_text(to_json(r, ctx)) << "\n";
    } else {
      os << "# commsim plan: " << req.base.model.name << " in " << precision_name(req.base.train.precision) << ", "
         << fmt_small(req.base.train.tokens / 1e12, 3) << "T tokens, global batch "
         << req.base.train.global_batch << " x " << req.base.train.seq_len << " tokens at every size, " << goal
         << ", pricing " << pricing_name(req.pricing) << " (" << prices_name << ")"
         << (req.max_tpp ? ", TPP < " + fmt(*req.max_tpp, 0) : "") << "\n";
      print_overrides(os, sets_only);  // a capped and an uncapped plan could not be told apart
      if (format == Format::kCsv) {
        print_csv(os, r);
      } else {
        print_table(os, r);
        os << "# pareto *: on the time-vs-cost frontier; layouts from the " << a->layouts << " layout search (docs/cli.md, plan); "
           << "searched in " << fmt(r.seconds, 1) << " s\n";
        print_price_basis(os, r);
        // An fp8 run's MFU over the bf16 peak passes 100% at half the fp8 peak (a B200 at 100.8% read as a
        // bug).
        if (is_low_precision(req.base.train.precision))
          os << "# MFU: model FLOPs over the bf16 peak, as published tables quote it; an "
             << precision_name(req.base.train.precision) << " run's ceiling is "
             << (req.base.train.precision == Precision::kNvfp4
                     ? "its fp4 peak (400% on B200 and GB200, 600% on B300 and GB300)\n"
                     : "about 200% (its fp8 peak)\n");
      }
    }
    a->out.finish();
    if (page_error) std::rethrow_exception(page_error);
  });
}

}  // namespace commsim::cli
