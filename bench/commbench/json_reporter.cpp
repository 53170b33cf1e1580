// JSON (-J): "complete" (false until the run has ended normally), a "context" object that explains the file
// (tool, version, schema, command line, backend, ranks, hosts, library versions, options) and a "results"
// array, one record per (op, dtype, redop, size, in_place) with the CSV column names. Schema changes bump
// kSchemaVersion.
//
// The file is whole or absent: nothing is written at start-up (an existing file survives until the first
// row); after every row the whole document is rewritten through AtomicFile (a temporary beside the target,
// renamed over it) with "complete": false, and at the end with "complete": true. So an abort, a kill or a
// timeout leaves either the previous file untouched (no row measured yet) or a valid JSON of the rows so far.
// Once the document passes 1 MiB it is rewritten at most once a second (and always at the end), so a sweep of
// thousands of rows does not spend its time rewriting. A target that is not a regular file (/dev/stdout, a
// pipe) is written once, at the end.
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "reporter.hpp"
#include "system_info.hpp"

namespace commsim::bench {
namespace {

constexpr int kSchemaVersion = 2;  // 2: "complete", context.options.timeout_default
using Json = nlohmann::ordered_json;

Json options_json(const Options& o, int timeout_s) {
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
              {"timeout_s", timeout_s},
              {"timeout_default", !o.timeout_s.has_value()},
              {"ngpus", o.ngpus},
              {"min_busbw_GBps", o.min_busbw ? Json(*o.min_busbw) : Json(nullptr)}};
}

class JsonReporter final : public Reporter {
 public:
  explicit JsonReporter(const std::string& path) : path_(path) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    incremental_ = !std::filesystem::exists(st) || std::filesystem::is_regular_file(st);
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
    doc_["complete"] = false;
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
        {"options", options_json(*ctx.options, ctx.timeout_s)},
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
    if (incremental_) write(false);
  }

  void end_test(const TestSummary& s) override {
    doc_["summary"].push_back({{"op", op_name(s.op)},
                               {"results", s.results},
                               {"avg_busbw_GBps", s.avg_busbw_GBps},
                               {"out_of_bounds", s.wrong}});
  }

  void finish() override { write(true); }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kLargeBytes = 1 << 20;

  void write(bool complete) {
    const Clock::time_point now = Clock::now();
    if (!complete && last_size_ > kLargeBytes && now - last_write_ < std::chrono::seconds(1)) return;
    doc_["complete"] = complete;
    const std::string text = json_text(doc_) + "\n";
    write_file_atomically(path_, text);
    last_size_ = text.size();
    last_write_ = now;
  }

  std::string path_;
  bool incremental_ = true;
  Json doc_;
  std::size_t last_size_ = 0;
  Clock::time_point last_write_{};
};

}  // namespace

std::unique_ptr<Reporter> make_json_reporter(const std::string& path) {
  return std::make_unique<JsonReporter>(path);
}

}  // namespace commsim::bench
