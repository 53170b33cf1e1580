// commsim plan: for each candidate system, the smallest cluster (whole nodes or racks) whose best layout trains
// the tokens within a deadline, or the fastest cluster within a budget; then the time-vs-cost Pareto frontier.
//
// Cluster sizes are a grid of whole nodes n = 1, 2, 3, 4, 6, 8, 12, 16, ... (doubling, with the 1.5x step
// between) up to max_gpus, scanned in order: with a deadline up to the first n that meets it, with a budget all
// of them. At the held global batch neither time nor cost is monotone in n (DP stops growing where it no longer
// divides the batch; a size whose ranks hold a factor 3 needs it in PP or CP, or has no layout), so a binary
// search (used until 2026-12-04) could land on the wrong size.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "study/prices.hpp"
#include "train/estimator.hpp"

namespace commsim {

// The best layout for a cluster: `cfg` names the model, system and gpus; the finder returns the fastest
// estimate that fits in memory, or nullopt when none does (plan_layouts.hpp: `parallelism: auto`'s search,
// or a quick one).
using LayoutFinder = std::function<std::optional<TrainEstimate>(const TrainConfig& cfg)>;

struct PlanRequest {
  TrainConfig base;  // model, precision, seq_len, global batch (sequences; held at every size), tokens
  std::vector<std::string> candidates;  // system names
  std::optional<double> deadline_s, budget_usd;
  Pricing pricing = Pricing::kPurchase;
  std::optional<double> max_tpp;  // drop candidates whose TPP >= this
  long max_gpus = 65536;
  bool global_batch_given = false;  // --global-batch (else 16M tokens / seq_len): for messages
  bool quick_layouts = false;       // --layouts quick (its fewer layouts): for messages
  // Progress: cluster sizes searched so far of all the candidates' (a deadline's search stops at the first size
  // that meets it: its later sizes count as done then). Called with 0 before the search, then from the
  // searching threads, one call at a time.
  std::function<void(std::size_t done, std::size_t total)> on_progress;
  int jobs = 1;  // candidates searched at once (threads); the result does not depend on it
};

struct PlanPoint {
  std::string system, gpu;
  double tpp = 0;
  int gpus = 0, nodes = 0;
  TrainEstimate estimate;  // layout and step
  double time_s = 0, gpu_hours = 0, cost_usd = 0, energy_mwh = 0, usd_per_gpu_hour = 0;
};

struct PlanCandidate {
  std::string system, gpu;
  double tpp = 0;
  bool dropped = false;              // by max_tpp
  std::string unsupported;           // why the GPU cannot run the precision ("" when it can)
  bool node_too_big = false;         // one node has more GPUs than max_gpus
  std::optional<PlanPoint> chosen;   // meets the deadline (smallest) or the budget (fastest)
  std::optional<PlanPoint> best;     // when none meets it: the fastest (deadline) or cheapest (budget) reached
  int evaluated = 0;                 // cluster sizes searched
  bool pareto = false;               // chosen and on the time-vs-cost frontier
  CostRate rate;                     // its GPU's price under the plan's pricing, with what it rests on
};

struct PlanResult {
  std::vector<PlanCandidate> candidates;
  double seconds = 0;  // wall time of the search
};

// Grid of node counts up to max_nodes: 1, 2, 3, 4, 6, 8, 12, ...
std::vector<int> node_grid(long max_nodes);
// Marks the chosen points that no other chosen point beats on both time and cost (ties: both kept).
void mark_pareto(std::vector<PlanCandidate>& candidates);
// A candidate's outcome in a word or two: "meets", "not reachable", "no layout", "dropped (TPP >= max)", ...
std::string plan_status(const PlanCandidate& c);

// The plan; throws InputError when no candidate meets the deadline or budget ("best reachable: ...").
PlanResult run_plan(const PlanRequest& req, const Prices& prices, const LayoutFinder& finder);

}  // namespace commsim
