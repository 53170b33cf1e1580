// kernelbench: GEMM and grouped-GEMM timings with cuBLASLt on one GPU, in the row vocabulary of
// ../shared/validation/kernel_benchmarks.csv (kind, shape, precision, TFLOPS), as a table or CSV on stdout
// and JSON with context (-J) that `commsim calibrate --compute` fits the kernel model to. Same conventions as
// commbench: bad arguments exit 2 before any GPU is touched, no CUDA device exits 77 (skipped), a watchdog
// ends a stuck run (-T), the JSON file is whole or absent.
#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "cublaslt_gemm.hpp"
#include "kernel_options.hpp"
#include "kernel_result.hpp"
#include "kernel_watchdog.hpp"
#include "system_info.hpp"  // commbench's (host name, timestamp)

namespace commsim::bench {
namespace {

int run(const KbOptions& o, KernelWatchdog& watchdog) {
  std::optional<AtomicFile> json;
  if (!o.json_path.empty()) {  // an unwritable -J fails (exit 2) before timing, naming the flag as commbench does
    try {
      json.emplace(o.json_path);
    } catch (const InputError& e) {
      throw InputError(o.json_flag + ": " + e.what());
    }
  }
  watchdog.stage("CUDA start-up");
  std::string why;
  if (cuda_device_count(why) <= o.device) {
    const std::string which = o.device > 0 ? std::to_string(o.device) : "";  // no " " + ...: GCC 12 -Wrestrict false positive
    std::fprintf(stderr, "kernelbench: no CUDA device%s%s (%s); skipped\n", which.empty() ? "" : " ", which.c_str(),
                 why.empty() ? "too few devices" : why.c_str());
    return kExitSkipped;
  }
  GemmRunner runner(o.device);
  KbContext ctx;
  runner.describe(ctx);
  ctx.commsim_version = commsim_version();
  ctx.timestamp = utc_timestamp();
  ctx.host = host_name();
  ctx.command_line = o.command_line;
  ctx.warmup = o.warmup, ctx.iters = o.iters;
  std::vector<KbRow> rows;
  for (const KernelCaseSpec& c : o.cases)
    for (KbPrecision p : c.precisions.empty() ? o.precisions : c.precisions) {
      rows.push_back(runner.time(c, p, o.warmup, o.iters, watchdog));
      if (!rows.back().skipped.empty())
        std::fprintf(stderr, "kernelbench: %s skipped: %s\n", rows.back().case_id.c_str(), rows.back().skipped.c_str());
    }
  watchdog.stage("writing the results");
  if (o.format == KbFormat::kCsv) write_kb_csv(stdout, ctx, rows);
  else write_kb_table(stdout, ctx, rows);
  // The -J file before stdout's verdict: a closed pipe (exit 1) lost the measurements.
  if (json) {
    json->stream() << kb_json(ctx, rows);
    json->commit();
  }
  check_stdout();
  return kExitOk;
}

}  // namespace
}  // namespace commsim::bench

int main(int argc, char** argv) {
  std::signal(SIGXFSZ, SIG_IGN);  // past ulimit -f: EFBIG, reported by the writers, not a silent death
  // A closed stdout pipe (`commbench ... | head -1`) is a write error, exit 1, with the -J file still
  // written: it killed the run by SIGPIPE (141), the measurements lost.
  std::signal(SIGPIPE, SIG_IGN);
  using namespace commsim::bench;
  const KbParseOutcome parsed = parse_kernel_options(argc, argv);
  if (!parsed.options) {
    std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code;
  }
  KernelWatchdog watchdog(parsed.options->timeout_s);
  try {
    return run(*parsed.options, watchdog);
  } catch (const commsim::Error& e) {
    std::fprintf(stderr, "kernelbench: error: %s\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kernelbench: error: %s\n", e.what());
    return commsim::kExitRuntime;
  }
}
