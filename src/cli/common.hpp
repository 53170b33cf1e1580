// Options shared by the subcommands (system selection, scale, overrides, output) and their plumbing.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "core/atomic_file.hpp"
#include "report/collective_report.hpp"
#include "topo/system_loader.hpp"
#include "topo/topology.hpp"

namespace commsim::cli {

// A CLI11 check for a whole number >= min_value (and <= INT_MAX), with a short message: CLI11's own
// PositiveNumber/NonNegativeNumber print the largest double (309 digits) as the bound.
CLI::Validator at_least(long min_value);
// The same for a whole number in [min_value, max_value] ("must be at most 1024, got 5000").
CLI::Validator in_range(long min_value, long max_value);

// A file-name flag given as "" (a shell variable left unset): "empty file name". An output flag took it as
// "not given" and wrote to stdout, or nowhere, with exit 0.
CLI::Validator file_name();
// A file an output flag writes beside stdout's report (--csv, --jsonl, --html), or one that is read back as a
// file (calibrate's system file): not "-", which would have made a file named "-"; `why` says where the
// output goes instead.
inline constexpr const char* kStdoutHasTheReport =
    "stdout carries the report (--out - or --format write it there)";
CLI::Validator file_beside_stdout(const std::string& why = kStdoutHasTheReport);

// A gate's bound (--max-...-error): a decimal number. '' (a variable left unset) turned the gate off, exit 0;
// '0x10' was read as 16. The bound's range is the gate's to check (study/gate.hpp).
CLI::Validator percentage();
// Any other decimal flag (--max-tpp): digits, a point and an exponent; not hex ('0x1000' was read as 4096),
// nan or inf. Its range is the command's to check.
CLI::Validator decimal_number();

// The most worker threads `sweep -j` and `plan -j` take: past it a thread is refused by the system's limits
// long before it could help (a sweep runs at most one thread per point anyway).
constexpr int kMaxJobs = 1024;
// -j's default: the hardware threads, at most kMaxJobs.
int default_jobs();

// Two output flags naming one file would leave only what was written last (the other output lost, exit 0):
// InputError naming both flags. Unset flags ("") and devices (/dev/null, /dev/stdout) are not compared.
void check_distinct_outputs(const std::vector<std::pair<std::string, std::string>>& flag_and_path);
// An output naming one of the run's input files (`calibrate --measured F --out F`) replaced the input with the
// result, exit 0, the measurements lost: InputError naming both flags, compared as check_distinct_outputs does.
void check_output_not_input(const std::string& out_flag, const std::string& out, const std::string& in_flag,
                            const std::vector<std::string>& inputs);
// A validation file with no row to predict (a header only, or every row excluded by the mapping) printed
// "0 rows: median |error| 0.0%", exit 0: a check that passed on nothing. InputError naming the file.
void require_rows(std::size_t predicted, std::size_t excluded, const std::string& file);

// How a message names a flag whose value may come from its environment variable: "COMMSIM_SYSTEM (--system)"
// when the value is the variable's, else the flag.
std::string flag_or_env(const std::string& flag, const char* env, const std::string& value);
// " (with --set A --set B)" for the --set values a run was given, "" for none: a study whose every point
// failed names them beside its first point's reason (a --set that broke each point was not named).
std::string with_sets(const std::vector<std::string>& sets);

struct SystemOptions {
  std::string system;
  int nodes = 0, gpus = 0, gpus_per_node = 0;
  std::vector<std::string> sets;
  void add_to(CLI::App& app, bool required = true);
  SystemSpec load() const;
  // The flags' scale; --set nodes=N (the system's default scale) beside --gpus or --nodes is refused (ignored
  // before). `needs_two`: what the message says needs two ranks (a collective; `topo`'s pairs).
  Scale scale(const SystemSpec& spec, const std::string& needs_two = "a collective") const;
};

// --format and --out. Output files are whole or absent (core/atomic_file.hpp): stream() writes --out to a
// temporary beside it, and only finish() renames it over the target. A command that throws before finish()
// leaves an existing file byte-identical and creates no new one. A command calls finish() once its report is
// complete, before throwing a verdict (a failed gate, "does not fit"): the report is kept, the exit code says
// the verdict. A command that returns without finish() still has its file committed, by finish_outputs().
struct OutputOptions {
  OutputOptions() = default;
  OutputOptions(const OutputOptions&) = delete;
  OutputOptions& operator=(const OutputOptions&) = delete;
  ~OutputOptions();

  std::string format = "table";
  std::string out;
  void add_to(CLI::App& app, const std::string& formats);
  // stdout, or the --out file's temporary (opened here; InputError if the directory is not writable).
  std::ostream& stream();
  // Opens the --out file now and checks it is none of the inputs read so far: a command with a long run before
  // its output (a search, a fit) calls it once its inputs are read, so an unwritable --out, or one naming an
  // input, fails (exit 2) before the work, not after.
  void open();
  // Commits the --out file (RuntimeError, exit 1, on a write error; the target is then untouched) and checks
  // that every write to stdout succeeded (check_stdout).
  void finish();
  // --format was given on the command line (not a default or COMMSIM_FORMAT's)
  bool format_given() const { return format_flag_ && format_flag_->count() > 0; }

 private:
  std::unique_ptr<AtomicFile> file_;
  CLI::Option* format_flag_ = nullptr;
};

// Finishes every OutputOptions whose --out is still open: main() calls it once a command has returned
// normally, so a command that forgets finish() cannot exit 0 having thrown its output away.
void finish_outputs();

// The error message main() prints for a commsim::Error. Under mpirun every rank meets the same bad input (a
// study, an output path that rank 0 reports to all): ranks other than 0 set this off and exit with the code
// alone, so the run says it once (sweep's MPI ranks; internal errors are still printed by every rank).
void set_error_messages(bool on);
bool error_messages();

// Prints the error message main() would print ("commsim: error: TEXT") now, and sets further messages off.
// Under mpirun, rank 0 says it before the other ranks can exit: a rank's non-zero exit makes mpirun end the
// job, and rank 0, killed before main() printed, said nothing.
void report_error_now(const std::string& text);

// A note or warning line on stderr, written whole in one write (under mpirun, a line written in pieces had
// mpirun's own output inside it); the newline is added.
void note(const std::string& line);

// COMMSIM_FORMAT, when set, names a format some command has (table, csv, json, text, dot): InputError if not.
// Each command takes it as its default only where it has that format (OutputOptions::add_to).
void check_format_env();

std::string command_line(int argc, char** argv);
// "N rows, median |error| 5.1%, worst 38.4%", with "-" for the statistics of no rows (not 0.0%).
std::string error_summary(int rows, double median, double worst);
RunContext make_context(const SystemSpec& spec, const Topology& topo, const std::string& cmdline);

void register_collective(CLI::App& app, const std::string& cmdline);
void register_topo(CLI::App& app);
void register_validate(CLI::App& app, const std::string& cmdline);
void register_calibrate(CLI::App& app);
void register_study(CLI::App& app);
void register_sweep(CLI::App& app);
void register_catalog(CLI::App& app, const std::string& cmdline);
void register_train(CLI::App& app, const std::string& cmdline);
void register_plan(CLI::App& app, const std::string& cmdline);
void add_validate_training(CLI::App& validate, const std::string& cmdline);  // `validate training`
void add_validate_memory(CLI::App& validate);    // `validate memory`
void add_validate_kernels(CLI::App& validate);   // `validate kernels`

}  // namespace commsim::cli
