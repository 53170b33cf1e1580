// Reading a list of recompute module names (train/recompute_modules.hpp) from YAML, for training configs
// and validation mappings alike.
#pragma once

#include <string>

#include "core/yaml_reader.hpp"

namespace commsim {

// The RecomputeModule bits of the list under `key` of `m` (0 when absent); a non-list or an unknown name
// fails with file:line:key and the valid names.
unsigned read_recompute_modules(YamlMap& m, const std::string& key);

}  // namespace commsim
