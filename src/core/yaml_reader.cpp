#include "core/yaml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "core/text.hpp"

// YamlMap: typed, located reads of one mapping (figures with units and provenance, integers, ratios,
// choices), and the check that every key given was read.

namespace commsim {
namespace {

// What a value is, for "expected X, got ...": the text of a scalar in quotes, else its kind ([1] read as '').
std::string what_was_given(const YAML::Node& n) {
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "nothing";
}

std::string scalar_text(const YAML::Node& n) { return n.Scalar(); }

}  // namespace

const std::vector<std::string>& provenance_kinds() {
  static const std::vector<std::string> kinds = {"datasheet",  "measurement", "claim",
                                                 "calibrated", "derived",     "assumption"};
  return kinds;
}

YamlMap::YamlMap(YAML::Node node, std::string file, std::string path,
                 std::shared_ptr<const std::set<std::string>> overridden)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)), overridden_(std::move(overridden)) {
  if (!node_.IsMap()) throw InputError(loc_of(node_, path_), "expected a mapping");
}

SourceLoc YamlMap::loc_of(const YAML::Node& n, const std::string& key) const {
  if (overridden_) {
    // A section --set created is in the set too (train_overrides.cpp, system_loader.cpp): what is missing or
    // unknown inside it is --set's, not the file's that never had it.
    for (const std::string& p : *overridden_) {
      if (key == p || key.rfind(p + ".", 0) == 0 || key.rfind(p + "[", 0) == 0) return SourceLoc{"--set", 0, 0, key};
    }
  }
  return node_loc(n, file_, key);
}

std::string YamlMap::key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

bool YamlMap::has(const std::string& key) const {
  const YAML::Node n = node_[key];
  // A known key written null (`tokens: ~`, `--set training.tokens=~`) is absent, not unknown: asking for it
  // is what makes a key known.
  if (n.IsDefined() && n.IsNull()) used_.insert(key);
  return n.IsDefined() && !n.IsNull();
}

YAML::Node YamlMap::child(const std::string& key) const {
  used_.insert(key);
  // A missing key gives yaml-cpp's "zombie" node, on which Type(), Mark() and reset() throw InvalidNode
  // ("invalid node; this may result from using a map iterator..."); hand out a plain null node instead.
  const YAML::Node n = node_[key];
  return n.IsDefined() ? n : YAML::Node(YAML::NodeType::Null);
}

SourceLoc YamlMap::loc(const std::string& key) const {
  const YAML::Node n = node_[key];
  if (n.IsDefined() && n.IsNull())  // `key:` with no value has no place of its own: the key's line
    for (auto it = node_.begin(); it != node_.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return loc_of(it->first, key_path(key));
  return loc_of(n.IsDefined() ? n : node_, key_path(key));
}

SourceLoc YamlMap::loc() const { return loc_of(node_, path_); }

void YamlMap::fail(const std::string& key, const std::string& what) const { throw InputError(loc(key), what); }

void fail_at_set_one(const YamlMap& a, const std::string& key, const YamlMap& b, const std::string& other,
                     const std::string& what) {
  if (a.loc(key).file != "--set" && b.loc(other).file == "--set") b.fail(other, what);
  a.fail(key, what);
}

Figure YamlMap::read_figure(const std::string& key, const YAML::Node& n, Dimension dim, bool allow_zero) {
  Figure f;
  YAML::Node v = n;
  if (n.IsMap()) {
    YamlMap m(n, file_, key_path(key), overridden_);
    v.reset(m.raw("value"));
    if (!v.IsDefined() || v.IsNull()) m.fail("value", "missing 'value'");
    f.provenance.kind = m.choice_or("kind", provenance_kinds(), "");
    f.provenance.source = m.str_or("source", "");
    f.provenance.note = m.str_or("note", "");
    m.finish();
  }
  if (!v.IsScalar()) fail(key, std::string("expected a ") + dimension_name(dim) + " such as " + dimension_example(dim));
  try {
    f.value = parse_quantity(scalar_text(v), dim);
  } catch (const InputError& e) {
    throw InputError(loc_of(v, key_path(key)), e.what());
  }
  if (f.value < 0 || (!allow_zero && f.value == 0)) {
    throw InputError(loc_of(v, key_path(key)),
                     "'" + scalar_text(v) + "' must be " + (allow_zero ? "zero or positive" : "positive"));
  }
  return f;
}

Figure YamlMap::figure(const std::string& key, Dimension dim, bool allow_zero) {
  const YAML::Node n = child(key);
  if (!n.IsDefined() || n.IsNull()) missing(key, dimension_name(dim));
  return read_figure(key, n, dim, allow_zero);
}

std::optional<Figure> YamlMap::optional_figure(const std::string& key, Dimension dim, bool allow_zero) {
  const YAML::Node n = child(key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  return read_figure(key, n, dim, allow_zero);
}

double YamlMap::quantity_or(const std::string& key, Dimension dim, double fallback, bool allow_zero) {
  auto f = optional_figure(key, dim, allow_zero);
  return f ? f->value : fallback;
}

std::vector<Figure> YamlMap::figures(const std::string& key, Dimension dim, bool allow_zero) {
  const YAML::Node n = child(key);
  std::vector<Figure> out;
  if (!n.IsDefined() || n.IsNull()) return out;
  if (!n.IsSequence()) {
    out.push_back(read_figure(key, n, dim, allow_zero));
    return out;
  }
  if (n.size() == 0) fail(key, std::string("expected a ") + dimension_name(dim) + " or a non-empty list of them");
  for (std::size_t i = 0; i < n.size(); ++i) out.push_back(read_figure(key + "[" + std::to_string(i) + "]", n[i], dim, allow_zero));
  return out;
}

Figure YamlMap::integer_figure(const std::string& key, long min_value) {
  YAML::Node n = child(key);
  if (!n.IsDefined() || n.IsNull()) missing(key, "integer");
  Figure f;
  if (n.IsMap()) {
    YamlMap m(n, file_, key_path(key), overridden_);
    const long v = m.integer("value", min_value);
    f.provenance.kind = m.choice_or("kind", provenance_kinds(), "");
    f.provenance.source = m.str_or("source", "");
    f.provenance.note = m.str_or("note", "");
    m.finish();
    f.value = static_cast<double>(v);
    return f;
  }
  long v = 0;
  try {
    if (!n.IsScalar()) throw YAML::Exception(n.Mark(), "not a scalar");
    const std::string s = n.Scalar();
    std::size_t pos = 0;
    v = std::stol(s, &pos);
    if (pos != s.size()) throw std::invalid_argument(s);
  } catch (const std::exception&) {
    throw InputError(loc_of(n, key_path(key)), "expected an integer, got " + what_was_given(n));
  }
  if (v < min_value)
    throw InputError(loc_of(n, key_path(key)), "must be at least " + std::to_string(min_value) + ", got " + std::to_string(v));
  if (v > 2147483647L)
    throw InputError(loc_of(n, key_path(key)), "is too large (at most 2147483647), got " + std::to_string(v));
  f.value = static_cast<double>(v);
  return f;
}

std::uint64_t YamlMap::size(const std::string& key) {
  figure(key, Dimension::kBytes, true);  // presence, provenance keys, a size unit, not negative
  const YAML::Node n = child(key);
  const YAML::Node v = n.IsMap() ? YAML::Node(n["value"]) : n;
  try {
    return parse_size(v.Scalar());  // exact, and bounded to uint64
  } catch (const InputError& e) {
    throw InputError(loc_of(v, key_path(key)), e.what());
  }
}

long YamlMap::integer(const std::string& key, long min_value) {
  return static_cast<long>(integer_figure(key, min_value).value);
}

long YamlMap::integer_or(const std::string& key, long fallback, long min_value) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  return integer(key, min_value);
}

double YamlMap::ratio(const std::string& key, double lo, double hi) {
  const double v = figure(key, Dimension::kRatio, true).value;
  if (v < lo || v > hi) {
    auto shortest = [](double x) {  // as a user writes it: 1, 64, 0.9
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", x);
      return std::string(buf);
    };
    fail(key, "must be between " + shortest(lo) + " and " + shortest(hi) + ", got " + shortest(v));
  }
  return v;
}

double YamlMap::ratio_or(const std::string& key, double fallback, double lo, double hi) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  return ratio(key, lo, hi);
}

std::string YamlMap::str(const std::string& key) {
  const YAML::Node n = child(key);
  if (!n.IsDefined() || n.IsNull()) missing(key, "string");
  if (!n.IsScalar()) throw InputError(loc_of(n, key_path(key)), "expected a string");
  // Text values are echoed on `#` context lines of tables and CSVs: a line break would start a line of data.
  // The one a block scalar ends with (`description: >`) is dropped; one inside the text is an error.
  std::string v = n.Scalar();
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  if (has_control_char(v))
    throw InputError(loc_of(n, key_path(key)), "a line break or control character in a one-line text value "
                                               "(a block scalar: `>-` folds its lines into one)");
  return v;
}

std::string YamlMap::str_or(const std::string& key, const std::string& fallback) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  return str(key);
}

std::string YamlMap::choice(const std::string& key, const std::vector<std::string>& choices) {
  const std::string v = str(key);
  for (const auto& c : choices)
    if (c == v) return v;
  throw InputError(loc_of(node_[key], key_path(key)),
                   "unknown value '" + v + "' (valid: " + comma_list(choices) + ")");
}

std::string YamlMap::choice_or(const std::string& key, const std::vector<std::string>& choices,
                               const std::string& fallback) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  return choice(key, choices);
}

bool YamlMap::boolean_or(const std::string& key, bool fallback) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  const YAML::Node n = child(key);
  const std::string s = n.IsScalar() ? n.Scalar() : "";
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  throw InputError(loc_of(n, key_path(key)), "expected true or false (or yes/no, on/off), got " + what_was_given(n));
}

std::vector<std::string> YamlMap::strings(const std::string& key) {
  const YAML::Node n = child(key);
  std::vector<std::string> out;
  if (!n.IsDefined() || n.IsNull()) return out;
  if (!n.IsSequence()) throw InputError(loc_of(n, key_path(key)), "expected a list of strings");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node e = n[i];
    if (!e.IsScalar()) throw InputError(loc_of(e, key_path(key) + "[" + std::to_string(i) + "]"), "expected a string");
    out.push_back(e.Scalar());
  }
  return out;
}

YamlMap YamlMap::map(const std::string& key) {
  const YAML::Node n = child(key);
  if (!n.IsDefined() || n.IsNull()) missing(key, "section");
  if (!n.IsMap()) throw InputError(loc_of(n, key_path(key)), "expected a mapping");
  return YamlMap(n, file_, key_path(key), overridden_);
}

std::optional<YamlMap> YamlMap::optional_map(const std::string& key) {
  if (!has(key)) {
    used_.insert(key);
    return std::nullopt;
  }
  return map(key);
}

YAML::Node YamlMap::raw(const std::string& key) { return child(key); }

std::vector<std::string> YamlMap::keys() const {
  std::vector<std::string> out;
  for (const auto& kv : node_) out.push_back(kv.first.Scalar());
  return out;
}

namespace {

// Levenshtein distance, at most `cap` + 1 (keys are short).
std::size_t edit_distance(const std::string& a, const std::string& b, std::size_t cap) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > cap) return cap + 1;
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

void YamlMap::missing(const std::string& key, const std::string& what) const {
  std::string hint;
  if (node_.IsMap() && key.size() > 2)
    for (const auto& kv : node_) {
      const std::string k = kv.first.Scalar();
      if (!used_.count(k) && k != key && edit_distance(k, key, 2) <= 2) {
        const SourceLoc at = loc_of(kv.first, key_path(k));
        hint = " (is '" + k + "'" + (at.line > 0 ? " at line " + std::to_string(at.line) : std::string()) +
               " a misspelling of it?)";
        break;
      }
    }
  fail(key, "missing required " + what + hint);
}

void YamlMap::finish() const {
  for (const auto& kv : node_) {
    const std::string k = kv.first.Scalar();
    if (!used_.count(k)) {
      throw InputError(loc_of(kv.first, key_path(k)), "unknown key '" + k + "'");
    }
  }
}

}  // namespace commsim
