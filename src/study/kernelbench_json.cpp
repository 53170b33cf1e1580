#include "study/kernelbench_json.hpp"

#include <cmath>
#include <map>
#include <tuple>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "study/json_fields.hpp"

namespace commsim {
namespace {

constexpr double kMaxDim = 1048576.0;  // 2^20
constexpr double kMaxGroups = 65536.0;
constexpr double kMaxTflops = 1e5;
constexpr double kMaxSms = 65536.0;

KernelbenchRow read_row(const Json& r, const std::string& file, const std::string& at) {
  KernelbenchRow row;
  row.where = at;
  if (!r.is_object()) throw InputError(SourceLoc{file, 0, 0, at}, "expected an object");
  // The keys kernelbench writes; another is a typo or another tool's ("foo" was read past without a word).
  for (const auto& [key, value] : r.items()) {
    static constexpr const char* kKeys[] = {"case_id", "kind",   "gpu",    "precision", "M",
                                            "N",       "K",      "groups", "time_us",   "min_us",
                                            "max_us",  "metric", "value",  "library"};
    bool known = false;
    for (const char* k : kKeys) known = known || key == k;
    if (!known)
      throw InputError(
          SourceLoc{file, 0, 0, at + "." + key},
          "unknown key (a result has case_id, kind, gpu, precision, M, N, K, groups, time_us, min_us, "
          "max_us, metric, value, library)");
  }
  if (r.contains("library")) json_string(r, "library", file, at);  // a text, as kernelbench writes it
  for (const char* k : {"min_us", "max_us"})
    if (r.contains(k)) json_number(r, k, 1e12, false, file, at);
  row.case_id = json_string(r, "case_id", file, at);
  row.kind = json_string(r, "kind", file, at);
  if (row.kind != "gemm" && row.kind != "grouped_gemm")
    throw InputError(SourceLoc{file, 0, 0, at + ".kind"}, "unknown kind '" + row.kind.substr(0, 40) + "' (valid: gemm, grouped_gemm)");
  const std::string p = json_string(r, "precision", file, at);
  bool known = false;
  for (int i = 0; i < kKernelPrecisions; ++i)
    if (p == kernel_precision_name(static_cast<KernelPrecision>(i))) row.precision = static_cast<KernelPrecision>(i), known = true;
  if (!known)
    throw InputError(
        SourceLoc{file, 0, 0, at + ".precision"},
        "unknown precision '" + p.substr(0, 40) + "' (valid: bf16, fp8_tensor, fp8_block, mxfp8, nvfp4)");
  auto dim = [&](const char* key, double max) {
    const double v = json_number(r, key, max, true, file, at);
    if (v < 1) throw InputError(SourceLoc{file, 0, 0, at + "." + key}, "the " + std::string(key) + " is below 1");
    return v;
  };
  row.shape = {dim("M", kMaxDim), dim("N", kMaxDim), dim("K", kMaxDim), r.contains("groups") ? dim("groups", kMaxGroups) : 1.0};
  if (row.kind == "gemm" && row.shape.groups != 1)
    throw InputError(SourceLoc{file, 0, 0, at + ".groups"},
                     "a gemm row's groups must be 1 (grouped GEMMs are kind grouped_gemm)");
  const std::string metric = json_string(r, "metric", file, at);
  if (metric != "TFLOPS") throw InputError(SourceLoc{file, 0, 0, at + ".metric"}, "expected TFLOPS");
  row.tflops = json_number(r, "value", kMaxTflops, false, file, at);
  if (!(row.tflops > 0)) throw InputError(SourceLoc{file, 0, 0, at + ".value"}, "the value is 0 TFLOPS");
  if (r.contains("time_us")) {
    const double t = json_number(r, "time_us", 1e12, false, file, at);
    const double from_time = t > 0 ? row.shape.flops() / (t * 1e-6) / 1e12 : INFINITY;
    if (std::fabs(from_time / row.tflops - 1) > 0.01)
      throw InputError(SourceLoc{file, 0, 0, at + ".time_us"},
                       "disagrees with value: 2*M*N*K*groups / time_us is " + std::to_string(from_time) + " TFLOPS");
  }
  return row;
}

KernelbenchFile read_document(const Json& doc, const std::string& path) {
  KernelbenchFile f;
  f.path = path;
  const Json& ctx = json_need(doc, "context", path, "");
  if (json_string(ctx, "tool", path, "context") != "kernelbench")
    throw InputError(SourceLoc{path, 0, 0, "context.tool"}, "not a kernelbench file (expected \"kernelbench\")");
  if (json_number(ctx, "schema_version", 1e6, true, path, "context") != 1)
    throw InputError(SourceLoc{path, 0, 0, "context.schema_version"}, "unsupported schema_version (expected 1)");
  // A timestamp that is not a text was dropped without a word.
  f.timestamp = ctx.contains("timestamp") ? json_string(ctx, "timestamp", path, "context") : "";
  const Json& gpu = json_need(ctx, "gpu", path, "context");
  f.gpu_name = json_string(gpu, "name", path, "context.gpu");
  f.sms = static_cast<int>(json_number(gpu, "sms", kMaxSms, true, path, "context.gpu"));
  if (f.sms < 1) throw InputError(SourceLoc{path, 0, 0, "context.gpu.sms"}, "the sms is 0");
  const Json& results = json_need(doc, "results", path, "");
  if (!results.is_array()) throw InputError(SourceLoc{path, 0, 0, "results"}, "expected a list");
  std::map<std::string, std::string> first_at;  // case_id -> its row: a repeated row counted twice in the fit
  // (kind, precision, M, N, K, groups) -> its row: one shape under two case_ids is one timing counted twice,
  // which "determined" a constant that two shapes are needed to separate (kernelbench times each case once).
  std::map<std::tuple<std::string, int, double, double, double, double>, std::string> shape_at;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string at = "results[" + std::to_string(i) + "]";
    f.rows.push_back(read_row(results[i], path, at));
    const KernelbenchRow& row = f.rows.back();
    // kernelbench names each row's GPU as the context's; a file merged from two GPUs' runs was fitted as the
    // context's GPU, its rows' own names unread.
    if (results[i].is_object() && results[i].contains("gpu")) {
      const std::string g = json_string(results[i], "gpu", path, at);
      if (g != f.gpu_name)
        throw InputError(SourceLoc{path, 0, 0, at + ".gpu"}, "'" + g.substr(0, 80) + "' is not the file's GPU ('" +
                                                                 f.gpu_name.substr(0, 80) + "' in context.gpu.name): one GPU per file");
    }
    if (const auto [it, fresh] = first_at.emplace(row.case_id, row.where); !fresh)
      throw InputError(SourceLoc{path, 0, 0, row.where + ".case_id"},
                       "'" + row.case_id.substr(0, 80) + "' is also the case_id of " + it->second + " (each row needs its own)");
    const auto key = std::tuple{
        row.kind, static_cast<int>(row.precision), row.shape.m, row.shape.n, row.shape.k, row.shape.groups};
    if (const auto [it, fresh] = shape_at.emplace(key, row.where); !fresh)
      throw InputError(SourceLoc{path, 0, 0, row.where + ".case_id"},
                       "the same " + row.kind + " shape and precision as " + it->second +
                           " (one timing counted twice in the fit; kernelbench times each case once)");
  }
  if (f.rows.empty()) throw InputError(SourceLoc{path, 0, 0, "results"}, "no results in the file");
  // The cases kernelbench could not run (a precision the GPU lacks), each with its reason: a list.
  if (doc.contains("skipped") && !doc["skipped"].is_array())
    throw InputError(SourceLoc{path, 0, 0, "skipped"},
                     "expected a list (the cases kernelbench skipped, with their reasons)");
  return f;
}

}  // namespace

KernelbenchFile read_kernelbench_json(const std::string& path) {
  const std::string text = read_input_file(path, "kernelbench JSON file");
  try {
    KernelbenchFile f = read_document(parse_measured_json(text, path), path);
    const std::map<std::string, int> lines = json_value_lines(text);
    for (KernelbenchRow& r : f.rows) r.value_line = json_line_in(lines, r.where + ".value");
    return f;
  } catch (const InputError& e) {
    throw json_error_at_line(e, text, path);  // the JSON path's line
  }
}

}  // namespace commsim
