// The nccl-tests text output (src/util.cu writeResultHeader / writeBenchmarkLine*, src/common.cu footer),
// with the table lines from report/nccl_format so the simulator and the benchmark print identical columns.
#include <cstdio>
#include <string>

#include "report/nccl_format.hpp"
#include "reporter.hpp"

namespace commsim::bench {
namespace {

std::string wrong_text(const Result& r) {
  if (!r.wrong) return "N/A";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(*r.wrong));  // nccl-tests prints #wrong with %g
  return buf;
}

class TableReporter final : public Reporter {
 public:
  explicit TableReporter(std::FILE* out) : out_(out) {}

  void context(const RunContext& ctx) override { write(context_header(ctx)); }

  void begin_test(Op op) override {
    write("# Collective test starting: " + std::string(op_name(op)) + "\n#\n");
    write(nccl_table_header(/*with_in_place=*/true, /*with_wrong=*/true));
  }

  // nccl-tests prints the row preamble and the out-of-place half, then the in-place half and the newline.
  void result(const Result& r) override {
    std::string line;
    if (!r.in_place) line = nccl_row_preamble(r.op, r.size_bytes, r.count, r.type, r.redop, r.root);
    line += nccl_row_body(r.time_us, r.algbw_GBps, r.busbw_GBps, wrong_text(r));
    if (r.in_place) line += "\n";
    write(line);
  }

  void end_test(const TestSummary& s) override {
    char buf[96];
    std::snprintf(buf, sizeof buf, "# Out of bounds values : %lld %s\n", static_cast<long long>(s.wrong),
                  s.wrong ? "FAILED" : "OK");
    write(buf + nccl_avg_busbw_line(s.avg_busbw_GBps) + "\n#\n# Collective test concluded: " + op_name(s.op) +
          "\n#\n");
  }

 private:
  void write(const std::string& s) {
    std::fputs(s.c_str(), out_);
    std::fflush(out_);
  }
  std::FILE* out_;
};

}  // namespace

std::string context_header(const RunContext& ctx) {
  const Options& o = *ctx.options;
  std::string s = "# commbench version " + ctx.version + " backend " + ctx.backend + ctx.version_tag + "\n";
  for (const auto& [name, version] : ctx.libraries) s += "# Library " + name + ": " + version + "\n";
  // nccl-tests: "step: <factor>(factor)" when -f > 1, else "step: <bytes>(bytes)".
  char step[64];
  if (o.step_factor > 1) {
    std::snprintf(step, sizeof step, "%g(factor)", o.step_factor);
  } else {
    std::snprintf(step, sizeof step, "%llu(bytes)", static_cast<unsigned long long>(o.step_bytes));
  }
  char buf[512];
  std::snprintf(
      buf, sizeof buf,
      "# nThread 1 nGpus %d minBytes %llu maxBytes %llu step: %s warmup iters: %d iters: %d agg iters: %d "
      "validation: %d graph: 0\n#\n# Using devices\n",
      o.ngpus, static_cast<unsigned long long>(o.min_bytes), static_cast<unsigned long long>(o.max_bytes),
      step, o.warmup_iters, o.iters, o.agg_iters, o.check);
  s += buf;
  for (const DeviceInfo& d : ctx.ranks) {
    std::snprintf(buf, sizeof buf, "#  Rank %2d Group  0 Pid %6d on %10s device %2s [%s] %s\n", d.rank, d.pid,
                  d.host.c_str(), d.device.c_str(), d.bus_id.c_str(), d.name.c_str());
    s += buf;
  }
  return s + "#\n";
}

std::unique_ptr<Reporter> make_table_reporter(std::FILE* out) {
  return std::make_unique<TableReporter>(out);
}

}  // namespace commsim::bench
