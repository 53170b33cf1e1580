#include "options.hpp"

#include <CLI/CLI.hpp>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "time_limit.hpp"

namespace commsim::bench {
namespace {

const char* kFooter = R"(
Bandwidths (nccl-tests doc/PERFORMANCE.md): algbw = size / time in GB/s (1 GB = 1e9 B; sizes on the
command line are binary, 1K = 1024); busbw = algbw * factor with n ranks: all_reduce 2(n-1)/n;
all_gather, reduce_scatter, alltoall (n-1)/n; broadcast, reduce, sendrecv 1.
Exit codes: 0 ok, 1 runtime failure, 2 usage error or ranks launched with different arguments,
3 wrong data (#wrong > 0), 4 average busbw below --min-busbw, 77 skipped (no NCCL or no CUDA device).
Run one process per GPU, e.g. mpirun -np 8 commbench --backend nccl --op all -b 8 -e 8G -f 2.)";

// `all`, or a list of names; each value once: `-d float,fp32` (an alias) would run every size twice and write
// two results for one size, which commsim refuses.
template <class T, class NameOf>
std::vector<T> parse_list(const std::string& flag, const std::string& text, const std::vector<T>& all,
                          std::optional<T> (*from_name)(std::string_view), NameOf name_of,
                          const std::string& valid) {
  if (text == "all") return all;
  const std::vector<std::string> names = split_list(flag, text);
  for (const std::string& name : names)
    if (name == "all")
      throw InputError(flag + ": 'all' stands alone: it cannot be combined with other names");
  std::vector<T> out;
  for (const std::string& name : names) {
    const std::optional<T> v = from_name(name);
    if (!v) throw InputError(flag + ": unknown value '" + name + "' (valid: " + valid + ", or all)");
    for (const T& seen : out) {
      if (seen != *v) continue;
      const std::string canonical = name_of(*v);
      throw InputError(flag + ": '" + name + "' " + (canonical == name ? "is" : "is " + canonical + ",") +
                       " given twice");
    }
    out.push_back(*v);
  }
  if (out.empty()) throw InputError(flag + ": empty list");
  return out;
}

// ops.hpp numbers the types 0 .. kF8e5m2 in nccl-tests' order.
std::vector<DataType> all_types() {
  std::vector<DataType> out;
  for (int t = 0; t <= static_cast<int>(DataType::kF8e5m2); ++t) out.push_back(static_cast<DataType>(t));
  return out;
}
const std::vector<RedOp> kAllRedOps = {RedOp::kSum, RedOp::kProd, RedOp::kMax, RedOp::kMin, RedOp::kAvg};

std::uint64_t parse_size_flag(const std::string& flag, const std::string& text) {
  try {
    return parse_size_arg(text);
  } catch (const InputError& e) {
    throw InputError(flag + ": " + e.what());
  }
}

void require(bool ok, const std::string& message) {
  if (!ok) throw InputError(message);
}

// --min-busbw: a finite number >= 0 in GB/s; "nan" or "inf" would disable the floor or fail every run.
double parse_floor(const std::string& flag, const std::string& text) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  require(used == text.size() && used > 0 && plain_decimal(text) && std::isfinite(v) && v >= 0,
          flag + ": '" + text + "' is not a finite number of GB/s >= 0 (a decimal number)");
  return v;
}

// A whole number in int's range, in decimal ("1.5", "5x", "" and "0x10" are not): CLI11's own conversion
// named the flag even when the value came from its environment variable ("Could not convert: --timeout
// = 1.5").
int parse_int(const std::string& flag, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  require(!text.empty() && !std::isspace(static_cast<unsigned char>(text.front())) && *end == '\0',
          flag + ": '" + text + "' is not a whole number");
  require(errno == 0 && v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max(),
          flag + ": '" + text + "' is out of range");
  return static_cast<int>(v);
}

// One of `valid`, else "--format: xml not in {table,csv}" (CLI11's wording, with the variable named).
const std::string& parse_member(const std::string& flag, const std::string& text,
                                const std::vector<std::string>& valid) {
  std::string set;
  for (const std::string& v : valid) {
    if (v == text) return text;
    set += (set.empty() ? "" : ",") + v;
  }
  throw InputError(flag + ": " + text + " not in {" + set + "}");
}

std::string quote_arg(const std::string& a) {
  if (!a.empty() && a.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string::npos) return a;
  std::string out = "'";
  for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The string form of every flag, filled with the defaults and then by CLI11 from argv or the environment.
struct RawFlags {
  std::string backend = "auto", op = "all_reduce", min_bytes = "32M", max_bytes = "32M", step_bytes = "1M";
  std::string redop = "sum", dtype = "float", format = "table", json_path, min_busbw, step_factor = "1";
  std::string iters = "20", warmup = "1", agg = "1", check = "1", root = "0", average = "1", blocking = "0";
  std::string ngpus = "1", timeout;
  bool timeout_given = false, min_busbw_given = false,
       json_given = false;                      // an empty value given is an error, not the default
  std::map<std::string, std::string> from_env;  // "--iters" -> "COMMBENCH_ITERS": values the environment gave

  // A flag as messages name it: "-n/--iters", or "COMMBENCH_ITERS (-n/--iters)" when the environment gave it
  // (a value the user never typed was blamed on the flag).
  std::string named(const std::string& flags) const { return flag_named(from_env, flags); }
};

// "-n/--iters" as the user knows the option: "-n/--iters" for a short and a long name, "--op" for a long one.
std::string display_name(const CLI::Option& o) {
  const std::string lname = "--" + o.get_lnames().front();
  return o.get_snames().empty() ? lname : "-" + o.get_snames().front() + "/" + lname;
}

// The option an argv word names ("-n", "-n5", "--iters", "--iters=5"), or nullptr; `attached`: its value is in
// the word.
const CLI::Option* option_of(const CLI::App& app, std::string_view t, bool* attached) {
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& s : o->get_snames())
      if (t.size() >= 2 && t[0] == '-' && t[1] != '-' && t.substr(1, s.size()) == s) {
        *attached = t.size() > s.size() + 1;
        return o;
      }
    for (const std::string& l : o->get_lnames())
      if (t.rfind("--" + l, 0) == 0 && (t.size() == l.size() + 2 || t[l.size() + 2] == '=')) {
        *attached = t.size() > l.size() + 2;
        return o;
      }
  }
  return nullptr;
}

// The options argv gives itself ("-n 5", "-n5", "--iters 5", "--iters=5"); CLI11 took the others' environment
// variables, when set. A value is no option: in `-J -n5` the -n5 is -J's file name.
std::set<const CLI::Option*> given_on_command_line(const CLI::App& app, int argc, const char* const* argv) {
  std::set<const CLI::Option*> given;
  for (int i = 1; i < argc; ++i) {
    const std::string_view t = argv[i];
    if (t == "--") break;
    bool attached = false;
    const CLI::Option* o = option_of(app, t, &attached);
    if (!o) continue;
    given.insert(o);
    if (!attached && o->get_items_expected_min() > 0) ++i;  // its value is the next word
  }
  return given;
}

void add_flags(CLI::App& app, RawFlags& f) {
  auto opt = [&app](const std::string& names, auto& var, const std::string& env, const std::string& help) {
    return app.add_option(names, var, help)->envname(env)->capture_default_str();
  };
  opt("--backend", f.backend, "COMMBENCH_BACKEND",
      "mpi (host buffers), nccl (CUDA device buffers), or auto "
      "(nccl when every rank sees a CUDA device)");
  opt("--op", f.op, "COMMBENCH_OP", "collective(s): " + op_names() + "; comma-separated, or all");
  opt("-b,--minbytes", f.min_bytes, "COMMBENCH_MINBYTES",
      "minimum size in bytes; K/M/G/T and KiB.. binary, KB/MB/GB/TB decimal")
      ->type_name("SIZE");
  opt("-e,--maxbytes", f.max_bytes, "COMMBENCH_MAXBYTES", "maximum size in bytes, suffixes as -b")
      ->type_name("SIZE");
  opt("-i,--stepbytes", f.step_bytes, "COMMBENCH_STEPBYTES", "additive size step, used when -f is 1")
      ->type_name("SIZE");
  opt("-f,--stepfactor", f.step_factor, "COMMBENCH_STEPFACTOR", "multiplicative size step (> 1 overrides -i)")
      ->type_name("FLOAT");
  opt("-n,--iters", f.iters, "COMMBENCH_ITERS", "timed iterations per size")->type_name("INT");
  opt("-w,--warmup_iters", f.warmup, "COMMBENCH_WARMUP_ITERS",
      "untimed warm-up ops before each size's timing")
      ->type_name("INT");
  opt("-m,--agg_iters", f.agg, "COMMBENCH_AGG_ITERS", "operations aggregated per iteration (one NCCL group)")
      ->type_name("INT");
  opt("-c,--check", f.check, "COMMBENCH_CHECK", "correctness-check iterations after timing (0 disables)")
      ->type_name("INT");
  opt("-o,--redop,--op-reduce", f.redop, "COMMBENCH_REDOP",
      "reduction: sum, prod, min, max, avg; comma-separated, or all "
      "(nccl-tests spells this --op; --op-reduce is an alias, as in commsim)");
  opt("-d,--datatype", f.dtype, "COMMBENCH_DATATYPE", "data type(s): " + dtype_names() + "; or all");
  opt("-r,--root", f.root, "COMMBENCH_ROOT", "root rank of broadcast and reduce")->type_name("INT");
  opt("-a,--average", f.average, "COMMBENCH_AVERAGE", "time across ranks: 0 rank 0, 1 mean, 2 min, 3 max")
      ->type_name("INT");
  opt("-z,--blocking", f.blocking, "COMMBENCH_BLOCKING",
      "0 no wait; 1 wait + barrier after each iteration; "
      "2 wait only; 3 wait + barrier, barrier not timed")
      ->type_name("INT");
  app.add_option("-T,--timeout", f.timeout,
                 "seconds after which every rank is aborted (exit 1); 0 turns the watchdog off. Default: " +
                     std::string(kDefaultTimeoutHelp))
      ->envname("COMMBENCH_TIMEOUT")
      ->type_name("INT")
      ->default_str("derived");
  opt("-g,--ngpus", f.ngpus, "COMMBENCH_NGPUS", "GPUs per process (nccl backend)")->type_name("INT");
  opt("-J,--output_file", f.json_path, "COMMBENCH_OUTPUT_FILE", "also write the results as JSON to this file")
      ->type_name("FILE");
  opt("--format", f.format, "COMMBENCH_FORMAT", "stdout format: table (nccl-tests) or csv");
  app.add_option("--min-busbw", f.min_busbw, "exit 4 if a collective's average busbw is below this, in GB/s")
      ->envname("COMMBENCH_MIN_BUSBW")
      ->type_name("GBPS");
}

Options convert(const RawFlags& f) {
  Options o;
  o.env_names = f.from_env;
  parse_member(f.named("--backend"), f.backend, {"auto", "mpi", "nccl"});
  parse_member(f.named("--format"), f.format, {"table", "csv"});
  o.backend = f.backend == "mpi"    ? BackendKind::kMpi
              : f.backend == "nccl" ? BackendKind::kNccl
                                    : BackendKind::kAuto;
  o.ops = parse_list<Op>(f.named("--op"), f.op, all_ops(), op_from_name, op_name, op_names());
  o.types = parse_list<DataType>(
      f.named("-d/--datatype"), f.dtype, all_types(), dtype_from_name,
      [](DataType t) { return dtype_info(t).name; }, dtype_names());
  o.redops = parse_list<RedOp>(f.named("-o/--redop"), f.redop, kAllRedOps, redop_from_name, redop_name,
                               "sum, prod, min, max, avg");
  o.min_bytes = parse_size_flag(f.named("-b/--minbytes"), f.min_bytes);
  o.max_bytes = parse_size_flag(f.named("-e/--maxbytes"), f.max_bytes);
  o.step_bytes = parse_size_flag(f.named("-i/--stepbytes"), f.step_bytes);
  std::size_t used = 0;
  try {
    o.step_factor = std::stod(f.step_factor, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  // A decimal number: "0x10" was read as 16 (strtod reads hex).
  require(used > 0 && used == f.step_factor.size() && plain_decimal(f.step_factor) &&
              std::isfinite(o.step_factor) && o.step_factor >= 1,
          f.named("-f/--stepfactor") + " must be a finite number >= 1");
  require(o.max_bytes >= o.min_bytes, f.named("-e/--maxbytes") + " (" + std::to_string(o.max_bytes) + ") is smaller than " +
                                          f.named("-b/--minbytes") + " (" + std::to_string(o.min_bytes) + ")");
  try {
    sweep_sizes(o.min_bytes, o.max_bytes, o.step_factor, o.step_bytes);  // rejects a zero step or a huge sweep
  } catch (const InputError& e) {
    const bool step = o.step_factor == 1 && o.step_bytes == 0;
    throw InputError((step ? f.named("-i/--stepbytes")
                           : f.named("-b/--minbytes") + ", " + f.named("-e/--maxbytes") + ", " + f.named("-f/--stepfactor") +
                                 ", " + f.named("-i/--stepbytes")) +
                     ": " + e.what());
  }
  o.iters = parse_int(f.named("-n/--iters"), f.iters);
  o.warmup_iters = parse_int(f.named("-w/--warmup_iters"), f.warmup);
  o.agg_iters = parse_int(f.named("-m/--agg_iters"), f.agg);
  o.check = parse_int(f.named("-c/--check"), f.check);
  o.root = parse_int(f.named("-r/--root"), f.root);
  const int average = parse_int(f.named("-a/--average"), f.average);
  o.blocking = parse_int(f.named("-z/--blocking"), f.blocking);
  if (f.timeout_given) o.timeout_s = parse_int(f.named("-T/--timeout"), f.timeout);
  o.ngpus = parse_int(f.named("-g/--ngpus"), f.ngpus);
  require(o.iters > 0, f.named("-n/--iters") + " must be positive");
  require(o.warmup_iters >= 0, f.named("-w/--warmup_iters") + " must be >= 0");
  require(o.agg_iters > 0, f.named("-m/--agg_iters") + " must be positive");
  require(o.check >= 0, f.named("-c/--check") + " must be >= 0");
  require(o.root >= 0, f.named("-r/--root") + " must be >= 0");
  require(average >= 0 && average <= 3, f.named("-a/--average") + " must be 0, 1, 2 or 3");
  require(o.blocking >= 0 && o.blocking <= 3, f.named("-z/--blocking") + " must be 0, 1, 2 or 3");
  require(!o.timeout_s || *o.timeout_s >= 0,
          f.named("-T/--timeout") + " must be >= 0 (0 turns the watchdog off)");
  require(o.ngpus > 0, f.named("-g/--ngpus") + " must be positive");
  o.average = static_cast<TimeAverage>(average);
  // -J '' (a variable left unset) ran and wrote no file; the last -J counts (`$DEFAULTS -J '' -J run.json`)
  require(!f.json_given || !f.json_path.empty(), f.named("-J/--output_file") + ": empty file name");
  o.json_path = f.json_path;
  o.json_flag = f.named("-J/--output_file");
  o.format = f.format == "csv" ? OutputFormat::kCsv : OutputFormat::kTable;
  if (f.min_busbw_given) o.min_busbw = parse_floor(f.named("--min-busbw"), f.min_busbw);
  return o;
}

}  // namespace

std::vector<std::string> split_list(const std::string& flag, const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) throw InputError(flag + ": empty name in the list '" + s + "'");
    out.push_back(item);
  }
  if (!s.empty() && s.back() == ',') throw InputError(flag + ": empty name in the list '" + s + "'");
  return out;
}

const char* backend_name(BackendKind b) {
  switch (b) {
    case BackendKind::kAuto:
      return "auto";
    case BackendKind::kMpi:
      return "mpi";
    case BackendKind::kNccl:
      return "nccl";
  }
  return "?";
}

std::string flag_named(const std::map<std::string, std::string>& env_names, const std::string& flags) {
  const auto dashes = flags.find("--");
  const std::string lname =
      dashes == std::string::npos ? flags : flags.substr(dashes, flags.find('/', dashes) - dashes);
  const auto e = env_names.find(lname);
  return e == env_names.end() ? flags : e->second + " (" + flags + ")";
}

std::string flag_named(const Options& o, const std::string& flags) {
  return flag_named(o.env_names, flags);
}

// CLI11 takes a variable that is set but empty for an unset one (the default runs: COMMBENCH_OP= ran
// all_reduce, COMMBENCH_OUTPUT_FILE= wrote no file), while the empty value on the command line is an error:
// it is one here too.
std::map<std::string, std::string> environment_sources(const CLI::App& app, int argc,
                                                       const char* const* argv) {
  std::map<std::string, std::string> out;
  const std::set<const CLI::Option*> given = given_on_command_line(app, argc, argv);
  for (const CLI::Option* o : app.get_options()) {
    const std::string env = o->get_envname();
    const char* value = env.empty() ? nullptr : std::getenv(env.c_str());
    if (!value || o->get_lnames().empty() || given.count(o)) continue;
    if (!*value)
      throw InputError(env + " (" + display_name(*o) + "): set but empty (unset it for the default)");
    out["--" + o->get_lnames().front()] = env;
  }
  return out;
}

ParseOutcome parse_options(int argc, const char* const* argv) {
  CLI::App app{"commbench: nccl-tests-compatible collective benchmark (MPI and NCCL backends)", "commbench"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("commbench ") + commsim_version());
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("commbench: error: ") + e.what() + "\nRun with --help for the flags.\n";
  });
  // A flag given twice takes its last value, as nccl-tests' getopt does (`$DEFAULTS -n 50` overrides the
  // defaults' -n); CLI11 refused it ("At Most 1 required but received 2").
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  RawFlags flags;
  add_flags(app, flags);

  ParseOutcome out;
  try {
    app.parse(argc, argv);
    flags.from_env = environment_sources(app, argc, argv);
    flags.timeout_given = app.count("--timeout") > 0;
    flags.min_busbw_given = app.count("--min-busbw") > 0;
    flags.json_given = app.count("--output_file") > 0;
    out.options = convert(flags);
  } catch (const CLI::ParseError& e) {
    std::ostringstream text;
    const int rc = app.exit(e, text, text);
    out.exit_code = rc == 0 ? kExitOk : kExitInput;  // CLI11's own codes (100+) are usage errors: 2
    out.message = text.str();
    return out;
  } catch (const InputError& e) {
    out.exit_code = kExitInput;
    out.message = std::string("commbench: error: ") + e.what() + "\n";
    return out;
  }
  for (int i = 0; i < argc; ++i) out.options->command_line += (i ? " " : "") + quote_arg(argv[i]);
  return out;
}

std::string canonical_args(const Options& o) {
  auto join = [](const auto& items, auto name) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + std::string(name(item));
    return out;
  };
  std::ostringstream s;
  s << "backend=" << backend_name(o.backend) << " op=" << join(o.ops, op_name) << " b=" << o.min_bytes
    << " e=" << o.max_bytes << " i=" << o.step_bytes << " f=" << o.step_factor << " n=" << o.iters
    << " w=" << o.warmup_iters << " m=" << o.agg_iters << " c=" << o.check
    << " o=" << join(o.redops, redop_name)
    << " d=" << join(o.types, [](DataType t) { return dtype_info(t).name; }) << " r=" << o.root
    << " a=" << static_cast<int>(o.average) << " z=" << o.blocking
    << " T=" << (o.timeout_s ? std::to_string(*o.timeout_s) : "default") << " g=" << o.ngpus
    << " J=" << o.json_path << " format=" << (o.format == OutputFormat::kCsv ? "csv" : "table")
    << " min-busbw=" << (o.min_busbw ? std::to_string(*o.min_busbw) : "none");
  return s.str();
}

}  // namespace commsim::bench
