// Loads a system by name (topologies/systems/NAME.yaml) or path, resolving its parts (gpu, node, fabric:
// a catalog name or an inline mapping) and applying --set overrides to the resolved tree before parsing,
// so `--set fabric.nic_speed=200Gb/s` or `--set node.scale_up.bandwidth=400GB/s` changes exactly one value
// and an unknown path is an error.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "topo/system_spec.hpp"

namespace commsim {

std::vector<std::string> system_names();

// `overrides` are "dotted.key=value" strings as given to --set.
SystemSpec load_system(const std::string& name_or_path, const std::vector<std::string>& overrides = {});

// The same, for overrides some of which were written in a file (a training config's `cluster.set`, a mapping
// rule's `set`): `written_at` maps such an override's text to its place, and an error in it names that place
// ("run.yaml:6:7: key 'cluster.set': 'fabric.nic_speed=abc': ...") instead of --set.
SystemSpec load_system(const std::string& name_or_path, const std::vector<std::string>& overrides,
                       const std::map<std::string, SourceLoc>& written_at);

// The system file as a YAML tree with the overrides applied: parts referenced by catalog name stay names,
// parts given as paths or changed by --set are inlined. `commsim calibrate` writes it back with a
// calibration section.
YAML::Node system_document(const std::string& name_or_path, const std::vector<std::string>& overrides = {});

}  // namespace commsim
