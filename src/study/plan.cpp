#include "study/plan.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>

#include "core/ordered_pool.hpp"
#include "core/text.hpp"
#include "hw/catalog.hpp"
#include "hw/export_control.hpp"
#include "topo/system_loader.hpp"
#include "topo/topology.hpp"
#include "train/compute_model.hpp"

namespace commsim {

std::vector<int> node_grid(long max_nodes) {
  std::vector<int> g;
  for (long n = 1; n <= max_nodes; n *= 2) {
    g.push_back(static_cast<int>(n));
    if (n >= 2 && n + n / 2 <= max_nodes) g.push_back(static_cast<int>(n + n / 2));
  }
  return g;
}

void mark_pareto(std::vector<PlanCandidate>& cs) {
  for (PlanCandidate& a : cs) {
    if (!a.chosen) continue;
    a.pareto = true;
    for (const PlanCandidate& b : cs) {
      if (&a == &b || !b.chosen) continue;
      const PlanPoint &x = *a.chosen, &y = *b.chosen;
      if (y.time_s <= x.time_s && y.cost_usd <= x.cost_usd && (y.time_s < x.time_s || y.cost_usd < x.cost_usd))
        a.pareto = false;
    }
  }
}

namespace {

std::string fmt(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// Days to one decimal; under a tenth of a day in hours, under a tenth of an hour in seconds ("1s" read 0.0 days).
std::string days(double s) {
  if (s >= 8640.0) return fmt(s / 86400.0, 1) + " days";
  if (s >= 360.0) return fmt(s / 3600.0, 1) + " hours";
  return (s >= 1.0 ? fmt(s, 0) : six_digits(s)) + " s";  // 1e-9 s printed as "0 s"
}

std::string usd(double v) {
  if (v >= 1e6) return fmt(v / 1e6, 2) + " M USD";
  if (v >= 1e3) return fmt(v / 1e3, 1) + " k USD";
  return fmt(v, 2) + " USD";
}

// The node counts a candidate is searched at: the grid stops at --max-gpus and at kMaxRanks (past it no size builds).
std::vector<int> candidate_grid(const PlanRequest& req, const SystemSpec& spec) {
  return node_grid(std::min(req.max_gpus, kMaxRanks / spec.ranks_per_package()) / std::max(1, spec.node.gpus));
}

// One candidate's search over the node grid, with each size evaluated at most once.

class CandidateSearch {
 public:
  // `system`: the candidate as given (a catalog name or a system file), which each size's config loads: the
  // spec's own name would look a file's system up in the catalog again (a file named like a shipped system ran
  // as that system; any other name was an unknown system).
  CandidateSearch(const PlanRequest& req, std::string system, const SystemSpec& spec, const CostRate& rate,
                  const LayoutFinder& finder, std::function<void()> on_size)
      : req_(req), system_(std::move(system)), spec_(spec), rate_(rate), finder_(finder), on_size_(std::move(on_size)),
        grid_(candidate_grid(req, spec)) {}

  std::optional<PlanPoint> at(std::size_t i) {
    if (auto it = cache_.find(i); it != cache_.end()) return it->second;
    TrainConfig cfg = req_.base;
    cfg.system = system_;
    cfg.nodes = grid_[i];
    cfg.gpus = 0;
    std::optional<PlanPoint> p;
    if (std::optional<TrainEstimate> e = finder_(cfg)) {
      PlanPoint q;
      q.system = spec_.name;
      q.gpu = spec_.gpu.name;
      q.gpus = e->gpus;
      q.nodes = e->nodes;
      q.time_s = req_.base.train.tokens / e->tokens_per_s;
      q.gpu_hours = q.gpus * q.time_s / 3600.0;
      q.usd_per_gpu_hour = rate_.usd_per_gpu_hour;
      q.cost_usd = q.gpu_hours * rate_.usd_per_gpu_hour;
      q.energy_mwh = q.gpus * rate_.facility_watts_per_gpu * q.time_s / 3.6e9;
      q.estimate = std::move(*e);
      p = std::move(q);
    }
    cache_[i] = p;
    if (on_size_) on_size_();
    return p;
  }
  std::size_t size() const { return grid_.size(); }
  int nodes_at(std::size_t i) const { return grid_[i]; }
  int evaluated() const { return static_cast<int>(cache_.size()); }

 private:
  const PlanRequest& req_;
  std::string system_;
  const SystemSpec& spec_;
  CostRate rate_;
  const LayoutFinder& finder_;
  std::function<void()> on_size_;
  std::vector<int> grid_;
  std::map<std::size_t, std::optional<PlanPoint>> cache_;
};

void plan_candidate(const PlanRequest& req, CandidateSearch& s, PlanCandidate& c) {
  // The sizes are scanned in order, smallest first. At a held global batch neither time nor cost is monotone
  // in size (DP stops growing where it no longer divides the batch: 49,152 B200 can be faster than 65,536),
  // and a size may have no layout at all (3 x 2^k ranks), so a binary search would land on the wrong size.
  auto faster = [](const std::optional<PlanPoint>& a, const std::optional<PlanPoint>& b) {
    return a && (!b || a->time_s < b->time_s);
  };
  auto cheaper = [](const std::optional<PlanPoint>& a, const std::optional<PlanPoint>& b) {
    return a && (!b || a->cost_usd < b->cost_usd);
  };
  std::optional<PlanPoint> fastest, cheapest;  // over the sizes evaluated: the best reachable when none qualifies
  if (req.deadline_s) {
    // The smallest size that meets the deadline, unless a size up to twice its nodes meets it for less: a
    // larger cluster costs less where its per-GPU throughput is higher, as past a size of 3 x 2^k ranks,
    // whose batch takes the factor 3 in PP or CP (96 H100 at $4,870 were chosen for a 2-day deadline where
    // 128 train it in 1.0 day for $4,430; helper-119, 2026-12-06), or where a small size needs recompute to
    // fit. Such a size is both faster and cheaper, and the window then runs to twice its nodes: anchored on
    // the smallest size alone, a looser deadline cost more (Llama 3 70B on 1T tokens: 16 H100 meet 1,000
    // days, the window stopped at 32 with full recompute, $391k, where 64 cost $373k and meet 400 days;
    // helper-168).
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::optional<PlanPoint> p = s.at(i);
      if (p && p->time_s <= *req.deadline_s) {
        c.chosen = p;
        std::size_t anchor = i;
        for (std::size_t j = i + 1; j < s.size() && s.nodes_at(j) <= 2 * s.nodes_at(anchor); ++j) {
          const std::optional<PlanPoint> q = s.at(j);
          if (q && q->time_s <= *req.deadline_s && cheaper(q, c.chosen)) c.chosen = q, anchor = j;
        }
        return;
      }
      if (faster(p, fastest)) fastest = p;
    }
    c.best = fastest;
    return;
  }
  // The fastest size within the budget, over every size: cost is not monotone either (a size whose layout takes
  // an odd factor can cost less than both of its neighbours), so no stop rule is safe.
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::optional<PlanPoint> p = s.at(i);
    if (cheaper(p, cheapest)) cheapest = p;
    if (p && p->cost_usd <= *req.budget_usd && faster(p, c.chosen)) c.chosen = p;
  }
  if (!c.chosen) c.best = cheapest;
}

}  // namespace

std::string plan_status(const PlanCandidate& c) {
  if (c.dropped) return "dropped (TPP >= max)";
  if (c.node_too_big) return "node > --max-gpus";
  if (!c.unsupported.empty()) return "precision not supported";
  if (c.chosen) return "meets";
  if (c.best) return "not reachable";
  return "no layout";  // at no size a layout fits in memory with a DP that divides the global batch
}

PlanResult run_plan(const PlanRequest& req, const Prices& prices, const LayoutFinder& finder) {
  const auto t0 = std::chrono::steady_clock::now();
  if (req.base.train.tokens <= 0) throw InputError(SourceLoc{"--tokens", 0, 0, ""}, "plan needs the tokens to train (--tokens 15T)");
  if (req.deadline_s.has_value() == req.budget_usd.has_value())
    throw InputError(SourceLoc{"--deadline", 0, 0, ""}, "give exactly one of --deadline and --budget");
  const ExportRules rules = load_export_rules("");
  PlanResult r;
  // Loaded in order first (a bad candidate or missing prices is exit 2 whatever the threads), then searched
  // on req.jobs threads, one candidate each; results keep the candidates' order.
  std::vector<SystemSpec> specs;
  std::vector<CostRate> rates;
  for (const std::string& name : req.candidates) {
    resolve_data_path("topologies/systems", "system", name, SourceLoc{"--candidates", 0, 0, ""});  // names the flag
    specs.push_back(load_system(name, req.base.sets, req.base.sets_written_at));
    // Rows name a candidate by its system's name: two of one name (one file twice by two paths, or a file named
    // like a shipped system beside it) were two rows no reader could tell apart.
    for (std::size_t j = 0; j + 1 < specs.size(); ++j)
      if (specs[j].name == specs.back().name)
        throw InputError(SourceLoc{"--candidates", 0, 0, ""}, "'" + req.candidates[j] + "' and '" + name + "' are both system '" +
                                                                   specs.back().name + "': give each candidate once, and a system file a name of its own");
    rates.push_back(cost_rate(prices, specs.back().gpu, req.pricing));  // missing prices: exit 2 even when dropped
  }
  // Which candidates are searched (the others are ruled out before: --max-tpp, --precision, --max-gpus), and
  // the sizes they span, for the progress.
  std::vector<PlanCandidate> ruled(specs.size());
  std::size_t total = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const SystemSpec& spec = specs[i];
    PlanCandidate& c = ruled[i];
    c.system = spec.name;
    c.gpu = spec.gpu.name;
    c.rate = rates[i];
    c.tpp = total_processing_performance(spec.gpu, rules);
    if (req.max_tpp && c.tpp >= *req.max_tpp) {
      c.dropped = true;
    } else if (!(c.unsupported = unsupported_precision(spec.gpu, req.base.train.precision)).empty()) {
      // no layout can run: said as such, not as "does not fit"
    } else if (spec.node.gpus > req.max_gpus) {
      c.node_too_big = true;  // whole nodes only: its smallest cluster is past the limit
    } else {
      total += candidate_grid(req, spec).size();
    }
  }
  std::mutex progress_mutex;
  std::size_t done = 0;
  auto advance = [&](std::size_t n) {
    if (!req.on_progress || n == 0) return;
    const std::lock_guard<std::mutex> lock(progress_mutex);
    done += n;
    req.on_progress(done, total);
  };
  if (req.on_progress && total > 0) req.on_progress(0, total);  // the line shows before the first size is done
  run_ordered<PlanCandidate>(
      specs.size(), req.jobs,  // run_ordered starts no more threads than candidates
      [&](std::size_t i) {
        PlanCandidate c = ruled[i];
        if (c.dropped || !c.unsupported.empty() || c.node_too_big) return c;
        CandidateSearch s(req, req.candidates[i], specs[i], rates[i], finder, [&advance] { advance(1); });
        plan_candidate(req, s, c);
        c.evaluated = s.evaluated();
        advance(s.size() - static_cast<std::size_t>(c.evaluated));  // the sizes a deadline's search skipped
        return c;
      },
      [&](std::size_t, PlanCandidate&& c) { r.candidates.push_back(std::move(c)); });
  mark_pareto(r.candidates);
  bool any = false, any_kept = false;
  const PlanCandidate* best = nullptr;
  for (const PlanCandidate& c : r.candidates) {
    any = any || c.chosen.has_value();
    any_kept = any_kept || !c.dropped;
    if (!c.best) continue;
    const bool better = !best || (req.deadline_s ? c.best->time_s < best->best->time_s : c.best->cost_usd < best->best->cost_usd);
    if (better) best = &c;
  }
  if (!any_kept)
    throw InputError(SourceLoc{"--max-tpp", 0, 0, ""}, "every candidate has TPP at or above " + fmt(*req.max_tpp, 0));
  // Every kept candidate ruled out before its search: by its node (--max-gpus), its precision (--precision), or
  // a mix of the two (both named). The candidates --max-tpp dropped are not in the reasons.
  if (std::all_of(r.candidates.begin(), r.candidates.end(), [](const PlanCandidate& c) { return c.dropped || c.node_too_big || !c.unsupported.empty(); })) {
    std::string why, too_big;
    std::size_t smallest = specs.size();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const PlanCandidate& c = r.candidates[i];
      if (why.empty()) why = c.unsupported;
      if (!c.node_too_big) continue;
      too_big += (too_big.empty() ? "" : ", ") + c.system + " " + std::to_string(specs[i].node.gpus);
      if (smallest == specs.size() || specs[i].node.gpus < specs[smallest].node.gpus) smallest = i;
    }
    const std::string precision = precision_name(req.base.train.precision);
    if (why.empty())
      throw InputError(SourceLoc{"--max-gpus", 0, 0, ""}, std::to_string(req.max_gpus) + " GPUs hold no whole node of any candidate (the smallest: " +
                                                              specs[smallest].name + ", " + std::to_string(specs[smallest].node.gpus) + " GPUs per node)");
    if (too_big.empty()) throw InputError(SourceLoc{"--precision", 0, 0, ""}, "no candidate runs " + precision + " (" + why + ")");
    throw InputError(SourceLoc{"--precision", 0, 0, ""}, "no candidate both runs " + precision + " and fits --max-gpus " +
                                                             std::to_string(req.max_gpus) + ": " + why + "; GPUs per node above it: " + too_big);
  }
  if (!any) {
    const std::string flag = req.deadline_s ? "--deadline" : "--budget";
    std::string what = req.deadline_s ? "no candidate trains " + fmt(req.base.train.tokens / 1e12, 2) + "T tokens within " +
                                            days(*req.deadline_s) + " on up to " + std::to_string(req.max_gpus) + " GPUs"
                                      : "no candidate fits the budget of " + usd(*req.budget_usd);
    if (best)
      what += "; best reachable: " + best->system + " with " + std::to_string(best->best->gpus) + " GPUs, " +
              days(best->best->time_s) + ", " + usd(best->best->cost_usd);
    else
      what +=
          std::string(
              "; no candidate has a layout at any size up to --max-gpus: none of the layouts searched") +
          (req.quick_layouts ? " (--layouts quick: a few per size; --layouts auto searches them all)" : "") +
          " fits the model in memory with a DP that divides the global batch of " +
          std::to_string(req.base.train.global_batch) +
          (req.global_batch_given ? " (--global-batch)"
                                  : " (16M tokens / --seq-len; --global-batch sets it)");
    throw InputError(SourceLoc{flag, 0, 0, ""}, what);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace commsim
