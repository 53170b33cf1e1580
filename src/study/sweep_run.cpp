#include "study/sweep_run.hpp"

#include "train/layout_search.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "coll/simulator.hpp"
#include "core/yaml_override.hpp"
#include "study/compare.hpp"
#include "topo/system_loader.hpp"
#include "train/estimator.hpp"

namespace commsim {
namespace {

// A whole number of GiB as text: not through int (a billion-layer model needs more than 2^31 GiB; it printed
// a negative figure).
std::string whole(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kGiB = 1073741824.0;

int positive_int(const std::string& v, const std::string& key) {
  std::size_t used = 0;
  long n = 0;
  try {
    n = std::stol(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != v.size() || n < 1 || n > 100'000'000)
    throw InputError(SourceLoc{"", 0, 0, key}, "'" + v + "' is not a whole number between 1 and 100,000,000");
  return static_cast<int>(n);
}

struct TrainInputs {
  std::vector<std::string> sets;
  TrainFlags flags;
};

TrainInputs train_inputs(const SweepSpec& s, const std::vector<std::string>& values, const std::vector<bool>& use) {
  TrainInputs in;
  in.sets = s.base_sets;
  for (std::size_t i = 0; i < s.axes.size(); ++i) {
    if (!use[i] || values[i].empty()) continue;  // empty: a null value, the key is not set at this point
    const std::string& k = s.axes[i].key;
    const std::string& v = values[i];
    if (k == "system") in.flags.system = v;
    else if (k == "model") in.flags.model = v;
    else if (k == "gpus") in.flags.gpus = positive_int(v, k);
    else if (k == "nodes") in.flags.nodes = positive_int(v, k);
    else if (k == "gpus_per_node") in.flags.gpus_per_node = positive_int(v, k);
    else in.sets.push_back(k + "=" + v);
  }
  return in;
}

struct CollectiveInputs {
  std::string system, op, size, dtype;
  int gpus = 0, nodes = 0, gpus_per_node = 0;
  std::vector<std::string> sets;
};

CollectiveInputs collective_inputs(const SweepSpec& s, const std::vector<std::string>& values, const std::vector<bool>& use) {
  CollectiveInputs in{s.system, "", "", s.dtype, s.gpus, s.nodes, s.gpus_per_node, s.base_sets};
  for (std::size_t i = 0; i < s.axes.size(); ++i) {
    const std::string& k = s.axes[i].key;
    const std::string& v = values[i];
    if (v.empty()) continue;  // a null value: the key is not set at this point
    if (k == "op") in.op = v;  // op and size always apply (a collective needs both)
    else if (k == "size") in.size = v;
    else if (!use[i]) continue;
    else if (k == "system") in.system = v;
    else if (k == "dtype") in.dtype = v;
    else if (k == "gpus") in.gpus = positive_int(v, k), in.nodes = 0;
    else if (k == "nodes") in.nodes = positive_int(v, k), in.gpus = 0;
    else if (k == "gpus_per_node") in.gpus_per_node = positive_int(v, k);
    else if (is_system_key(k)) in.sets.push_back(k + "=" + v);
    else
      throw InputError(SourceLoc{"", 0, 0, k}, "not a key of a collective study (system, gpus, nodes, gpus_per_node, op, "
                                               "size, dtype, or a system key: gpu.*, node.*, fabric.*, calibration.*)");
  }
  return in;
}

Op parse_op(const std::string& v) {
  const auto op = op_from_name(v);
  if (!op) throw InputError(SourceLoc{"", 0, 0, "op"}, "unknown operation '" + v + "' (valid: " + op_names() + ")");
  return *op;
}

DataType parse_dtype(const std::string& v) {
  const auto dt = dtype_from_name(v);
  if (!dt) throw InputError(SourceLoc{"", 0, 0, "dtype"}, "unknown data type '" + v + "' (valid: " + dtype_names() + ")");
  return *dt;
}

std::string layout(const Parallelism& p) {
  return "TP" + std::to_string(p.tp) + " PP" + std::to_string(p.pp) + " DP" + std::to_string(p.dp) + " CP" +
         std::to_string(p.cp) + " EP" + std::to_string(p.ep) + " VPP" + std::to_string(p.vpp) + " ZeRO-" +
         std::to_string(p.zero);
}

}  // namespace

const SweepColumns& sweep_columns(SweepKind kind) {
  static const SweepColumns train{{"gpus_used", "step_time_s", "tokens_per_s_per_gpu", "mfu", "memory_gib_per_gpu",
                                   "capacity_gib", "compute_s", "tp_s", "cp_s", "ep_s", "pp_s", "dp_s", "bubble_s",
                                   "optimizer_s", "train_days", "gpu_hours", "cost_usd", "energy_mwh"},
                                  {"gpu", "layout"}};
  static const SweepColumns coll{{"ranks", "nodes_used", "time_us", "algbw_GBps", "busbw_GBps"},
                                 {"gpu", "algorithm", "protocol", "bottleneck"}};
  return kind == SweepKind::kTrain ? train : coll;
}

SweepRow SweepRunner::run(const SweepPoint& p) const {
  SweepRow row;
  row.index = p.index;
  row.key = point_key(spec_, p.values);
  row.axes = p.values;
  const SweepColumns& cols = sweep_columns(spec_.kind);
  row.numbers.assign(cols.numbers.size(), kNaN);
  row.labels.assign(cols.labels.size(), "");
  try {
    if (spec_.kind == SweepKind::kTrain) run_train(row, p.values);
    else run_collective(row, p.values);
  } catch (const InputError& e) {
    row.status = "invalid";
    row.reason = e.what();
    // The point's values reach its config as --set overrides; they came from the study's axes (the command
    // line's own --set values were checked on the base before any point ran).
    if (row.reason.rfind("--set: ", 0) == 0) row.reason.erase(0, 7);
  } catch (const Error& e) {
    row.status = "error";
    row.reason = e.what();
  }
  return row;
}

const Prices& SweepRunner::prices() const {
  const std::lock_guard<std::mutex> lock(prices_mu_);
  if (!prices_) prices_ = load_prices("");
  return *prices_;
}

void SweepRunner::run_train(SweepRow& row, const std::vector<std::string>& values) const {
  const TrainInputs in = train_inputs(spec_, values, std::vector<bool>(values.size(), true));
  YAML::Node tree;
  {
    const std::lock_guard<std::mutex> lock(base_mu_);
    tree = YAML::Clone(spec_.base);
  }
  TrainConfig cfg = load_train_config(tree, spec_.base_file, in.sets);
  apply_flags(cfg, in.flags);
  EstimateContext& ctx = contexts_.get(sweep_context_key(in.flags, in.sets), cfg);
  if (!cfg.pricing.empty()) price_training(cfg, ctx.spec().gpu, prices());
  TrainEstimate e;
  if (cfg.auto_layout) {  // parallelism: auto: the fastest layout that fits (train/layout_search.hpp)
    LayoutSearchOptions o = search_options(cfg);  // an axis or --set on a layout key fixes it
    o.limits.top = 1;
    const LayoutSearchResult r = search_layouts(cfg, o, ctx);
    if (r.top.empty()) {
      std::string why;
      for (const auto& [reason, n] : r.rejected) why += (why.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
      row.status = "does_not_fit";
      row.reason = "no layout fits (" + std::to_string(r.tried) + " tried: " + why + ")";
      return;
    }
    e = r.top.front();
  } else {
    e = estimate_training(cfg, ctx);
  }
  const StepBreakdown& b = e.breakdown;
  const bool totals = e.train_tokens > 0;
  row.numbers = {static_cast<double>(e.gpus), e.step_time_s, e.tokens_per_s_per_gpu, e.mfu, e.memory.total() / kGiB,
                 e.memory_capacity / kGiB, b.compute, b.tp, b.cp, b.ep, b.pp, b.dp, b.bubble, b.optimizer,
                 totals ? e.train_time_s / 86400.0 : kNaN, totals ? e.gpu_hours : kNaN, totals ? e.cost_usd : kNaN,
                 totals ? e.energy_mwh : kNaN};
  row.labels = {e.gpu, layout(e.config.par)};
  row.status = e.fits ? "ok" : "does_not_fit";
  if (!e.fits)
    row.reason = "needs " + whole(std::ceil(e.memory.needed() / kGiB)) + " GiB per GPU, " + whole(std::floor(e.memory_capacity / kGiB)) +
                 " GiB available";
}

void SweepRunner::run_collective(SweepRow& row, const std::vector<std::string>& values) const {
  const CollectiveInputs in = collective_inputs(spec_, values, std::vector<bool>(values.size(), true));
  const Op op = parse_op(in.op);
  const DataType dt = parse_dtype(in.dtype);
  const std::uint64_t bytes = parse_size(in.size);
  if (in.system.empty()) throw InputError(SourceLoc{spec_.file, 0, 0, "base.system"}, "no system (base.system or an axis)");
  const SystemSpec sys = load_system(in.system, in.sets);
  row.labels[0] = sys.gpu.name;  // named even when the scale is invalid
  const Scale scale = resolve_scale(sys, in.nodes, in.gpus, in.gpus_per_node);
  const Topology topo(sys, scale);
  const CollectiveSimulator sim(topo);
  const Prediction p = sim.predict(op, bytes, dt);
  row.numbers = {static_cast<double>(topo.ranks()), static_cast<double>(topo.nodes()), p.time_us, p.algbw_GBps, p.busbw_GBps};
  row.labels = {sys.gpu.name, p.algorithm, proto_name(p.proto), p.bottleneck};
  row.status = "ok";
}

namespace {

// cost.pricing needs a price for each system's GPU: every pair of a system and a pricing the study reaches
// (the values of their axes, zip groups moving together, or the base's) is priced before a point runs; a
// missing price was an invalid point and exit 0. InputError at the system's axis value (else the pricing's).
// `where` filters are not applied: a pair they would remove is still checked.
void check_pricing(const SweepSpec& spec, const std::vector<std::string>& first) {
  auto priced_key = [](const std::string& k) { return k == "system" || k == "cluster.system" || k == "cost.pricing"; };
  std::vector<std::vector<std::size_t>> units;  // each a lone axis or a zip group, with a system or pricing axis
  std::set<int> zips_seen;
  for (std::size_t i = 0; i < spec.axes.size(); ++i) {
    const SweepAxis& a = spec.axes[i];
    if (a.zip < 0) {
      if (priced_key(a.key)) units.push_back({i});
      continue;
    }
    const std::vector<std::size_t>& group = spec.zips[static_cast<std::size_t>(a.zip)];
    if (std::any_of(group.begin(), group.end(), [&](std::size_t k) { return priced_key(spec.axes[k].key); }) &&
        zips_seen.insert(a.zip).second)
      units.push_back(group);
  }
  std::vector<std::size_t> at(units.size(), 0);  // the value index of each unit (an odometer)
  std::optional<Prices> prices;                  // loaded once, where a combination first needs it
  while (true) {
    std::vector<std::string> values = first;
    std::optional<SourceLoc> blame;
    for (std::size_t u = 0; u < units.size(); ++u)
      for (std::size_t k : units[u]) {
        values[k] = spec.axes[k].values[at[u]];
        const bool system = spec.axes[k].key != "cost.pricing";
        if (!blame || system) {
          blame = spec.axes[k].value_locs[at[u]];
          blame->key = "axes." + spec.axes[k].key;
        }
      }
    const TrainInputs in = train_inputs(spec, values, std::vector<bool>(values.size(), true));
    TrainConfig cfg = load_train_config(YAML::Clone(spec.base), spec.base_file, in.sets);
    apply_flags(cfg, in.flags);
    if (!cfg.pricing.empty() && !cfg.system.empty()) {
      try {
        if (!prices) prices = load_prices("");
        price_training(cfg, load_system(cfg.system, cfg.sets, cfg.sets_written_at).gpu, *prices);
      } catch (const InputError& e) {
        if (!blame) throw;
        throw InputError(*blame, "cost.pricing " + cfg.pricing + " on " + cfg.system + ": " + e.message());
      }
    }
    std::size_t u = 0;
    while (u < units.size() && ++at[u] == spec.axes[units[u].front()].values.size()) at[u++] = 0;
    if (u == units.size()) break;
  }
}

}  // namespace

void check_sweep_axes(const SweepSpec& spec) {
  // The base with the command line's --set first, alone: its own errors keep their origin (its file:line or
  // --set) instead of being blamed on the first axis checked below.
  // A base.set entry's error names its line in the study (rethrow_at_written), not "--set".
  auto axis_sets = [&spec](const std::string& key) {
    return std::any_of(spec.axes.begin(), spec.axes.end(), [&key](const SweepAxis& a) { return a.key == key; });
  };
  const bool system_axis = axis_sets("system") || axis_sets("cluster.system");
  try {
    if (spec.kind == SweepKind::kTrain) {
      const TrainConfig base = load_train_config(YAML::Clone(spec.base), spec.base_file, spec.base_sets);
      // No system in the base and none from an axis: every point would be invalid (a system-key axis was
      // refused below, any other ran to a table of invalid rows and exit 0).
      if (base.system.empty() && !system_axis)
        throw InputError(SourceLoc{spec.file, 0, 0, "base"}, "the base names no cluster.system and no axis sets one");
      // Likewise the model and the batch shape every point needs (they ran as points all invalid, exit 0).
      auto at = [&](const std::string& key) {  // --set when a command-line override unset it
        const auto it = base.where.find(key);
        return it != base.where.end() && it->second.file == "--set" ? it->second : SourceLoc{spec.file, 0, 0, "base." + key};
      };
      if (!base.has_model && !axis_sets("model")) throw InputError(at("model"), "the base names no model and no axis sets one");
      for (const auto& [key, v] : {std::pair<std::string, long>{"training.seq_len", base.train.seq_len},
                                   {"training.global_batch", base.train.global_batch}})
        if (v <= 0 && !axis_sets(key)) throw InputError(at(key), "required: the base gives none and no axis sets it");
      // The base's system with its overrides, when no axis replaces it: its errors are every point's (they
      // ran as a table of invalid points and exit 0).
      if (!system_axis) {
        std::map<std::string, SourceLoc> written_at = base.sets_written_at;
        written_at.insert(spec.base_sets_written_at.begin(), spec.base_sets_written_at.end());
        load_system(base.system, base.sets, written_at);
      }
    } else if (!spec.system.empty() && !system_axis) {
      load_system(spec.system, spec.base_sets, spec.base_sets_written_at);
    }
  } catch (const InputError& e) {
    rethrow_at_written(e, spec.base_sets, spec.base_sets_written_at);
    throw;
  }
  // The first value of each axis stands in for the others while one axis is checked (a system key needs a
  // system; gpus may be an axis).
  std::vector<std::string> first;
  for (const SweepAxis& a : spec.axes) first.push_back(a.values.front());
  for (std::size_t i = 0; i < spec.axes.size(); ++i) {
    const SweepAxis& a = spec.axes[i];
    std::set<std::string> seen;
    for (std::size_t j = 0; j < a.values.size(); ++j) {
      if (a.values[j].empty() || !seen.insert(a.values[j]).second) continue;
      std::vector<std::string> values = first;
      values[i] = a.values[j];
      std::vector<bool> use(values.size(), false);
      use[i] = true;
      auto names_system = [](const std::string& key) { return key == "system" || key == "cluster.system"; };
      for (std::size_t k = 0; k < values.size(); ++k) use[k] = use[k] || names_system(spec.axes[k].key);
      const SourceLoc& at = a.value_locs[j];
      // The system overrides tried, in order, and where the written ones are: an error about a base.set entry
      // (or a base config's cluster.set entry) that this axis value does not override names that entry.
      std::vector<std::string> tried;
      std::map<std::string, SourceLoc> written_at = spec.base_sets_written_at;
      try {
        if (spec.kind == SweepKind::kTrain) {
          const TrainInputs in = train_inputs(spec, values, use);
          tried = in.sets;
          TrainConfig cfg = load_train_config(YAML::Clone(spec.base), spec.base_file, in.sets);
          apply_flags(cfg, in.flags);
          if (is_system_key(a.key) || names_system(a.key)) {
            if (cfg.system.empty()) throw InputError(SourceLoc{spec.file, 0, 0, "base"}, "the base names no cluster.system");
            tried = cfg.sets;
            written_at.insert(cfg.sets_written_at.begin(), cfg.sets_written_at.end());
            load_system(cfg.system, cfg.sets);
          }
        } else {
          const CollectiveInputs in = collective_inputs(spec, values, use);
          tried = in.sets;
          if (a.key == "op") parse_op(in.op);
          if (a.key == "size") parse_size(in.size);
          if (a.key == "dtype") parse_dtype(in.dtype);
          if ((is_system_key(a.key) || a.key == "system") && !in.system.empty()) load_system(in.system, in.sets);
        }
      } catch (const InputError& e) {
        rethrow_at_written(e, tried, written_at);
        std::string what = e.what();
        if (what.rfind("--set: ", 0) == 0) what.erase(0, 7);  // the value came from the study, not the command line
        throw InputError(SourceLoc{at.file, at.line, at.column, "axes." + a.key}, what);
      }
    }
  }
  if (spec.kind == SweepKind::kTrain) check_pricing(spec, first);
}

SweepSpec sweep_from_study(const StudySpec& study) {
  SweepSpec s;
  s.name = study.name;
  s.title = study.title;
  s.file = study.file;
  s.kind = SweepKind::kCollective;
  s.dtype = dtype_info(study.dtype).name;
  s.base_sets = study.overrides;
  auto axis = [&](const std::string& key, std::vector<std::string> values) {
    SweepAxis a;
    a.key = key;
    a.loc = SourceLoc{study.file, 0, 0, key};
    a.values = std::move(values);
    a.value_locs.assign(a.values.size(), a.loc);
    s.axes.push_back(a);
  };
  axis("system", study.systems);
  std::vector<std::string> gpus, ops;
  for (int g : study.gpus) gpus.push_back(std::to_string(g));
  for (Op op : study.ops) ops.push_back(op_name(op));
  axis("gpus", gpus);
  axis("op", ops);
  axis("size", {std::to_string(study.size_bytes)});
  check_sweep_axes(s);  // an unknown system is bad input, as before
  return s;
}

}  // namespace commsim
