// Reading measured results: the dispatch on the file's content, the commbench JSON reader, the CSV reader
// (the agreed measurement/prediction schema) and the setting aside of rows with wrong data.
#include "study/measurements.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/text.hpp"
#include "study/hccl_test_log.hpp"
#include "study/json_fields.hpp"
#include "study/measured_fields.hpp"

namespace commsim {
namespace {

template <class Enum, class Lookup>
Enum named(const std::string& s, Lookup lookup, const char* what, const std::string& names, const SourceLoc& loc) {
  const auto v = lookup(s);
  if (!v) throw InputError(loc, std::string(what) + " '" + s.substr(0, 64) + "' is not modelled by commsim (valid: " + names + ")");
  return *v;
}

// A row's algbw and busbw against its time (algbw_disagrees, busbw_disagrees): `at` names the row; the
// message names the column (JSON: the path's last part).
void check_one_measurement(const MeasuredRecord& rec, std::optional<double> algbw, const SourceLoc& at) {
  auto column = [&](const std::string& name) {
    SourceLoc l = at;
    l.key = l.key.empty() ? name : l.key + "." + name;
    return l;
  };
  const double size = static_cast<double>(rec.size_bytes);
  const char* causes = " (one measurement written twice: a time or bandwidth edited alone, or rows joined from two runs)";
  if (algbw)
    if (const std::string why = algbw_disagrees(size, rec.time_us, *algbw, rec.time_half_unit_us);
        !why.empty())
      throw InputError(column("algbw_GBps"), why + causes);
  if (rec.busbw_GBps)
    if (const std::string why =
            busbw_disagrees(rec.op, rec.nranks, size, rec.time_us, *rec.busbw_GBps, rec.time_half_unit_us);
        !why.empty())
      throw InputError(column("busbw_GBps"), why + causes);
}

MeasuredRecord json_record(const Json& r, const std::string& file, const std::string& at, int nranks) {
  MeasuredRecord rec;
  if (!r.is_object()) throw InputError(SourceLoc{file, 0, 0, at}, "expected an object");
  // The keys commbench writes; another is a typo ("wrogn": the row's wrong count was never read, so a row
  // with wrong data was compared) or another tool's.
  static constexpr const char* kKeys[] = {"op",         "size_bytes", "count",    "dtype",
                                          "redop",      "root",       "in_place", "time_us",
                                          "algbw_GBps", "busbw_GBps", "wrong"};
  for (const auto& [key, value] : r.items())
    if (std::none_of(std::begin(kKeys), std::end(kKeys), [&key = key](const char* k) { return key == k; }))
      throw InputError(
          SourceLoc{file, 0, 0, at + "." + key},
          "unknown key (a result has op, size_bytes, count, dtype, redop, root, in_place, time_us, "
          "algbw_GBps, busbw_GBps, wrong)");
  rec.op = named<Op>(json_string(r, "op", file, at), op_from_name, "collective", op_names(), SourceLoc{file, 0, 0, at + ".op"});
  rec.dtype = named<DataType>(json_string(r, "dtype", file, at), dtype_from_name, "data type", dtype_names(),
                              SourceLoc{file, 0, 0, at + ".dtype"});
  rec.size_bytes = static_cast<std::uint64_t>(json_number(r, "size_bytes", kMaxMeasuredBytes, true, file, at));
  rec.count = r.contains("count") ? static_cast<std::uint64_t>(json_number(r, "count", kMaxMeasuredBytes, true, file, at)) : 0;
  if (r.contains("count"))
    if (const std::string why =
            count_disagrees(rec.op, nranks, rec.size_bytes, rec.count, dtype_info(rec.dtype).size);
        !why.empty())
      throw InputError(SourceLoc{file, 0, 0, at + ".count"}, why + " (a type or count edited alone)");
  // Optional, but of their type when given: a string "yes" for in_place had been read as false, so an in-place
  // time replaced the out-of-place one.
  if (r.contains("redop")) rec.redop = json_string(r, "redop", file, at);
  if (r.contains("root")) {
    const Json& root = r["root"];
    if (!root.is_number()) throw InputError(SourceLoc{file, 0, 0, at + ".root"}, "expected a number (-1: no root)");
    const double v = root.get<double>();
    rec.root = v == -1 ? -1 : static_cast<long>(bounded_number(v, "root", kMaxMeasuredRanks, true, SourceLoc{file, 0, 0, at + ".root"}));
  }
  if (r.contains("in_place") && !r["in_place"].is_boolean())
    throw InputError(SourceLoc{file, 0, 0, at + ".in_place"}, "expected true or false");
  rec.in_place = r.contains("in_place") && r["in_place"].get<bool>();
  rec.key = at;
  rec.nranks = nranks;
  rec.time_us = time_above_floor(json_number(r, "time_us", kMaxMeasuredTimeUs, false, file, at), "time_us",
                                 SourceLoc{file, 0, 0, at + ".time_us"});
  if (r.contains("busbw_GBps"))
    rec.busbw_GBps = bandwidth_above_floor(json_number(r, "busbw_GBps", kMaxMeasuredGBps, false, file, at), "busbw_GBps",
                                           SourceLoc{file, 0, 0, at + ".busbw_GBps"});
  if (r.contains("wrong") && !r["wrong"].is_null())
    rec.wrong = static_cast<std::uint64_t>(json_number(r, "wrong", kMaxMeasuredBytes, true, file, at));
  // The time and the bandwidths are one measurement, as commbench writes them (an edited one was printed and
  // compared as it stood).
  std::optional<double> algbw;
  if (r.contains("algbw_GBps"))
    algbw = bandwidth_above_floor(json_number(r, "algbw_GBps", kMaxMeasuredGBps, false, file, at), "algbw_GBps",
                                  SourceLoc{file, 0, 0, at + ".algbw_GBps"});
  check_one_measurement(rec, algbw, SourceLoc{file, 0, 0, at});
  return rec;
}

}  // namespace

namespace {

// `lines`: each JSON path's line in the text (json_value_lines), so a row is named FILE:LINE as in a log.
std::vector<Measurement> read_commbench_document(const Json& doc, const std::string& file,
                                                 const std::map<std::string, int>& lines) {
  if (!doc.is_object() || !doc.contains("results") || !doc["results"].is_array())
    throw InputError(SourceLoc{file, 1, 0, ""}, "not a commbench JSON file (no \"results\" array)");
  // The context is optional, its values of their type when given: an nranks of null, "x" or 0 had been read as
  // unknown ranks.
  int nranks = 0, nodes = 0;
  std::set<std::string> names;  // the GPU names of context.ranks
  if (doc.contains("context")) {
    const Json& c = doc["context"];
    if (!c.is_object()) throw InputError(SourceLoc{file, 0, 0, "context"}, "expected an object");
    // Another tool's file, or a schema this reader does not know (commbench writes 1 and 2): it was read as
    // if it were commbench's.
    if (c.contains("tool") && json_string(c, "tool", file, "context") != "commbench")
      throw InputError(SourceLoc{file, 0, 0, "context.tool"},
                       "not a commbench file (expected \"commbench\")");
    if (c.contains("schema_version")) {
      const double v = json_number(c, "schema_version", 1e6, true, file, "context");
      if (v < 1 || v > 2)
        throw InputError(SourceLoc{file, 0, 0, "context.schema_version"},
                         "unsupported schema_version (expected 1 or 2)");
    }
    if (c.contains("nranks")) {
      nranks = static_cast<int>(json_number(c, "nranks", kMaxMeasuredRanks, true, file, "context"));
      if (nranks < 1) throw InputError(SourceLoc{file, 0, 0, "context.nranks"}, "a run has at least 1 rank");
    }
    // The units a file states are the ones its values are read in (a file edited to "time_us": "ms" was read
    // in us, 1000x off, 2026-12-06).
    if (c.contains("units")) {
      const Json& u = c["units"];
      if (!u.is_object()) throw InputError(SourceLoc{file, 0, 0, "context.units"}, "expected an object");
      for (const auto& [key, unit] : {std::pair<const char*, const char*>{"size_bytes", "B"},
                                      {"time_us", "us"},
                                      {"algbw_GBps", "1e9 B/s"},
                                      {"busbw_GBps", "1e9 B/s"}})
        if (u.contains(key) && (!u[key].is_string() || u[key].get<std::string>() != unit))
          throw InputError(
              SourceLoc{file, 0, 0, std::string("context.units.") + key},
              std::string("commsim reads ") + key + " in '" + unit + "', as commbench writes it");
    }
    if (c.contains("hosts") && !c["hosts"].is_array()) throw InputError(SourceLoc{file, 0, 0, "context.hosts"}, "expected a list");
    if (c.contains("hosts")) {  // distinct names ("hosts": ["a", "a"] is one node)
      std::set<std::string> distinct;
      for (const Json& h : c["hosts"]) distinct.insert(h.is_string() ? h.get<std::string>() : h.dump());
      nodes = static_cast<int>(std::min<std::size_t>(distinct.size(), 1 << 24));
    }
    // The ranks' hosts: each of context.hosts, and the same number on each (commsim models nodes of one size;
    // 3 ranks on one host and 1 on another were modelled as 2 + 2, helper-120, 2026-12-06).
    if (c.contains("ranks") && c["ranks"].is_array())  // the GPU the ranks name, where they name one
      for (const Json& r : c["ranks"])
        if (r.is_object() && r.contains("name") && r["name"].is_string())
          names.insert(r["name"].get<std::string>().substr(0, 128));
    if (c.contains("ranks") && c["ranks"].is_array() && !c["ranks"].empty()) {
      std::map<std::string, int> per_host;
      std::map<long long, std::string> host_of;  // each rank once; a rank without a host leaves the check out
      bool every_host = true;
      for (const Json& r : c["ranks"]) {
        if (!r.is_object() || !r.contains("host") || !r["host"].is_string() || !r.contains("rank") ||
            !r["rank"].is_number_integer()) {
          every_host = false;
          break;
        }
        if (!host_of.emplace(r["rank"].get<long long>(), r["host"].get<std::string>()).second)
          throw InputError(SourceLoc{file, 0, 0, "context.ranks"},
                           "rank " + std::to_string(r["rank"].get<long long>()) + " is listed twice");
      }
      if (every_host)
        for (const auto& [rank, host] : host_of) per_host[host]++;
      if (c.contains("hosts"))
        for (const auto& entry : per_host) {
          const std::string& host = entry.first;  // a named variable: clang 14 captures no structured binding
          if (std::none_of(c["hosts"].begin(), c["hosts"].end(),
                           [&host](const Json& h) { return h.is_string() && h.get<std::string>() == host; }))
            throw InputError(SourceLoc{file, 0, 0, "context.ranks"},
                             "a rank on host '" + host + "', which context.hosts does not list");
        }
      check_even_hosts(per_host, SourceLoc{file, 0, 0, "context.ranks"});
      if (!per_host.empty() && c.contains("hosts") && per_host.size() != static_cast<std::size_t>(nodes))
        throw InputError(
            SourceLoc{file, 0, 0, "context.hosts"},
            std::to_string(nodes) + " hosts listed, the ranks ran on " + std::to_string(per_host.size()));
    }
  }
  if (doc.contains("complete") && !doc["complete"].is_boolean())
    throw InputError(SourceLoc{file, 0, 0, "complete"}, "expected true or false");
  // Out-of-place and in-place results of one row are separate records; join them.
  MeasurementJoiner join(file);
  const Json& results = doc["results"];
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string at = "results[" + std::to_string(i) + "]";
    MeasuredRecord rec = json_record(results[i], file, at, nranks);
    rec.line = json_line_in(lines, at);
    join.add(std::move(rec));
  }
  std::vector<Measurement> rows = join.take();
  if (rows.empty()) throw InputError(SourceLoc{file, 0, 0, "results"}, "no results in the file");
  const bool unfinished = doc.contains("complete") && !doc["complete"].get<bool>();
  for (Measurement& m : rows) {
    m.nodes = nodes;
    for (const std::string& n : names) m.device += (m.device.empty() ? "" : "\n") + n;  // one per line
    if (unfinished) m.unfinished = "a commbench run that did not finish (\"complete\": false)";
  }
  return rows;
}

}  // namespace

std::vector<Measurement> parse_commbench_json(const std::string& text, const std::string& file) {
  try {
    const Json doc = parse_measured_json(text, file);
    return read_commbench_document(doc, file, json_value_lines(text));
  } catch (const InputError& e) {
    throw json_error_at_line(e, text, file);  // the JSON path's line
  }
}

std::vector<Measurement> parse_measurement_csv(const std::string& text, const std::string& file) {
  // commbench --csv's measured columns; its prediction-only ones (algorithm, protocol, bottleneck: empty in a
  // measurement) are not read, so a CSV without them is one (it was refused).
  static const char* kColumns[] = {"op",    "size_bytes", "count",   "dtype",      "redop",      "root",
                                   "ranks", "in_place",   "time_us", "algbw_GBps", "busbw_GBps", "wrong"};
  const std::vector<CsvRow> csv = parse_csv(text, file);
  MeasurementJoiner join(file);
  for (const CsvRow& row : csv) {
    const SourceLoc where{file, row.line, 0, ""};
    auto cell = [&](const char* col) -> const std::string& { return row.at(col); };
    for (const char* col : kColumns) cell(col);  // every column present
    MeasuredRecord rec;
    rec.line = row.line;
    rec.op = named<Op>(cell("op"), op_from_name, "collective", op_names(), SourceLoc{file, row.line, 0, "op"});
    rec.dtype = named<DataType>(cell("dtype"), dtype_from_name, "data type", dtype_names(), SourceLoc{file, row.line, 0, "dtype"});
    rec.size_bytes = measured_size(cell("size_bytes"), "size_bytes", where);
    rec.count = measured_size(cell("count"), "count", where);
    rec.redop = cell("redop");
    const std::string& root = cell("root");
    rec.root = root.empty() || root == "-1" ? -1 : static_cast<long>(measured_number(root, "root", kMaxMeasuredRanks, true, where));
    rec.nranks = static_cast<int>(measured_number(cell("ranks"), "ranks", kMaxMeasuredRanks, true, where));
    if (const std::string why =
            count_disagrees(rec.op, rec.nranks, rec.size_bytes, rec.count, dtype_info(rec.dtype).size);
        !why.empty())
      throw InputError(SourceLoc{file, row.line, 0, "count"}, why + " (a type or count edited alone)");
    const std::string& in_place = cell("in_place");
    if (in_place != "0" && in_place != "1")
      throw InputError(SourceLoc{file, row.line, 0, "in_place"},
                       "must be 0 or 1, not '" + in_place.substr(0, 64) + "'");
    rec.in_place = in_place == "1";
    rec.time_us = measured_time(cell("time_us"), "time_us", where);
    rec.time_half_unit_us = printed_half_unit(cell("time_us"));
    rec.busbw_GBps = measured_bandwidth(cell("busbw_GBps"), "busbw_GBps", where);
    const double algbw = measured_bandwidth(cell("algbw_GBps"), "algbw_GBps", where);
    rec.wrong = measured_wrong(cell("wrong"), where);
    check_one_measurement(rec, algbw, where);
    join.add(rec);
  }
  std::vector<Measurement> rows = join.take();
  if (rows.empty()) throw InputError(SourceLoc{file, 0, 0, ""}, "no result rows found (the CSV has a header only)");
  // A commsim prediction's context line states its nodes ("# commsim ... prediction; system: S  nodes: 2
  // ..."): its rows ran there. A commbench CSV states none (unknown_hosts_note).
  for (std::size_t pos = 0; pos < text.size();) {  // the # lines before the header
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    if (line[0] != '#') break;
    const std::size_t n = line.find("  nodes: ");
    if (line.rfind("# commsim ", 0) != 0 || line.find(" prediction; ") == std::string::npos ||
        n == std::string::npos)
      continue;
    const std::size_t d = n + 9, e = std::min(line.find_first_not_of("0123456789", d), line.size());
    if (e > d && e - d <= 7)
      for (Measurement& m : rows) m.nodes = std::stoi(line.substr(d, e - d));
  }
  return rows;
}

std::vector<Measurement> read_measurements(const std::string& path, std::optional<Op> fallback_op) {
  return parse_measurements(read_input_file(path, "measured file"), path, fallback_op);
}

std::vector<Measurement> parse_measurements(std::string text, const std::string& path, std::optional<Op> fallback_op) {
  // A UTF-8 byte order mark (a file saved by a spreadsheet or an editor) hid the '{' or the CSV header, and the
  // file was read as a text log with no rows.
  text.erase(0, bom_length(text));
  // What is no text of ours at all is named as such (each was "no result rows found (expected nccl-tests
  // output ...)", helper-144).
  const std::string_view head4 = std::string_view(text).substr(0, 4);
  if (head4.substr(0, 2) == "\x1f\x8b")
    throw InputError(SourceLoc{path, 0, 0, ""}, "a gzip-compressed file: decompress it first (gunzip)");
  if (head4.substr(0, 2) == "\xff\xfe" || head4.substr(0, 2) == "\xfe\xff" ||
      text.find('\0') < std::min<std::size_t>(text.size(), 256))
    throw InputError(SourceLoc{path, 0, 0, ""},
                     "UTF-16 or binary content (a NUL byte near the start): save it as UTF-8 text (iconv -f "
                     "UTF-16 -t UTF-8)");
  // Lines ended by a carriage return alone (an old Mac editor): one line, no rows.
  if (text.find('\n') == std::string::npos) std::replace(text.begin(), text.end(), '\r', '\n');
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') return parse_commbench_json(text, path);
  if (first != std::string::npos && text[first] == '[') {  // "[0] #  nThread": a rank prefix, not JSON
    const auto next = text.find_first_not_of(" \t\r\n", first + 1);
    if (next == std::string::npos || text[next] == '{' || text[next] == ']')
      throw InputError(SourceLoc{path, 1, 0, ""},
                       "a JSON array: a commbench file is one object with a \"results\" array ({\"context\": "
                       "..., \"results\": [...]})");
  }
  // The first line that is neither blank nor a # comment.
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = std::string_view(text).substr(pos, end - pos);
    pos = end + 1;
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string_view::npos || line[b] == '#') continue;
    // In any case: "OP,SIZE_BYTES,..." fell through to the nccl-tests parser ("no result rows found"); read
    // as a CSV, its first column the reader needs is named at the header's line.
    std::string head(line.substr(b, 14));
    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
    if (head == "op,size_bytes,") return parse_measurement_csv(text, path);
    break;
  }
  if (is_hccl_test_log(text))
    return parse_hccl_test_log(text, path, fallback_op);  // Ascend (it was "a result row
                                                          // before any column header")
  return parse_nccl_tests_log(text, path, fallback_op);
}

std::string unfinished_run_note(const std::vector<Measurement>& rows) {
  std::string note;
  std::set<std::string> files;
  for (const Measurement& m : rows)
    if (!m.unfinished.empty() &&
        files.insert(m.file).second) {  // appended piece by piece: GCC 12's -Wrestrict
      if (!note.empty()) note += '\n';
      note += "note: ";
      note += m.file;
      note += ": from ";
      note += m.unfinished;
      note += ": its rows are what it measured before it stopped";
    }
  return note;
}

void check_even_hosts(const std::map<std::string, int>& ranks_per_host, const SourceLoc& where) {
  if (ranks_per_host.size() < 2) return;
  const int first = ranks_per_host.begin()->second;
  if (std::all_of(ranks_per_host.begin(), ranks_per_host.end(),
                  [first](const auto& h) { return h.second == first; }))
    return;
  std::string each;
  for (const auto& [host, n] : ranks_per_host) {
    if (each.size() > 120) {
      each += ", ...";
      break;
    }
    each += (each.empty() ? "" : ", ") + host + " " + std::to_string(n);
  }
  throw InputError(where,
                   "ranks spread unevenly over hosts (" + each +
                       "): commsim models nodes of one size (measure the same number of ranks on each host)");
}

std::string unknown_hosts_note(const std::vector<Measurement>& rows, bool scale_given) {
  if (scale_given) return "";
  std::string note;
  std::set<std::string> files;
  for (const Measurement& m : rows)
    if (m.nodes == 0 && m.nranks > 1 && files.insert(m.file).second) {
      if (!note.empty()) note += '\n';
      note +=
          "note: " + m.file +
          ": names no hosts (a commbench CSV has no host column; a log without Rank lines, a JSON without "
          "context.hosts): its " +
          std::to_string(m.nranks) +
          " ranks are placed as the system places that many, one node where it holds them; for a run over "
          "several hosts pass --nodes (and --gpus-per-node)";
    }
  return note;
}

std::string nccl_settings_note(const std::vector<Measurement>& rows) {
  std::string note;
  std::set<std::string> files;
  for (const Measurement& m : rows)
    if ((m.nccl.any() || !m.nccl.unread.empty() || !m.nccl.unmodelled.empty()) &&
        files.insert(m.file).second) {
      std::string set;
      if (!m.nccl.algo.empty()) set += "NCCL_ALGO=" + m.nccl.algo;
      if (m.nccl.proto)
        set += std::string(set.empty() ? "" : ", ") + "NCCL_PROTO=" + proto_name(*m.nccl.proto);
      if (m.nccl.nvls_off) set += std::string(set.empty() ? "" : ", ") + "NCCL_NVLS_ENABLE=0";
      if (!set.empty()) {
        if (!note.empty()) note += '\n';
        note += "note: " + m.file + ": the run set " + set +
                " (its NCCL INFO lines or command line): its rows are predicted with it, where it applies";
      }
      // An exclusion or a list ("NCCL_PROTO=^LL128") names no one setting to force: NCCL's own choice is
      // predicted, and may be what the run excluded (it was left out without a word until 2026-12-06).
      if (!m.nccl.unread.empty()) {
        if (!note.empty()) note += '\n';
        std::string unread;
        for (const auto& [name, value] : m.nccl.unread)
          unread += (unread.empty() ? "" : ", ") + name + "=" + value;
        note += "note: " + m.file + ": the run set " + unread +
                ", which names no one algorithm or protocol to force: its rows are predicted with NCCL's own "
                "choice, which may be one the run excluded";
      }
      // A transport or channel setting the simulator does not model (helper-129: a Socket-transport log was
      // fitted as if on InfiniBand, bandwidth_scale 0.03): predicted with NCCL's defaults, said so.
      if (!m.nccl.unmodelled.empty()) {
        if (!note.empty()) note += '\n';
        std::string set;
        for (const auto& [name, value] : m.nccl.unmodelled)
          set += (set.empty() ? "" : ", ") + name + "=" + value;
        note +=
            "note: " + m.file + ": the run set " + set +
            ", which changes how it moves data and which commsim does not model: its rows are predicted with "
            "NCCL's default transports and channels, and a fit to them fits that difference";
      }
    }
  return note;
}

std::string set_aside_wrong_rows(std::vector<Measurement>& rows) {
  const std::size_t total = rows.size();
  std::string where;
  std::size_t set_aside = 0;
  for (const Measurement& m : rows) {
    if (!m.wrong_data() || ++set_aside > 3) continue;
    if (!where.empty()) where += ", ";
    where += m.file;
    if (m.line > 0) {
      where += ':';
      where += std::to_string(m.line);
    }
  }
  if (set_aside == 0) return "";
  rows.erase(std::remove_if(rows.begin(), rows.end(), [](const Measurement& m) { return m.wrong_data(); }), rows.end());
  if (set_aside > 3) where += ", ...";
  const std::string what = std::to_string(set_aside) + " of " + std::to_string(total) +
                           " measured rows report wrong data (#wrong > 0, or a table whose footer counts values out of bounds)";
  if (rows.empty()) throw InputError(what + ": " + where + "; nothing left to use");
  return "note: " + what + " and are left out: " + where;
}

}  // namespace commsim
