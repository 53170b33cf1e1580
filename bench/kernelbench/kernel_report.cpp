#include <nlohmann/json.hpp>

#include "core/json_text.hpp"
#include "kernel_result.hpp"

namespace commsim::bench {

std::string kb_case_id(const std::string& kind, long long g, long long m, long long n, long long k, const std::string& precision) {
  std::string id = kind + "_";
  if (kind == "grouped_gemm") id += std::to_string(g) + "x";
  return id + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k) + "_" + precision;
}

void write_kb_table(std::FILE* out, const KbContext& ctx, const std::vector<KbRow>& rows) {
  std::fprintf(out, "# kernelbench %s on %s: %s, %d SMs, sm_%s, SM clock %d MHz, memory clock %d MHz\n",
               ctx.commsim_version.c_str(), ctx.host.c_str(), ctx.gpu_name.c_str(), ctx.sms,
               ctx.compute_capability.c_str(), ctx.sm_clock_mhz, ctx.memory_clock_mhz);
  std::fprintf(out, "# CUDA runtime %s, driver %s, cuBLASLt %s; %d warm-up, median of %d launches\n",
               ctx.cuda_runtime.c_str(), ctx.cuda_driver.c_str(), ctx.cublaslt.c_str(), ctx.warmup, ctx.iters);
  std::fprintf(out, "#%13s %6s %7s %7s %7s %11s %11s %11s %9s\n", "kind", "groups", "M", "N", "K", "precision",
               "time(us)", "min(us)", "TFLOPS");
  for (const KbRow& r : rows) {
    if (!r.skipped.empty()) {
      std::fprintf(out, " %13s %6lld %7lld %7lld %7lld %11s  skipped: %s\n", r.kind.c_str(), r.groups, r.m, r.n, r.k,
                   r.precision.c_str(), r.skipped.c_str());
      continue;
    }
    std::fprintf(out, " %13s %6lld %7lld %7lld %7lld %11s %11.2f %11.2f %9.1f\n", r.kind.c_str(), r.groups, r.m, r.n,
                 r.k, r.precision.c_str(), r.time_us, r.min_us, r.tflops());
  }
}

void write_kb_csv(std::FILE* out, const KbContext& ctx, const std::vector<KbRow>& rows) {
  std::fprintf(out, "# kernelbench %s on %s (%s, %d SMs), %s\n", ctx.commsim_version.c_str(), ctx.host.c_str(),
               ctx.gpu_name.c_str(), ctx.sms, ctx.timestamp.c_str());
  std::fprintf(out, "case_id,kind,gpu,precision,M,N,K,groups,batch,seq_len,head_dim,heads,causal,ep_size,tokens,"
                    "metric,value,library,source,confidence,notes\n");
  for (const KbRow& r : rows) {
    if (!r.skipped.empty()) continue;
    std::fprintf(out, "%s,%s,%s,%s,%lld,%lld,%lld,%lld,,,,,,,,TFLOPS,%.2f,cuBLASLt %s,kernelbench %s,measured,"
                      "\"median of %d launches: %.3f us\"\n",
                 r.case_id.c_str(), r.kind.c_str(), ctx.gpu_name.c_str(), r.precision.c_str(), r.m, r.n, r.k, r.groups,
                 r.tflops(), ctx.cublaslt.c_str(), ctx.timestamp.c_str(), ctx.iters, r.time_us);
  }
}

std::string kb_json(const KbContext& ctx, const std::vector<KbRow>& rows) {
  using Json = nlohmann::ordered_json;
  Json doc;
  doc["context"] = {{"tool", "kernelbench"},
                    {"schema_version", 1},
                    {"commsim_version", ctx.commsim_version},
                    {"timestamp", ctx.timestamp},
                    {"host", ctx.host},
                    {"gpu",
                     {{"name", ctx.gpu_name},
                      {"sms", ctx.sms},
                      {"compute_capability", ctx.compute_capability},
                      {"sm_clock_mhz", ctx.sm_clock_mhz},
                      {"memory_clock_mhz", ctx.memory_clock_mhz},
                      {"memory_bytes", ctx.memory_bytes}}},
                    {"cuda_runtime", ctx.cuda_runtime},
                    {"cuda_driver", ctx.cuda_driver},
                    {"cublaslt", ctx.cublaslt},
                    {"warmup_iters", ctx.warmup},
                    {"iters", ctx.iters},
                    {"command_line", ctx.command_line}};
  Json results = Json::array(), skipped = Json::array();
  for (const KbRow& r : rows) {
    if (!r.skipped.empty()) {
      skipped.push_back({{"case_id", r.case_id}, {"precision", r.precision}, {"reason", r.skipped}});
      continue;
    }
    results.push_back({{"case_id", r.case_id}, {"kind", r.kind}, {"gpu", ctx.gpu_name}, {"precision", r.precision},
                       {"M", r.m}, {"N", r.n}, {"K", r.k}, {"groups", r.groups}, {"time_us", r.time_us},
                       {"min_us", r.min_us}, {"max_us", r.max_us}, {"metric", "TFLOPS"}, {"value", r.tflops()},
                       {"library", "cuBLASLt " + ctx.cublaslt}});
  }
  doc["results"] = results;
  doc["skipped"] = skipped;
  return json_text(doc) + "\n";
}

}  // namespace commsim::bench
