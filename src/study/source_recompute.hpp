// The recompute a source's own configs give each model where they differ from its one default: torchtitan's
// Llama 3 8B toml runs op-level selective AC, its 70B and 405B tomls full AC (activation_checkpoint.mode), so
// a 70B row that does not report its AC ran full, not the source's selective. In a mapping's source rule
// (both configs/validation/training-systems.yaml and memory-mapping.yaml):
//   recompute: selective
//   recompute_by_model: {llama3-70b: full, llama3-405b: full}
// Each key must be a catalog model (a misspelt one would never match: refused at its line).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/yaml_reader.hpp"

namespace commsim {

// The rule's `recompute_by_model` (empty when absent): model name -> none | selective | full.
std::map<std::string, std::string> read_recompute_by_model(YamlMap& rule);
// What the source runs `model` with when a row does not say: its entry, else the source's `recompute`.
std::optional<std::string> source_recompute(const std::map<std::string, std::string>& by_model,
                                            const std::optional<std::string>& recompute,
                                            const std::string& model);

}  // namespace commsim
