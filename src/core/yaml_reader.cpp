#include "core/yaml_reader.hpp"

#include <sys/stat.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <map>
#include <string_view>

#include "core/input_file.hpp"

namespace commsim {
namespace {

// What a value is, for "expected X, got ...": the text of a scalar in quotes, else its kind ([1] read as '').
std::string what_was_given(const YAML::Node& n) {
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "nothing";
}

const std::vector<std::string> kProvenanceKinds = {"datasheet", "measurement", "claim",
                                                   "calibrated", "derived",     "assumption"};

std::string scalar_text(const YAML::Node& n) { return n.Scalar(); }

SourceLoc mark_loc(const YAML::Mark& m, const std::string& file, const std::string& key) {
  return SourceLoc{file, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, key};
}

// Rejects a mapping key written twice (yaml-cpp keeps the first silently) and keys that are not plain
// scalars, naming both lines. Each mapping is checked once, even when aliases reach it many times.
void check_keys(const YAML::Node& node, const std::string& file, const std::string& path,
                std::set<std::pair<int, int>>& seen) {
  if (!node.IsMap() && !node.IsSequence()) return;
  const YAML::Mark mark = node.Mark();
  if (!mark.is_null() && !seen.insert({mark.line, mark.column}).second) return;
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      check_keys(node[i], file, path + "[" + std::to_string(i) + "]", seen);
    return;
  }
  std::map<std::string, int> lines;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) throw InputError(mark_loc(kv.first.Mark(), file, path), "a mapping key must be a plain name");
    const std::string& k = kv.first.Scalar();
    const std::string key = path.empty() ? k : path + "." + k;
    const int line = kv.first.Mark().is_null() ? 0 : kv.first.Mark().line + 1;
    const auto [it, fresh] = lines.emplace(k, line);
    if (!fresh)
      throw InputError(mark_loc(kv.first.Mark(), file, key),
                       "duplicate key '" + k + "' (first at line " + std::to_string(it->second) + ", again at line " +
                           std::to_string(line) + ")");
    check_keys(kv.second, file, key, seen);
  }
}

}  // namespace

SourceLoc node_loc(const YAML::Node& node, const std::string& file, const std::string& key) {
  SourceLoc loc{file, 0, 0, key};
  if (node.IsDefined() && !node.IsNull()) {
    const YAML::Mark m = node.Mark();
    if (!m.is_null()) {
      loc.line = m.line + 1;
      loc.column = m.column + 1;
    }
  }
  return loc;
}

namespace {

// The 1-based line where the n-th document with content starts, 0 when there is none. Not YAML::LoadAll:
// yaml-cpp 0.7's loops forever on some malformed inputs (fuzz: ",csc"). A line that starts with "---" or "..."
// and then a blank or its end is a document marker wherever it stands (YAML 1.2, c-forbidden), so the
// documents are the text between markers; blanks and comments are no content.
int document_start(const std::string& text, int n) {
  int line = 0, documents = 0;
  bool content = false;  // the current document has some
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view l(text.data() + pos, end - pos);
    pos = end + 1;
    ++line;
    const bool marker = (l.substr(0, 3) == "---" || l.substr(0, 3) == "...") &&
                        (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
    if (marker) {
      documents += content ? 1 : 0;
      content = false;
      l.remove_prefix(3);
    }
    const std::size_t first = l.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || l[first] == '#' || content) continue;
    content = true;
    if (documents == n - 1) return line;
  }
  return 0;
}

}  // namespace

int second_document_line(const std::string& text) { return document_start(text, 2); }

YAML::Node load_yaml_string(const std::string& text, const std::string& name) {
  // A second document would be ignored by YAML::Load without a word.
  if (const int line = second_document_line(text))
    throw InputError(SourceLoc{name, line, 1, ""}, "a second YAML document (after '---'): one document per file");
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(mark_loc(e.mark, name, ""), "YAML syntax error: " + e.msg);
  }
  if (!root.IsDefined() || root.IsNull()) {
    // yaml-cpp reads some malformed text (",csc") as nothing: only a file of blanks and comments is empty.
    throw InputError(SourceLoc{name, 0, 0, ""},
                     document_start(text, 1) ? "expected a YAML mapping at the top level" : "file is empty");
  }
  if (!root.IsMap()) throw InputError(node_loc(root, name, ""), "expected a YAML mapping at the top level");
  std::set<std::pair<int, int>> seen;
  check_keys(root, name, "", seen);
  return root;
}

YAML::Node load_yaml_file_uncached(const std::string& path);

namespace {

struct FileCache {
  std::mutex mu;
  int users = 0;
  struct Entry {
    long long size = 0;
    std::int64_t mtime_ns = 0;
    YAML::Node tree;
  };
  std::map<std::string, Entry> files;
};

FileCache& file_cache() {
  static FileCache c;
  return c;
}

}  // namespace

YamlFileCache::YamlFileCache() {
  const std::lock_guard<std::mutex> lock(file_cache().mu);
  ++file_cache().users;
}

YamlFileCache::~YamlFileCache() {
  const std::lock_guard<std::mutex> lock(file_cache().mu);
  if (--file_cache().users == 0) file_cache().files.clear();
}

YAML::Node load_yaml_file(const std::string& path) {
  FileCache& cache = file_cache();
  struct stat st {};
  bool cacheable = false;
  {
    const std::lock_guard<std::mutex> lock(cache.mu);
    if (cache.users > 0 && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      cacheable = true;
      const auto it = cache.files.find(path);
      const std::int64_t ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
      if (it != cache.files.end() && it->second.size == st.st_size && it->second.mtime_ns == ns) return YAML::Clone(it->second.tree);
    }
  }
  YAML::Node root = load_yaml_file_uncached(path);
  if (cacheable) {
    const std::lock_guard<std::mutex> lock(cache.mu);
    const std::int64_t ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    cache.files[path] = FileCache::Entry{st.st_size, ns, YAML::Clone(root)};
  }
  return root;
}

YAML::Node load_yaml_file_uncached(const std::string& path) {
  return load_yaml_string(read_input_file(path), path);
}

YamlMap::YamlMap(YAML::Node node, std::string file, std::string path,
                 std::shared_ptr<const std::set<std::string>> overridden)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)), overridden_(std::move(overridden)) {
  if (!node_.IsMap()) throw InputError(loc_of(node_, path_), "expected a mapping");
}

SourceLoc YamlMap::loc_of(const YAML::Node& n, const std::string& key) const {
  if (overridden_) {
    for (const std::string& p : *overridden_) {
      if (key == p || key.rfind(p + ".", 0) == 0) return SourceLoc{"--set", 0, 0, key};
    }
  }
  return node_loc(n, file_, key);
}

std::string YamlMap::key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

bool YamlMap::has(const std::string& key) const {
  const YAML::Node n = node_[key];
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
  return loc_of(n.IsDefined() ? n : node_, key_path(key));
}

SourceLoc YamlMap::loc() const { return loc_of(node_, path_); }

void YamlMap::fail(const std::string& key, const std::string& what) const { throw InputError(loc(key), what); }

Figure YamlMap::read_figure(const std::string& key, const YAML::Node& n, Dimension dim, bool allow_zero) {
  Figure f;
  YAML::Node v = n;
  if (n.IsMap()) {
    YamlMap m(n, file_, key_path(key), overridden_);
    v.reset(m.raw("value"));
    if (!v.IsDefined() || v.IsNull()) m.fail("value", "missing 'value'");
    f.provenance.kind = m.choice_or("kind", kProvenanceKinds, "");
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
  if (!n.IsDefined() || n.IsNull()) fail(key, std::string("missing required ") + dimension_name(dim));
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

Figure YamlMap::integer_figure(const std::string& key, long min_value) {
  YAML::Node n = child(key);
  if (!n.IsDefined() || n.IsNull()) fail(key, "missing required integer");
  Figure f;
  if (n.IsMap()) {
    YamlMap m(n, file_, key_path(key), overridden_);
    const long v = m.integer("value", min_value);
    f.provenance.kind = m.choice_or("kind", kProvenanceKinds, "");
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
  if (!n.IsDefined() || n.IsNull()) fail(key, "missing required string");
  if (!n.IsScalar()) throw InputError(loc_of(n, key_path(key)), "expected a string");
  return n.Scalar();
}

std::string YamlMap::str_or(const std::string& key, const std::string& fallback) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  return str(key);
}

static std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string YamlMap::choice(const std::string& key, const std::vector<std::string>& choices) {
  const std::string v = str(key);
  for (const auto& c : choices)
    if (c == v) return v;
  throw InputError(loc_of(node_[key], key_path(key)), "unknown value '" + v + "' (valid: " + join(choices) + ")");
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
  throw InputError(loc_of(n, key_path(key)), "expected true or false, got " + what_was_given(n));
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
  if (!n.IsDefined() || n.IsNull()) fail(key, "missing required section");
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

void YamlMap::finish() const {
  for (const auto& kv : node_) {
    const std::string k = kv.first.Scalar();
    if (!used_.count(k)) {
      throw InputError(loc_of(kv.first, key_path(k)), "unknown key '" + k + "'");
    }
  }
}

}  // namespace commsim
