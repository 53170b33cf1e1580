// kernelbench's command line: the cases to time (GEMMs and grouped GEMMs by shape, from flags or a shape-list
// file), the precisions, and commbench's run controls (-w warm-up, -n iterations, -J JSON file, -T deadline).
// Every flag has an environment-variable twin KERNELBENCH_<LONGNAME>; the command line wins.
//
// Shapes: --gemm MxNxK (D[M,N] = A[M,K] B[K,N]), --grouped GxMxNxK (G GEMMs of M x N x K each, as one MoE
// layer's experts with M tokens each); both take comma-separated lists and repeat. A shape-list file (--shapes)
// holds one case a line, `gemm M N K` or `grouped_gemm G M N K`, an optional precision list after it
// (`gemm 4096 4096 7168 bf16,fp8_tensor`); `#` starts a comment.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace commsim::bench {

// The kernel model's precision names (train/kernel_model.hpp), which calibrate --compute reads back.
enum class KbPrecision { kBf16, kFp8Tensor, kFp8Block, kMxfp8, kNvfp4 };
const char* kb_precision_name(KbPrecision p);
std::optional<KbPrecision> kb_precision_from_name(const std::string& s);

struct KernelCaseSpec {
  std::string kind = "gemm";  // gemm | grouped_gemm
  long long m = 0, n = 0, k = 0, groups = 1;
  std::vector<KbPrecision> precisions;  // empty: the --precision list
  std::string where;                    // "--gemm", "shapes.txt:3", for messages
};

enum class KbFormat { kTable, kCsv };

struct KbOptions {
  std::vector<KernelCaseSpec> cases;
  std::vector<KbPrecision> precisions = {KbPrecision::kBf16};
  int warmup = 10;         // -w
  int iters = 50;          // -n
  int device = 0;          // -d
  int timeout_s = 600;     // -T (0: none)
  std::string json_path;   // -J
  std::string json_flag =
      "-J/--output_file";  // as messages name it (KERNELBENCH_OUTPUT_FILE when it gave it)
  KbFormat format = KbFormat::kTable;
  std::string command_line;
};

struct KbParseOutcome {
  std::optional<KbOptions> options;
  int exit_code = 0;  // 0 after --help, 2 for a usage error
  std::string message;
};

KbParseOutcome parse_kernel_options(int argc, const char* const* argv);

// "MxNxK" (dims = 3) or "GxMxNxK" (dims = 4); InputError naming `where` otherwise. Each dimension is a
// whole number in [1, 2^20].
std::vector<long long> parse_dims(const std::string& text, int dims, const std::string& where);
// The cases of a shape-list file; InputError naming file:line.
std::vector<KernelCaseSpec> read_shape_file(const std::string& path);

}  // namespace commsim::bench
