// JSON (-J): a "context" object that explains the file (tool, version, schema, command line, backend, ranks,
// hosts, library versions, options) and a "results" array, one record per (op, dtype, redop, size, in_place)
// with the CSV column names. Schema changes bump kSchemaVersion.
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "reporter.hpp"
#include "system_info.hpp"

namespace commsim::bench {
namespace {

constexpr int kSchemaVersion = 1;
using Json = nlohmann::ordered_json;

Json options_json(const Options& o) {
  Json ops = Json::array(), types = Json::array(), redops = Json::array();
  for (Op op : o.ops) ops.push_back(op_name(op));
  for (DataType t : o.types) types.push_back(dtype_info(t).name);
  for (RedOp r : o.redops) redops.push_back(redop_name(r));
  return Json{{"ops", ops},
              {"minbytes", o.min_bytes},
              {"maxbytes", o.max_bytes},
              {"stepbytes", o.step_bytes},
              {"stepfactor", o.step_factor},
              {"iters", o.iters},
              {"warmup_iters", o.warmup_iters},
              {"agg_iters", o.agg_iters},
              {"check", o.check},
              {"datatypes", types},
              {"redops", redops},
              {"root", o.root},
              {"average", static_cast<int>(o.average)},
              {"blocking", o.blocking},
              {"timeout_s", o.timeout_s},
              {"ngpus", o.ngpus},
              {"min_busbw_GBps", o.min_busbw ? Json(*o.min_busbw) : Json(nullptr)}};
}

class JsonReporter final : public Reporter {
 public:
  explicit JsonReporter(const std::string& path) : path_(path), out_(path) {
    if (!out_) throw RuntimeError("cannot write the JSON output file '" + path + "'");
  }

  void context(const RunContext& ctx) override {
    Json ranks = Json::array();
    std::set<std::string> hosts;
    for (const DeviceInfo& d : ctx.ranks) {
      ranks.push_back({{"rank", d.rank},
                       {"host", d.host},
                       {"pid", d.pid},
                       {"device", d.device},
                       {"bus_id", d.bus_id},
                       {"name", d.name}});
      hosts.insert(d.host);
    }
    Json libraries = Json::object();
    for (const auto& [name, version] : ctx.libraries) libraries[name] = version;
    doc_["context"] = {
        {"tool", "commbench"},
        {"version", ctx.version},
        {"schema_version", kSchemaVersion},
        {"date", utc_timestamp()},
        {"command_line", ctx.options->command_line},
        {"backend", ctx.backend},
        {"nranks", ctx.nranks},
        {"nprocs", ctx.nprocs},
        {"hosts", hosts},
        {"libraries", libraries},
        {"ranks", ranks},
        {"options", options_json(*ctx.options)},
        {"units",
         {{"size_bytes", "B"}, {"time_us", "us"}, {"algbw_GBps", "1e9 B/s"}, {"busbw_GBps", "1e9 B/s"}}}};
    doc_["results"] = Json::array();
    doc_["summary"] = Json::array();
  }

  void begin_test(Op) override {}

  void result(const Result& r) override {
    const OpInfo& info = op_info(r.op);
    doc_["results"].push_back({{"op", info.name},
                               {"size_bytes", r.size_bytes},
                               {"count", r.count},
                               {"dtype", dtype_info(r.type).name},
                               {"redop", info.prints_redop ? redop_name(r.redop) : "none"},
                               {"root", info.rooted ? r.root : -1},
                               {"in_place", r.in_place},
                               {"time_us", r.time_us},
                               {"algbw_GBps", r.algbw_GBps},
                               {"busbw_GBps", r.busbw_GBps},
                               {"wrong", r.wrong ? Json(*r.wrong) : Json(nullptr)}});
  }

  void end_test(const TestSummary& s) override {
    doc_["summary"].push_back({{"op", op_name(s.op)},
                               {"results", s.results},
                               {"avg_busbw_GBps", s.avg_busbw_GBps},
                               {"out_of_bounds", s.wrong}});
  }

  void finish() override {
    out_ << doc_.dump(2) << "\n";
    out_.flush();
    if (!out_) throw RuntimeError("writing the JSON output file '" + path_ + "' failed");
  }

 private:
  std::string path_;
  std::ofstream out_;
  Json doc_;
};

}  // namespace

std::unique_ptr<Reporter> make_json_reporter(const std::string& path) {
  return std::make_unique<JsonReporter>(path);
}

}  // namespace commsim::bench
