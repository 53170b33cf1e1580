// commbench's flags: nccl-tests defaults, K/M/G sizes, environment twins, and usage errors mapped to exit 2.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"
#include "options.hpp"

using namespace commsim;
using namespace commsim::bench;

namespace {

ParseOutcome parse(std::vector<const char*> args) {
  args.insert(args.begin(), "commbench");
  return parse_options(static_cast<int>(args.size()), args.data());
}

// Sets an environment variable for the lifetime of the object.
struct ScopedEnv {
  const char* name;
  ScopedEnv(const char* n, const char* value) : name(n) { setenv(n, value, 1); }
  ~ScopedEnv() { unsetenv(name); }
};

}  // namespace

TEST_CASE("defaults are nccl-tests' (-b 32M -e 32M -n 20 -w 1 -c 1 -d float -o sum -r 0 -a 1)",
          "[commbench][options]") {
  const ParseOutcome p = parse({});
  REQUIRE(p.options);
  const Options& o = *p.options;
  CHECK(o.min_bytes == 32u << 20);
  CHECK(o.max_bytes == 32u << 20);
  CHECK(o.iters == 20);
  CHECK(o.warmup_iters == 1);
  CHECK(o.check == 1);
  CHECK(o.types == std::vector<DataType>{DataType::kFloat});
  CHECK(o.redops == std::vector<RedOp>{RedOp::kSum});
  CHECK(o.root == 0);
  CHECK(o.average == TimeAverage::kMean);
  CHECK(o.backend == BackendKind::kAuto);
  CHECK(o.ops == std::vector<Op>{Op::kAllReduce});
  CHECK_FALSE(o.min_busbw);
  CHECK_FALSE(o.timeout_s);  // the watchdog's default limit, derived from the sweep (time_limit.hpp)
}

TEST_CASE("nccl-tests short flags and binary size suffixes", "[commbench][options]") {
  const ParseOutcome p = parse({"-b",        "8",    "-e",       "1G",  "-f",          "2",
                                "-n",        "5",    "-w",       "0",   "-c",          "0",
                                "-d",        "half", "-o",       "max", "-r",          "1",
                                "-a",        "3",    "-z",       "1",   "-T",          "30",
                                "-g",        "2",    "-m",       "4",   "--op",        "all_gather,alltoall",
                                "--backend", "nccl", "--format", "csv", "--min-busbw", "100"});
  REQUIRE(p.options);
  const Options& o = *p.options;
  CHECK(o.min_bytes == 8);
  CHECK(o.max_bytes == 1ull << 30);
  CHECK(o.step_factor == 2);
  CHECK(o.types == std::vector<DataType>{DataType::kHalf});
  CHECK(o.redops == std::vector<RedOp>{RedOp::kMax});
  CHECK(o.ops == std::vector<Op>{Op::kAllGather, Op::kAllToAll});
  CHECK(o.average == TimeAverage::kMax);
  CHECK(o.ngpus == 2);
  CHECK(o.agg_iters == 4);
  REQUIRE(o.timeout_s);
  CHECK(*o.timeout_s == 30);
  CHECK(o.format == OutputFormat::kCsv);
  CHECK(o.backend == BackendKind::kNccl);
  REQUIRE(o.min_busbw);
  CHECK(*o.min_busbw == 100);
}

TEST_CASE("'all' expands ops, types and redops", "[commbench][options]") {
  const ParseOutcome p = parse({"--op", "all", "-d", "all", "-o", "all"});
  REQUIRE(p.options);
  CHECK(p.options->ops.size() == 7);
  CHECK(p.options->types.size() == 12);
  CHECK(p.options->redops.size() == 5);
}

TEST_CASE("a flag given twice takes its last value, as nccl-tests' getopt",
          "[commbench][options][regression]") {
  // `$DEFAULTS -n 50`: CLI11 refused it ("--iters: At Most 1 required but received 2", exit 2).
  const ParseOutcome p = parse({"-n", "2", "-b", "1K", "--iters", "3", "-b", "2K", "-e", "4K"});
  REQUIRE(p.options);
  CHECK(p.options->iters == 3);
  CHECK(p.options->min_bytes == 2048);
  // -J too: an empty first value (a variable left unset) is no error when a later -J names the file
  const ParseOutcome j = parse({"-J", "", "-J", "run.json"});
  REQUIRE(j.options);
  CHECK(j.options->json_path == "run.json");
  CHECK(parse({"-J", "run.json", "-J", ""}).message ==
        "commbench: error: -J/--output_file: empty file name\n");
}

TEST_CASE("every flag has a COMMBENCH_<LONGNAME> twin, and the command line wins", "[commbench][options]") {
  const ScopedEnv op("COMMBENCH_OP", "broadcast");
  const ScopedEnv min("COMMBENCH_MINBYTES", "2K");
  const ScopedEnv warm("COMMBENCH_WARMUP_ITERS", "3");
  const ScopedEnv floor("COMMBENCH_MIN_BUSBW", "12.5");
  const ParseOutcome p = parse({"-w", "2"});
  REQUIRE(p.options);
  CHECK(p.options->ops == std::vector<Op>{Op::kBroadcast});
  CHECK(p.options->min_bytes == 2048);
  CHECK(p.options->warmup_iters == 2);
  CHECK(*p.options->min_busbw == 12.5);
}

TEST_CASE("a bad value from the environment is named as its variable, not as a flag never typed", "[commbench][options]") {
  {
    const ScopedEnv iters("COMMBENCH_ITERS", "0");
    const ParseOutcome p = parse({"-b", "1K", "-e", "2K"});
    CHECK(p.exit_code == kExitInput);
    CHECK(p.message == "commbench: error: COMMBENCH_ITERS (-n/--iters) must be positive\n");
    CHECK(parse({"--iters=3"}).options);  // the command line wins, in either spelling
    CHECK(parse({"-n3"}).options);
    CHECK(parse({"-n", "0"}).message == "commbench: error: -n/--iters must be positive\n");
    // -n5 here is -J's file name: the 0 still came from the environment.
    CHECK(parse({"-J", "-n5"}).message == "commbench: error: COMMBENCH_ITERS (-n/--iters) must be positive\n");
  }
  {
    const ScopedEnv min("COMMBENCH_MINBYTES", "4K");
    CHECK(parse({"-e", "2K"}).message.find("than COMMBENCH_MINBYTES (-b/--minbytes) (4096)") != std::string::npos);
  }
  {
    const ScopedEnv step("COMMBENCH_STEPBYTES", "0");
    CHECK(parse({"-b", "1K", "-e", "2K"}).message.find("COMMBENCH_STEPBYTES (-i/--stepbytes): step must be positive") != std::string::npos);
  }
  {
    const ScopedEnv op("COMMBENCH_OP", "bogus");
    CHECK(parse({}).message.find("COMMBENCH_OP (--op): unknown value 'bogus'") != std::string::npos);
  }
  // CLI11's own checks and conversions named the flag ("--format: xml not in {table,csv}", "Could not
  // convert:
  // --timeout = 1.5"); the root and -g checks after MPI start did too ("-r/--root 5 is not a rank").
  struct Case {
    const char* env;
    const char* value;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"COMMBENCH_FORMAT", "xml",
            "commbench: error: COMMBENCH_FORMAT (--format): xml not in {table,csv}\n"},
           {"COMMBENCH_BACKEND", "foo",
            "commbench: error: COMMBENCH_BACKEND (--backend): foo not in {auto,mpi,nccl}\n"},
           {"COMMBENCH_TIMEOUT", "1.5",
            "commbench: error: COMMBENCH_TIMEOUT (-T/--timeout): '1.5' is not a whole number\n"},
           {"COMMBENCH_CHECK", "x",
            "commbench: error: COMMBENCH_CHECK (-c/--check): 'x' is not a whole number\n"},
           {"COMMBENCH_STEPFACTOR", "two",
            "commbench: error: COMMBENCH_STEPFACTOR (-f/--stepfactor) must be a finite number >= 1\n"},
           {"COMMBENCH_REDOP", "sum,sum",
            "commbench: error: COMMBENCH_REDOP (-o/--redop): 'sum' is given twice\n"},
           {"COMMBENCH_DATATYPE", "all,float",
            "commbench: error: COMMBENCH_DATATYPE (-d/--datatype): 'all' stands alone: it cannot be combined "
            "with other names\n"},
       }) {
    const ScopedEnv env(c.env, c.value);
    INFO(c.env << "=" << c.value);
    const ParseOutcome p = parse({});
    CHECK(p.exit_code == kExitInput);
    CHECK(p.message == c.message);
  }
  {
    const ScopedEnv root("COMMBENCH_ROOT", "5");
    const ParseOutcome p = parse({});
    REQUIRE(p.options);
    CHECK(flag_named(*p.options, "-r/--root") == "COMMBENCH_ROOT (-r/--root)");
    CHECK(flag_named(*p.options, "-g/--ngpus") == "-g/--ngpus");
    CHECK(flag_named(*parse({"-r", "5"}).options, "-r/--root") == "-r/--root");
  }
}

TEST_CASE("a COMMBENCH_* variable set but empty is an error, as the empty value on the command line is",
          "[commbench][options]") {
  // COMMBENCH_OP= ran all_reduce and exited 0 (CLI11 takes an empty variable for an unset one) while --op ""
  // is exit 2; COMMBENCH_OUTPUT_FILE= wrote no file while -J '' is exit 2.
  for (const char* env : {"COMMBENCH_OP", "COMMBENCH_DATATYPE", "COMMBENCH_REDOP", "COMMBENCH_OUTPUT_FILE",
                          "COMMBENCH_ITERS", "COMMBENCH_TIMEOUT", "COMMBENCH_MIN_BUSBW"}) {
    const ScopedEnv empty(env, "");
    INFO(env);
    const ParseOutcome p = parse({});
    CHECK_FALSE(p.options);
    CHECK(p.exit_code == kExitInput);
    CHECK(p.message.rfind(std::string("commbench: error: ") + env + " (", 0) == 0);
    CHECK(p.message.find("): set but empty (unset it for the default)\n") != std::string::npos);
  }
  CHECK(parse({"--op", ""}).exit_code == kExitInput);
  CHECK(parse({"-T", ""}).message == "commbench: error: -T/--timeout: '' is not a whole number\n");
  CHECK(parse({"--min-busbw", ""}).message.find("--min-busbw: '' is not a finite number") !=
        std::string::npos);
  const ScopedEnv empty("COMMBENCH_OP", "");
  CHECK(parse({"--op", "broadcast"}).options);  // the command line wins, as over any value
}

TEST_CASE("--help lists the environment twins and exits 0", "[commbench][options]") {
  const ParseOutcome p = parse({"--help"});
  CHECK_FALSE(p.options);
  CHECK(p.exit_code == 0);
  for (const char* env :
       {"COMMBENCH_BACKEND",   "COMMBENCH_OP",          "COMMBENCH_MINBYTES", "COMMBENCH_MAXBYTES",
        "COMMBENCH_STEPBYTES", "COMMBENCH_STEPFACTOR",  "COMMBENCH_ITERS",    "COMMBENCH_WARMUP_ITERS",
        "COMMBENCH_AGG_ITERS", "COMMBENCH_CHECK",       "COMMBENCH_REDOP",    "COMMBENCH_DATATYPE",
        "COMMBENCH_ROOT",      "COMMBENCH_AVERAGE",     "COMMBENCH_BLOCKING", "COMMBENCH_TIMEOUT",
        "COMMBENCH_NGPUS",     "COMMBENCH_OUTPUT_FILE", "COMMBENCH_FORMAT",   "COMMBENCH_MIN_BUSBW"})
    CHECK(p.message.find(env) != std::string::npos);
}

TEST_CASE("usage errors give one message and exit code 2", "[commbench][options]") {
  struct Case {
    std::vector<const char*> args;
    const char* message;
  };
  const std::vector<Case> cases = {
      {{"--op", "allreduce2"}, "unknown value 'allreduce2'"},
      {{"-d", "float128"}, "unknown value 'float128'"},
      {{"-o", "xor"}, "unknown value 'xor'"},
      {{"-b", "1X"}, "unknown suffix"},
      {{"-b", "2K", "-e", "1K"}, "smaller than -b/--minbytes"},
      {{"-n", "0"}, "-n/--iters must be positive"},
      {{"-a", "4"}, "-a/--average"},
      {{"-f", "0.5"}, "-f/--stepfactor"},
      {{"--backend", "gloo"}, "--backend"},
      {{"--frobnicate"}, "frobnicate"},
      {{"-f", "nan"}, "-f/--stepfactor must be a finite number >= 1"},
      {{"-f", "inf"}, "-f/--stepfactor must be a finite number >= 1"},
      {{"-f", "0x10"}, "-f/--stepfactor must be a finite number >= 1"},  // read as 16 (strtod's hex)
      {{"--min-busbw", "0x10"}, "'0x10' is not a finite number of GB/s >= 0 (a decimal number)"},
      {{"--min-busbw", "nan"}, "not a finite number"},
      {{"--min-busbw", "inf"}, "not a finite number"},
      {{"--min-busbw", "-1"}, "not a finite number"},
      {{"--min-busbw", "5x"}, "not a finite number"},
      {{"-T", "-1"}, "-T/--timeout must be >= 0"},
      {{"--op", "all_reduce,,all_gather"}, "--op: empty name in the list"},
      {{"-d", "float,"}, "-d/--datatype: empty name in the list"},
      // A value twice ran every size twice and exited 0; commsim then refused the JSON (two results for a
      // size).
      {{"-d", "float,fp32"}, "-d/--datatype: 'fp32' is float, given twice"},
      {{"--op", "all_reduce,all_reduce"}, "--op: 'all_reduce' is given twice"},
      {{"--op", "all_reduce,broadcast,all-reduce"}, "--op: 'all-reduce' is all_reduce, given twice"},
      {{"-o", "sum,sum"}, "-o/--redop: 'sum' is given twice"},
      {{"--op-reduce", "max,MAX"}, "-o/--redop: 'MAX' is max, given twice"},
      // 'all' in a list said "unknown value 'all' (valid: ..., or all)".
      {{"--op", "all,all_reduce"}, "--op: 'all' stands alone: it cannot be combined with other names"},
      {{"-d", "float,all"}, "-d/--datatype: 'all' stands alone: it cannot be combined with other names"},
      {{"-o", "all,all"}, "-o/--redop: 'all' stands alone"},
      // CLI11's conversion said "Could not convert: --timeout = 1.5"; an octal "010" was 8.
      {{"-T", "1.5"}, "-T/--timeout: '1.5' is not a whole number"},
      {{"-n", "5x"}, "-n/--iters: '5x' is not a whole number"},
      {{"-r", "99999999999"}, "-r/--root: '99999999999' is out of range"},
      {{"--format", "xml"}, "--format: xml not in {table,csv}"},
      {{"-i", "0", "-b", "1K", "-e", "2K"}, "-i/--stepbytes: step must be positive"},
  };
  for (const Case& c : cases) {
    const ParseOutcome p = parse(c.args);
    INFO(c.args.front() << " " << (c.args.size() > 1 ? c.args[1] : ""));
    CHECK_FALSE(p.options);
    CHECK(p.exit_code == kExitInput);
    CHECK(p.message.find(c.message) != std::string::npos);
    CHECK(p.message.rfind("commbench: error: ", 0) == 0);
  }
}

TEST_CASE("whole numbers are decimal, and help shows the value types", "[commbench][options]") {
  REQUIRE(parse({"-n", "010", "-w", "+2"}).options);
  CHECK(parse({"-n", "010"}).options->iters == 10);
  CHECK(parse({"-w", "+2"}).options->warmup_iters == 2);
  const std::string help = parse({"--help"}).message;
  CHECK(help.find("-n,--iters INT") != std::string::npos);
  CHECK(help.find("-f,--stepfactor FLOAT") != std::string::npos);
  CHECK(help.find("-T,--timeout INT") != std::string::npos);
}

TEST_CASE("the reduction flag is -o/--redop with --op-reduce as an alias (commsim spelling)",
          "[commbench][options]") {
  const ParseOutcome a = parse({"--op-reduce", "max,min"});
  const ParseOutcome b = parse({"--redop", "max,min"});
  REQUIRE(a.options);
  REQUIRE(b.options);
  CHECK(a.options->redops == std::vector<RedOp>{RedOp::kMax, RedOp::kMin});
  CHECK(canonical_args(*a.options) == canonical_args(*b.options));
}

TEST_CASE("sizes are read by parse_size_arg from core/units (one size convention)", "[commbench][options]") {
  for (const char* text : {"8", "64K", "1M", "1KiB", "1KB", "2GB", "1G"}) {
    const ParseOutcome p = parse({"-b", text, "-e", "4T", "-f", "2"});
    INFO(text);
    REQUIRE(p.options);
    CHECK(p.options->min_bytes == parse_size_arg(text));
  }
  CHECK(parse({"-b", "64K"}).options->min_bytes == 65536);  // binary, as nccl-tests
}

TEST_CASE("an explicit -T 0 is kept apart from the default (only it turns the watchdog off)",
          "[commbench][options]") {
  const ParseOutcome zero = parse({"-T", "0"});
  const ParseOutcome dflt = parse({});
  REQUIRE(zero.options);
  REQUIRE(dflt.options);
  REQUIRE(zero.options->timeout_s);
  CHECK(*zero.options->timeout_s == 0);
  CHECK(canonical_args(*zero.options) != canonical_args(*dflt.options));
}

TEST_CASE("canonical arguments compare values, not spellings", "[commbench][options]") {
  const ParseOutcome a = parse({"-b", "1K", "--op", "all-reduce", "-d", "fp32"});
  const ParseOutcome b = parse({"-b", "1024", "--op", "all_reduce", "-d", "float"});
  const ParseOutcome c = parse({"-b", "2K"});
  REQUIRE(a.options);
  REQUIRE(b.options);
  REQUIRE(c.options);
  CHECK(canonical_args(*a.options) == canonical_args(*b.options));
  CHECK(canonical_args(*a.options) != canonical_args(*c.options));
  CHECK(a.options->command_line == "commbench -b 1K --op all-reduce -d fp32");
}
