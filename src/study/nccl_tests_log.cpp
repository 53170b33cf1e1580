// Reader of nccl-tests / rccl-tests text output (and commbench's table, which has the same columns). See
// measurements.hpp for the rules; examples are tests/data/logs/*.log. A hand-written tokenizer, no regex:
// every line is split on ASCII whitespace, so no line (empty, only \v or \r, 26 KB long) can crash it.
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "study/measured_fields.hpp"
#include "study/measurements.hpp"

namespace commsim {
namespace {

// A run whose every row (collective, type, size, times and busbw as printed) and setup (ranks, hosts,
// devices, the NCCL settings it states) are an earlier run's: the same log twice in one file (`cat run.log
// run.log`), whose rows counted twice in every median and fit (helper-153). Two real runs agree to the
// printed digits at every size only by copying; nccl-tests -N cycles repeat rows inside one run, which are
// kept.
void check_no_run_twice(const std::vector<Measurement>& rows, const std::vector<std::size_t>& run_of_row,
                        const std::string& file) {
  using Row = std::tuple<int, int, std::uint64_t, std::optional<double>, std::optional<double>,
                         std::optional<double>, std::optional<double>>;
  std::map<std::size_t, std::vector<Row>> runs;
  std::map<std::size_t, int> first_line;
  std::map<std::size_t, std::string>
      setup;  // ranks, hosts, devices and NCCL settings: another setup, another run
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Measurement& m = rows[i];
    runs[run_of_row[i]].emplace_back(static_cast<int>(m.op), static_cast<int>(m.dtype), m.size_bytes,
                                     m.time_us, m.time_in_place_us, m.busbw_GBps, m.busbw_in_place_GBps);
    if (first_line.emplace(run_of_row[i], m.line).second) {
      std::string k = std::to_string(m.nranks) + '|' + std::to_string(m.nodes) + '|' + m.device + '|' +
                      m.nccl.algo + '|' +
                      std::to_string(m.nccl.proto ? static_cast<int>(*m.nccl.proto) : -1) + '|' +
                      (m.nccl.nvls_off ? "1" : "0");
      for (const auto* env : {&m.nccl.unread, &m.nccl.unmodelled})
        for (const auto& [name, value] : *env) k += '|' + name + '=' + value;
      setup[run_of_row[i]] = k;
    }
  }
  for (auto a = runs.begin(); a != runs.end(); ++a)
    for (auto b = runs.begin(); b != a; ++b)
      if (a->second == b->second && setup[a->first] == setup[b->first])
        throw InputError(SourceLoc{file, first_line[a->first], 0, ""},
                         "this run's rows are the run's at line " + std::to_string(first_line[b->first]) +
                             ", every time and busbw alike: the same log twice in one file (its rows would "
                             "count twice); keep one");
}

using Tokens = std::vector<std::string_view>;

Tokens split_ws(std::string_view s) {
  Tokens out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t b = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

std::size_t skip_digits(std::string_view s, std::size_t i) {
  while (i < s.size() && is_digit(s[i])) ++i;
  return i;
}

// Drops the prefix a launcher adds to each line: `mpirun --tag-output` ("[1,0]<stdout>:"), `srun --label`
// (" 0: "), or Intel MPI's `-l` and MPICH's `-prepend-rank` ("[0] "; "no result rows found", helper-125).
std::string_view strip_rank_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  if (i < s.size() && s[i] == '[') {
    std::size_t j = skip_digits(s, i + 1);
    if (j > i + 1 && j < s.size() && s[j] == ',') {
      const std::size_t k = skip_digits(s, j + 1);
      if (k > j + 1 && k < s.size() && s[k] == ']') {
        std::size_t m = k + 1;
        if (m < s.size() && s[m] == '<') {
          const std::size_t close = s.find('>', m);
          m = close == std::string_view::npos ? s.size() : close + 1;
        }
        if (m < s.size() && s[m] == ':') return s.substr(m + 1);
      }
    }
    if (j > i + 1 && j + 1 < s.size() && s[j] == ']' && is_space(s[j + 1])) return s.substr(j + 1);
    return s;
  }
  const std::size_t j = skip_digits(s, i);
  if (j > i && j < s.size() && s[j] == ':' && (j + 1 == s.size() || is_space(s[j + 1]))) return s.substr(j + 1);
  return s;
}

// "all_reduce_perf", "all_reduce_perf_mpi" (nccl-tests built with NAME_SUFFIX=_mpi) or "all_reduce" -> Op.
// Throws for collectives commsim does not model (gather, scatter...).
Op op_of_test(std::string_view name_in, const SourceLoc& where) {
  std::string name(name_in.substr(0, 64));
  if (const std::size_t perf = name.find("_perf"); perf != std::string::npos && perf > 0) name.resize(perf);
  const auto op = op_from_name(name);
  if (!op) throw InputError(where, "collective '" + name + "' is not modelled by commsim (valid: " + op_names() + ")");
  return *op;
}

// The test binary named on a command line: a token whose last path component is one of nccl-tests' binaries,
// <test>_perf, maybe with its NAME_SUFFIX after it (all_reduce_perf_mpi); another token with "_perf" in it (a
// job name, srun -J nccl_perf_2n) is not one (helper-126).
std::optional<std::string_view> perf_binary(const Tokens& tok) {
  for (std::string_view t : tok) {
    const auto slash = t.find_last_of('/');
    if (slash != std::string_view::npos) t = t.substr(slash + 1);
    const std::size_t perf = t.find("_perf");
    if (perf == std::string_view::npos) continue;
    const std::string_view suffix = t.substr(perf + 5);
    if (!suffix.empty() && suffix[0] != '_') continue;
    const std::string_view test = t.substr(0, perf);
    for (std::string_view known : {"all_reduce", "all_gather", "broadcast", "reduce", "reduce_scatter",
                                   "alltoall", "sendrecv", "scatter", "gather", "hypercube"})
      if (test == known) return t;
  }
  return std::nullopt;
}

// Positions of the values of one table, from its column header.
struct Columns {
  int n = 0;  // fields per row
  int size = -1, count = -1, type = -1, redop = -1, root = -1;
  int time[2] = {-1, -1}, algbw[2] = {-1, -1}, busbw[2] = {-1, -1}, wrong[2] = {-1, -1};  // [out-of-place, in-place]
};

std::optional<Columns> read_header(const Tokens& tok) {
  if (tok.size() < 2 || tok[0] != "size" || tok[1] != "count") return std::nullopt;
  Columns c;
  c.n = static_cast<int>(tok.size());
  int times = 0, algbws = 0, busbws = 0, wrongs = 0;
  for (int i = 0; i < c.n; ++i) {
    const std::string_view t = tok[i];
    if (t == "size") c.size = i;
    else if (t == "count") c.count = i;
    else if (t == "type") c.type = i;
    else if (t == "redop") c.redop = i;
    else if (t == "root") c.root = i;
    else if (t == "time" && times < 2) c.time[times++] = i;
    else if (t == "algbw" && algbws < 2) c.algbw[algbws++] = i;
    else if (t == "busbw" && busbws < 2) c.busbw[busbws++] = i;
    else if (t == "#wrong" && wrongs < 2) c.wrong[wrongs++] = i;
  }
  if (c.type < 0 || c.time[0] < 0 || c.busbw[0] < 0) return std::nullopt;
  return c;
}

// The values of one table row (tok.size() == cols.n). The columns commsim does not use (redop, root, algbw)
// are checked as strictly as those it does: a row with "nan" in one is not a measurement to trust.
// `half_unit` takes half the last printed digit of the out-of-place and in-place times (printed_half_unit).
Measurement read_row(const Tokens& tok, const Columns& cols, const SourceLoc& where, long* root,
                     std::array<double, 2>* half_unit) {
  Measurement m;
  const std::string type(tok[cols.type].substr(0, 64));
  const auto dt = dtype_from_name(type);
  if (!dt) throw InputError(where, "unknown data type '" + type + "' (valid: " + dtype_names() + ")");
  m.dtype = *dt;
  if (cols.redop >= 0) {
    // nccl-tests prints the -o operator, "mulsum" for ncclRedOpPreMulSum, "none" for collectives without one.
    const std::string_view redop = tok[cols.redop];
    if (redop != "none" && redop != "mulsum" && !redop_from_name(redop))
      throw InputError(where, "unknown reduction '" + std::string(redop.substr(0, 64)) + "' in the redop column (valid: sum, prod, min, max, avg, mulsum, none)");
  }
  *root = -1;  // all-to-all and the reductions to every rank print -1
  if (cols.root >= 0 && tok[cols.root] != "-1")
    *root = static_cast<long>(measured_number(tok[cols.root], "root", kMaxMeasuredRanks, true, where));
  std::optional<double> algbw[2];
  if (cols.algbw[0] >= 0) algbw[0] = measured_bandwidth(tok[cols.algbw[0]], "algbw", where);
  if (cols.algbw[1] >= 0) algbw[1] = measured_bandwidth(tok[cols.algbw[1]], "in-place algbw", where);
  m.size_bytes = measured_size(tok[cols.size], "size", where);
  m.count = cols.count >= 0 ? measured_size(tok[cols.count], "count", where) : 0;
  m.time_us = measured_time(tok[cols.time[0]], "time", where);
  m.busbw_GBps = measured_bandwidth(tok[cols.busbw[0]], "busbw", where);
  if (cols.time[1] >= 0) m.time_in_place_us = measured_time(tok[cols.time[1]], "in-place time", where);
  for (int p = 0; p < 2; ++p)
    (*half_unit)[p] = cols.time[p] >= 0 ? printed_half_unit(tok[cols.time[p]]) : 0.0;
  if (cols.busbw[1] >= 0) m.busbw_in_place_GBps = measured_bandwidth(tok[cols.busbw[1]], "in-place busbw", where);
  // The algbw is size / time whatever the ranks (the busbw is checked where the run's ranks are known).
  for (const auto& [t, a, h, what] : {std::tuple{m.time_us, algbw[0], (*half_unit)[0], "out-of-place"},
                                      std::tuple{m.time_in_place_us, algbw[1], (*half_unit)[1], "in-place"}})
    if (t && a)
      if (const std::string why = algbw_disagrees(static_cast<double>(m.size_bytes), *t, *a, h); !why.empty())
        throw InputError(where, std::string("the ") + what + " algbw " + why +
                                    " (one measurement printed twice: a time or algbw edited alone, or "
                                    "nccl-tests -C 1, which prints CPU time)");
  // A time printed coarser than its algbw (`1e+07` beside 0.63 GB/s: older commbench builds printed 10 s and
  // more so) is taken from the algbw, the finer of the two: 1e7 us was 26% short of the 13.5 s measured.
  std::optional<double>* times[2] = {&m.time_us, &m.time_in_place_us};
  for (int p = 0; p < 2; ++p) {
    if (!*times[p] || !algbw[p] || !(*algbw[p] > 0)) continue;
    const double time_rel = (*half_unit)[p] / **times[p];
    const double algbw_rel = printed_half_unit(tok[cols.algbw[p]]) / *algbw[p];
    if (time_rel > 0.01 && algbw_rel < time_rel) {
      *times[p] = static_cast<double>(m.size_bytes) / (*algbw[p] * 1e3);
      (*half_unit)[p] = **times[p] * algbw_rel;
    }
  }
  for (int w : cols.wrong) {
    if (w < 0) continue;
    if (const auto n = measured_wrong(tok[w], where)) m.wrong = m.wrong.value_or(0) + *n;
  }
  return m;
}

// Who ran one nccl-tests run: its Rank lines, hosts and nThread x nGpus. A log may hold several runs one after
// another (a job script looping over node counts); each row takes its own run's ranks.
struct Run {
  std::set<long> ranks;
  std::set<std::string> hosts;
  std::map<long, std::string> host_of;  // rank -> its host (a Rank line printed twice counts once)
  std::set<std::string> devices;        // the GPU names its Rank lines print
  long header_ranks = 0;  // nThread x nGpus: the ranks of one process, when no Rank lines are printed
  NcclSettings
      nccl;  // what its NCCL INFO lines say the environment set ("NCCL_ALGO set by environment to Tree")
  // The sizes the header asks for ("maxBytes 8589934592 step: 2(factor)", or "step: 1048576(bytes)"), the
  // largest size read and whether a closing "Out of bounds values" line followed: a run whose largest size is
  // a step short of maxBytes with no closing line stopped early (killed, timed out, or the file was cut).
  double max_bytes = 0, factor = 0, step_bytes = 0;  // 0: not printed
  std::uint64_t largest = 0;
  bool closed = false;
  bool stopped_early() const {
    if (closed || largest == 0 || max_bytes <= 0) return false;
    const double next = factor > 1       ? static_cast<double>(largest) * factor
                        : step_bytes > 0 ? static_cast<double>(largest) + step_bytes
                                         : 0;
    return next > 0 && next <= max_bytes;
  }
  // Without Rank lines, nThread x nGpus counts one process's ranks: 1 is an MPI run's process (its other
  // ranks unknown, helper-125: "measured on 1 ranks" with no flag to fix it), not a run of 1 rank.
  long nranks() const {
    if (!ranks.empty()) return static_cast<long>(std::min<std::size_t>(ranks.size(), 1 << 24));
    return header_ranks > 1 ? header_ranks : 0;
  }
};

// What the `#` lines before a table say.
struct Context {
  std::optional<Columns> cols;
  std::optional<Op> test_op, command_op;  // from "Collective test starting", from a command line
  std::vector<Run> runs{1};
  bool rows_in_run = false;  // a result row was read since the run began: an nThread or Rank line starts the next
  Run& run() {
    if (rows_in_run) runs.emplace_back(), rows_in_run = false;
    return runs.back();
  }
};

// A number nccl-tests printed as digits (with a "(factor)" or "(bytes)" suffix where `suffix` says), else 0:
// the sizes asked for only decide a note, so what does not read is ignored.
double sweep_number(std::string_view t, std::string_view suffix = "") {
  if (!suffix.empty()) {
    if (t.size() <= suffix.size() || t.substr(t.size() - suffix.size()) != suffix) return 0;
    t = t.substr(0, t.size() - suffix.size());
  }
  return all_digits(t) && t.size() <= 15 ? std::stod(std::string(t)) : 0;
}

// "nThread 1 nGpus 8 minBytes 8 maxBytes 8589934592 step: 2(factor) warmup iters: 5 ...": the sizes asked
// for.
void read_size_sweep(const Tokens& tok, Run& run) {
  for (std::size_t i = 0; i + 1 < tok.size(); ++i) {
    if (tok[i] == "maxBytes") run.max_bytes = sweep_number(tok[i + 1]);
    if (tok[i] == "step:") {
      run.factor = sweep_number(tok[i + 1], "(factor)");
      run.step_bytes = sweep_number(tok[i + 1], "(bytes)");
    }
  }
}

// A `#` line: the collective, a rank line, the thread/GPU counts or the column header.
void read_comment(const Tokens& tok, Context& ctx, const SourceLoc& where) {
  if (tok.empty()) return;
  if (tok.size() >= 4 && tok[0] == "Collective" && tok[1] == "test" && tok[2] == "starting:") {
    ctx.test_op = op_of_test(tok[3], where);
  } else if (tok.size() >= 3 && tok[0] == "Collective" && tok[1] == "test" && tok[2] == "concluded:") {
    ctx.test_op.reset();
    ctx.cols.reset();
  } else if (tok[0] == "Rank" && tok.size() >= 8 && all_digits(tok[1])) {
    Run& run = ctx.run();
    if (tok[1].size() <= 8) run.ranks.insert(std::stol(std::string(tok[1])));
    for (std::size_t i = 2; i + 1 < tok.size(); ++i)
      if (tok[i] == "on") {
        run.hosts.insert(std::string(tok[i + 1].substr(0, 256)));
        if (tok[1].size() <= 8)
          run.host_of[std::stol(std::string(tok[1]))] = std::string(tok[i + 1].substr(0, 256));
        break;
      }
    // "device  0 [0x1b] NVIDIA H100 80GB HBM3" (older nccl-tests: no bus id): the words after the index.
    for (std::size_t i = 2; i + 2 < tok.size(); ++i)
      if (tok[i] == "device") {
        std::size_t j = i + 2;
        if (!tok[j].empty() && tok[j][0] == '[') ++j;
        std::string name;
        for (; j < tok.size(); ++j) name += (name.empty() ? "" : " ") + std::string(tok[j]);
        if (!name.empty()) run.devices.insert(name.substr(0, 128));
        break;
      }
  } else if (tok[0] == "nThread" && tok.size() >= 4 && tok[2] == "nGpus") {
    // Both bounded before they are multiplied (nThread x nGpus overflowed an int).
    const double n = measured_number(tok[1], "nThread", kMaxMeasuredRanks, true, where) *
                     measured_number(tok[3], "nGpus", kMaxMeasuredRanks, true, where);
    if (n > kMaxMeasuredRanks)
      throw InputError(where, "nThread x nGpus = " + std::to_string(static_cast<long long>(n)) + " is more ranks than commsim models");
    Run& run = ctx.run();
    run.header_ranks = static_cast<long>(n);
    read_size_sweep(tok, run);
  } else if (auto c = read_header(tok)) {
    ctx.cols = c;
  }
}

// The footer nccl-tests prints after each table, "Out of bounds values : N OK|FAILED": N when it is such a
// line, else -1. Logs from before the #wrong column (an `error` column of maximum deviations) say only here
// that a row failed its data check.
long out_of_bounds(const Tokens& tok) {
  if (tok.size() < 7 || tok[0] != "Out" || tok[1] != "of" || tok[2] != "bounds" || tok[3] != "values" || tok[4] != ":" ||
      !all_digits(tok[5]) || tok[5].size() > 15)
    return -1;
  return std::stol(std::string(tok[5]));
}

}  // namespace

std::vector<Measurement> parse_nccl_tests_log(const std::string& text, const std::string& file,
                                              std::optional<Op> fallback_op) {
  std::vector<Measurement> rows;
  std::vector<std::size_t> run_of_row;  // index into ctx.runs
  std::vector<long> root_of_row;        // -1: none
  std::vector<std::array<double, 2>> half_unit_of_row;  // the times' printed resolution
  // each row's first line and its rank prefix
  std::map<std::tuple<std::size_t, int, int, std::uint64_t, std::string, long>, std::pair<int, std::string>> row_lines;
  Context ctx;
  std::size_t table_first_row = 0;  // the rows an "Out of bounds values" footer speaks for: since the last one
  // Marks the rows of the table a footer closes as wrong when it counts values out of bounds.
  auto footer = [&](const Tokens& tok) {
    const long failed = out_of_bounds(tok);
    if (failed < 0) return false;
    // A table with #wrong columns names its failed rows itself; the footer speaks for the others.
    const bool counted = ctx.cols && (ctx.cols->wrong[0] >= 0 || ctx.cols->wrong[1] >= 0);
    if (failed > 0 && !counted)
      for (std::size_t i = table_first_row; i < rows.size(); ++i)
        if (!rows[i].wrong_data()) rows[i].wrong = static_cast<std::uint64_t>(failed);
    table_first_row = rows.size();
    ctx.runs.back().closed = true;
    return true;
  };
  std::optional<SourceLoc> orphan;  // the first row-like line before any column header
  std::size_t pos = 0;
  for (int ln = 1; pos < text.size(); ++ln) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view raw = std::string_view(text).substr(pos, end - pos);
    const std::string_view line = strip_rank_prefix(raw);
    const std::string_view prefix = raw.substr(0, raw.size() - line.size());  // "[1,0]<stdout>:", " 0:", or none
    pos = end + 1;
    const SourceLoc where{file, ln, 0, ""};
    Tokens tok = split_ws(line);
    if (tok.empty()) continue;
    if (tok[0][0] == '#') {  // "#", "#size" or "##": drop the leading #s
      const std::size_t hashes = tok[0].find_first_not_of('#');
      if (hashes == std::string_view::npos) tok.erase(tok.begin());
      else tok[0] = tok[0].substr(hashes);
      if (!footer(tok)) read_comment(tok, ctx, where);
      continue;
    }
    if (footer(tok)) continue;  // older nccl-tests print the footer without its '#'

    // A result row starts with its size; one whose size is not digits ("0x100000", "-2097152", "8388608.5")
    // but that has the header's fields and a data type where the header says is a row too, and an error below
    // (it had been skipped as a log line, silently). A line of digits under a header with a type column but
    // no type where it says is a monitor's (rocm-smi, amd-smi or nvidia-smi dmon printing beside the test;
    // each stopped the file, helper-136): skipped.
    // A line with the header's field count and a word where the type is is a row (its errors named: an
    // unknown dtype too, helper-137); a number there is a monitor's (nvidia-smi dmon's 12 fields under an old
    // 12-field header, helper-138).
    const bool typed = ctx.cols && ctx.cols->type >= 0;
    const bool type_is_number = typed && static_cast<int>(tok.size()) > ctx.cols->type &&
                                std::all_of(tok[ctx.cols->type].begin(), tok[ctx.cols->type].end(),
                                            [](char ch) { return is_digit(ch) || ch == '.' || ch == '-'; });
    const bool monitor =
        typed && all_digits(tok[0]) && (static_cast<int>(tok.size()) != ctx.cols->n || type_is_number) &&
        (static_cast<int>(tok.size()) <= ctx.cols->type || !dtype_from_name(tok[ctx.cols->type]));
    const bool result_row =
        !monitor && (all_digits(tok[0]) || (ctx.cols && static_cast<int>(tok.size()) == ctx.cols->n &&
                                            dtype_from_name(tok[ctx.cols->type])));
    if (!result_row) {
      // Older versions print the header and context lines without '#'. Else a command line
      // (`$ srun ... all_reduce_perf -b 8`), or a log line to skip (NCCL INFO, MPI warnings) but for the
      // settings NCCL reads from the environment (NCCL_DEBUG=INFO: "NCCL_ALGO set by environment to Tree").
      // The current run's: NCCL prints them at its init, after nccl-tests' header (a line in the middle of a
      // table, from another rank or a parameter read late, split the run, 2026-12-06).
      // A later value wins, read or not: an exclusion after a forced value clears it, and the reverse.
      auto merge = [&line, &where](NcclSettings& run) {
        const NcclSettings set = read_nccl_log_settings(std::string(line), where);
        if (!set.algo.empty()) run.algo = set.algo, run.unread.erase("NCCL_ALGO");
        if (set.proto) run.proto = set.proto, run.unread.erase("NCCL_PROTO");
        if (line.find("NCCL_NVLS_ENABLE") != std::string_view::npos)
          run.nvls_off = set.nvls_off, run.unread.erase("NCCL_NVLS_ENABLE");
        for (const auto& [name, value] : set.unmodelled) run.unmodelled[name] = value;
        for (const auto& [name, value] : set.unread) {
          run.unread[name] = value;
          if (name == "NCCL_ALGO") run.algo.clear();
          if (name == "NCCL_PROTO") run.proto.reset();
          if (name == "NCCL_NVLS_ENABLE") run.nvls_off = false;
        }
      };
      if (line.find("set by environment to") != std::string_view::npos) {
        merge(ctx.runs.back().nccl);
        continue;
      }
      read_comment(tok, ctx, where);
      if (line.find("NCCL ") == std::string_view::npos)
        if (const auto bin = perf_binary(tok)) {
          ctx.command_op = op_of_test(*bin, where);
          // The command line's environment (`NCCL_ALGO=Tree all_reduce_perf ...`, `mpirun -x
          // NCCL_ALGO=Ring`): the run it starts.
          merge(ctx.run().nccl);
        }
      continue;
    }
    if (monitor) continue;
    // Before any header: a monitor's line, or a table whose header was cut; an error only if no table
    // follows.
    // Before any header a row of nccl-tests (a data type third) is an error, a monitor's line is skipped (a
    // table whose header was cut lost its rows where another table read, helper-137).
    if (!ctx.cols) {
      if (tok.size() >= 3 && dtype_from_name(tok[2]))
        throw InputError(where, "a result row before any column header ('#  size  count  type ...')");
      if (!orphan) orphan = where;
      continue;
    }
    // A last line cut short (a job killed mid-row): the run stops at the row before it, as a file cut between
    // lines does (and says so); it stopped the file.
    if (static_cast<int>(tok.size()) < ctx.cols->n &&
        text.find_first_not_of(" \t\r\n", pos) == std::string::npos)
      break;
    if (static_cast<int>(tok.size()) != ctx.cols->n) {
      throw InputError(where, "a result row with " + std::to_string(tok.size()) + " fields; the column header has " +
                                  std::to_string(ctx.cols->n));
    }
    const std::optional<Op> op = ctx.test_op ? ctx.test_op : ctx.command_op ? ctx.command_op : fallback_op;
    if (!op) {
      throw InputError(where, "cannot tell which collective this table measures (no 'Collective test starting' "
                              "line or *_perf command line); name it with --op");
    }
    long root = -1;
    std::array<double, 2> half_unit{};
    Measurement m = read_row(tok, *ctx.cols, where, &root, &half_unit);
    // Where the collective is the last command line's, the row's redop and root are that collective's as
    // nccl-tests prints them: an operator only for the reductions (and sendrecv), a root only for broadcast
    // and reduce. A second test in a log without its own command line took the first's collective (a
    // reduce_scatter table, redop "sum", read as all_gather; helper-136). A "Collective test starting" line
    // names its own run's, and --op is the user's word.
    const OpInfo& info = op_info(*op);
    const bool redop_none = ctx.cols->redop >= 0 && tok[ctx.cols->redop] == "none";
    if (!ctx.test_op && ctx.command_op &&
        ((ctx.cols->redop >= 0 && redop_none == info.prints_redop) ||
         (ctx.cols->root >= 0 && !info.rooted && root != -1))) {
      const std::string from = "the last *_perf command line before it";
      throw InputError(where,
                       "this row's " +
                           (ctx.cols->redop >= 0 && redop_none == info.prints_redop
                                ? "redop '" + std::string(tok[ctx.cols->redop]) + "'"
                                : "root " + std::to_string(root)) +
                           " is not " + info.name + "'s, the collective taken from " + from +
                           ": a log of several tests needs each test's command line (or split the file)");
    }
    ctx.rows_in_run = true;
    if (m.size_bytes == 0) continue;  // moves nothing: no bandwidth to compare or fit (as MeasurementJoiner)
    // Another rank's copy of a row (mpirun --tag-output, srun --label of every rank's stdout) weighed twice in
    // every fit and median. A row repeated under the same prefix, or none, is a cycle of nccl-tests -N (or a
    // second table): a measurement of its own, kept.
    const std::string redop = ctx.cols->redop >= 0 ? std::string(tok[ctx.cols->redop]) : "";
    const auto [seen, fresh] = row_lines.emplace(
        std::make_tuple(ctx.runs.size(), static_cast<int>(*op), static_cast<int>(m.dtype), m.size_bytes, redop, root),
        std::make_pair(ln, std::string(prefix)));
    if (!fresh && !prefix.empty() && seen->second.second != prefix)
      throw InputError(where, "another rank's copy of the result for " + std::string(op_name(*op)) + " " + dtype_info(m.dtype).name +
                                  " " + std::to_string(m.size_bytes) + " B" + (redop.empty() ? "" : " " + redop) + " at line " +
                                  std::to_string(seen->second.first) + " ('" + std::string(prefix) + "' after '" + seen->second.second +
                                  "'): give one rank's output (every rank prints the same table)");
    m.op = *op;
    m.op_from_flag = !ctx.test_op && !ctx.command_op;
    m.redop = measured_redop(redop);
    m.file = file;
    m.line = ln;
    rows.push_back(m);
    run_of_row.push_back(ctx.runs.size() - 1);
    // A table after a closed one (commbench --op all: one header, a table and closing line per collective)
    // opens the run again: whether it stopped early is its last table's.
    if (Run& r = ctx.runs.back(); r.closed) r.closed = false, r.largest = 0;
    ctx.runs.back().largest = std::max(ctx.runs.back().largest, m.size_bytes);
    root_of_row.push_back(root);
    half_unit_of_row.push_back(half_unit);
    ctx.rows_in_run = true;
  }
  if (rows.empty() && orphan)
    throw InputError(*orphan, "a result row before any column header ('#  size  count  type ...')");
  if (rows.empty()) {
    throw InputError(SourceLoc{file, 0, 0, ""},
                     "no result rows found (expected nccl-tests output: a '#  size  count  type ...' header and rows)");
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Run& run = ctx.runs[run_of_row[i]];
    rows[i].nranks = static_cast<int>(run.nranks());
    // A root is a rank of the run (nccl-tests' -r takes 0 .. nranks-1): root 8 of 8 ranks is no measurement.
    // Checked against the Rank lines only: nThread x nGpus counts one process's ranks of an MPI run.
    if (root_of_row[i] >= 0 && !run.ranks.empty() && root_of_row[i] >= run.nranks())
      throw InputError(SourceLoc{file, rows[i].line, 0, ""}, "root " + std::to_string(root_of_row[i]) + " is not a rank of the run's " +
                                                                   std::to_string(run.nranks()) + " (0 to " + std::to_string(run.nranks() - 1) + ")");
    rows[i].nodes = static_cast<int>(run.hosts.size());
    for (const std::string& n : run.devices)
      rows[i].device += (rows[i].device.empty() ? "" : "\n") + n;  // one per line
    if (i == 0 || run_of_row[i] != run_of_row[i - 1]) {  // once a run: the same number of ranks on each
      std::map<std::string, int> per_host;               // host (7 and 1 on two were modelled as 4 + 4)
      for (const auto& [rank, host] : run.host_of) per_host[host]++;
      check_even_hosts(per_host, SourceLoc{file, rows[i].line, 0, ""});
    }
    rows[i].nccl = run.nccl;
    if (run.stopped_early())
      rows[i].unfinished =
          "a log that stops at " + format_bytes_binary(static_cast<double>(run.largest)) +
          " of its maxBytes " + format_bytes_binary(run.max_bytes) +
          " with no closing 'Out of bounds values' line (a run stopped, or the file cut short)";
    // The time and the busbw of a row are one measurement: one edited alone was fitted beside the other
    // (t_err -86.8% beside bw_err -0.1%). Checked on the run's ranks where Rank lines give them; without them
    // (nThread x nGpus counts one process) against the most any rank count allows.
    const int check_ranks = run.ranks.empty() ? 0 : rows[i].nranks;
    // The count and the type are one row too: "int8" beside float's count was predicted as int8 (no NVLS).
    if (rows[i].count > 0)
      if (const std::string why = count_disagrees(rows[i].op, check_ranks, rows[i].size_bytes, rows[i].count,
                                                  dtype_info(rows[i].dtype).size);
          !why.empty())
        throw InputError(SourceLoc{file, rows[i].line, 0, "count"},
                         why + " (a type or count edited alone" +
                             (rows[i].op_from_flag ? std::string(", or --op ") + op_name(rows[i].op) +
                                                         " is not this table's collective"
                                                   : "") +
                             ")");
    for (const auto& [t, b, h, what] :
         {std::tuple{rows[i].time_us, rows[i].busbw_GBps, half_unit_of_row[i][0], "out-of-place"},
          std::tuple{rows[i].time_in_place_us, rows[i].busbw_in_place_GBps, half_unit_of_row[i][1],
                     "in-place"}})
      if (t && b)
        if (const std::string why =
                busbw_disagrees(rows[i].op, check_ranks, static_cast<double>(rows[i].size_bytes), *t, *b, h);
            !why.empty())
          throw InputError(SourceLoc{file, rows[i].line, 0, ""},
                           std::string("the ") + what + " busbw " + why + " (one measurement printed twice: a time or busbw edited alone, " +
                               "Rank lines cut out of the log, or nccl-tests -C 1, which prints CPU time" +
                               (rows[i].op_from_flag ? std::string("; or --op ") + op_name(rows[i].op) + " is not this table's collective" : "") +
                               ")");
  }
  check_no_run_twice(rows, run_of_row, file);
  return rows;
}

}  // namespace commsim
