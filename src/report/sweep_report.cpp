#include "report/sweep_report.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "coll/ops.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/text.hpp"
#include "report/sweep_summary.hpp"
#include "report/table.hpp"
#include "study/json_fields.hpp"

namespace commsim {
namespace {

std::string g6(double v) { return std::isnan(v) ? "" : six_digits(v); }

// What the sweep writes, checked on a row read back (--resume), since its numbers enter the summary and the
// charts as the sweep's own: a status the sweep writes; no number on an invalid or error row; every number
// before the totals on an ok row (on a does_not_fit row: all of them or none); none negative; the counts
// (GPUs, ranks, nodes) whole and at most 2^31 - 1. Returns the column at fault and why, or an empty column.
std::pair<std::string, std::string> resumed_row_fault(const SweepSpec& spec, const SweepRow& r) {
  const SweepColumns& c = sweep_columns(spec.kind);
  const bool train = spec.kind == SweepKind::kTrain;
  if (r.status != "ok" && r.status != "invalid" && r.status != "error" && !(train && r.status == "does_not_fit"))
    return {"status", "'" + r.status + "' is not a status a sweep writes (" +
                          (train ? "ok, does_not_fit, invalid, error" : "ok, invalid, error") + ")"};
  // The train columns from train_days on are the totals, empty without training.tokens or a price.
  const std::size_t required = train ? 14 : c.numbers.size();
  std::size_t given = 0;
  for (std::size_t i = 0; i < required; ++i) given += !std::isnan(r.numbers[i]);
  for (std::size_t i = 0; i < c.numbers.size(); ++i) {
    const double v = r.numbers[i];
    const std::string& name = c.numbers[i];
    if (std::isnan(v)) {
      if (i < required && (r.status == "ok" || (r.status == "does_not_fit" && given > 0)))
        return {name, "empty on a row with status " + r.status + " (the sweep writes every figure of such a point)"};
      continue;
    }
    if (r.status == "invalid" || r.status == "error")
      return {name, "a number on a row with status " + r.status + " (the sweep writes none there)"};
    if (v < 0) return {name, six_digits(v) + " is negative (the sweep writes no negative figure)"};
    const bool count = name == "gpus_used" || name == "ranks" || name == "nodes_used";
    if (count && (v != std::floor(v) || v < 1 || v > 2147483647.0))
      return {name, six_digits(v) + " is not a count the sweep writes (a whole number from 1 to 2^31 - 1)"};
  }
  auto value = [&](const char* name) {
    return r.numbers[static_cast<std::size_t>(std::find(c.numbers.begin(), c.numbers.end(), name) -
                                              c.numbers.begin())];
  };
  // A training row's step is its breakdown's sum (each written to six digits), and its MFU at most 8 (the
  // bf16 peak it is quoted against: fp8 is twice it, fp4 up to six times on B300 and GB300): a step or MFU
  // edited alone (1e+300) headed the summary.
  if (train && !std::isnan(value("step_time_s"))) {
    double parts = 0;
    for (const char* part : {"compute_s", "tp_s", "cp_s", "ep_s", "pp_s", "dp_s", "bubble_s", "optimizer_s"})
      parts += value(part);
    const double step = value("step_time_s");
    if (!(step > 0) || std::fabs(parts - step) > 1e-4 * step)
      return {"step_time_s", six_digits(step) +
                                 " is not the sum of its breakdown (compute_s .. optimizer_s: " +
                                 six_digits(parts) + "): the sweep writes one estimate"};
    if (value("mfu") > 8)
      return {"mfu", six_digits(value("mfu")) +
                         " is above 8 (800% of the bf16 peak): not a figure the sweep writes"};
  }
  // A collective's time is positive and its busbw at most 1e6 GB/s, as the measurement readers bound them;
  // its busbw is its algbw times the op's factor on its ranks, written to six digits: a busbw edited alone
  // (9999.5 beside an algbw of 118) entered the summary as the highest.
  if (!train && r.status == "ok") {
    if (!(value("time_us") > 0)) return {"time_us", six_digits(value("time_us")) + " is not a positive time"};
    if (value("busbw_GBps") > 1e6)
      return {"busbw_GBps",
              six_digits(value("busbw_GBps")) + " GB/s is above 1e6 GB/s: not a figure the sweep writes"};
    const double n = value("ranks"), algbw = value("algbw_GBps"), busbw = value("busbw_GBps");
    // The row's own collective (op is always an axis of a collective sweep); the three factors when its value
    // names none.
    std::optional<Op> row_op;
    for (std::size_t a = 0; a < spec.axes.size() && a < r.axes.size(); ++a)
      if (spec.axes[a].key == "op") row_op = op_from_name(r.axes[a]);
    const std::vector<Op> ops =
        row_op ? std::vector<Op>{*row_op} : std::vector<Op>{Op::kAllReduce, Op::kAllGather, Op::kBroadcast};
    bool one_of = false;
    for (Op op : ops) {  // the factors: 2(n-1)/n, (n-1)/n, 1
      const double expected = algbw * busbw_factor(op, static_cast<int>(n));
      one_of = one_of || std::fabs(busbw - expected) <= 1e-4 * std::max(expected, busbw) + 1e-12;
    }
    if (!one_of && row_op)
      return {"busbw_GBps", six_digits(busbw) + " is not the algbw " + six_digits(algbw) + " times " +
                                op_name(*row_op) + "'s busbw factor on " + six_digits(n) + " ranks (" +
                                six_digits(busbw_factor(*row_op, static_cast<int>(n))) +
                                "): the sweep writes one measurement"};
    if (!one_of)
      return {"busbw_GBps", six_digits(busbw) + " is not the algbw " + six_digits(algbw) + " times a collective's busbw factor on " +
                                six_digits(n) + " ranks (2(n-1)/n, (n-1)/n or 1): the sweep writes one measurement"};
  }
  return {"", ""};
}

std::string kind_name(SweepKind k) { return k == SweepKind::kTrain ? "train" : "collective"; }

// "base.set a=1, --set b=2": each override by where it was given (the study's base.set, or the command line,
// which a base.set entry was labelled as).
std::string sets_text(const SweepSpec& spec) {
  std::string t;
  for (const std::string& x : spec.base_sets) {
    if (!t.empty()) t += ", ";
    t += spec.base_sets_written_at.count(x) ? "base.set " : "--set ";
    t += x;
  }
  return t;
}

}  // namespace

std::string sweep_csv_context(const SweepSpec& spec) {
  std::string l = "# commsim sweep '" + spec.name + "' (" + kind_name(spec.kind) + "): " + spec.title;
  // The base's fingerprint: --resume of a file whose study was edited since mixed rows of two bases.
  if (!spec.base_fingerprint.empty()) l += "; base " + spec.base_fingerprint;
  if (!spec.base_sets.empty()) l += "; with " + sets_text(spec);
  l += '\n';
  return l;
}

// Fields are appended one by one (`s += ','; s += f`): `"," + f` trips GCC 12's -Wrestrict false positive.
std::string sweep_csv_header(const SweepSpec& spec) {
  std::string h = "point";
  auto field = [&h](const std::string& f) { h += ','; h += f; };
  for (const SweepAxis& a : spec.axes) field(csv_escape(a.key));
  field("status"), field("reason");
  const SweepColumns& c = sweep_columns(spec.kind);
  for (const std::string& n : c.numbers) field(n);
  for (const std::string& n : c.labels) field(n);
  h += '\n';
  return h;
}

std::string sweep_csv_line(const SweepSpec&, const SweepRow& row) {
  std::string l = std::to_string(row.index);
  auto field = [&l](const std::string& f) { l += ','; l += f; };
  for (const std::string& v : row.axes) field(csv_escape(v));
  field(row.status), field(csv_escape(row.reason));
  for (double v : row.numbers) field(g6(v));
  for (const std::string& v : row.labels) field(csv_escape(v));
  l += '\n';
  return l;
}

std::string sweep_jsonl_line(const SweepSpec& spec, const SweepRow& row) {
  const SweepColumns& c = sweep_columns(spec.kind);
  nlohmann::ordered_json j;
  j["point"] = row.index;
  j["key"] = row.key;
  nlohmann::ordered_json axes = nlohmann::ordered_json::object(), nums = nlohmann::ordered_json::object(),
                         labels = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < spec.axes.size(); ++i) axes[spec.axes[i].key] = row.axes[i];
  for (std::size_t i = 0; i < c.numbers.size(); ++i)
    nums[c.numbers[i]] = std::isnan(row.numbers[i]) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(row.numbers[i]);
  for (std::size_t i = 0; i < c.labels.size(); ++i) labels[c.labels[i]] = row.labels[i];
  j["axes"] = axes;
  j["status"] = row.status;
  j["reason"] = row.reason;
  j["numbers"] = nums;
  j["labels"] = labels;
  if (!spec.base_sets.empty()) j["sets"] = spec.base_sets;  // what --resume checks (absent: none)
  if (!spec.base_fingerprint.empty()) j["base"] = spec.base_fingerprint;  // and this
  return json_text(j, -1) + "\n";
}

namespace {

// One JSON Lines record read back: parsed as the measured files are (study/json_fields.hpp: a key given twice
// in one object refused, which nlohmann keeps the last of; syntax errors placed without the library's text),
// then each value read with its key named (nlohmann's own texts, "type must be number, but is string",
// reached the message).
struct RecordReader {
  const std::string& where;
  nlohmann::json j;

  RecordReader(const std::string& line, const std::string& where_) : where(where_) {
    try {
      j = parse_measured_json(line, where);
    } catch (const InputError& e) {  // its line is the record's (1): `where` names the file's
      const SourceLoc& at = e.loc();
      throw InputError(where + ": " + (at.key.empty() ? "" : "key '" + at.key + "': ") +
                       (at.column > 0 ? "column " + std::to_string(at.column) + ": " : "") + e.message());
    }
    if (!j.is_object()) throw InputError(where + ": not a record of this sweep: not a JSON object");
  }
  const nlohmann::json& at(const nlohmann::json& obj, const std::string& key, const std::string& path) const {
    if (!obj.is_object()) {  // "numbers": [] said "key 'numbers.ranks': missing"
      const std::string parent = path.substr(0, path.rfind('.') == std::string::npos ? 0 : path.rfind('.'));
      throw InputError(where + ": " + (parent.empty() ? "" : "key '" + parent + "': ") +
                       obj.dump().substr(0, 40) + " is not an object, as the sweep writes it");
    }
    if (!obj.contains(key))
      throw InputError(where + ": key '" + path + "': missing: not a record of this sweep");
    return obj.at(key);
  }
  std::string text(const nlohmann::json& obj, const std::string& key, const std::string& path) const {
    const nlohmann::json& v = at(obj, key, path);
    if (!v.is_string())
      throw InputError(where + ": key '" + path + "': " + v.dump() +
                       " is not a string, as the sweep writes it");
    return v.get<std::string>();
  }
  double number(const nlohmann::json& obj, const std::string& key, const std::string& path) const {
    const nlohmann::json& v = at(obj, key, path);
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number())
      throw InputError(where + ": key '" + path + "': " + v.dump() +
                       " is not a number or null, as the sweep writes it");
    return v.get<double>();
  }
};

}  // namespace

SweepRow row_from_jsonl(const SweepSpec& spec, const std::string& line, const std::string& where) {
  const SweepColumns& c = sweep_columns(spec.kind);
  SweepRow r;
  const RecordReader rec(line, where);
  const nlohmann::json& j = rec.j;
  if (!rec.at(j, "point", "point").is_number_unsigned())  // 1.7 was truncated to 1, -1 read as 2^64 - 1
    throw InputError(where + ": key 'point': " + j.at("point").dump() + " is not a point number");
  r.index = j.at("point").get<std::size_t>();
  r.key = rec.text(j, "key", "key");
  for (const SweepAxis& a : spec.axes)
    r.axes.push_back(rec.text(rec.at(j, "axes", "axes"), a.key, "axes." + a.key));
  r.status = rec.text(j, "status", "status");
  r.reason = rec.text(j, "reason", "reason");
  for (const std::string& n : c.numbers)
    r.numbers.push_back(rec.number(rec.at(j, "numbers", "numbers"), n, "numbers." + n));
  for (const std::string& n : c.labels)
    r.labels.push_back(rec.text(rec.at(j, "labels", "labels"), n, "labels." + n));
  if (const auto [col, why] = resumed_row_fault(spec, r); !col.empty())
    throw InputError(where + ": key '" + (col == "status" ? col : "numbers." + col) + "': --resume: " + why +
                     "; write to a new file");
  std::vector<std::string> sets;
  if (j.contains("sets")) {
    const nlohmann::json& v = j.at("sets");
    if (!v.is_array())
      throw InputError(where + ": key 'sets': " + v.dump() +
                       " is not a list of strings, as the sweep writes it");
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string())
        throw InputError(where + ": key 'sets[" + std::to_string(i) + "]': " + v[i].dump() +
                         " is not a string");
      sets.push_back(v[i].get<std::string>());
    }
  }
  // The lists as JSON: "--set a, --set b" reads alike for one set and for two.
  const auto listed = [](const std::vector<std::string>& v) {
    return v.empty() ? std::string("no --set") : "--set " + nlohmann::json(v).dump();
  };
  if (sets != spec.base_sets)
    throw InputError(where + ": --resume: this line was computed with " + listed(sets) + ", this run has " +
                     listed(spec.base_sets) + ": its rows would mix two bases; write to a new file");
  const std::string base =
      j.contains("base") && j.at("base").is_string() ? j.at("base").get<std::string>() : "";
  if (base != spec.base_fingerprint)
    throw InputError(
        where + ": --resume: this line was computed from another base (fingerprint " +
        (base.empty() ? "none" : base) + ", this run's " + spec.base_fingerprint +
        "; the study's base, its config, a system, GPU, model or other file they name, or the model's data "
        "files edited): its rows would mix "
        "two bases; write to a new file");
  // Every value read, the record must be the line the sweep writes for it: a number written another way
  // (1e-400, read as 0; 8.50 for 8.5), a key added or moved, was taken as the sweep's own row.
  const std::string as_written = sweep_jsonl_line(spec, r);
  if (as_written != (!line.empty() && line.back() == '\n' ? line : line + "\n")) {
    std::size_t at = 0;
    while (at < line.size() && at < as_written.size() && line[at] == as_written[at]) ++at;
    const std::size_t from = at < 12 ? 0 : at - 12;
    throw InputError(where + ": column " + std::to_string(at + 1) + ": --resume: '" + line.substr(from, 24) +
                     "' is not as the sweep writes this record ('" + as_written.substr(from, 24) +
                     "'); write to a new file");
  }
  return r;
}

SweepRow row_from_csv(const SweepSpec& spec, const CsvRow& row, const std::string& file) {
  const SweepColumns& c = sweep_columns(spec.kind);
  auto bad = [&](const std::string& col, const std::string& what) {
    return InputError(SourceLoc{file, row.line, 0, col}, "--resume: " + what + "; write to a new file");
  };
  SweepRow r;
  const std::string& n = row.at("point");
  if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos ||
      (n.size() > 1 && n[0] == '0'))
    throw bad("point", "'" + n + "' is not a point number");
  r.index = std::stoul(n);
  for (const SweepAxis& a : spec.axes) r.axes.push_back(row.at(a.key));
  r.key = point_key(spec, r.axes);
  r.status = row.at("status");
  r.reason = row.at("reason");
  for (const std::string& name : c.numbers) {
    const std::string& v = row.at(name);
    if (v.empty()) {
      r.numbers.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    // As the sweep writes them: plain decimals (not hex "0x10", which strtod took as 16), in a double's range
    // (not "1e-400", which was read as 0), to six significant digits as %g writes them ("+8.5", ".5" and
    // "08.5" are 8.5 edited by hand: kept, the resumed file was not the sweep's byte for byte).
    double d = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (!plain_decimal(v) || ec != std::errc() || end != v.data() + v.size() || !std::isfinite(d))
      throw bad(name, "'" + v + "' is not a number (the sweep writes a number or nothing)");
    if (six_digits(d) != v)
      throw bad(name, "'" + v + "' is not written as the sweep writes it ('" + six_digits(d) + "')");
    r.numbers.push_back(d);
  }
  for (const std::string& name : c.labels) r.labels.push_back(row.at(name));
  if (const auto [col, why] = resumed_row_fault(spec, r); !col.empty()) throw bad(col, why);
  return r;
}

void print_sweep_table(std::ostream& out, const SweepSpec& spec, const std::vector<SweepRow>& rows,
                       std::size_t planned) {
  std::vector<std::string> cols = {"point"};
  for (const SweepAxis& a : spec.axes) cols.push_back(a.key);
  cols.push_back("status");
  const bool train = spec.kind == SweepKind::kTrain;
  // A cost column where a point is priced (training.tokens and a price).
  const std::vector<std::string>& names = sweep_columns(spec.kind).numbers;
  const std::size_t cost = std::find(names.begin(), names.end(), "cost_usd") - names.begin();
  const bool priced = train && std::any_of(rows.begin(), rows.end(),
                                           [&](const SweepRow& r) { return std::isfinite(r.numbers[cost]); });
  if (train) {
    for (const char* c : {"step s", "tok/s/GPU", "MFU %", "mem GiB", "days"}) cols.push_back(c);
    if (priced) cols.push_back("cost M USD");
    cols.push_back("layout");
  } else {
    for (const char* c : {"ranks", "time us", "busbw GB/s", "algorithm"}) cols.push_back(c);
  }
  Table t(cols);
  std::vector<std::string> notes;
  for (const SweepRow& r : rows) {
    std::vector<std::string> line = {std::to_string(r.index)};
    line.insert(line.end(), r.axes.begin(), r.axes.end());
    line.push_back(r.status);
    auto num = [&](std::size_t i, int prec, double scale = 1) {
      return std::isnan(r.numbers[i]) ? std::string("-")
                                      : fmt_small(r.numbers[i] * scale, prec);  // 0.0 days read as none
    };
    if (train) {
      for (std::string s : {num(1, 3), num(2, 0), num(3, 1, 100), num(4, 1), num(14, 1)}) line.push_back(s);
      if (priced) line.push_back(std::isnan(r.numbers[cost]) ? std::string("-") : fmt_musd(r.numbers[cost]));
      line.push_back(r.labels[1].empty() ? "-" : r.labels[1]);
    } else {
      for (std::string s : {num(0, 0), num(2, 1), num(4, 1), r.labels[1].empty() ? "-" : r.labels[1]}) line.push_back(s);
    }
    if (!r.reason.empty()) notes.push_back("# point " + std::to_string(r.index) + " " + r.status + ": " + r.reason);
    t.add(line);
  }
  out << "# commsim sweep '" << spec.name << "': " << spec.title << "\n";
  t.print(out);
  for (const std::string& n : notes) out << n << "\n";
  for (const std::string& line : sweep_summary(spec, rows, planned)) out << "# " << line << "\n";
}

void print_sweep_points(std::ostream& out, const SweepSpec& spec, const std::vector<SweepPoint>& points, std::size_t total) {
  std::vector<std::string> cols = {"point"};
  for (const SweepAxis& a : spec.axes) cols.push_back(a.key);
  Table t(cols);
  for (const SweepPoint& p : points) {
    std::vector<std::string> line = {std::to_string(p.index)};
    line.insert(line.end(), p.values.begin(), p.values.end());
    t.add(line);
  }
  out << "# commsim sweep '" << spec.name << "' (dry run): " << points.size() << " points";
  if (total != points.size()) out << " of " << total << " (" << total - points.size() << " removed by where)";
  out << "; axes:";
  for (const SweepAxis& a : spec.axes) out << " " << a.key << " (" << a.values.size() << ")";
  out << "\n";
  t.print(out);
}

}  // namespace commsim
