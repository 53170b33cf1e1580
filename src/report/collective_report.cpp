#include "report/collective_report.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "report/nccl_format.hpp"
#include "report/table.hpp"

namespace commsim {

Format parse_format(const std::string& s, const std::string& flag) {
  if (s == "table") return Format::kTable;
  if (s == "csv") return Format::kCsv;
  if (s == "json") return Format::kJson;
  throw InputError(flag + ": unknown format '" + s + "' (valid: table, csv, json)");
}

namespace {

void write_overrides(std::ostream& out, const RunContext& ctx) {
  if (ctx.overrides.empty()) return;
  out << "# overrides:";
  for (const auto& [k, v] : ctx.overrides) out << " " << k << "=" << v;
  out << "\n";
}

}  // namespace

void write_collective_table(std::ostream& out, const RunContext& ctx, Op op, RedOp redop, int root,
                            const std::vector<Prediction>& rows) {
  out << "# commsim " << commsim_version() << " prediction: " << op_name(op) << "\n";
  out << "# system: " << ctx.system << "  nodes: " << ctx.nodes << "  gpus per node: " << ctx.gpus_per_node
      << "  ranks: " << ctx.ranks << "\n";
  write_overrides(out, ctx);
  out << "#\n" << nccl_table_header(false, false, "  algorithm  protocol  bottleneck", "");
  double sum = 0;
  for (const Prediction& p : rows) {
    char tail[64];
    std::snprintf(tail, sizeof tail, "  %9s  %8s  ", p.algorithm.c_str(), proto_name(p.proto));
    out << nccl_row_preamble(op, p.sizes.size_bytes, p.sizes.count, p.dtype, redop, root)
        << nccl_row_body(p.time_us, p.algbw_GBps, p.busbw_GBps, "") << tail << (p.bottleneck.empty() ? "-" : p.bottleneck)
        << "\n";
    sum += p.busbw_GBps;
  }
  out << nccl_avg_busbw_line(rows.empty() ? 0.0 : sum / rows.size()) << "\n#\n";
}

const char* const kCollectiveCsvHeader =
    "op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong,algorithm,protocol,bottleneck";

void write_collective_csv(std::ostream& out, const RunContext& ctx, const std::vector<Prediction>& rows, RedOp redop,
                          int root, bool header) {
  if (header) {
    out << "# commsim " << commsim_version() << " prediction; system: " << ctx.system << "  nodes: " << ctx.nodes
        << "  gpus per node: " << ctx.gpus_per_node << "  ranks: " << ctx.ranks << "\n";
    write_overrides(out, ctx);
    out << kCollectiveCsvHeader << "\n";
  }
  for (const Prediction& p : rows) {
    const OpInfo& info = op_info(p.op);
    char buf[512];
    // in_place 0 (a prediction has no placement), wrong empty (nothing checked).
    std::snprintf(buf, sizeof buf, "%s,%llu,%llu,%s,%s,%d,%d,0,%.3f,%.4f,%.4f,,%s,%s,", info.name,
                  static_cast<unsigned long long>(p.sizes.size_bytes), static_cast<unsigned long long>(p.sizes.count),
                  dtype_info(p.dtype).name, info.prints_redop ? redop_name(redop) : "none", info.rooted ? root : -1, p.ranks,
                  p.time_us, p.algbw_GBps, p.busbw_GBps, p.algorithm.c_str(), proto_name(p.proto));
    out << buf << csv_escape(p.bottleneck) << "\n";
  }
}

void write_collective_json(std::ostream& out, const RunContext& ctx, RedOp redop, int root, const std::vector<Prediction>& rows) {
  nlohmann::json j;
  j["context"] = {{"tool", "commsim"},
                  {"version", commsim_version()},
                  {"schema_version", 1},
                  {"command_line", ctx.command_line},
                  {"system", ctx.system},
                  {"system_file", ctx.system_file},
                  {"nodes", ctx.nodes},
                  {"gpus_per_node", ctx.gpus_per_node},
                  {"ranks", ctx.ranks}};
  nlohmann::json ov = nlohmann::json::object();
  for (const auto& [k, v] : ctx.overrides) ov[k] = v;
  j["context"]["overrides"] = ov;
  nlohmann::json results = nlohmann::json::array();
  for (const Prediction& p : rows) {
    const OpInfo& info = op_info(p.op);
    results.push_back({{"op", info.name},
                       {"size_bytes", p.sizes.size_bytes},
                       {"count", p.sizes.count},
                       {"dtype", dtype_info(p.dtype).name},
                       {"redop", info.prints_redop ? redop_name(redop) : "none"},
                       {"root", info.rooted ? root : -1},
                       {"ranks", p.ranks},
                       {"time_us", p.time_us},
                       {"algbw_GBps", p.algbw_GBps},
                       {"busbw_GBps", p.busbw_GBps},
                       {"algorithm", p.algorithm},
                       {"protocol", proto_name(p.proto)},
                       {"bottleneck", p.bottleneck}});
  }
  j["results"] = results;
  out << json_text(j) << "\n";
}

}  // namespace commsim
