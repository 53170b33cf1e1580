#include "core/yaml_override.hpp"

#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/yaml_reader.hpp"

namespace commsim {

KeyValue split_override(const std::string& text, const std::string& flag) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw InputError(SourceLoc{flag, 0, 0, ""}, "'" + text + "' is not of the form key.path=value");
  KeyValue kv{text.substr(0, eq), text.substr(eq + 1)};
  if (kv.value.empty()) throw InputError(SourceLoc{flag, 0, 0, kv.key}, "empty value");
  // A line break (or another control character) in an override would break out of the `# overrides:` context
  // line of every table and CSV that echoes it.
  if (has_control_char(text))
    throw InputError(SourceLoc{flag, 0, 0, has_control_char(kv.key) ? "" : kv.key},
                     "a line break or control character in the override (one line of text is expected)");
  if (kv.key.front() == '.' || kv.key.back() == '.' || kv.key.find("..") != std::string::npos)
    throw InputError(SourceLoc{flag, 0, 0, kv.key}, "empty component in key path");
  return kv;
}

const std::string* default_nodes_override(const std::vector<std::string>& sets) {
  for (const std::string& text : sets)
    if (text.compare(0, text.find('='), "nodes") == 0) return &text;
  return nullptr;
}

std::string default_nodes_refused(const std::string& what) {
  return "the system's default node count does not apply: " + what;
}

bool is_system_key(const std::string& key) {
  for (const char* p : {"gpu.", "node.", "fabric.", "calibration."})
    if (key.rfind(p, 0) == 0) return true;
  return key == "nodes";
}

YAML::Node parse_override_value(const std::string& value, const std::string& flag, const std::string& key) {
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw InputError(SourceLoc{flag, 0, 0, key}, "cannot parse value '" + value + "': " + e.msg);
  }
  // yaml-cpp reads one document's first node and drops what follows a quoted or bracketed one ("'4096' 8192"
  // read as 4096, "[1,2] [4]" as [1, 2]). As the one item of a flow list the value must be whole.
  const std::size_t first = value.find_first_not_of(" \t");
  if (first != std::string::npos && std::string("'\"[{").find(value[first]) != std::string::npos) {
    bool whole = false;
    try {
      whole = YAML::Load("[" + value + "]").size() == 1;
    } catch (const YAML::Exception&) {
    }
    if (!whole)
      throw InputError(SourceLoc{flag, 0, 0, key}, "cannot parse value '" + value +
                                                       "': text after its quoted or bracketed part (quote the whole value)");
  }
  // A value that is only a tag ("!fp8", "!!null") loads as a null node with no tag, which then unset the key
  // without a word (helper-147); a tag before a value ("!!int 8") is caught with the others below.
  std::size_t at = first;
  if (at != std::string::npos && value[at] == '&') {  // an anchor first: "&a !fp8"
    at = value.find_first_of(" \t", at);
    if (at != std::string::npos) at = value.find_first_not_of(" \t", at);
  }
  if (at != std::string::npos && value[at] == '!') {
    const std::size_t end = value.find_first_of(" \t", at);
    const std::string tag = value.substr(at, end == std::string::npos ? std::string::npos : end - at);
    throw InputError(SourceLoc{flag, 0, 0, key},
                     "YAML tag '" + tag + "' is not read; write the value without it");
  }
  // A key twice in a mapping value ("parallelism={tp: 8, tp: 4}"): yaml-cpp keeps the first without a word, a
  // file says "duplicate key". Tags anywhere in it are refused too.
  check_yaml_keys(parsed, flag, key, false);
  return parsed;
}

void set_yaml_path(YAML::Node root, const std::string& key, const std::string& value, const std::string& flag,
                   std::size_t sections) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto dot = parts.size() < sections ? key.find('.', start) : std::string::npos;
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  YAML::Node cur = root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node next = cur[parts[i]];
    if (!next.IsDefined() || next.IsNull()) {
      cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
      next.reset(cur[parts[i]]);
    } else if (!next.IsMap() || next["value"].IsDefined()) {
      throw InputError(SourceLoc{flag, 0, 0, key}, "'" + parts[i] + "' is a value, not a section");
    }
    cur.reset(next);  // reset, not assignment: yaml-cpp's operator= would overwrite the node itself
  }
  const YAML::Node parsed = parse_override_value(value, flag, key);
  YAML::Node leaf = cur[parts.back()];
  if (leaf.IsMap() && leaf["value"].IsDefined() && parsed.IsScalar()) leaf["value"] = parsed;  // keep provenance
  else cur[parts.back()] = parsed;
}

void rethrow_at_written(const InputError& e, const std::vector<std::string>& overrides,
                        const std::map<std::string, SourceLoc>& written_at) {
  if (written_at.empty() || e.loc().file != "--set") return;
  const std::string& key = e.loc().key;
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    const auto eq = it->find('=');
    const std::string path = eq == std::string::npos ? "" : it->substr(0, eq);
    // A malformed override (no key) is the one the message quotes.
    const bool about = key.empty() ? path.empty() && e.message().find("'" + *it + "'") != std::string::npos
                                   : (key == path || key.rfind(path + ".", 0) == 0 || key.rfind(path + "[", 0) == 0);
    if (!about) continue;
    const auto w = written_at.find(*it);
    if (w == written_at.end()) return;  // given on the command line
    const std::string quoted = "'" + *it + "'";
    throw InputError(w->second, e.message().rfind(quoted, 0) == 0 ? e.message() : quoted + ": " + e.message());
  }
}

}  // namespace commsim
