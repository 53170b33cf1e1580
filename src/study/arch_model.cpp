#include "study/arch_model.hpp"

#include <cctype>
#include <map>
#include <string>

#include "core/text.hpp"
#include "study/mapping_rules.hpp"

namespace commsim {

std::optional<ModelSpec> dense_model_from_arch(const CaseRow& row, const std::string& arch_col, const std::string& model_col) {
  const std::string cell = lower_case(row.at(arch_col));
  // "dense" as the cell's first word ("densely connected ..." is not it), and no MoE word anywhere.
  if (cell.rfind("dense", 0) != 0 || (cell.size() > 5 && std::isalnum(static_cast<unsigned char>(cell[5]))) ||
      contains_nocase(cell, "moe") || contains_nocase(cell, "expert"))
    return std::nullopt;
  const std::map<std::string, long> tok = row.arch(arch_col);
  for (const char* key : {"L", "h", "a", "V"})
    if (!tok.count(key)) return std::nullopt;
  ModelSpec m;
  m.name = row.at(model_col);
  const SourceLoc at = row.where(arch_col);
  m.source = "the arch column, " + at.file + " line " + std::to_string(at.line);
  m.layers = static_cast<int>(tok.at("L"));
  m.hidden = tok.at("h");
  m.heads = static_cast<int>(tok.at("a"));
  m.kv_heads = tok.count("kv") ? static_cast<int>(tok.at("kv")) : m.heads;
  m.vocab = tok.at("V");
  // A gated MLP (SwiGLU, GeGLU, "gated gelu") has three matrices; "non-gelu" names no activation.
  const bool ffn = tok.count("ffn") > 0;
  if (ffn) m.ffn_hidden = tok.at("ffn");
  if (contains_nocase(cell, "squared-relu") || contains_nocase(cell, "squared relu") || contains_nocase(cell, "relu^2"))
    m.activation = Activation::kSquaredRelu;
  else if (contains_nocase(cell, "swiglu") || contains_nocase(cell, "geglu") || contains_nocase(cell, "gated"))
    m.activation = Activation::kSwiglu;
  else if (contains_nocase(cell, "gelu") && !contains_nocase(cell, "non-gelu") && !contains_nocase(cell, "no gelu"))
    m.activation = Activation::kGelu;
  else
    m.activation = !ffn || m.ffn_hidden == 4 * m.hidden ? Activation::kGelu : Activation::kSwiglu;
  // No ffn: Megatron's default MLP width (arguments.py): 4h, or under SwiGLU 4h * 2/3 rounded down to a
  // multiple of 64 (the same parameters as 4h with two matrices).
  if (!ffn) m.ffn_hidden = m.activation == Activation::kSwiglu ? (4 * m.hidden * 2 / 3) / 64 * 64 : 4 * m.hidden;
  check_model_shape(m, true, [&](const std::string& key, const std::string& what) {
    throw row.bad(arch_col, "model." + key + ": " + what);
  });
  m.head_dim = m.hidden / m.heads;
  return m;
}

std::optional<std::string> arch_kind_conflict(const ModelSpec& m, const std::string& arch_cell) {
  std::string word;  // the first word, lower case
  for (char ch : arch_cell) {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      if (word.empty()) continue;
      break;
    }
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  const bool says_moe = word == "moe", says_dense = word == "dense";
  const bool moe = m.moe.has_value();
  if ((says_moe && !moe) || (says_dense && moe))
    return std::string(moe ? "MoE" : "dense") + ", and the arch column says " + (says_moe ? "MoE" : "dense");
  return std::nullopt;
}

std::string reshaped_model_name(const std::string& name, const ModelSpec& base, const std::map<std::string, long>& tokens) {
  const std::pair<const char*, long> dims[] = {{"L", base.layers}, {"h", base.hidden}, {"a", base.heads},
                                               {"kv", base.kv_heads}, {"ffn", base.ffn_hidden}, {"V", base.vocab}};
  std::string changed;
  for (const auto& [key, was] : dims)
    if (const auto it = tokens.find(key); it != tokens.end() && it->second != was) {
      if (!changed.empty()) changed += ' ';
      changed.append(key).append("=").append(std::to_string(it->second));
    }
  return changed.empty() ? name : name + " (arch cell: " + changed + ")";
}

}  // namespace commsim
