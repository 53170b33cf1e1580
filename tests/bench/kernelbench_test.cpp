// kernelbench's host side: shapes from flags and files, and the JSON contract with `commsim calibrate --compute`
// (what kernelbench writes, study/kernelbench_json reads back with the same numbers).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "../unit/scratch_dir.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "kernel_options.hpp"
#include "kernel_result.hpp"
#include "study/kernelbench_json.hpp"
#include "study/validate_kernels.hpp"

using namespace commsim;
using namespace commsim::bench;

TEST_CASE("kernelbench: shapes from flags", "[kernelbench]") {
  const char* argv[] = {"kernelbench", "--gemm", "4096x2048x512,64x8192x8192", "--grouped", "8x256x4096x7168", "-p", "bf16,fp8_tensor", "-n", "7"};
  const KbParseOutcome r = parse_kernel_options(9, argv);
  REQUIRE(r.options);
  REQUIRE(r.options->cases.size() == 3);
  CHECK(r.options->cases[0].m == 4096);
  CHECK(r.options->cases[0].n == 2048);
  CHECK(r.options->cases[0].k == 512);
  CHECK(r.options->cases[2].kind == "grouped_gemm");
  CHECK(r.options->cases[2].groups == 8);
  CHECK(r.options->cases[2].m == 256);
  CHECK(r.options->precisions.size() == 2);
  CHECK(r.options->iters == 7);
  CHECK_THROWS_WITH(parse_dims("8x0x4", 3, "--gemm"), Catch::Contains("'0' in '8x0x4'"));
  CHECK_THROWS_WITH(parse_dims("8xx4", 3, "--gemm"), Catch::Contains("is not MxNxK"));
  CHECK_THROWS_WITH(parse_dims("2000000x1x1", 3, "--gemm"), Catch::Contains("[1, 1048576]"));
}

namespace {

KbParseOutcome kb_parse(std::vector<const char*> args) {
  args.insert(args.begin(), "kernelbench");
  return parse_kernel_options(static_cast<int>(args.size()), args.data());
}

struct KbScopedEnv {
  const char* name;
  KbScopedEnv(const char* n, const char* value) : name(n) { setenv(n, value, 1); }
  ~KbScopedEnv() { unsetenv(name); }
};

}  // namespace

TEST_CASE("kernelbench: a flag given twice takes its last value, as commbench's",
          "[kernelbench][regression]") {
  // CLI11 refused `$DEFAULTS -n 20` ("At Most 1 required but received 2", exit 2); --gemm still collects each
  const KbParseOutcome r = kb_parse({"--gemm", "8x8x8", "-n", "5", "-p", "bf16", "--iters", "9", "-p",
                                     "mxfp8", "--gemm", "16x16x16", "-J", "", "-J", "k.json"});
  REQUIRE(r.options);
  CHECK(r.options->iters == 9);
  CHECK(r.options->precisions.size() == 1);
  CHECK(r.options->json_path == "k.json");
  CHECK(r.options->cases.size() == 2);
  CHECK(kb_parse({"--gemm", "8x8x8", "-J", "k.json", "-J", ""})
            .message.find("-J/--output_file: empty file name") != std::string::npos);
  // --shapes is a source of cases, as --gemm: a second file dropped the first's cases without a word
  const KbParseOutcome twice = kb_parse({"--shapes", "a.txt", "--shapes", "b.txt"});
  CHECK_FALSE(twice.options);
  CHECK(twice.message.find("--shapes") != std::string::npos);
}

// -p bf16,,fp8_tensor skipped the empty name (commbench refuses it); 'all' in a list was an unknown
// precision.
TEST_CASE("kernelbench: precision lists as commbench's", "[kernelbench]") {
  struct Case {
    std::vector<const char*> args;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {{"--gemm", "64x64x64", "-p", "bf16,,fp8_tensor"},
            "kernelbench: error: -p/--precision: empty name in the list 'bf16,,fp8_tensor'\n"},
           {{"--gemm", "64x64x64", "-p", "bf16,"},
            "kernelbench: error: -p/--precision: empty name in the list 'bf16,'\n"},
           {{"--gemm", "64x64x64", "-p", "all,bf16"},
            "kernelbench: error: -p/--precision: 'all' stands alone: it cannot be combined with other "
            "names\n"},
           {{"--gemm", "64x64x64", "-p", "bf16,mxfp8,bf16"},
            "kernelbench: error: -p/--precision: 'bf16' is given twice\n"},
       }) {
    INFO(c.args.back());
    const KbParseOutcome r = kb_parse(c.args);
    CHECK_FALSE(r.options);
    CHECK(r.exit_code == 2);
    CHECK(r.message == c.message);
  }
  test::ScratchDir dir("kernelbench-precisions");
  const std::string path = dir.path("shapes.txt");
  std::ofstream(path) << "gemm 1 2 3 bf16,,mxfp8\n";
  CHECK_THROWS_WITH(read_shape_file(path),
                    Catch::Contains("shapes.txt:1: empty name in the list 'bf16,,mxfp8'"));
}

// KERNELBENCH_ITERS=0 said "-n/--iters: '0' ..." of a flag never typed; KERNELBENCH_PRECISION= ran bf16.
TEST_CASE("kernelbench: a value from the environment is named as its variable", "[kernelbench]") {
  {
    const KbScopedEnv iters("KERNELBENCH_ITERS", "0");
    CHECK(kb_parse({"--gemm", "64x64x64"}).message ==
          "kernelbench: error: KERNELBENCH_ITERS (-n/--iters): '0' is not a whole number in [1, 100000]\n");
    CHECK(kb_parse({"--gemm", "64x64x64", "-n", "3"}).options);  // the command line wins
  }
  {
    const KbScopedEnv gemm("KERNELBENCH_GEMM", "64x64");
    CHECK(kb_parse({}).message == "kernelbench: error: KERNELBENCH_GEMM (--gemm): '64x64' is not MxNxK\n");
  }
  {
    const KbScopedEnv format("KERNELBENCH_FORMAT", "xml");
    CHECK(kb_parse({"--gemm", "8x8x8"}).message.find("KERNELBENCH_FORMAT (--format): unknown format 'xml'") !=
          std::string::npos);
  }
  {
    const KbScopedEnv out("KERNELBENCH_OUTPUT_FILE", "kb.json");
    const KbParseOutcome r = kb_parse({"--gemm", "8x8x8"});
    REQUIRE(r.options);
    CHECK(r.options->json_flag == "KERNELBENCH_OUTPUT_FILE (-J/--output_file)");
  }
  for (const char* env : {"KERNELBENCH_PRECISION", "KERNELBENCH_OUTPUT_FILE", "KERNELBENCH_ITERS"}) {
    const KbScopedEnv empty(env, "");
    INFO(env);
    const KbParseOutcome r = kb_parse({"--gemm", "8x8x8"});
    CHECK(r.exit_code == 2);
    CHECK(r.message.rfind(std::string("kernelbench: error: ") + env + " (", 0) == 0);
    CHECK(r.message.find("set but empty") != std::string::npos);
  }
}

TEST_CASE("kernelbench: shape-list file", "[kernelbench]") {
  test::ScratchDir dir("kernelbench-shapes");
  const std::string path = dir.path("shapes.txt");
  std::ofstream(path) << "# comment\n\ngemm 128 256 512\ngrouped_gemm 4 64 128 256 mxfp8  # experts\n";
  const std::vector<KernelCaseSpec> cases = read_shape_file(path);
  REQUIRE(cases.size() == 2);
  CHECK(cases[0].k == 512);
  CHECK(cases[1].groups == 4);
  CHECK(cases[1].k == 256);
  REQUIRE(cases[1].precisions.size() == 1);
  CHECK(cases[1].precisions[0] == KbPrecision::kMxfp8);
  std::ofstream(path) << "gemm 1 2 3\nconv 1 2 3\n";
  CHECK_THROWS_WITH(read_shape_file(path), Catch::Contains("shapes.txt:2: unknown kind 'conv'"));
}

TEST_CASE("kernelbench JSON is what calibrate --compute reads", "[kernelbench]") {
  KbContext ctx;
  ctx.gpu_name = "NVIDIA H200";
  ctx.sms = 132;
  ctx.timestamp = "2026-01-01T00:00:00Z";
  KbRow gemm;
  gemm.kind = "gemm", gemm.precision = "fp8_tensor", gemm.m = 4096, gemm.n = 4096, gemm.k = 8192;
  gemm.case_id = kb_case_id(gemm.kind, 1, 4096, 4096, 8192, "fp8_tensor");
  gemm.time_us = 250;  // 2 * 4096 * 4096 * 8192 / 250e-6 = 1099.5 TFLOPS
  KbRow grouped = gemm;
  grouped.kind = "grouped_gemm", grouped.groups = 8, grouped.precision = "bf16", grouped.time_us = 4000;
  grouped.case_id = kb_case_id(grouped.kind, 8, 4096, 4096, 8192, "bf16");
  KbRow skipped = gemm;
  skipped.precision = "mxfp8", skipped.skipped = "MXFP8 needs sm_100";
  CHECK(gemm.case_id == "gemm_4096x4096x8192_fp8_tensor");
  CHECK(grouped.case_id == "grouped_gemm_8x4096x4096x8192_bf16");
  CHECK(gemm.tflops() == Approx(1099.51).epsilon(1e-4));

  test::ScratchDir dir("kernelbench-json");
  const std::string path = dir.path("kb.json");
  std::ofstream(path) << kb_json(ctx, {gemm, grouped, skipped});
  const KernelbenchFile f = read_kernelbench_json(path);
  CHECK(f.gpu_name == "NVIDIA H200");
  CHECK(f.sms == 132);
  REQUIRE(f.rows.size() == 2);  // the skipped case is not a measurement
  CHECK(f.rows[0].precision == KernelPrecision::kFp8Tensor);
  CHECK(f.rows[0].tflops == Approx(1099.51).epsilon(1e-4));
  CHECK(f.rows[1].kind == "grouped_gemm");
  CHECK(f.rows[1].shape.groups == 8);
  CHECK(f.rows[1].tflops == Approx(8 * 1099.51 / 16).epsilon(1e-4));
}

// A -J or --shapes path that is not UTF-8 is in the command line: nlohmann's dump threw (exit 1 after every
// case was timed, no JSON). The byte is written as U+FFFD.
TEST_CASE("kernelbench JSON with a command line that is not UTF-8", "[kernelbench][regression]") {
  KbContext ctx;
  ctx.gpu_name = "NVIDIA H200";
  ctx.sms = 132;
  ctx.command_line = "kernelbench --shapes s\xff.txt";
  const std::string text = kb_json(ctx, {});
  CHECK(text.find("kernelbench --shapes s\xef\xbf\xbd.txt") != std::string::npos);
}

TEST_CASE("kernelbench CSV is a kernel_benchmarks.csv that validate kernels reads", "[kernelbench]") {
  KbContext ctx;
  ctx.gpu_name = "NVIDIA H200";
  ctx.sms = 132;
  ctx.cublaslt = "13.1.0";
  ctx.iters = 50;
  KbRow row;
  row.kind = "gemm", row.precision = "bf16", row.m = row.n = row.k = 8192;
  row.case_id = kb_case_id("gemm", 1, 8192, 8192, 8192, "bf16");
  row.time_us = 1693.9;  // 649.1 TFLOPS
  test::ScratchDir dir("kernelbench-csv");
  const std::string path = dir.path("kb.csv");
  std::FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f != nullptr);
  write_kb_csv(f, ctx, {row});
  std::fclose(f);
  const KernelValidationReport rep = validate_kernels(path, data_file("tests/data/kernelbench/mapping.yaml"));
  REQUIRE(rep.rows.size() == 1);
  CHECK(rep.rows[0].arch == "hopper");
  CHECK(rep.rows[0].precision == KernelPrecision::kBf16);
  CHECK(rep.rows[0].measured == Approx(649.1).epsilon(1e-3));
  CHECK(rep.rows[0].gemm.k == 8192);
}
