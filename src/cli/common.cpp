#include "cli/common.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/text.hpp"
#include "core/yaml_override.hpp"

namespace commsim::cli {

namespace {

CLI::Validator whole_number(long min_value, long max_value, const std::string& description) {
  return CLI::Validator(
      [min_value, max_value](std::string& text) {
        // from_chars, not stol: " 4" and "+4" are not what a script meant to pass (stol read both as 4).
        long v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc::result_out_of_range && end == text.data() + text.size())
          return (text[0] == '-' ? "must be at least " + std::to_string(min_value)
                                 : "must be at most " + std::to_string(max_value)) +
                 ", got " + text;
        if (ec != std::errc() || end != text.data() + text.size())
          return "'" + text + "' is not a whole number";
        // A leading zero: CLI11 then reads the count as octal (--nodes 010 ran 8 nodes).
        if (text.size() > 1 && (text[0] == '0' || (text[0] == '-' && text[1] == '0')))
          return "'" + text + "' is not a whole number as written (a leading zero)";
        if (v < min_value) return "must be at least " + std::to_string(min_value) + ", got " + text;
        if (v > max_value) return "must be at most " + std::to_string(max_value) + ", got " + text;
        return std::string();
      },
      description);
}

}  // namespace

CLI::Validator at_least(long min_value) {
  return whole_number(min_value, 2147483647L, "INT>=" + std::to_string(min_value));
}

CLI::Validator in_range(long min_value, long max_value) {
  return whole_number(min_value, max_value,
                      "INT in [" + std::to_string(min_value) + ", " + std::to_string(max_value) + "]");
}

CLI::Validator file_name() {
  return CLI::Validator([](std::string& text) { return text.empty() ? std::string("empty file name") : std::string(); },
                        "FILE");
}

CLI::Validator file_beside_stdout(const std::string& why) {
  return CLI::Validator(
      [why](std::string& text) {
        if (text.empty()) return std::string("empty file name");
        if (text == "-") return "'-' is no file here: " + why;
        return std::string();
      },
      "FILE");
}

CLI::Validator percentage() {
  return CLI::Validator(
      [](std::string& text) {
        double v = 0;
        const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || res.ptr != text.data() + text.size()) return "'" + text + "' is not a percentage (a decimal number)";
        return std::string();
      },
      "PERCENT");
}

CLI::Validator decimal_number() {
  return CLI::Validator(
      [](std::string& text) {
        return plain_decimal(text) ? std::string() : "'" + text + "' is not a decimal number";
      },
      "NUMBER");
}

int default_jobs() {
  return static_cast<int>(
      std::clamp(std::thread::hardware_concurrency(), 1u, static_cast<unsigned>(kMaxJobs)));
}

void check_distinct_outputs(const std::vector<std::pair<std::string, std::string>>& flag_and_path) {
  struct Seen {
    std::string flag, path;  // the canonical path
    dev_t dev = 0;           // an existing file's device and inode (0, 0: none yet)
    ino_t ino = 0;
  };
  std::vector<Seen> seen;
  for (const auto& [flag, path] : flag_and_path) {
    if (path.empty()) continue;
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) continue;
    // A symlink counts as the file it points to, also one that does not exist yet (a dangling link).
    std::string target;
    try {
      target = resolve_symlinks(path);
    } catch (const InputError& e) {
      throw InputError(flag + ": " + e.what());
    }
    const std::filesystem::path real =
        std::filesystem::weakly_canonical(std::filesystem::absolute(target, ec), ec);
    const std::string key = ec ? path : real.string();
    // Two names of one file (a hard link: --csv x.csv --jsonl x.jsonl wrote each over the other, exit 0) are
    // one file by its device and inode.
    struct stat sb {};
    const bool exists = ::stat(path.c_str(), &sb) == 0;
    for (const Seen& s : seen)
      if (s.path == key || (exists && s.ino != 0 && s.dev == sb.st_dev && s.ino == sb.st_ino))
        throw InputError(s.flag + " and " + flag + " name the same file '" + path + "': give each its own");
    seen.push_back({flag, key, exists ? sb.st_dev : 0, exists ? sb.st_ino : 0});
  }
}

void check_output_not_input(const std::string& out_flag, const std::string& out, const std::string& in_flag,
                            const std::vector<std::string>& inputs) {
  for (const std::string& in : inputs) check_distinct_outputs({{in_flag, in}, {out_flag, out}});
}

void require_rows(std::size_t predicted, std::size_t excluded, const std::string& file) {
  if (predicted > 0) return;
  throw InputError(file + ": no row to predict (" +
                   (excluded > 0 ? "every row is excluded by the mapping: " + std::to_string(excluded) : std::string("a header only")) + ")");
}

void SystemOptions::add_to(CLI::App& app, bool required) {
  auto* o = app.add_option("--system,-s", system, "system name (see `commsim catalog`) or path to a system YAML")
                ->envname("COMMSIM_SYSTEM");
  if (required) o->required();
  // 0 is not "the default": leaving the flag out is.
  app.add_option("--nodes", nodes, "number of nodes")->check(at_least(1))->default_str("the system's");
  app.add_option("--gpus", gpus, "total GPUs (packages); a multiple of the GPUs per node, or a partial supernode")
      ->check(at_least(1))
      ->default_str("nodes x GPUs per node");
  app.add_option("--gpus-per-node", gpus_per_node, "use only this many GPUs of each node")
      ->check(at_least(1))
      ->default_str("all");
  app.add_option("--set", sets,
                 "override any system parameter: key.path=value (e.g. fabric.nic_speed=200Gb/s); repeatable")
      ->take_all();
}

std::string flag_or_env(const std::string& flag, const char* env, const std::string& value) {
  const char* e = std::getenv(env);
  return e && *e && value == e ? std::string(env) + " (" + flag + ")" : flag;
}

std::string with_sets(const std::vector<std::string>& sets) {
  std::string s;
  for (const std::string& v : sets) s += (s.empty() ? " (with --set " : " --set ") + v;
  return s.empty() ? s : s + ")";
}

Scale SystemOptions::scale(const SystemSpec& spec, const std::string& needs_two) const {
  if ((gpus > 0 || nodes > 0) && default_nodes_override(sets))
    throw InputError(
        SourceLoc{"--set", 0, 0, "nodes"},
        default_nodes_refused(std::string(gpus > 0 ? "--gpus" : "--nodes") + " sizes the cluster"));
  ScaleNames names;
  names.needs_two = needs_two;
  return resolve_scale(spec, nodes, gpus, gpus_per_node, names);
}

SystemSpec SystemOptions::load() const {
  try {
    return load_system(system, sets);
  } catch (const InputError& e) {
    // A system from the environment is not a flag the user typed: named as COMMSIM_SYSTEM (--system).
    if (e.loc().file != "--system") throw;
    SourceLoc at = e.loc();
    at.file = flag_or_env("--system", "COMMSIM_SYSTEM", system);
    throw InputError(at, e.message());
  }
}

void OutputOptions::add_to(CLI::App& app, const std::string& formats) {
  // COMMSIM_FORMAT sets the default of every command that has that format; a command without it keeps its
  // own default (COMMSIM_FORMAT=csv does not break `topo`, whose formats are text and dot). The flag wins.
  const std::string listed = formats.substr(0, formats.find('('));  // "table, csv, json (with ...)"
  if (const char* env = std::getenv("COMMSIM_FORMAT"); env && *env) {
    for (std::size_t i = 0; i < listed.size();) {
      const std::size_t j = std::min(listed.find(',', i), listed.size());
      if (trim(listed.substr(i, j - i)) == env) format = env;
      i = j + 1;
    }
  }
  format_flag_ = app.add_option("--format", format, "output format: " + formats + " (default: " + format +
                                                        "; COMMSIM_FORMAT sets it where it names one of these)");
  // `-O -` is stdout, as the convention goes (it wrote a file named '-'): no --out at all, so that a stdout
  // redirected to a file is written into, not replaced by a renamed temporary (as /dev/stdout would be).
  app.add_option_function<std::string>(
         "--out,-O", [this](const std::string& v) { out = v == "-" ? std::string() : v; },
         "write the data to FILE instead of stdout ('-': stdout)")
      ->check(file_name());
}

namespace {

// The OutputOptions with an --out file opened and not yet finished.
std::vector<OutputOptions*>& open_outputs() {
  static std::vector<OutputOptions*> open;
  return open;
}

void forget(OutputOptions* o) { std::erase(open_outputs(), o); }

}  // namespace

OutputOptions::~OutputOptions() { forget(this); }

std::ostream& OutputOptions::stream() {
  if (out.empty()) return std::cout;
  if (!file_) {
    file_ = std::make_unique<AtomicFile>(out);
    open_outputs().push_back(this);
  }
  return file_->stream();
}

void OutputOptions::open() {
  if (out.empty()) return;
  stream();
  check_not_an_input(resolve_symlinks(out), out);
}

void OutputOptions::finish() {
  forget(this);
  if (file_) file_->commit();
  check_stdout();
}

void finish_outputs() {
  while (!open_outputs().empty()) open_outputs().back()->finish();
}

namespace {
std::atomic<bool> g_error_messages{true};
}  // namespace

void set_error_messages(bool on) {
  g_error_messages = on;
}
bool error_messages() {
  return g_error_messages;
}

void report_error_now(const std::string& text) {
  note("commsim: error: " + text);
  set_error_messages(false);
}

void note(const std::string& line) {
  const std::string text = line + "\n";
  std::cerr.write(text.data(), static_cast<std::streamsize>(text.size()));
  std::cerr.flush();
}

void check_format_env() {
  const char* env = std::getenv("COMMSIM_FORMAT");
  if (!env || !*env) return;
  for (const char* f : {"table", "csv", "json", "text", "dot"})
    if (std::string(env) == f) return;
  // Process-wide, so every command's formats are valid here; a command uses it where it has that format.
  throw InputError(
      std::string("COMMSIM_FORMAT: unknown format '") + env +
      "' (the formats of all commands: table, csv, json, text, dot; a command takes it where it has it)");
}

std::string error_summary(int rows, double median, double worst) {
  if (rows == 0) return "0 rows, median |error| -, worst -";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%d rows, median |error| %.1f%%, worst %.1f%%", rows, 100 * median, 100 * worst);
  return buf;
}

std::string command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

RunContext make_context(const SystemSpec& spec, const Topology& topo, const std::string& cmdline) {
  RunContext c;
  c.command_line = cmdline;
  c.system = spec.name;
  c.system_file = spec.file;
  c.nodes = topo.nodes();
  c.gpus_per_node = topo.packages_per_node();
  c.ranks = topo.ranks();
  c.overrides = spec.overrides;
  return c;
}

}  // namespace commsim::cli
