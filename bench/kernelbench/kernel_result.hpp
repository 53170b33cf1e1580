// One timed case and the run's context, and the three sinks: a table (stdout), CSV in the column set of
// ../shared/validation/kernel_benchmarks.csv (stdout, readable by `commsim validate kernels`), and JSON with
// context (-J, read by `commsim calibrate --compute`).
//
// JSON (schema_version 1):
//   {"context": {"tool": "kernelbench", "schema_version": 1, "commsim_version", "timestamp", "host",
//                "gpu": {"name", "sms", "compute_capability", "sm_clock_mhz", "memory_clock_mhz",
//                "memory_bytes"}, "cuda_runtime", "cuda_driver", "cublaslt", "warmup_iters", "iters",
//                "command_line"},
//    "results": [{"case_id", "kind": "gemm"|"grouped_gemm", "gpu", "precision", "M", "N", "K", "groups",
//                 "time_us" (median), "min_us", "max_us", "metric": "TFLOPS", "value", "library"}],
//    "skipped": [{"case_id", "precision", "reason"}]}
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace commsim::bench {

struct KbContext {
  std::string commsim_version, timestamp, host, command_line;
  std::string gpu_name, compute_capability, cuda_runtime, cuda_driver, cublaslt;
  int sms = 0, sm_clock_mhz = 0, memory_clock_mhz = 0, warmup = 0, iters = 0;
  double memory_bytes = 0;
};

struct KbRow {
  std::string case_id, kind, precision;
  long long m = 0, n = 0, k = 0, groups = 1;
  double time_us = 0, min_us = 0, max_us = 0;  // median, fastest and slowest of the timed launches
  std::string skipped;                         // the reason when not timed
  double tflops() const { return 2.0 * m * n * k * groups / (time_us * 1e-6) / 1e12; }
};

// "gemm_4096x4096x7168_bf16", "grouped_gemm_8x512x4096x7168_fp8_tensor".
std::string kb_case_id(const std::string& kind, long long g, long long m, long long n, long long k, const std::string& precision);

void write_kb_table(std::FILE* out, const KbContext& ctx, const std::vector<KbRow>& rows);
void write_kb_csv(std::FILE* out, const KbContext& ctx, const std::vector<KbRow>& rows);
std::string kb_json(const KbContext& ctx, const std::vector<KbRow>& rows);

}  // namespace commsim::bench
