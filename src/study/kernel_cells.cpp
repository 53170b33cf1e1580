#include "study/kernel_cells.hpp"

#include <cctype>
#include <cmath>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "study/case_cells.hpp"
#include "study/mapping_rules.hpp"
#include "study/precision_cells.hpp"

namespace commsim {
namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

std::optional<KernelPrecision> kernel_precision(std::string cell) {
  // A precision or scaling a cell denies is none it names: "bf16 (not fp8)" is bf16 and "fp8 (no block
  // scaling)" tensor-wise (read as the denied word until 2026-12-06). A GEMM's inputs and output may both be
  // named ("FP8 e4m3 / BF16 output"): the inputs' precision, the 8-bit one, is the kernel's. Spaces, '-' and
  // '_' aside ("MX-FP8" is mxfp8, "float8_e4m3fn" fp8). NVFP4 (E2M1 with E4M3 scales per 16, "with fp8
  // scales" included) is nvfp4; another 4-bit or integer format (MXFP4, W4A16, int8) is none of these (NVFP4
  // was fp8 block-scaled, W4A16 bf16: helper-133).
  const std::string p =
      squeeze_with_places(
          without_denied(low_precision_words_one_way(lower_case(cell)),
                         {"nvfp4", "mxfp4", "mxfp8", "fp8", "block", "blockwise", "blockscaled", "bf16",
                          "fp16", "bfloat16", "float16", "half", "1x128", "128x128"}))
          .text;
  // NVFP4 on both operands ("NVFP4 (W4A4)"), not a weight-only 4-bit GEMM (W4A16, W4A8).
  if (contains(p, "nvfp4") && !contains(p, "mxfp4") && !contains(p, "w4a16") && !contains(p, "w4a8"))
    return KernelPrecision::kNvfp4;
  for (const char* other : {"fp4", "int4", "int8", "w4a", "4bit", "fp6"})
    if (contains(p, other)) return std::nullopt;
  if (contains(p, "mxfp8")) return KernelPrecision::kMxfp8;
  const bool fp8 = contains(p, "fp8") || contains(p, "float8") || contains(p, "e4m3") || contains(p, "e5m2");
  // DeepGEMM's own words for its scaling: "fine-grained", "per-group 1x128", "128x128 blocks".
  for (const char* block : {"block", "finegrained", "pergroup", "groupwise", "1x128", "128x128"})
    if (fp8 && contains(p, block)) return KernelPrecision::kFp8Block;
  if (fp8) return KernelPrecision::kFp8Tensor;
  if (contains(p, "bf16") || contains(p, "fp16") || contains(p, "bfloat16") || contains(p, "float16") || contains(p, "half"))
    return KernelPrecision::kBf16;
  return std::nullopt;  // read as bf16 until 2026-12-04: "abc" or an empty cell predicted a bf16 kernel
}

// A repository and, for issues and PRs, their number; for files, the commit: "owner/repo#123", "owner/repo@abcdef12".
std::string kernel_source_key(const std::string& url) {
  const std::string host = "github.com/";
  const std::size_t h = url.find(host);
  if (h == std::string::npos) return url.substr(0, url.find(' '));
  std::string rest = url.substr(h + host.size());
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (at <= rest.size() && parts.size() < 5) {
    const std::size_t next = rest.find_first_of("/ ", at);
    parts.push_back(rest.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (next == std::string::npos || rest[next] == ' ') break;
    at = next + 1;
  }
  // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on `"lit" + std::string` chains.
  std::string key = parts[0];
  if (parts.size() > 1) key.append("/").append(parts[1]);
  if (parts.size() > 3 && (parts[2] == "issues" || parts[2] == "pull")) key.append("#").append(parts[3]);
  if (parts.size() > 3 && parts[2] == "blob") key.append("@").append(parts[3].substr(0, 8));
  return key;
}

// Shapes are whole numbers from 1 to 2147483647 (count_cell: "8.0" and a note in parentheses too), read
// whole: "1e308" made a prediction of nan, "0x10" was 16 and "-1", "nan" and "99999999999999999999" were
// taken. A count may end in k or K, 1024 ("8k" tokens, an "8K" GEMM): every trailing letter was dropped, and
// "8k" was 8 (-100%, helper-133). Empty is `fallback`, or an error where fallback is 0 (a required cell:
// read as 0, it made an error of inf%). `part` is the cell or, for head_dim and heads (`labelled`), one side
// of its slash, whose label is not part of the count ("128q/8kv", "192(qk)/128(v)").
double kernel_shape(const CsvRow& r, const std::string& key, double fallback, const std::string& path,
                    std::string part, bool labelled) {
  part = trim(part);
  if (part.empty() && fallback > 0) return fallback;
  double scale = 1;
  if (labelled)
    while (!part.empty() && std::isalpha(static_cast<unsigned char>(part.back()))) part.pop_back();
  else if (part.size() > 1 && (part.back() == 'k' || part.back() == 'K') &&
           std::isdigit(static_cast<unsigned char>(part[part.size() - 2])))
    part.pop_back(), scale = 1024;
  if (const std::optional<long> n = count_cell(part); n && *n * scale <= 2147483647)
    return static_cast<double>(*n) * scale;
  throw InputError(SourceLoc{path, r.line, 0, key}, "'" + r.at(key) + "' is not a whole number from 1 to 2147483647");
}
double kernel_shape(const CsvRow& r, const std::string& key, double fallback, const std::string& path) {
  return kernel_shape(r, key, fallback, path, r.at(key), false);
}
// head_dim and heads: "N" or "N/M", both sides counts; the first (heads: the query heads; head_dim: qk), and
// the second in `second` (head_dim v; the first where there is none).
double kernel_shape_pair(const CsvRow& r, const std::string& key, double fallback, const std::string& path, double* second) {
  const std::string& v = r.at(key);
  const std::size_t slash = v.find('/');
  const double first = kernel_shape(r, key, fallback, path, v.substr(0, slash), true);
  const double other =
      slash == std::string::npos ? first : kernel_shape(r, key, first, path, v.substr(slash + 1), true);
  if (second) *second = other;
  return first;
}

// Every row's shape cells, whether its kind is predicted or not (ep_size and tokens are the EP kernels'): a
// number or empty, causal True, False or empty.
void check_kernel_shapes(const CsvRow& r, const std::string& path) {
  for (const char* key : {"M", "N", "K", "groups", "batch", "seq_len", "ep_size", "tokens"}) kernel_shape(r, key, 1, path);
  // An attention shape a kernel runs: head dims up to 1024 (FlashAttention and cuDNN run up to 256; MLA's
  // absorbed 576), and K/V heads that divide the query heads ("8q/128kv", "128q/7kv" were predicted).
  double d_v = 0, kv = 0;
  const double d_qk = kernel_shape_pair(r, "head_dim", 1, path, &d_v);
  if (d_qk > 1024 || d_v > 1024)
    throw InputError(SourceLoc{path, r.line, 0, "head_dim"},
                     "'" + r.at("head_dim") + "' is not a head dimension from 1 to 1024");
  const double q = kernel_shape_pair(r, "heads", 1, path, &kv);
  if (std::fmod(q, kv) != 0)
    throw InputError(SourceLoc{path, r.line, 0, "heads"},
                     "'" + r.at("heads") + "': the K/V heads (" + six_digits(kv) +
                         ") do not divide the query heads (" + six_digits(q) + ")");
  // A gemm row is one GEMM, or `batch` of them; groups are a grouped GEMM's (kind grouped_gemm), as
  // calibrate --compute reads kernelbench's rows (a gemm with groups 4 was predicted as four).
  if (r.at("kind") == "gemm" && !trim(r.at("groups")).empty() && kernel_shape(r, "groups", 1, path) != 1)
    throw InputError(SourceLoc{path, r.line, 0, "groups"},
                     "'" + r.at("groups") +
                         "': a gemm row's groups must be 1 or empty (grouped GEMMs are kind grouped_gemm; a "
                         "batched GEMM gives batch)");
  kernel_causal(r, path);
}

std::optional<bool> kernel_causal(const CsvRow& r, const std::string& path) {
  // Spelled as other sheets spell it: only "True" and "False" were read, "true" or "yes" stopped the file.
  const std::string c = lower_case(trim(r.at("causal")));
  if (c.empty()) return std::nullopt;
  for (const char* yes : {"true", "yes", "y", "1", "causal"})
    if (c == yes) return true;
  for (const char* no : {"false", "no", "n", "0", "full", "non-causal", "noncausal"})
    if (c == no) return false;
  throw InputError(SourceLoc{path, r.line, 0, "causal"},
                   "'" + r.at("causal") + "' is not True or False (yes/no, 1/0) or empty");
}

// The measured TFLOPS: the whole cell a decimal number (number_cell: not "0x10", "nan") from 0.001 to 1e5, as
// kernelbench's files are read (the largest public row is 3,616); 1e308 made an error of -100%.
double kernel_measured_tflops(const CsvRow& r, const std::string& path) {
  const std::optional<double> v = number_cell(r.at("value"));
  if (v && *v >= 0.001 && *v <= 1e5) return *v;
  throw InputError(SourceLoc{path, r.line, 0, "value"}, "'" + r.at("value") + "' is not a number of TFLOPS from 0.001 to 100000");
}

}  // namespace commsim
