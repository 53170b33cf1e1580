// `--set key.path=value` applied to a parsed YAML tree before its typed parse, so that every key a reader
// reads can be overridden, and the reader (YamlMap with the set of overridden paths) blames "--set" rather
// than the file when an overridden value is wrong.
//
//   split_override("parallelism.pp=4")  -> {key "parallelism.pp", value "4"}
//   set_yaml_path(root, "parallelism.pp", "4"): root["parallelism"]["pp"] = 4, creating missing sections.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace commsim {

struct KeyValue {
  std::string key, value;
};

// Splits "a.b=value"; InputError (naming `flag`) without '=', with an empty key, component or value.
KeyValue split_override(const std::string& text, const std::string& flag);

// A key of a system (gpu.*, node.*, fabric.*, calibration.*, nodes): commands that read another config
// (train, study) pass these to the system loader and apply the rest to their own tree.
bool is_system_key(const std::string& key);

// The system key `nodes` is a system's default scale: where a config, a flag, a study or the measurements
// size the cluster it does not apply (it had been dropped without a word). The first override in `sets` that
// sets it, or nullptr; and why it is refused, `what` naming what sizes the cluster instead.
const std::string* default_nodes_override(const std::vector<std::string>& sets);
std::string default_nodes_refused(const std::string& what);

// An override's value parsed as YAML, whole: InputError (naming `flag` and `key`) on a syntax error or on text
// after a quoted or bracketed part ("'4096' 8192", "[1,2] [4]"), which yaml-cpp would drop.
YAML::Node parse_override_value(const std::string& value, const std::string& flag, const std::string& key);

// Sets the dotted path in `root` (a mapping) to `value` parsed as YAML (a scalar, [a, b] or {k: v}), creating
// missing sections. A provenance mapping ({value: ..., source: ...}) on the way keeps its source and gets
// the new value. InputError (naming `flag` and the key) when a component on the way is a value, not a section.
// `sections` caps the components read as sections: the rest of the key is one key (a study's axes are dotted
// keys: set_yaml_path(study, "axes.parallelism.tp", "[2, 4]", "--set", 1) sets study["axes"]["parallelism.tp"]).
void set_yaml_path(YAML::Node root, const std::string& key, const std::string& value, const std::string& flag,
                   std::size_t sections = std::string::npos);

// Overrides written in a file (a training config's cluster.set, a study's base.set, a validation rule's set)
// are applied as --set; `written_at` maps such an override's text to its place in the file. When `e` names
// "--set" and is about one of `overrides` (the last one setting its key, a prefix of it, or an element of a
// list it sets; a malformed one without a key: the one the message quotes), this throws `e` at that override's place, the override
// quoted; it returns when the error is not about a written one (given on the command line, or no override).
void rethrow_at_written(const InputError& e, const std::vector<std::string>& overrides,
                        const std::map<std::string, SourceLoc>& written_at);

}  // namespace commsim
