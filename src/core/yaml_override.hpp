// `--set key.path=value` applied to a parsed YAML tree before its typed parse, so that every key a reader
// reads can be overridden, and the reader (YamlMap with the set of overridden paths) blames "--set" rather
// than the file when an overridden value is wrong.
//
//   split_override("parallelism.pp=4")  -> {key "parallelism.pp", value "4"}
//   set_yaml_path(root, "parallelism.pp", "4"): root["parallelism"]["pp"] = 4, creating missing sections.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace commsim {

struct KeyValue {
  std::string key, value;
};

// Splits "a.b=value"; InputError (naming `flag`) without '=', with an empty key, component or value.
KeyValue split_override(const std::string& text, const std::string& flag);

// A key of a system (gpu.*, node.*, fabric.*, calibration.*, nodes): commands that read another config
// (train, study) pass these to the system loader and apply the rest to their own tree.
bool is_system_key(const std::string& key);

// Sets the dotted path in `root` (a mapping) to `value` parsed as YAML (a scalar, [a, b] or {k: v}), creating
// missing sections. A provenance mapping ({value: ..., source: ...}) on the way keeps its source and gets
// the new value. InputError (naming `flag` and the key) when a component on the way is a value, not a section.
// `sections` caps the components read as sections: the rest of the key is one key (a study's axes are dotted
// keys: set_yaml_path(study, "axes.parallelism.tp", "[2, 4]", "--set", 1) sets study["axes"]["parallelism.tp"]).
void set_yaml_path(YAML::Node root, const std::string& key, const std::string& value, const std::string& flag,
                   std::size_t sections = std::string::npos);

}  // namespace commsim
