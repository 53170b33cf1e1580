#include "cli/train_ops.hpp"

#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "cli/train_report.hpp"
#include "core/data_path.hpp"
#include "core/json_text.hpp"
#include "core/text.hpp"
#include "report/table.hpp"
#include "train/compute_profile.hpp"

namespace commsim::cli {
namespace {

const char* unit_name(const OpProfile& r) {
  if (r.op.name == "experts.host_issue") return "host";
  switch (r.op.unit) {
    case OpUnit::kGemm: return r.op.grouped ? "grouped gemm" : "gemm";
    case OpUnit::kAttention: return "attention";
    case OpUnit::kMemory: return "memory";
  }
  return "?";
}

}  // namespace

void print_compute_ops(std::ostream& out, const TrainConfig& c, Format format, const std::string& cmdline,
                       const nlohmann::json& extra) {
  const std::vector<OpProfile> rows = compute_profile(c);
  double total = 0;
  for (const OpProfile& r : rows) total += r.count * (r.fwd_s + r.bwd_s);
  auto share = [&](const OpProfile& r) { return total > 0 ? r.count * (r.fwd_s + r.bwd_s) / total : 0.0; };
  const Parallelism& p = c.par;
  // A GEMM at the low rate: the `fp8` column says yes under the fp8 formats, nvfp4 under nvfp4 (JSON: fp8,
  // fp4).
  const bool fp4 = c.train.precision == Precision::kNvfp4;
  const std::string where = "TP" + std::to_string(p.tp) + " CP" + std::to_string(p.cp) + " EP" + std::to_string(p.ep) +
                            (c.model.moe ? " ETP" + std::to_string(p.expert_tp()) : std::string()) + (p.sp() ? " SP" : "") +
                            ", micro-batch " + std::to_string(c.train.micro_batch) + " x seq " +
                            std::to_string(c.train.seq_len) + ", " + precision_name(c.train.precision);
  if (format == Format::kJson) {
    nlohmann::json j;
    j["context"] = {{"tool", "commsim"}, {"version", commsim_version()}, {"schema_version", 1}, {"command_line", cmdline},
                    {"config_file", c.file}, {"model", c.model.name}, {"system", c.system}, {"layout", where},
                    {"overrides", overrides_json(c)}};
    j["model_compute_per_microbatch_s"] = total;
    j.update(extra);
    j["ops"] = nlohmann::json::array();
    for (const OpProfile& r : rows)
      j["ops"].push_back({{"part", r.part},
                          {"count", r.count},
                          {"op", r.op.name},
                          {"unit", unit_name(r)},
                          {"fp8", r.lowp && !fp4},
                          {"fp4", r.lowp && fp4},
                          {"gflop", r.op.flops / 1e9},
                          {"mbytes", r.op.bytes / 1e6},
                          {"fwd_ms", r.fwd_s * 1e3},
                          {"bwd_ms", r.bwd_s * 1e3},
                          {"share", share(r)}});
    out << json_text(j) << "\n";
    return;
  }
  Table t({"part", "count", "op", "unit", "fp8", "GFLOP", "MB", "fwd_ms", "bwd_ms", "share"});
  for (const OpProfile& r : rows) {
    const bool csv = format == Format::kCsv;
    t.add({r.part, std::to_string(r.count), r.op.name, unit_name(r), r.lowp ? (fp4 ? "nvfp4" : "yes") : "no",
           csv ? six_digits(r.op.flops / 1e9) : fmt(r.op.flops / 1e9, 2),
           csv ? six_digits(r.op.bytes / 1e6) : fmt(r.op.bytes / 1e6, 1),
           csv ? six_digits(r.fwd_s * 1e3) : fmt(r.fwd_s * 1e3, 3),
           csv ? six_digits(r.bwd_s * 1e3) : fmt(r.bwd_s * 1e3, 3),
           csv ? six_digits(share(r)) : fmt(100.0 * share(r), 1) + "%"});
  }
  if (format == Format::kCsv) {
    out << "# commsim " << commsim_version() << " train --ops: " << c.model.name << " on " << c.system << "; " << where << "\n";
    print_overrides(out, c);
    t.print_csv(out);
    return;
  }
  out << "# commsim train --ops: " << c.model.name << " on " << c.system << "; " << where << "\n";
  print_overrides(out, c);
  const TrainingParams& tr = c.train;
  const std::string recompute = tr.recompute == Recompute::kNone ? std::string("none")
                                : recompute_name(tr.recompute) + (tr.recompute_layers > 0 ? " of " + std::to_string(tr.recompute_layers) +
                                                                                                 " layer(s) per model chunk"
                                                                                           : std::string());
  out << "# per micro-batch on one GPU, forward and backward (dgrad + wgrad); recompute (this config: " << recompute
      << ") re-runs forward rows and is not in them; share: of the model's " << fmt(total * 1e3, 1)
      << " ms (count x (fwd + bwd)), a pipeline stage runs its layers' part\n";
  t.print(out);
}

}  // namespace commsim::cli
