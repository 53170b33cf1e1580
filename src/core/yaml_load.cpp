#include "core/yaml_reader.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <mutex>
#include <map>
#include <string_view>

#include "core/input_file.hpp"

// Loading YAML text into a tree: one document per file, no key written twice, source marks for messages,
// and a cache of parsed files for runs that read the same file many times (sweeps, fits).

namespace commsim {
namespace {

SourceLoc mark_loc(const YAML::Mark& m, const std::string& file, const std::string& key) {
  return SourceLoc{file, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, key};
}

// A tag (`!!str 5`, `!custom 16`) was dropped without a word: the value read as if untagged. Only the
// non-specific ones yaml-cpp gives every untagged node pass ("?" plain, "!" quoted).
void check_tag(const YAML::Node& node, const SourceLoc& at) {
  const std::string& tag = node.Tag();
  if (tag.empty() || tag == "?" || tag == "!") return;
  const std::string core = "tag:yaml.org,2002:";
  const std::string shown = tag.rfind(core, 0) == 0 ? "!!" + tag.substr(core.size()) : tag;
  throw InputError(at, "YAML tag '" + shown + "' is not read; write the value without it");
}

// Rejects a mapping key written twice (yaml-cpp keeps the first silently), keys that are not plain
// scalars, naming both lines, and tags. Each mapping is checked once, even when aliases reach it many times.
void check_keys(const YAML::Node& node, const std::string& file, const std::string& path, bool lines,
                std::set<std::pair<int, int>>& seen) {
  const YAML::Mark mark = node.Mark();
  auto at = [&](const YAML::Mark& m, const std::string& key) {
    return lines ? mark_loc(m, file, key) : SourceLoc{file, 0, 0, key};
  };
  check_tag(node, at(mark, path));
  if (!node.IsMap() && !node.IsSequence()) return;
  if (!mark.is_null() && !seen.insert({mark.line, mark.column}).second) return;
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      check_keys(node[i], file, path + "[" + std::to_string(i) + "]", lines, seen);
    return;
  }
  std::map<std::string, int> first;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar())
      throw InputError(at(kv.first.Mark(), path), "a mapping key must be a plain name");
    const std::string& k = kv.first.Scalar();
    const std::string key = path.empty() ? k : path + "." + k;
    check_tag(kv.first, at(kv.first.Mark(), key));
    const int line = kv.first.Mark().is_null() ? 0 : kv.first.Mark().line + 1;
    const auto [it, fresh] = first.emplace(k, line);
    if (!fresh)
      throw InputError(at(kv.first.Mark(), key),
                       "duplicate key '" + k + "'" +
                           (lines ? " (first at line " + std::to_string(it->second) + ", again at line " +
                                        std::to_string(line) + ")"
                                  : std::string(" (given twice in the value)")));
    check_keys(kv.second, file, key, lines, seen);
  }
}

}  // namespace

void check_yaml_keys(const YAML::Node& node, const std::string& file, const std::string& path, bool lines) {
  std::set<std::pair<int, int>> seen;
  check_keys(node, file, path, lines, seen);
}

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
// documents are the text between markers; blanks, comments and directives (a line starting with '%') are no
// content.
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
    if (!marker && l[0] == '%') continue;  // a directive (%YAML 1.2) before its document's '---': no content
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
    throw InputError(SourceLoc{name, line, 1, ""},
                     "a second YAML document (after '---' or '...'): one document per file");
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
  check_yaml_keys(root, name, "");
  return root;
}

YAML::Node load_yaml_file_uncached(const std::string& path);

namespace {

void note_read(const std::string& path, std::uint64_t hash);

struct FileCache {
  std::mutex mu;
  int users = 0;
  struct Entry {
    long long size = 0;
    std::int64_t mtime_ns = 0;
    YAML::Node tree;
    std::uint64_t text_hash = 0;
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
      if (it != cache.files.end() && it->second.size == st.st_size && it->second.mtime_ns == ns) {
        note_read(path, it->second.text_hash);
        return YAML::Clone(it->second.tree);
      }
    }
  }
  const std::string text = read_input_file(path);
  YAML::Node root = load_yaml_string(text, path);
  const std::uint64_t hash = fnv1a64(text);
  note_read(path, hash);
  if (cacheable) {
    const std::lock_guard<std::mutex> lock(cache.mu);
    const std::int64_t ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    cache.files[path] = FileCache::Entry{st.st_size, ns, YAML::Clone(root), hash};
  }
  return root;
}

namespace {

struct ReadLog {
  std::mutex mu;
  int users = 0;
  std::map<std::string, std::uint64_t> files;
};

ReadLog& read_log() {
  static ReadLog l;
  return l;
}

// Notes `path` read, its text's hash, while a YamlReadLog is alive. The bytes as read, comments included: the
// hash of the tree as yaml-cpp emits it would tie a fingerprint to the yaml-cpp build (another version on
// another MPI host, or after an upgrade).
void note_read(const std::string& path, std::uint64_t hash) {
  ReadLog& log = read_log();
  const std::lock_guard<std::mutex> lock(log.mu);
  if (log.users > 0) log.files[path] = hash;
}

}  // namespace

std::uint64_t fnv1a64(const std::string& text, std::uint64_t h) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

YamlReadLog::YamlReadLog() {
  const std::lock_guard<std::mutex> lock(read_log().mu);
  ++read_log().users;
}

YamlReadLog::~YamlReadLog() {
  const std::lock_guard<std::mutex> lock(read_log().mu);
  if (--read_log().users == 0) read_log().files.clear();
}

std::map<std::string, std::uint64_t> YamlReadLog::files() const {
  const std::lock_guard<std::mutex> lock(read_log().mu);
  return read_log().files;
}

YAML::Node load_yaml_file_uncached(const std::string& path) {
  const std::string text = read_input_file(path);
  YAML::Node root = load_yaml_string(text, path);
  note_read(path, fnv1a64(text));
  return root;
}

}  // namespace commsim
