#include "report/plan_html.hpp"

#include <set>

#include "core/data_path.hpp"
#include "core/units.hpp"
#include "report/charts.hpp"
#include "report/table.hpp"
#include "train/layout_search.hpp"

namespace commsim {

HtmlReport plan_html_report(const PlanRequest& req, const PlanResult& result, const std::string& command) {
  using nlohmann::json;
  HtmlReport rep;
  rep.title = "commsim plan: " + req.base.model.name;
  rep.context = {{"tool", std::string("commsim ") + commsim_version()}, {"command", command}};
  json frontier = json::array(), stack = json::array(), mem = json::array();
  // The text table's columns (cmd_plan.cpp), the whole layout as `train` takes it (helper-124: the page gave
  // "TP1 PP9 DP32 CP4 EP1" and dropped the status, MFU and price), and a note.
  HtmlTable t{{"candidate", "gpu", "TPP", "status", "GPUs", "layout", "days", "GPU-hours", "cost (M USD)",
               "USD/GPU-h", "facility energy (MWh)", "MFU", "frontier", "note"},
              {}};
  for (const PlanCandidate& c : result.candidates) {
    const PlanPoint* p = c.chosen ? &*c.chosen : c.best ? &*c.best : nullptr;
    std::string note = c.dropped ? "dropped by --max-tpp" : c.node_too_big ? "one node has more GPUs than --max-gpus" : !c.unsupported.empty() ? c.unsupported : c.chosen ? "" : c.best ? "does not meet the goal: best reached" : "no layout fits";
    if (!p) {
      t.rows.push_back(
          {c.system, c.gpu, fmt(c.tpp, 0), plan_status(c), "-", "-", "-", "-", "-", "-", "-", "-", "", note});
      continue;
    }
    const std::string label = c.system + " x" + std::to_string(p->gpus);
    const TrainEstimate& e = p->estimate;
    t.rows.push_back({c.system, c.gpu, fmt(c.tpp, 0), plan_status(c), std::to_string(p->gpus),
                      layout_name(e.config), fmt(p->time_s / 86400.0, 1), fmt(p->gpu_hours, 0),
                      fmt_musd(p->cost_usd), fmt(p->usd_per_gpu_hour, 2), fmt(p->energy_mwh, 0),
                      fmt(e.mfu * 100, 1) + "%", c.pareto ? "yes" : "", note});
    if (!c.chosen) continue;
    frontier.push_back({{"point", label}, {"series", c.pareto ? "on the frontier" : "dominated"},
                        {"days", p->time_s / 86400.0}, {"cost_musd", p->cost_usd / 1e6}});
    const StepBreakdown& b = e.breakdown;
    const std::pair<const char*, double> parts[] = {{"compute", b.compute}, {"exposed TP", b.tp}, {"exposed CP", b.cp},
                                                    {"exposed EP", b.ep},     {"exposed PP", b.pp}, {"exposed DP", b.dp},
                                                    {"bubble", b.bubble},     {"optimizer", b.optimizer}};
    for (const auto& [name, v] : parts) stack.push_back({{"point", label}, {"part", name}, {"seconds", v}});
    mem.push_back({{"point", label}, {"memory_gib", e.memory.total() / kGiB}, {"capacity_gib", e.memory_capacity / kGiB}});
  }
  HtmlSection s1{"Time to train vs cost",
                 "The smallest cluster of each candidate that meets the deadline (or the fastest within "
                 "the budget), with its automatic layout; lower left is better. A label is left out "
                 "where it would cover another label or point: hover the point for it.",
                 {},
                 {}};
  if (!frontier.empty())
    s1.charts.push_back(
        {"Time to train vs cost",
         charts::scatter_chart(frontier, {"cost_musd", "cost (million USD)", true, true, false},
                               {"days", "days to train", true, true, false}, "series", "point")});
  rep.sections.push_back(s1);
  if (!stack.empty()) {
    HtmlSection s2{"Where the step goes", "Per chosen cluster: seconds per step by part; memory per GPU against capacity (the bar includes the "
                                         "allocator's cache (topologies/memory-overhead.yaml), which fits leaves out: a bar may pass its tick by that much).", {}, {}};
    s2.charts.push_back({"Step-time breakdown", charts::stacked_bar(stack, {"point", "candidate", false, false}, {"seconds", "seconds per step"}, "part")});
    s2.charts.push_back({"Memory per GPU (bar) and capacity (tick)",
                         charts::capacity_bars(mem, {"point", "candidate", false, false}, {"memory_gib", "GiB per GPU"}, "capacity_gib")});
    rep.sections.push_back(s2);
  }
  rep.sections.push_back({"Candidates", "", {}, {t}});
  // What each priced GPU's cost rests on, with its kind and source (the text's "# price of" lines).
  HtmlTable prices{{"gpu", "USD/GPU-h", "basis", "kind", "source", "note"}, {}};
  std::set<std::string> seen, kinds;
  for (const PlanCandidate& c : result.candidates) {
    if (!(c.chosen || c.best) || !seen.insert(c.gpu).second) continue;
    const Provenance& pv = c.rate.provenance;
    prices.rows.push_back(
        {c.gpu, fmt(c.rate.usd_per_gpu_hour, 2), c.rate.basis, pv.kind, pv.source, pv.note});
    kinds.insert(pv.kind);
  }
  if (!prices.rows.empty())
    rep.sections.push_back({"Prices",
                            kinds.size() > 1 ? "These prices are of different kinds: a ranking on cost is no "
                                               "firmer than the least certain of them."
                                             : "",
                            {},
                            {prices}});
  return rep;
}

}  // namespace commsim
