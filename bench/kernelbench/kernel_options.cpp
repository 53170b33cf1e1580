#include "kernel_options.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/text.hpp"
#include "kernel_result.hpp"
#include "options.hpp"  // commbench's environment_sources, flag_named, split_list

namespace commsim::bench {
namespace {

const char* kFooter = R"(
TFLOPS = 2*M*N*K*groups / median time (1 TFLOPS = 1e12 FLOP/s), the convention of
tests/data/validation/kernel_benchmarks.csv (../shared/validation's). Precisions: bf16 (BF16 in, BF16 out, FP32 accumulate),
fp8_tensor (E4M3 with one FP32 scale per tensor), fp8_block (E4M3, 1x128 activation and 128x128
weight scales, DeepSeek-style; cuBLASLt VEC128/BLK128x128 modes, Hopper), mxfp8 (E4M3 with a UE8M0
scale per 32 elements; sm_100 and later), nvfp4 (E2M1 with a UE4M3 scale per 16 elements; sm_100 and
later; the FP32 per-tensor scale is alpha). A precision the GPU or cuBLASLt cannot run is skipped with a note.
Exit codes: 0 ok, 1 runtime failure (CUDA or cuBLASLt error, -T deadline), 2 usage error,
77 skipped (no CUDA device).)";

constexpr long long kMaxDim = 1ll << 20;
constexpr long long kMaxGroups = 65536;  // as study/kernelbench_json.cpp reads

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, sep);)
    if (!item.empty()) out.push_back(item);
  return out;
}

// As commbench's lists (bench/commbench/options.cpp): an empty name (`bf16,,fp8_tensor`, a trailing comma)
// was skipped here and refused there; `all` stands alone; each precision once.
std::vector<KbPrecision> parse_precisions(const std::string& text, const std::string& where) {
  if (text == "all")
    return {KbPrecision::kBf16, KbPrecision::kFp8Tensor, KbPrecision::kFp8Block, KbPrecision::kMxfp8,
            KbPrecision::kNvfp4};
  const std::vector<std::string> names = split_list(where, text);
  std::vector<KbPrecision> out;
  for (const std::string& name : names)
    if (name == "all")
      throw InputError(where + ": 'all' stands alone: it cannot be combined with other names");
  for (const std::string& name : names) {
    const auto p = kb_precision_from_name(name);
    if (!p)
      throw InputError(where + ": unknown precision '" + name +
                       "' (valid: bf16, fp8_tensor, fp8_block, mxfp8, nvfp4, or all)");
    for (KbPrecision seen : out)
      if (seen == *p) throw InputError(where + ": '" + name + "' is given twice");
    out.push_back(*p);
  }
  if (out.empty()) throw InputError(where + ": empty precision list");
  return out;
}

int bounded_int(const std::string& flag, const std::string& text, int lo, int hi) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < lo || v > hi)
    throw InputError(flag + ": '" + text + "' is not a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return static_cast<int>(v);
}

}  // namespace

const char* kb_precision_name(KbPrecision p) {
  switch (p) {
    case KbPrecision::kBf16: return "bf16";
    case KbPrecision::kFp8Tensor: return "fp8_tensor";
    case KbPrecision::kFp8Block: return "fp8_block";
    case KbPrecision::kMxfp8: return "mxfp8";
    case KbPrecision::kNvfp4:
      return "nvfp4";
  }
  return "?";
}

std::optional<KbPrecision> kb_precision_from_name(const std::string& s) {
  for (KbPrecision p : {KbPrecision::kBf16, KbPrecision::kFp8Tensor, KbPrecision::kFp8Block,
                        KbPrecision::kMxfp8, KbPrecision::kNvfp4})
    if (s == kb_precision_name(p)) return p;
  return std::nullopt;
}

std::vector<long long> parse_dims(const std::string& text, int dims, const std::string& where) {
  const std::vector<std::string> parts = split(text, 'x');
  const std::string form = dims == 3 ? "MxNxK" : "GxMxNxK";
  if (static_cast<int>(parts.size()) != dims || text.front() == 'x' || text.back() == 'x' || text.find("xx") != std::string::npos)
    throw InputError(where + ": '" + text + "' is not " + form);
  std::vector<long long> out;
  for (const std::string& p : parts) {
    char* end = nullptr;
    const long long v = std::strtoll(p.c_str(), &end, 10);
    if (*end != '\0' || v < 1 || v > kMaxDim)
      throw InputError(where + ": '" + p + "' in '" + text + "' is not a whole number in [1, " + std::to_string(kMaxDim) + "]");
    out.push_back(v);
  }
  return out;
}

std::vector<KernelCaseSpec> read_shape_file(const std::string& path) {
  // A directory: "is a directory, not a file". An editor's byte order mark was part of the first kind
  // ('\ufeffgemm').
  std::string text = read_input_file(path, "shape-list file");
  text.erase(0, bom_length(text));
  std::istringstream in(text);
  std::vector<KernelCaseSpec> out;
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.empty()) continue;
    const std::string where = path + ":" + std::to_string(line_no);
    KernelCaseSpec c;
    c.kind = w[0];
    c.where = where;
    std::size_t dims = 0;
    if (c.kind == "gemm") dims = 3;
    else if (c.kind == "grouped_gemm") dims = 4;
    else throw InputError(where + ": unknown kind '" + c.kind + "' (valid: gemm M N K, grouped_gemm G M N K)");
    if (w.size() != dims + 1 && w.size() != dims + 2)
      throw InputError(where + ": expected " + (dims == 3 ? std::string("gemm M N K") : std::string("grouped_gemm G M N K")) + " [precisions]");
    std::string joined;
    for (std::size_t i = 1; i <= dims; ++i) joined += (i > 1 ? "x" : "") + w[i];
    const std::vector<long long> d = parse_dims(joined, static_cast<int>(dims), where);
    if (dims == 4) c.groups = d[0];
    c.m = d[dims - 3], c.n = d[dims - 2], c.k = d[dims - 1];
    if (w.size() == dims + 2) c.precisions = parse_precisions(w[dims + 1], where);
    out.push_back(c);
  }
  if (out.empty()) throw InputError(path + ": no case in the shape-list file");
  return out;
}

KbParseOutcome parse_kernel_options(int argc, const char* const* argv) {
  KbParseOutcome r;
  KbOptions o;
  CLI::App app(
      "kernelbench: GEMM and grouped-GEMM timings with cuBLASLt, in the row vocabulary of "
      "tests/data/validation/kernel_benchmarks.csv",
      "kernelbench");
  app.footer(kFooter);
  std::vector<std::string> gemms, groupeds;
  std::string shapes, precision = "bf16", warmup = "10", iters = "50", device = "0", timeout = "600", format = "table";
  // Comma lists split below (commbench's split_list): CLI11's delimiter dropped an empty entry (`64x64x64,`).
  app.add_option("--gemm", gemms, "GEMM shapes MxNxK (comma list, repeatable)")->envname("KERNELBENCH_GEMM");
  app.add_option("--grouped", groupeds, "grouped GEMM shapes GxMxNxK: G groups of MxNxK")
      ->envname("KERNELBENCH_GROUPED");
  app.add_option("--shapes", shapes,
                 "shape-list file: `gemm M N K` / `grouped_gemm G M N K` [precisions] a line")
      ->envname("KERNELBENCH_SHAPES");
  // A single-valued flag given twice takes its last value, as commbench's and nccl-tests' (`$DEFAULTS -n
  // 20`); CLI11 refused it. Set after --gemm, --grouped and --shapes, the sources of cases (a second --shapes
  // file dropped the first's cases without a word: given twice, it is refused).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("-p,--precision", precision, "bf16, fp8_tensor, fp8_block, mxfp8, nvfp4 (comma list) or all")
      ->envname("KERNELBENCH_PRECISION");
  app.add_option("-w,--warmup_iters", warmup, "untimed launches before timing (default 10)")->envname("KERNELBENCH_WARMUP_ITERS");
  app.add_option("-n,--iters", iters, "timed launches; the median is reported (default 50)")->envname("KERNELBENCH_ITERS");
  app.add_option("-d,--device", device, "CUDA device index (default 0)")->envname("KERNELBENCH_DEVICE");
  app.add_option("-T,--timeout", timeout, "seconds before the watchdog ends the run (0: none; default 600)")->envname("KERNELBENCH_TIMEOUT");
  app.add_option("-J,--output_file", o.json_path, "JSON results with context")->envname("KERNELBENCH_OUTPUT_FILE");
  app.add_option("--format", format, "stdout format: table or csv")->envname("KERNELBENCH_FORMAT");
  try {
    app.parse(argc, argv);
    // A value from KERNELBENCH_X is named as that variable, not as a flag never typed; a variable set but
    // empty is an error, as the empty value on the command line is (commbench's rule).
    const std::map<std::string, std::string> env = environment_sources(app, argc, argv);
    const auto named = [&env](const std::string& flags) { return flag_named(env, flags); };
    // an empty name (a variable left unset) timed everything and wrote no file
    if (o.json_path.empty() && app.count("-J") > 0) throw InputError("-J/--output_file: empty file name");
    o.json_flag = named("-J/--output_file");
    o.precisions = parse_precisions(precision, named("-p/--precision"));
    o.warmup = bounded_int(named("-w/--warmup_iters"), warmup, 0, 100000);
    o.iters = bounded_int(named("-n/--iters"), iters, 1, 100000);
    o.device = bounded_int(named("-d/--device"), device, 0, 1023);
    o.timeout_s = bounded_int(named("-T/--timeout"), timeout, 0, 86400);
    if (format == "table") o.format = KbFormat::kTable;
    else if (format == "csv") o.format = KbFormat::kCsv;
    else
      throw InputError(named("--format") + ": unknown format '" + format + "' (valid: table, csv)");
    for (const std::string& list : gemms)
      for (const std::string& g : split_list(named("--gemm"), list)) {
        const auto d = parse_dims(g, 3, named("--gemm"));
        o.cases.push_back({"gemm", d[0], d[1], d[2], 1, {}, named("--gemm") + " " + g});
      }
    for (const std::string& list : groupeds)
      for (const std::string& g : split_list(named("--grouped"), list)) {
        const auto d = parse_dims(g, 4, named("--grouped"));
        o.cases.push_back({"grouped_gemm", d[1], d[2], d[3], d[0], {}, named("--grouped") + " " + g});
      }
    if (!shapes.empty())
      for (const KernelCaseSpec& c : read_shape_file(shapes)) o.cases.push_back(c);
    if (o.cases.empty()) throw InputError("no case to time: give --gemm, --grouped or --shapes (see --help)");
    // What `calibrate --compute` refuses is refused before a GPU is touched: a case twice (one case_id on two
    // rows, the same timing twice in the fit) and more groups than it reads.
    std::map<std::string, std::string> first;  // case_id -> where it was given
    for (const KernelCaseSpec& c : o.cases) {
      if (c.groups > kMaxGroups)
        throw InputError(c.where + ": " + std::to_string(c.groups) + " groups: at most " + std::to_string(kMaxGroups) +
                         " (what calibrate --compute reads)");
      for (KbPrecision p : c.precisions.empty() ? o.precisions : c.precisions) {
        const std::string id = kb_case_id(c.kind, c.groups, c.m, c.n, c.k, kb_precision_name(p));
        if (const auto [it, fresh] = first.emplace(id, c.where); !fresh)
          throw InputError(c.where + ": " + id + " is also given by " + it->second + ": each case once");
      }
    }
  } catch (const CLI::CallForHelp&) {
    r.message = app.help();
    return r;
  } catch (const CLI::ParseError& e) {
    r.exit_code = 2;
    r.message = std::string("kernelbench: error: ") + e.what() + "\n";
    return r;
  } catch (const InputError& e) {
    r.exit_code = 2;
    r.message = std::string("kernelbench: error: ") + e.what() + "\n";
    return r;
  }
  for (int i = 0; i < argc; ++i) o.command_line += (i ? " " : "") + std::string(argv[i]);
  r.options = o;
  return r;
}

}  // namespace commsim::bench
