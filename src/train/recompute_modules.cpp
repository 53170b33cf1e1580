#include "train/recompute_modules.hpp"

#include <utility>

#include "train/read_recompute_modules.hpp"

namespace commsim {
namespace {

const std::pair<const char*, unsigned> kModules[] = {
    {"core_attn", kRecomputeCoreAttn}, {"mla_up_proj", kRecomputeMlaUpProj}, {"layernorm", kRecomputeLayernorm},
    {"mlp", kRecomputeMlp},           {"moe", kRecomputeMoe},               {"moe_act", kRecomputeMoeAct},
    {"shared_experts", kRecomputeSharedExperts}, {"mlp_act", kRecomputeMlpAct},
    {"op_sac", kRecomputeOpSac},
};

}  // namespace

unsigned recompute_module_bit(const std::string& name) {
  for (const auto& [n, b] : kModules)
    if (name == n) return b;
  return 0;
}

std::string recompute_module_list() {
  std::string out;
  for (const auto& [n, b] : kModules) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::vector<std::string> recompute_module_names(unsigned modules) {
  std::vector<std::string> out;
  for (const auto& [name, b] : kModules)
    if (modules & b) out.emplace_back(name);
  return out;
}

unsigned read_recompute_modules(YamlMap& m, const std::string& key) {
  if (!m.has(key)) return 0;
  const YAML::Node n = m.raw(key);
  if (!n.IsSequence()) m.fail(key, "expected a list of module names, e.g. [core_attn, moe_act]");
  // An empty list was read as absent, Megatron's default [core_attn]: say so instead of guessing.
  if (n.size() == 0) m.fail(key, "lists no module (omit the key for Megatron's default [core_attn]; valid: " + recompute_module_list() + ")");
  unsigned out = 0;
  for (const auto& e : n) {
    if (!e.IsScalar()) m.fail(key, "expected a list of module names, e.g. [core_attn, moe_act]");
    const unsigned bit = recompute_module_bit(e.Scalar());
    if (!bit) m.fail(key, "unknown module '" + e.Scalar() + "' (valid: " + recompute_module_list() + ")");
    if (out & bit)
      m.fail(key, "'" + e.Scalar() + "' is given twice: each module once");  // as a study's lists
    out |= bit;
  }
  return out;
}

}  // namespace commsim
