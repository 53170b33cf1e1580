#include "report/sweep_summary.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "report/table.hpp"

namespace commsim {
namespace {

std::string name_of(const SweepSpec& spec, const SweepRow& r) {
  const std::vector<std::string> keys = spec.axis_keys();
  std::string s;
  for (std::size_t i = 0; i < keys.size() && i < r.axes.size(); ++i)
    if (!r.axes[i].empty()) s.append(s.empty() ? "" : ", ").append(keys[i]).append("=").append(r.axes[i]);  // empty: not set
  return s.empty() ? "the base" : s;
}

std::size_t column(const SweepColumns& c, const std::string& name) {
  for (std::size_t i = 0; i < c.numbers.size(); ++i)
    if (c.numbers[i] == name) return i;
  return c.numbers.size();
}

std::string money(double usd) {
  std::string s = "$";  // appended, not "$" + ...: g++ 12 warns falsely (-Wrestrict) on the temporaries
  if (usd >= 1e9) return s.append(fmt(usd / 1e9, 2)).append("B");
  if (usd >= 1e6) return s.append(fmt(usd / 1e6, 1)).append("M");
  if (usd >= 1e3) return s.append(fmt(usd / 1e3, 0)).append("k");
  return s.append(fmt_small(usd, 0));
}

std::string not_run(const std::vector<SweepRow>& rows) {
  std::map<std::string, int> by;
  for (const SweepRow& r : rows)
    if (r.status != "ok") ++by[r.status];
  if (by.empty()) return "";
  std::string s;
  for (const auto& [status, n] : by) s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + status;
  return " (" + s + ")";
}

std::string train_point(const SweepSpec& spec, const SweepRow& r, const SweepColumns& c) {
  const double tps = r.numbers[column(c, "tokens_per_s_per_gpu")], mfu = r.numbers[column(c, "mfu")];
  const double days = r.numbers[column(c, "train_days")], cost = r.numbers[column(c, "cost_usd")];
  std::string s = name_of(spec, r) + ": " + fmt(tps, 0) + " tokens/s per GPU, MFU " + fmt(100 * mfu, 1) + "% of the bf16 peak";
  if (std::isfinite(days)) s += ", " + fmt_small(days, 1) + " days";
  if (std::isfinite(cost) && cost > 0) s += ", " + money(cost);
  if (!r.labels.empty() && r.labels.size() > 1 && !r.labels[1].empty()) s += " (" + r.labels[1] + ")";
  return s;
}

}  // namespace

std::vector<std::string> sweep_summary(const SweepSpec& spec, const std::vector<SweepRow>& rows,
                                       std::size_t planned) {
  std::vector<std::string> out;
  std::vector<const SweepRow*> ok;
  for (const SweepRow& r : rows)
    if (r.status == "ok") ok.push_back(&r);
  // Stopped: it said "6 of 6 points ran" and named a fastest point, of a 12-point sweep stopped halfway.
  if (planned > rows.size()) {
    out.push_back(std::to_string(ok.size()) + " of " + std::to_string(planned) + " points ran" +
                  not_run(rows) + "; " + std::to_string(planned - rows.size()) +
                  " not run: the sweep was stopped.");
    return out;
  }
  out.push_back(std::to_string(ok.size()) + " of " + std::to_string(rows.size()) + " points ran" + not_run(rows) + ".");
  if (ok.empty()) return out;
  const SweepColumns& c = sweep_columns(spec.kind);
  if (spec.kind == SweepKind::kTrain) {
    auto headlines = [&](const std::vector<const SweepRow*>& pts, const std::string& prefix) {
      const std::size_t tps = column(c, "tokens_per_s_per_gpu"), cost = column(c, "cost_usd");
      const std::size_t days = column(c, "train_days");
      const SweepRow* fast =
          pts.front();  // fewest days to train when training.tokens is set, else most tokens/s per GPU
      const SweepRow* slow = pts.front();
      const SweepRow* cheap = nullptr;
      for (const SweepRow* r : pts) {
        const bool by_days = std::isfinite(r->numbers[days]);
        if (by_days ? r->numbers[days] < fast->numbers[days] : r->numbers[tps] > fast->numbers[tps]) fast = r;
        if (by_days ? r->numbers[days] > slow->numbers[days] : r->numbers[tps] < slow->numbers[tps]) slow = r;
        if (std::isfinite(r->numbers[cost]) && r->numbers[cost] > 0 &&
            (!cheap || r->numbers[cost] < cheap->numbers[cost]))
          cheap = r;
      }
      const bool by_days = std::isfinite(fast->numbers[days]);
      // Points within 0.1% of the fastest are a tie: the first of them is named only because it came first
      // (an H800 and an H100 at one layout whose traffic never crosses NVLink were "fastest: hgx-h800").
      auto ties_of = [&](const SweepRow* best) {
        const std::size_t k = by_days ? days : tps;
        std::vector<std::string> names;
        for (const SweepRow* r : pts)
          if (r != best && std::fabs(r->numbers[k] / best->numbers[k] - 1) <= 1e-3)
            names.push_back(name_of(spec, *r));
        if (names.empty()) return std::string();
        std::string s = " (tied within 0.1% with ";
        for (std::size_t i = 0; i < names.size() && i < 3; ++i) s.append(i ? "; " : "").append(names[i]);
        if (names.size() > 3) s.append("; ").append(std::to_string(names.size() - 3)).append(" more");
        return s.append(")");
      };
      out.push_back(prefix + std::string(by_days ? "Fastest to train: " : "Highest throughput per GPU: ") +
                    train_point(spec, *fast, c) + ties_of(fast) + ".");
      if (cheap && cheap != fast)
        out.push_back(prefix + std::string(cheap == slow ? "Cheapest and slowest: " : "Cheapest: ") +
                      train_point(spec, *cheap, c) + ".");
      if (slow != fast && slow != cheap)
        out.push_back(prefix + std::string(by_days ? "Slowest to train: " : "Lowest throughput per GPU: ") +
                      train_point(spec, *slow, c) + ties_of(slow) + ".");
    };
    // Points of different models are not ranked against each other (the fastest of a Llama 3 70B and a
    // DeepSeek-V3 sweep was a statement about the models): with a model axis, each model's points apart.
    const auto model_axis =
        std::find_if(spec.axes.begin(), spec.axes.end(), [](const SweepAxis& a) { return a.key == "model"; });
    std::vector<std::string> models;
    const std::size_t m = static_cast<std::size_t>(model_axis - spec.axes.begin());
    if (model_axis != spec.axes.end())
      for (const SweepRow* r : ok)
        if (std::find(models.begin(), models.end(), r->axes[m]) == models.end()) models.push_back(r->axes[m]);
    if (models.size() < 2) {
      headlines(ok, "");
    } else {
      for (const std::string& name : models) {
        std::vector<const SweepRow*> pts;
        for (const SweepRow* r : ok)
          if (r->axes[m] == name) pts.push_back(r);
        headlines(pts, "model=" + name + ": ");
      }
    }
  } else {
    const std::size_t bw = column(c, "busbw_GBps");
    const SweepRow* hi = ok.front();
    const SweepRow* lo = ok.front();
    for (const SweepRow* r : ok) {
      if (r->numbers[bw] > hi->numbers[bw]) hi = r;
      if (r->numbers[bw] < lo->numbers[bw]) lo = r;
    }
    out.push_back("Highest busbw: " + name_of(spec, *hi) + ", " + fmt(hi->numbers[bw], 1) + " GB/s (" + hi->labels[1] + ").");
    if (lo != hi) out.push_back("Lowest busbw: " + name_of(spec, *lo) + ", " + fmt(lo->numbers[bw], 1) + " GB/s (" + lo->labels[1] + ").");
  }
  return out;
}

}  // namespace commsim
