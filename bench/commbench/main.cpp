// commbench: a real collective benchmark with nccl-tests' flags, table and exit codes; MPI backend (host
// buffers, runs anywhere) and NCCL backend (one GPU per rank). Launch with mpirun or srun.
//
// Every decision that ends the run early is taken by all ranks together (parse errors, --help or --version,
// differing arguments, an unwritable -J path, no GPU, impossible layout) so they all return the same code; an
// error on one rank only ends the whole job through MPI_Abort with that rank's code, never a hang.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "backend_factory.hpp"
#include "core/atomic_file.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "harness.hpp"
#include "mpi_world.hpp"
#include "options.hpp"
#include "reporter.hpp"
#include "time_limit.hpp"
#include "watchdog.hpp"

namespace commsim::bench {
namespace {

// DeviceInfo travels to rank 0 as text: fields separated by \x1f, records by \x1e.
std::string encode(const std::vector<DeviceInfo>& devices) {
  std::string s;
  for (const DeviceInfo& d : devices) {
    s += std::to_string(d.rank) + '\x1f' + std::to_string(d.pid) + '\x1f' + d.host + '\x1f' + d.device +
         '\x1f' + d.bus_id + '\x1f' + d.name + '\x1e';
  }
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string::size_type start = 0;
  for (auto pos = s.find(sep); pos != std::string::npos; pos = s.find(sep, start)) {
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
  if (start < s.size()) out.push_back(s.substr(start));
  return out;
}

std::vector<DeviceInfo> gather_devices(const MpiWorld& world, const Backend& backend) {
  std::vector<DeviceInfo> all;
  for (const std::string& process : world.gather_strings(encode(backend.local_devices()))) {
    for (const std::string& record : split(process, '\x1e')) {
      const std::vector<std::string> f = split(record, '\x1f');
      if (f.size() == 6) all.push_back({std::stoi(f[0]), std::stoi(f[1]), f[2], f[3], f[4], f[5]});
    }
  }
  return all;
}

// Checks that need the rank count and the backend; the same on every rank.
int check_plan(const MpiWorld& world, const Options& opts, const Backend& backend) {
  const int nranks = world.size() * backend.devices_per_process();
  std::string message;
  if (opts.root >= nranks) {
    message = "commbench: error: " + flag_named(opts, "-r/--root") + " " + std::to_string(opts.root) +
              " is not a rank (there are " + std::to_string(nranks) + ")\n";
  }
  for (Op op : opts.ops) {
    for (DataType t : opts.types) {
      if (op_sizes(op, opts.max_bytes, dtype_info(t).size, nranks).count > backend.max_count()) {
        message = "commbench: error: " + flag_named(opts, "-e/--maxbytes") + " " +
                  std::to_string(opts.max_bytes) + " gives " + op_name(op) + " more than " +
                  std::to_string(backend.max_count()) + " " + dtype_info(t).name +
                  " elements per call, the " + backend.name() + " backend's limit\n";
      }
    }
  }
  // A collective none of whose sizes holds one element per rank would print an empty table and exit 0 (-b 0 -e 0;
  // an all_gather of 8 B on 8 ranks): nothing measured is a usage error, not a result.
  const std::vector<std::uint64_t> sizes = sweep_sizes(opts.min_bytes, opts.max_bytes, opts.step_factor, opts.step_bytes);
  for (Op op : opts.ops) {
    bool any = false;
    for (DataType t : opts.types)
      for (std::uint64_t bytes : sizes) any = any || op_sizes(op, bytes, dtype_info(t).size, nranks).size_bytes > 0;
    if (!any)
      message = std::string("commbench: error: ") + op_name(op) + ": no size from " +
                flag_named(opts, "-b/--minbytes") + " " + std::to_string(opts.min_bytes) + " to " +
                flag_named(opts, "-e/--maxbytes") + " " + std::to_string(opts.max_bytes) +
                " holds one element per rank on " + std::to_string(nranks) +
                " ranks: nothing would be measured\n";
  }
  return agree_on_verdict(world, message.empty() ? -1 : kExitInput, message);
}

// nccl-tests: wrong data fails the run; then the optional bandwidth floor (NCCL_TESTS_MIN_BW there).
int exit_code_for(const std::vector<TestSummary>& summaries, const Options& opts, bool report) {
  std::int64_t wrong = 0;
  for (const TestSummary& s : summaries) wrong += s.wrong;
  if (wrong > 0) {
    if (report)
      std::fprintf(stderr, "commbench: error: %lld elements differ from the expected values\n",
                   static_cast<long long>(wrong));
    return kExitWrongData;
  }
  int code = kExitOk;
  for (const TestSummary& s : summaries) {
    if (opts.min_busbw && s.avg_busbw_GBps < *opts.min_busbw) {
      if (report)
        std::fprintf(stderr, "commbench: error: %s: average busbw %g GB/s is below %s %g GB/s\n",
                     op_name(s.op), s.avg_busbw_GBps, flag_named(opts, "--min-busbw").c_str(),
                     *opts.min_busbw);
      code = kExitBelowFloor;
    }
  }
  return code;
}

// What every rank must agree on: the parsed values, or the outcome of parsing (--help, --version, an error),
// so that --help on one rank only is a mismatch (exit 2), not a job that exits 0 having measured nothing.
std::string canonical_outcome(const ParseOutcome& parsed) {
  if (parsed.options) return canonical_args(*parsed.options);
  const std::string& m = parsed.message;
  return std::string(parsed.exit_code == 0 ? "--help or --version: " : "usage error: ") +
         m.substr(0, m.find('\n'));
}

std::string limit_source(const Options& opts) {
  if (!opts.timeout_s) return "the default for this sweep, see --help";
  const bool env = opts.env_names.count("--timeout") > 0;
  return (env ? "COMMBENCH_TIMEOUT=" : "-T ") + std::to_string(*opts.timeout_s);
}

// Why no file can be created beside `path` (the -J temporary, renamed over it), or "". AtomicFile's message
// gives the errno of its temporary as if it were the file's: -J /proc/version said "cannot open output file
// for writing: No such file or directory" of a file that exists.
std::string temporary_problem(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(resolve_symlinks(path));
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string probe = (dir / (".commbench.probe." + std::to_string(::getpid())))
                                .string();  // short: a 250-character name is legal
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    return path + ": cannot create a file in " + dir.string() +
           " (the JSON is written to a temporary file there, then renamed to " + target.filename().string() +
           "): " + std::strerror(err);
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return "";
}

// What stops rank 0 writing the -J file, or "". A regular file or a new path is probed with AtomicFile (a
// temporary beside it, so an existing file is not touched). Anything else that exists (a FIFO, /dev/stdout)
// is written once, at the end, and is not opened here: opening and closing a FIFO gave its reader an end of
// file before any result, and the real write then waited for a reader that was gone until the watchdog fired.
std::string json_path_problem(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st)) {
    if (::access(path.c_str(), W_OK) != 0) return path + ": cannot write to it: " + std::strerror(errno);
    return "";
  }
  try {
    const AtomicFile probe(path);
    return "";
  } catch (const Error& e) {
    std::string why;
    if (!fs::is_directory(st)) {
      try {
        why = temporary_problem(path);
      } catch (const Error&) {  // a symlink loop: AtomicFile's message says so
      }
    }
    return why.empty() ? e.what() : why;
  }
}

// Checks that need the process count: the rank count fits an int (MPI and NCCL count ranks in int), and
// rank 0 can write the -J file (json_path_problem).
int check_job(const MpiWorld& world, const Options& opts) {
  const std::int64_t nranks = static_cast<std::int64_t>(world.size()) * opts.ngpus;
  std::string message;
  if (nranks > std::numeric_limits<int>::max()) {
    message = "commbench: error: " + flag_named(opts, "-g/--ngpus") + " " + std::to_string(opts.ngpus) +
              " x " + std::to_string(world.size()) + " processes = " + std::to_string(nranks) +
              " ranks, more than an int rank count holds\n";
  } else if (world.rank() == 0 && !opts.json_path.empty()) {
    if (const std::string why = json_path_problem(opts.json_path); !why.empty())
      message = "commbench: error: " + opts.json_flag + ": " + why + "\n";
  }
  return agree_on_verdict(world, message.empty() ? -1 : kExitInput, message);
}

int run(const MpiWorld& world, const ParseOutcome& parsed, Watchdog& watchdog) {
  watchdog.stage("the check that every rank has the same arguments");
  if (!ranks_agree_on_args(world, canonical_outcome(parsed))) return kExitInput;
  if (!parsed.options) {  // the same --help, --version or usage error on every rank: rank 0 says it
    if (world.rank() == 0) {
      std::FILE* out = parsed.exit_code == 0 ? stdout : stderr;
      std::fputs(parsed.message.c_str(), out);
      if (std::fflush(out) != 0 || std::ferror(out)) {
        std::fputs("commbench: error: write to standard output failed (closed pipe or full disk)\n", stderr);
        return kExitRuntime;
      }
    }
    return parsed.exit_code;
  }
  const Options& opts = *parsed.options;
  if (const int v = check_job(world, opts); v >= 0) return v;
  const int limit = effective_timeout_s(opts, static_cast<std::int64_t>(world.size()) * opts.ngpus);
  watchdog.arm(limit, limit_source(opts));

  watchdog.stage("backend start-up");
  BackendKind kind = BackendKind::kMpi;
  if (const int v = choose_backend(world, opts, kind); v >= 0) return v;
  const std::unique_ptr<Backend> backend = make_backend(kind, world, opts);
  if (const int v = check_plan(world, opts, *backend); v >= 0) return v;

  RunContext ctx;
  ctx.version = commsim_version();
  ctx.backend = backend->name();
  ctx.version_tag = backend->version_tag();
  ctx.libraries = backend->library_versions();
  ctx.ranks = gather_devices(world, *backend);
  ctx.nprocs = world.size();
  ctx.nranks = world.size() * backend->devices_per_process();
  ctx.timeout_s = limit;
  ctx.options = &opts;

  std::vector<std::unique_ptr<Reporter>> reporters;
  if (world.rank() == 0) {
    reporters.push_back(opts.format == OutputFormat::kCsv ? make_csv_reporter(stdout, stderr)
                                                          : make_table_reporter(stdout));
    if (!opts.json_path.empty()) reporters.push_back(make_json_reporter(opts.json_path));
  }
  std::vector<Reporter*> sinks;
  for (const auto& r : reporters) {
    r->context(ctx);
    sinks.push_back(r.get());
  }

  Harness harness(world, *backend, opts, read_test_hooks(), watchdog);
  const std::vector<TestSummary> summaries = harness.run(sinks);
  watchdog.stage("writing the results");
  for (Reporter* r : sinks) r->finish();
  if (world.rank() == 0) check_stdout();
  return exit_code_for(summaries, opts, world.rank() == 0);
}

}  // namespace
}  // namespace commsim::bench

// Options are parsed and the watchdog armed before MPI_Init, so a rank whose MPI_Init never returns (another
// process of the job never started) is ended too.
int main(int argc, char** argv) {
  std::signal(SIGXFSZ, SIG_IGN);  // past ulimit -f: EFBIG, reported by the writers, not a silent death
  // A closed stdout pipe (`commbench ... | head -1`) is a write error, exit 1, with the -J file still
  // written: it killed the run by SIGPIPE (141), the measurements lost.
  std::signal(SIGPIPE, SIG_IGN);
  using namespace commsim::bench;
  const ParseOutcome parsed = parse_options(argc, argv);
  Watchdog watchdog(launcher_rank_hint());
  const Options defaults;
  const Options& opts = parsed.options ? *parsed.options : defaults;
  watchdog.arm(effective_timeout_s(opts, static_cast<std::int64_t>(launcher_size_hint()) * opts.ngpus),
               limit_source(opts));
  watchdog.stage("MPI_Init (waiting for every process of the job to start)");
  int code = commsim::kExitOk;
  {
    MpiWorld world(&argc, &argv);
    watchdog.mpi_up(world.rank());
    try {
      code = run(world, parsed, watchdog);
    } catch (const commsim::Error& e) {
      std::fprintf(stderr, "commbench: rank %d: error: %s\n", world.rank(), e.what());
      world.abort(e.exit_code());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "commbench: rank %d: error: %s\n", world.rank(), e.what());
      world.abort(commsim::kExitRuntime);
    }
    watchdog.mpi_down();
  }  // MPI_Finalize
  return code;
}
