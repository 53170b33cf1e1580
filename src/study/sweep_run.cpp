#include "study/sweep_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "coll/simulator.hpp"
#include "core/units.hpp"
#include "core/yaml_override.hpp"
#include "study/sweep_check.hpp"
#include "study/sweep_inputs.hpp"
#include "topo/system_loader.hpp"
#include "train/estimator.hpp"
#include "train/layout_search.hpp"

namespace commsim {
namespace {

// A whole number of GiB as text: not through int (a billion-layer model needs more than 2^31 GiB; it printed
// a negative figure).
std::string one_decimal(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string layout(const Parallelism& p) {
  return "TP" + std::to_string(p.tp) + " PP" + std::to_string(p.pp) + " DP" + std::to_string(p.dp) + " CP" +
         std::to_string(p.cp) + " EP" + std::to_string(p.ep) +
         // Expert TP where it is not TP, its default: two layouts differing in it had one label.
         (p.expert_tp() != p.tp ? " ETP" + std::to_string(p.expert_tp()) : std::string()) + " VPP" +
         std::to_string(p.vpp) + " ZeRO-" + std::to_string(p.zero) +
         (p.dp_replicas() > 1 ? " shard " + std::to_string(p.zero_dp()) : std::string());
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
    // A base key's error at the base's line (the point's clone placed it at 1:1).
    if (spec_.kind == SweepKind::kTrain) {
      const std::lock_guard<std::mutex> lock(base_mu_);  // the marked base is read under the clone's lock
      row.reason = place_base_error(e, spec_).what();
    } else {
      row.reason = e.what();
    }
    // The point's values reach its config as --set overrides; they came from the study's axes (the command
    // line's own --set values were checked on the base before any point ran).
    // The same for the flags that carry an axis's value (--gpus, --model).
    if (row.reason.rfind("--set: ", 0) == 0) row.reason.erase(0, 7);
    else if (const std::string& via = e.loc().file; via.rfind("--", 0) == 0 && row.reason.rfind(via + ": ", 0) == 0)
      row.reason.erase(0, via.size() + 2);
  } catch (const Error& e) {
    row.status = "error";
    row.reason = e.what();
  }
  return row;
}

const Prices& SweepRunner::prices(const std::string& file) const {
  const std::lock_guard<std::mutex> lock(prices_mu_);
  auto it = prices_.find(file);
  if (it == prices_.end()) it = prices_.emplace(file, load_prices(file)).first;
  return it->second;  // std::map: a reference stays valid as other files are added
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
  if (!cfg.pricing.empty()) price_training(cfg, ctx.spec().gpu, prices(cfg.prices));
  TrainEstimate e;
  if (cfg.auto_layout) {  // parallelism: auto: the fastest layout that fits (train/layout_search.hpp)
    LayoutSearchOptions o = search_options(cfg);  // an axis or --set on a layout key fixes it
    o.limits.top = 1;
    const LayoutSearchResult r = search_layouts(cfg, o, ctx);
    if (r.top.empty()) {
      std::string why;
      for (const auto& [reason, n] : r.rejected) why += (why.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
      // Valid layouts that need more memory than the GPU has: does_not_fit. None valid at all (the batch, the
      // heads or the GPUs split no way the search may try): the point is invalid, as `train --auto` exits 2.
      const bool some_valid = r.rejected.count("does not fit") > 0;
      row.status = some_valid ? "does_not_fit" : "invalid";
      row.reason = (some_valid ? "no layout fits (" : "no valid layout (") + std::to_string(r.tried) +
                   " tried" + (why.empty() ? "" : ": " + why) + ")";
      return;
    }
    e = r.top.front();
  } else {
    e = estimate_training(cfg, ctx);
  }
  const StepBreakdown& b = e.breakdown;
  const bool totals = e.train_tokens > 0;
  row.numbers = {static_cast<double>(e.gpus),
                 e.step_time_s,
                 e.tokens_per_s_per_gpu,
                 e.mfu,
                 e.memory.total() / kGiB,
                 e.memory_capacity / kGiB,
                 b.compute,
                 b.tp,
                 b.cp,
                 b.ep,
                 b.pp,
                 b.dp,
                 b.bubble,
                 b.optimizer,
                 totals ? e.train_time_s / 86400.0 : kNaN,
                 totals ? e.gpu_hours : kNaN,
                 totals && e.config.gpu_hour_usd > 0 ? e.cost_usd : kNaN,  // no price: empty, not $0
                 totals ? e.energy_mwh : kNaN};
  // A layout the search chose is named whole, as `train --auto` prints it (micro-batch, recompute, the stage
  // split, the schedule): without them the row could not be rerun (the same TP..ZeRO with micro-batch 1 and
  // no recompute did not fit).
  row.labels = {e.gpu, cfg.auto_layout ? layout_name(e.config) : layout(e.config.par)};  // both say "shard N"
  row.status = e.fits ? "ok" : "does_not_fit";
  if (!e.fits)
    // To one decimal, as train says it (rounded up and down to whole GiB, "79 GiB available" disagreed with
    // the row's capacity_gib of 79.6).
    row.reason = "needs " + one_decimal(e.memory.needed() / kGiB) + " GiB per GPU, " +
                 one_decimal(e.memory_capacity / kGiB) + " GiB available";
}

void SweepRunner::run_collective(SweepRow& row, const std::vector<std::string>& values) const {
  const CollectiveInputs in = collective_inputs(spec_, values, std::vector<bool>(values.size(), true));
  const Op op = parse_op(in.op);
  const DataType dt = parse_dtype(in.dtype);
  const std::uint64_t bytes = parse_size(in.size);
  if (in.system.empty()) throw InputError(SourceLoc{spec_.file, 0, 0, "base.system"}, "no system (base.system or an axis)");
  const SystemSpec sys = load_system(in.system, in.sets);
  row.labels[0] = sys.gpu.name;  // named even when the scale is invalid
  // Named as the study writes them (an axis or base key), not as the collective command's flags.
  const Scale scale = resolve_scale(sys, in.nodes, in.gpus, in.gpus_per_node, ScaleNames{"nodes", "gpus", "gpus_per_node"});
  const Topology topo(sys, scale);
  // As `collective` and commbench: a size that rounds to no element per rank is no run (it was "ok" at a
  // busbw of 0, ranked the lowest).
  if (op_sizes(op, bytes, dtype_info(dt).size, topo.ranks()).size_bytes == 0)
    throw InputError("size " + in.size + " rounds to no " + dtype_info(dt).name + " element per rank on " +
                     std::to_string(topo.ranks()) +
                     " ranks (all_gather, reduce_scatter and alltoall to 16 bytes "
                     "per rank, as nccl-tests)");
  const CollectiveSimulator sim(topo);
  const Prediction p = sim.predict(op, bytes, dt);
  row.numbers = {static_cast<double>(topo.ranks()), static_cast<double>(topo.nodes()), p.time_us, p.algbw_GBps, p.busbw_GBps};
  row.labels = {sys.gpu.name, p.algorithm, proto_name(p.proto), p.bottleneck};
  row.status = "ok";
}

}  // namespace commsim
