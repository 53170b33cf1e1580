#include "cli/train_auto.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/train_report.hpp"
#include "core/data_path.hpp"
#include "core/json_text.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "report/table.hpp"

namespace commsim::cli {
namespace {


}  // namespace

std::string search_counts(const LayoutSearchResult& r) {
  std::string s = "tried " + std::to_string(r.tried) + ", fit " + std::to_string(r.fits) + ", estimated " +
                  std::to_string(r.evaluated) + ", pruned by bound " + std::to_string(r.pruned) + "; rejected:";
  if (r.rejected.empty()) s += " none";
  bool first = true;
  for (const auto& [why, n] : r.rejected) s += (first ? " " : ", ") + why + " " + std::to_string(n), first = false;
  return s;
}

void print_layout_search(std::ostream& out, const TrainConfig& base, const LayoutSearchResult& r, Format format,
                         const std::string& cmdline) {
  const bool totals = base.train.tokens > 0, priced = totals && base.gpu_hour_usd > 0;
  if (format == Format::kJson) {
    nlohmann::json j;
    j["context"] = {{"tool", "commsim"}, {"version", commsim_version()}, {"schema_version", 1}, {"command_line", cmdline},
                    {"config_file", base.file}, {"model", base.model.name}, {"system", base.system}, {"ranks", r.ranks},
                    {"overrides", overrides_json(base)}};
    j["search"] = {{"tried", r.tried}, {"fits", r.fits}, {"estimated", r.evaluated}, {"pruned", r.pruned},
                   {"rejected", r.rejected}};
    j["layouts"] = nlohmann::json::array();
    for (const TrainEstimate& e : r.top) {
      const Parallelism& p = e.config.par;
      j["layouts"].push_back(
          {{"tp", p.tp},
           {"pp", p.pp},
           {"dp", p.dp},
           {"cp", p.cp},
           {"ep", p.ep},
           {"etp", p.expert_tp()},
           {"vpp", p.vpp},
           {"schedule", schedule_name(p.sched())},
           {"zero", p.zero},
           {"dp_shard", p.zero_dp()},
           {"first_stage_layers", stage_layers_json(p.first_stage_layers)},
           {"last_stage_layers", stage_layers_json(p.last_stage_layers)},
           {"micro_batch", e.config.train.micro_batch},
           {"recompute", recompute_name(e.config.train.recompute)},
           {"recompute_num_layers", e.config.train.recompute_layers},
           {"step_time_s", e.step_time_s},
           {"tokens_per_s_per_gpu", e.tokens_per_s_per_gpu},
           {"mfu", e.mfu},
           {"memory_gib_per_gpu", e.memory.total() / kGiB},
           {"needed_gib_per_gpu", e.memory.needed() / kGiB},
           {"fits", e.fits},
           // with training.tokens (and a price): what train prints without --auto, null
           // otherwise (the search's layouts had no days nor cost, sweep's and plan's had)
           {"time_days", totals ? nlohmann::json(e.train_time_s / 86400.0) : nlohmann::json(nullptr)},
           {"gpu_hours", totals ? nlohmann::json(e.gpu_hours) : nlohmann::json(nullptr)},
           {"cost_usd", priced ? nlohmann::json(e.cost_usd) : nlohmann::json(nullptr)}});
    }
    out << json_text(j) << "\n";
    return;
  }
  Table t({"rank",
           "tp",
           "pp",
           "first_stage_layers",
           "last_stage_layers",
           "dp",
           "cp",
           "ep",
           "etp",
           "vpp",
           "schedule",
           "zero",
           "dp_shard",
           "micro_batch",
           "recompute",
           "recompute_num_layers",
           "step_time_s",
           "tokens_per_s_per_gpu",
           "mfu",
           "memory_gib_per_gpu",
           "needed_gib_per_gpu",
           "time_days",
           "gpu_hours",
           format == Format::kCsv ? "cost_usd" : "cost M USD"});
  int rank = 0;
  for (const TrainEstimate& e : r.top) {
    const Parallelism& p = e.config.par;
    const bool csv = format == Format::kCsv;
    t.add({std::to_string(++rank),
           std::to_string(p.tp),
           std::to_string(p.pp),
           stage_layers_text(p.first_stage_layers, csv ? "" : "-"),
           stage_layers_text(p.last_stage_layers, csv ? "" : "-"),
           std::to_string(p.dp),
           std::to_string(p.cp),
           std::to_string(p.ep),
           std::to_string(p.expert_tp()),
           std::to_string(p.vpp),
           schedule_name(p.sched()),
           std::to_string(p.zero),
           std::to_string(p.zero_dp()),
           std::to_string(e.config.train.micro_batch),
           recompute_name(e.config.train.recompute),
           std::to_string(e.config.train.recompute_layers),
           csv ? six_digits(e.step_time_s) : fmt(e.step_time_s, 3),
           csv ? six_digits(e.tokens_per_s_per_gpu) : fmt(e.tokens_per_s_per_gpu, 1),
           csv ? six_digits(e.mfu) : fmt(100.0 * e.mfu, 1) + "%",
           csv ? six_digits(e.memory.total() / kGiB) : fmt(e.memory.total() / kGiB, 1),
           csv ? six_digits(e.memory.needed() / kGiB) : fmt(e.memory.needed() / kGiB, 1),
           !totals ? (csv ? "" : "-")
           : csv   ? six_digits(e.train_time_s / 86400.0)
                   : fmt_small(e.train_time_s / 86400.0, 1),
           !totals ? (csv ? "" : "-")
           : csv   ? six_digits(e.gpu_hours)
                   : fmt_small(e.gpu_hours, 0),
           !priced ? (csv ? "" : "-")
           : csv   ? six_digits(e.cost_usd)
                   : fmt_musd(e.cost_usd)});
  }
  out << "# commsim train --auto: " << base.model.name << " on " << base.system << ", " << r.ranks << " ranks; seq "
      << base.train.seq_len << ", global batch " << base.train.global_batch << ", " << precision_name(base.train.precision)
      << "\n";
  print_overrides(out, base);
  out << "# search: " << search_counts(r) << "\n";
  if (format == Format::kCsv) t.print_csv(out);
  else t.print(out);
}

}  // namespace commsim::cli
