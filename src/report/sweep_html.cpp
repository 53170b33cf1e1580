#include "report/sweep_html.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/data_path.hpp"
#include "core/units.hpp"
#include "report/charts.hpp"
#include "report/sweep_summary.hpp"
#include "report/table.hpp"

namespace commsim {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxPerPointBars = 60;  // breakdown / memory charts stay readable

struct Layout {
  int x = -1;               // axis index of the x axis (gpus, nodes), -1: none
  std::vector<int> series;  // the other axes
};

std::size_t distinct(const std::vector<SweepRow>& rows, std::size_t axis) {
  std::set<std::string> v;
  for (const SweepRow& r : rows) v.insert(r.axes[axis]);
  return v.size();
}

// x: the first of `x_keys` that varies; `fallback_x`: else the first axis that varies (as categories).
Layout choose_layout(const SweepSpec& spec, const std::vector<SweepRow>& rows, const std::vector<std::string>& x_keys,
                     bool fallback_x, bool* x_numeric = nullptr) {
  Layout l;
  const std::vector<std::string> keys = spec.axis_keys();
  for (const std::string& want : x_keys)
    for (std::size_t i = 0; i < keys.size() && l.x < 0; ++i)
      if (keys[i] == want && distinct(rows, i) > 1) l.x = static_cast<int>(i);
  if (x_numeric) *x_numeric = l.x >= 0;
  for (std::size_t i = 0; i < keys.size() && l.x < 0 && fallback_x; ++i)
    if (distinct(rows, i) > 1) l.x = static_cast<int>(i);
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (static_cast<int>(i) != l.x && distinct(rows, i) > 1) l.series.push_back(static_cast<int>(i));
  return l;
}

std::string join_axes(const SweepSpec& spec, const SweepRow& r, const std::vector<int>& which) {
  const std::vector<std::string> keys = spec.axis_keys();
  std::string s;
  for (int i : which)
    if (!r.axes[static_cast<std::size_t>(i)].empty())  // empty: a null axis value, not set at this point
      s.append(s.empty() ? "" : ", ").append(keys[static_cast<std::size_t>(i)]).append("=").append(r.axes[static_cast<std::size_t>(i)]);
  return s.empty() ? "all" : s;
}

// The values of the axes `which` (every axis when empty), space-separated; null values are left out.
std::string point_label(const SweepRow& r, const std::vector<int>& which = {}) {
  std::string s;
  for (std::size_t i = 0; i < r.axes.size(); ++i)
    if (!r.axes[i].empty() && (which.empty() || std::find(which.begin(), which.end(), static_cast<int>(i)) != which.end()))
      s.append(s.empty() ? "" : " ").append(r.axes[i]);
  return s.empty() ? "base" : s;
}

double number(const SweepColumns& cols, const SweepRow& r, const std::string& name) {
  for (std::size_t i = 0; i < cols.numbers.size(); ++i)
    if (cols.numbers[i] == name) return r.numbers[i];
  return std::nan("");
}

double x_value(const SweepRow& r, const Layout& l) {
  try {
    return std::stod(r.axes[static_cast<std::size_t>(l.x)]);
  } catch (...) {
    return std::nan("");
  }
}

void train_charts(const SweepSpec& spec, const std::vector<SweepRow>& rows, HtmlReport& rep) {
  const SweepColumns& cols = sweep_columns(SweepKind::kTrain);
  bool numeric = false;
  const Layout l = choose_layout(spec, rows, {"gpus", "nodes"}, true, &numeric);
  const std::string x_name = l.x >= 0 ? spec.axis_keys()[static_cast<std::size_t>(l.x)] : "";
  std::vector<const SweepRow*> ok;
  for (const SweepRow& r : rows)
    if (r.status == "ok") ok.push_back(&r);

  HtmlSection perf{
      "Throughput and cost", "Points that fit in memory; series are the values of the other axes.", {}, {}};
  json tput = json::array(), cost = json::array(), frontier = json::array();
  bool have_cost = false;
  for (const SweepRow* r : ok) {
    const std::string series = join_axes(spec, *r, l.series), label = point_label(*r);
    const double c = number(cols, *r, "cost_usd"), days = number(cols, *r, "train_days");
    json pt = {{"series", series}, {"point", label}, {"tokens_per_s_per_gpu", number(cols, *r, "tokens_per_s_per_gpu")},
               {"mfu", number(cols, *r, "mfu")}};
    if (numeric) pt["x"] = x_value(*r, l);
    else if (l.x >= 0) pt["x"] = r->axes[static_cast<std::size_t>(l.x)];
    tput.push_back(pt);
    if (std::isfinite(c) && std::isfinite(days)) {
      have_cost = true;
      json q = pt;
      q["cost_musd"] = c / 1e6;
      q["days"] = days;
      cost.push_back(q);
      frontier.push_back(q);
    }
  }
  if (!tput.empty()) {
    if (numeric) {
      perf.charts.push_back({"Tokens/s per GPU vs " + x_name,
                             charts::line_chart(tput, {"x", x_name, true}, {"tokens_per_s_per_gpu", "tokens/s per GPU"}, "series")});
      if (have_cost)
        perf.charts.push_back({"Cost to train vs " + x_name,
                               charts::line_chart(cost, {"x", x_name, true}, {"cost_musd", "cost (million USD)"}, "series")});
    } else {
      const charts::Axis x = l.x >= 0 ? charts::Axis{"x", x_name, false, false} : charts::Axis{"point", "point", false, false};
      perf.charts.push_back({"Tokens/s per GPU", charts::bar_chart(tput, x, {"tokens_per_s_per_gpu", "tokens/s per GPU"}, "series")});
    }
    if (have_cost) {
      perf.charts.push_back(
          {"Time to train vs cost (lower left is better)",
           charts::scatter_chart(frontier, {"cost_musd", "cost (million USD)", true, true, false},
                                 {"days", "days to train", true, true, false}, "series", "point")});
      perf.text +=
          " On the time-vs-cost chart a point's label is left out where it would cover another label or "
          "point: hover the point for it.";
    }
    rep.sections.push_back(perf);
  }

  // Memory against capacity for every point with a figure: the points that do not fit too, which are what the
  // chart is for (helper-124: they were left out, 3 of 12 points of tp-nvlink-vs-pcie in no chart).
  std::vector<const SweepRow*> sized;
  for (const SweepRow& r : rows)
    if ((r.status == "ok" || r.status == "does_not_fit") &&
        std::isfinite(number(cols, r, "memory_gib_per_gpu")))
      sized.push_back(&r);
  const bool step_bars = !ok.empty() && ok.size() <= kMaxPerPointBars;
  const bool memory_bars = !sized.empty() && sized.size() <= kMaxPerPointBars;
  if (step_bars || memory_bars) {
    HtmlSection br{
        "Where the step goes",
        "Per point that fits: compute, exposed communication of each kind, the pipeline bubble and "
        "the optimizer step, seconds per training step; per point, those that do not fit too: memory per GPU "
        "against capacity (the bar includes "
        "the allocator's cache (topologies/memory-overhead.yaml), which fits leaves out: a bar may pass its "
        "tick by that much).",
        {},
        {}};
    static const std::vector<std::pair<std::string, std::string>> parts = {
        {"compute_s", "compute"}, {"tp_s", "exposed TP"}, {"cp_s", "exposed CP"}, {"ep_s", "exposed EP"}, {"pp_s", "exposed PP"},
        {"dp_s", "exposed DP"}, {"bubble_s", "bubble"}, {"optimizer_s", "optimizer"}};
    json stack = json::array(), mem = json::array();
    if (step_bars)
      for (const SweepRow* r : ok)
        for (const auto& [col, name] : parts)
          stack.push_back({{"point", point_label(*r)}, {"part", name}, {"seconds", number(cols, *r, col)}});
    if (memory_bars)
      for (const SweepRow* r : sized)
        mem.push_back({{"point", point_label(*r)},
                       {"memory_gib", number(cols, *r, "memory_gib_per_gpu")},
                       {"capacity_gib", number(cols, *r, "capacity_gib")}});
    if (step_bars)
      br.charts.push_back(
          {"Step-time breakdown", charts::stacked_bar(stack, {"point", "point", false, false},
                                                      {"seconds", "seconds per step"}, "part")});
    if (memory_bars)
      br.charts.push_back({"Memory per GPU (bar) and capacity (tick)",
                           charts::capacity_bars(mem, {"point", "point", false, false},
                                                 {"memory_gib", "GiB per GPU"}, "capacity_gib")});
    rep.sections.push_back(br);
  }
}

void collective_charts(const SweepSpec& spec, const std::vector<SweepRow>& rows, HtmlReport& rep) {
  const SweepColumns& cols = sweep_columns(SweepKind::kCollective);
  const Layout l = choose_layout(spec, rows, {"size"}, false);
  json values = json::array();
  for (const SweepRow& r : rows) {
    if (r.status != "ok") continue;
    values.push_back({{"series", join_axes(spec, r, l.series)}, {"point", point_label(r)}, {"busbw_GBps", number(cols, r, "busbw_GBps")}});
  }
  if (values.empty()) return;
  HtmlSection s{"Bus bandwidth", "busbw as nccl-tests defines it, with the algorithm NCCL's tuner would pick.", {}, {}};
  if (l.x >= 0) {
    // The size axis holds strings such as 1M; plot against the parsed byte count of each row.
    json v2 = json::array();
    const std::size_t sx = static_cast<std::size_t>(l.x);
    for (const SweepRow& r : rows) {
      if (r.status != "ok") continue;
      double bytes = std::nan("");
      try {
        bytes = static_cast<double>(parse_size(r.axes[sx]));
      } catch (...) {
      }
      if (!(bytes > 0)) continue;  // a log axis has no place for 0 B (the table lists the point)
      v2.push_back({{"series", join_axes(spec, r, l.series)}, {"bytes", bytes}, {"busbw_GBps", number(cols, r, "busbw_GBps")}});
    }
    s.charts.push_back({"busbw vs message size", charts::line_chart(v2, {"bytes", "message size (bytes)", true}, {"busbw_GBps", "busbw (GB/s)"}, "series")});
  } else {
    // No size axis: one group of bars per combination of the other axes, a bar per op within it.
    const std::vector<std::string> keys = spec.axis_keys();
    int op = -1;
    std::vector<int> rest;
    for (int i : l.series) {
      if (keys[static_cast<std::size_t>(i)] == "op") op = i;
      else rest.push_back(i);
    }
    json bars = json::array();
    for (const SweepRow& r : rows) {
      if (r.status != "ok") continue;
      bars.push_back({{"series", op >= 0 ? r.axes[static_cast<std::size_t>(op)] : std::string("busbw")},
                      {"point", point_label(r, rest)}, {"busbw_GBps", number(cols, r, "busbw_GBps")}});
    }
    s.charts.push_back({"busbw per point", charts::bar_chart(bars, {"point", "point", false, false}, {"busbw_GBps", "busbw (GB/s)"}, "series")});
  }
  rep.sections.push_back(s);
}

}  // namespace

HtmlReport sweep_html_report(const SweepSpec& spec, const std::vector<SweepRow>& rows) {
  HtmlReport rep;
  rep.title = "commsim sweep '" + spec.name + "'" + (spec.title.empty() ? "" : ": " + spec.title);
  // A shipped study by its place in the data directory (configs/studies/x.yaml), a user's as given.
  const std::string dir = data_file("");
  const std::string file = spec.file.rfind(dir, 0) == 0 ? spec.file.substr(dir.size()) : spec.file;
  rep.context = {{"tool", std::string("commsim ") + commsim_version()}, {"study file", file},
                 {"points", std::to_string(rows.size())}};
  for (const std::string& s : spec.base_sets)
    rep.context.push_back({spec.base_sets_written_at.count(s) ? "base.set" : "--set", s});
  std::string headline;
  for (const std::string& line : sweep_summary(spec, rows)) headline += (headline.empty() ? "" : " ") + line;
  rep.sections.push_back({"Result", headline, {}, {}});
  if (spec.kind == SweepKind::kTrain) train_charts(spec, rows, rep);
  else collective_charts(spec, rows, rep);

  const SweepColumns& cols = sweep_columns(spec.kind);
  HtmlTable t;
  t.columns = spec.axis_keys();
  t.columns.push_back("status");
  for (const std::string& c : cols.labels) t.columns.push_back(c);
  for (const std::string& c : cols.numbers) t.columns.push_back(c);
  t.columns.push_back("reason");
  for (const SweepRow& r : rows) {
    std::vector<std::string> line = r.axes;
    line.push_back(r.status);
    for (const std::string& v : r.labels) line.push_back(v);
    for (double v : r.numbers)  // counts (GPUs, ranks, nodes) whole: "16", not "16.0000"
      line.push_back(!std::isfinite(v) ? "" : v == std::floor(v) && std::fabs(v) < 1e15 ? fmt(v, 0) : fmt(v, std::fabs(v) >= 100 ? 1 : 4));
    line.push_back(r.reason);
    t.rows.push_back(line);
  }
  rep.sections.push_back({"All points", "", {}, {t}});
  return rep;
}

}  // namespace commsim
