// commbench's command line: nccl-tests' flags and defaults (src/common.cu `longopts`), the collective chosen
// with --op instead of one binary per collective, and an environment-variable twin COMMBENCH_<LONGNAME> for
// every flag (handy under `mpirun -x`). The command line wins over the environment.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "coll/ops.hpp"

namespace CLI {
class App;
}

namespace commsim::bench {

enum class BackendKind { kAuto, kMpi, kNccl };
enum class OutputFormat { kTable, kCsv };
// nccl-tests -a: how the per-rank times are combined.
enum class TimeAverage { kRank0 = 0, kMean = 1, kMin = 2, kMax = 3 };

const char* backend_name(BackendKind b);

struct Options {
  BackendKind backend = BackendKind::kAuto;
  std::vector<Op> ops = {Op::kAllReduce};
  std::uint64_t min_bytes = 32ull << 20;      // -b
  std::uint64_t max_bytes = 32ull << 20;      // -e
  std::uint64_t step_bytes = 1ull << 20;      // -i, used when the factor is 1
  double step_factor = 1;                     // -f
  int iters = 20;                             // -n
  int warmup_iters = 1;                       // -w (nccl-tests >= 2.14 default; older builds printed 5)
  int agg_iters = 1;                          // -m
  int check = 1;                              // -c
  std::vector<RedOp> redops = {RedOp::kSum};  // -o/--redop (alias --op-reduce)
  std::vector<DataType> types = {DataType::kFloat};  // -d
  int root = 0;                                      // -r
  TimeAverage average = TimeAverage::kMean;          // -a
  int blocking = 0;                                  // -z
  std::optional<int> timeout_s;                      // -T: explicit seconds (0 = off); empty = the default
  int ngpus = 1;                                     // -g
  std::string json_path;                             // -J
  std::string json_flag = "-J/--output_file";        // as messages name it (COMMBENCH_OUTPUT_FILE when it gave it)
  std::map<std::string, std::string>
      env_names;  // "--root" -> "COMMBENCH_ROOT": the values the environment gave
  OutputFormat format = OutputFormat::kTable;
  std::optional<double> min_busbw;  // GB/s
  std::string command_line;         // as typed, for the report; not part of canonical_args
};

// The outcome of parsing: either options to run with, or a message and an exit code (0 after --help or
// --version, 2 for a usage error).
struct ParseOutcome {
  std::optional<Options> options;
  int exit_code = 0;
  std::string message;
};

ParseOutcome parse_options(int argc, const char* const* argv);

// A flag as messages name it: `flags` ("-r/--root"), or "COMMBENCH_ROOT (-r/--root)" when env_names
// ("--root" -> "COMMBENCH_ROOT") says its value came from the environment, not from a flag the user typed.
std::string flag_named(const std::map<std::string, std::string>& env_names, const std::string& flags);
std::string flag_named(const Options& o, const std::string& flags);

// After app.parse: the options whose value came from their environment variable (set, and the option not on
// the command line), as "--longname" -> variable. A variable that is set but empty is an InputError naming
// it, as the empty value on the command line is (CLI11 would take it for unset and run the default).
// kernelbench uses it too.
std::map<std::string, std::string> environment_sources(const CLI::App& app, int argc,
                                                       const char* const* argv);

// A comma-separated list; an empty item (`all_reduce,,all_gather`, a trailing comma) is an InputError naming
// `flag`. kernelbench's -p list uses it too.
std::vector<std::string> split_list(const std::string& flag, const std::string& s);

// Every option value after parsing, in a fixed order ("-b 1K" and "-b 1024" give the same string), so ranks
// can check that they were launched with the same arguments.
std::string canonical_args(const Options& o);

}  // namespace commsim::bench
