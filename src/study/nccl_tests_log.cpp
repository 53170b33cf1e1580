// Reader of nccl-tests text output (and commbench's table, which has the same columns). See measurements.hpp
// for the rules; real examples are tests/data/logs/*.log.
#include <cctype>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "study/measurements.hpp"

namespace commsim {
namespace {

std::vector<std::string> split_ws(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// "all_reduce_perf" or "all_reduce" -> Op. Throws for collectives commsim does not model (gather, scatter...).
Op op_of_test(std::string name, const SourceLoc& where) {
  if (name.size() > 5 && name.compare(name.size() - 5, 5, "_perf") == 0) name.resize(name.size() - 5);
  const auto op = op_from_name(name);
  if (!op) throw InputError(where, "collective '" + name + "' is not modelled by commsim (valid: " + op_names() + ")");
  return *op;
}

// Positions of the values of one table, from its column header.
struct Columns {
  int n = 0;  // fields per row
  int size = -1, count = -1, type = -1;
  int time[2] = {-1, -1}, busbw[2] = {-1, -1};  // [out-of-place, in-place]
};

std::optional<Columns> read_header(const std::vector<std::string>& tok) {
  if (tok.size() < 2 || tok[0] != "size" || tok[1] != "count") return std::nullopt;
  Columns c;
  c.n = static_cast<int>(tok.size());
  int times = 0, busbws = 0;
  for (int i = 0; i < c.n; ++i) {
    const std::string& t = tok[i];
    if (t == "size") c.size = i;
    else if (t == "count") c.count = i;
    else if (t == "type") c.type = i;
    else if (t == "time" && times < 2) c.time[times++] = i;
    else if (t == "busbw" && busbws < 2) c.busbw[busbws++] = i;
  }
  if (c.type < 0 || c.time[0] < 0 || c.busbw[0] < 0) return std::nullopt;
  return c;
}

double number(const std::string& s, const char* what, const SourceLoc& where) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(v >= 0))
    throw InputError(where, std::string("cannot read the ") + what + " value '" + s + "'");
  return v;
}

}  // namespace

std::vector<Measurement> parse_nccl_tests_log(const std::string& text, const std::string& file,
                                              std::optional<Op> fallback_op) {
  static const std::regex perf_re(R"(\b([a-z][a-z_0-9]*)_perf\b)");
  std::vector<Measurement> rows;
  std::optional<Columns> cols;
  std::optional<Op> test_op, command_op;  // from "Collective test starting", from a command line
  std::set<int> ranks;
  std::set<std::string> hosts;
  int header_ranks = 0;  // nThread x nGpus: the ranks of one process, when no Rank lines are printed
  std::istringstream in(text);
  std::string raw;
  for (int ln = 1; std::getline(in, raw); ++ln) {
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    const SourceLoc where{file, ln, 0, ""};
    const auto first = raw.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    const std::string line = raw.substr(first);
    if (line[0] == '#') {
      const std::string body = line.substr(line.find_first_not_of("# \t") == std::string::npos ? line.size()
                                                                                             : line.find_first_not_of("# \t"));
      const std::vector<std::string> tok = split_ws(body);
      if (tok.empty()) continue;
      if (body.rfind("Collective test starting:", 0) == 0 && tok.size() >= 4) {
        test_op = op_of_test(tok[3], where);
      } else if (body.rfind("Collective test concluded:", 0) == 0) {
        test_op.reset();
        cols.reset();
      } else if (tok[0] == "Rank" && tok.size() >= 8 && all_digits(tok[1])) {
        ranks.insert(std::atoi(tok[1].c_str()));
        for (std::size_t i = 2; i + 1 < tok.size(); ++i)
          if (tok[i] == "on") {
            hosts.insert(tok[i + 1]);
            break;
          }
      } else if (tok[0] == "nThread" && tok.size() >= 4 && tok[2] == "nGpus") {
        header_ranks = std::atoi(tok[1].c_str()) * std::atoi(tok[3].c_str());
      } else if (auto c = read_header(tok)) {
        cols = c;
      }
      continue;
    }
    std::vector<std::string> tok = split_ws(line);
    if (!all_digits(tok[0])) {
      // A command line (`$ srun ... all_reduce_perf -b 8`), or a log line to skip.
      std::smatch m;
      if (line.find("NCCL ") == std::string::npos && std::regex_search(line, m, perf_re))
        command_op = op_of_test(m[1].str(), where);
      continue;
    }
    if (!cols) throw InputError(where, "a result row before any column header ('#  size  count  type ...')");
    if (static_cast<int>(tok.size()) != cols->n) {
      throw InputError(where, "a result row with " + std::to_string(tok.size()) + " fields; the column header has " +
                                  std::to_string(cols->n));
    }
    Measurement m;
    const std::optional<Op> op = test_op ? test_op : command_op ? command_op : fallback_op;
    if (!op) {
      throw InputError(where, "cannot tell which collective this table measures (no 'Collective test starting' "
                              "line or *_perf command line); name it with --op");
    }
    m.op = *op;
    const auto dt = dtype_from_name(tok[cols->type]);
    if (!dt) throw InputError(where, "unknown data type '" + tok[cols->type] + "' (valid: " + dtype_names() + ")");
    m.dtype = *dt;
    m.size_bytes = static_cast<std::uint64_t>(number(tok[cols->size], "size", where));
    m.count = cols->count >= 0 ? static_cast<std::uint64_t>(number(tok[cols->count], "count", where)) : 0;
    m.time_us = number(tok[cols->time[0]], "time", where);
    m.busbw_GBps = number(tok[cols->busbw[0]], "busbw", where);
    if (cols->time[1] >= 0) m.time_in_place_us = number(tok[cols->time[1]], "in-place time", where);
    if (cols->busbw[1] >= 0) m.busbw_in_place_GBps = number(tok[cols->busbw[1]], "in-place busbw", where);
    m.file = file;
    m.line = ln;
    rows.push_back(m);
  }
  if (rows.empty()) {
    throw InputError(SourceLoc{file, 0, 0, ""},
                     "no result rows found (expected nccl-tests output: a '#  size  count  type ...' header and rows)");
  }
  const int nranks = !ranks.empty() ? static_cast<int>(ranks.size()) : header_ranks;
  for (Measurement& m : rows) {
    m.nranks = nranks;
    m.nodes = static_cast<int>(hosts.size());
  }
  return rows;
}

}  // namespace commsim
