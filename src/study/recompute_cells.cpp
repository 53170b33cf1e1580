#include "study/recompute_cells.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "study/case_cells.hpp"
#include "train/recompute_modules.hpp"

namespace commsim {
namespace {

// How sources write Megatron's key for the module list (argument, flag and prose spellings).
constexpr const char* kModulesKeys[] = {"recompute_modules", "recompute-modules", "recompute modules"};

}  // namespace

std::optional<Recompute> recompute_cell(const std::string& cell) {
  const std::string written = lower_case(trim(cell));
  if (written.find("none stated") != std::string::npos || written.find("not stated") != std::string::npos ||
      written.find("unstated") != std::string::npos)
    return std::nullopt;
  // A policy denied is no policy the cell names: read without it ("full (not selective)" is full, "selective
  // (not full)" selective, "no selective recompute; full" full; read by their words, the first and the last
  // were selective and none). A cell that denies one and names no other ("non-selective") names none, unless
  // it starts with "no" ("no full recompute": none, as before).
  const std::string z = trim(without_denied(written, {"selective", "full"}));
  const bool denied = z != written;
  auto has = [&z](const char* w) { return z.find(w) != std::string::npos; };
  auto starts = [&z](const char* w) {  // the cell's first word
    const std::size_t n = std::string(w).size();
    return z.compare(0, n, w) == 0 && (z.size() == n || !std::isalnum(static_cast<unsigned char>(z[n])));
  };
  const std::optional<Recompute> read = [&]() -> std::optional<Recompute> {
    for (const char* w : {"none", "no", "off", "disabled", "false"})
      if (starts(w)) return Recompute::kNone;
    // One setting and its value: "LABEL: VALUE", "LABEL=VALUE" or "LABEL VALUE" ("activation checkpointing:
    // disabled", "activation_checkpoint.mode=none", "grad_checkpoint: True", "AC off"), LABEL about
    // activation recompute. Off or on: these were read as full. A cell with more than one setting, or a
    // note, is not one ("gradient checkpointing (use_reentrant=False)", "activation checkpointing, CPU
    // offload: off").
    if (z.find_first_of("{}(),;[]") == std::string::npos &&
        std::count_if(z.begin(), z.end(), [](char c) { return c == ':' || c == '='; }) <= 1) {
      const std::size_t at = z.find_first_of(":=");
      const std::size_t from = at != std::string::npos ? at : z.find_last_of(' ');
      if (from != std::string::npos) {
        const std::string label = z.substr(0, from), value = trim(z.substr(from + 1));
        const bool about = label.find("checkpoint") != std::string::npos ||
                           label.find("recompute") != std::string::npos ||
                           label.find("remat") != std::string::npos ||
                           label.find("activation") != std::string::npos || trim(label) == "ac";
        if (about) {
          for (const char* w : {"none", "no", "off", "disabled", "false", "0"})
            if (value == w) return Recompute::kNone;
          for (const char* w : {"true", "yes", "on", "enabled", "1"})
            if (value == w) return Recompute::kFull;
        }
      }
    }
    for (const char* w : {"without activation checkpointing", "without activation recompute",
                          "without recompute", "without checkpointing", "no activation checkpointing",
                          "no activation recompute", "no recompute", "no checkpointing"})
      if (has(w)) return Recompute::kNone;
    // Megatron's flags: --recompute-activations is selective (its core-attention recompute), the older
    // --checkpoint-activations full (--recompute-granularity names its policy, read below).
    if (has("--recompute-activations")) return Recompute::kSelective;
    if (has("--checkpoint-activations")) return Recompute::kFull;
    // Megatron's recompute_modules (a list of submodules) is selective recompute.
    if (has("selective") || has("op_sac") || starts("sac") || has("op-level")) return Recompute::kSelective;
    for (const char* key : kModulesKeys)
      if (has(key)) return Recompute::kSelective;
    if (recompute_modules_cell(cell))
      return Recompute::kSelective;  // module names alone: "moe_act,layernorm"
    if (has("full") || has("block") || has("uniform") || has("checkpointing")) return Recompute::kFull;
    // A flag set without a kind (llm-foundry's "activation_checkpointing: True", FSDP's per-block wrapper;
    // "AC"): the whole block, full.
    for (const char* w : {"true", "yes", "on", "enabled", "ac"})
      if (starts(w)) return Recompute::kFull;
    return std::nullopt;
  }();
  if (read || !denied) return read;
  const bool starts_no = written.compare(0, 3, "no ") == 0;
  return starts_no ? std::optional<Recompute>(Recompute::kNone) : std::nullopt;
}

std::optional<std::vector<std::string>> recompute_modules_cell(const std::string& cell) {
  const std::string z = lower_case(cell);
  std::size_t at = std::string::npos;
  for (const char* key : kModulesKeys)
    if (const std::size_t k = z.find(key); k != std::string::npos) {
      at = k + std::string(key).size();
      break;
    }
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (at == std::string::npos) {
    // No key: a cell that is only module names ("moe_act,layernorm", "mla_up_proj + moe_act") lists them, or
    // "selective" with them in parentheses ("selective (mla_up_proj, moe_act)"; the list was lost).
    std::string list = z;
    if (const std::size_t open = z.find('('), close = z.rfind(')');
        z.rfind("selective", 0) == 0 && open != std::string::npos && close != std::string::npos &&
        close > open &&
        trim(z.substr(std::string("selective").size(), open - std::string("selective").size())).empty() &&
        trim(z.substr(close + 1)).empty())
      list = z.substr(open + 1, close - open - 1);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < list.size();) {
      if (!word(list[i])) {
        if (std::string(" ,+/;[]'\"").find(list[i]) == std::string::npos) return std::nullopt;
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < list.size() && word(list[j])) ++j;
      names.push_back(list.substr(i, j - i));
      if (!recompute_module_bit(names.back())) return std::nullopt;
      i = j;
    }
    if (names.empty()) return std::nullopt;
    return names;
  }
  auto skip = [&](const std::string& chars) {
    while (at < z.size() && chars.find(z[at]) != std::string::npos) ++at;
  };
  std::vector<std::string> names;
  skip(" =:[('\"");
  while (at < z.size() && word(z[at])) {
    const std::size_t begin = at;
    while (at < z.size() && word(z[at])) ++at;
    names.push_back(z.substr(begin, at - begin));
    skip(" '\"");
    if (at < z.size() && z[at] == ',') {
      ++at;
      skip(" '\"");
    }
  }
  return names;
}

std::optional<int> recompute_block_layers(const std::string& cell) {
  const std::string z = lower_case(cell);
  if (recompute_cell(cell) != Recompute::kFull || z.find("block") == std::string::npos) return std::nullopt;
  // The digits just before " layer" ("2 layers") or just after "num_layers" ("num_layers=4", "num layers 4").
  auto digits_at = [&z](std::size_t i) -> std::optional<int> {
    std::size_t j = i;
    while (j < z.size() && std::isdigit(static_cast<unsigned char>(z[j]))) ++j;
    if (j == i || j - i > 4) return std::nullopt;
    return std::stoi(z.substr(i, j - i));
  };
  for (std::size_t at = z.find("layer"); at != std::string::npos; at = z.find("layer", at + 1)) {
    std::size_t end = at;
    while (end > 0 && z[end - 1] == ' ') --end;
    std::size_t begin = end;
    while (begin > 0 && std::isdigit(static_cast<unsigned char>(z[begin - 1]))) --begin;
    // not the tail of a fraction ("2.5 layers" was 5 layers: helper-173)
    if (begin < end && (begin == 0 || (!std::isalnum(static_cast<unsigned char>(z[begin - 1])) &&
                                       z[begin - 1] != '.' && z[begin - 1] != ',')))
      if (const std::optional<int> n = digits_at(begin); n && *n > 0) return n;
  }
  // A bare count right after the method ("block, 2", "block 2", "block=2)"), ending its clause: helper-171's
  // "full (block, 2)" recomputed every layer.
  for (std::size_t at = z.find("block"); at != std::string::npos; at = z.find("block", at + 1)) {
    std::size_t i = at + 5;
    while (i < z.size() && (z[i] == ' ' || z[i] == ',' || z[i] == '=' || z[i] == ':')) ++i;
    std::size_t j = i;
    while (j < z.size() && std::isdigit(static_cast<unsigned char>(z[j]))) ++j;
    std::size_t k = j;
    while (k < z.size() && z[k] == ' ') ++k;
    if (j > i && (k == z.size() || z[k] == ')' || z[k] == ',' || z[k] == ';'))
      if (const std::optional<int> n = digits_at(i); n && *n > 0) return n;
  }
  for (const char* key : {"num_layers", "num layers", "num-layers"})
    if (std::size_t at = z.find(key); at != std::string::npos) {
      at += std::string(key).size();
      while (at < z.size() && (z[at] == ' ' || z[at] == '=' || z[at] == ':')) ++at;
      if (const std::optional<int> n = digits_at(at); n && *n > 0) return n;
    }
  return std::nullopt;
}

std::string recompute_block_count_unread(const std::string& cell) {
  const std::string z = lower_case(cell);
  if (recompute_cell(cell) != Recompute::kFull || z.find("block") == std::string::npos ||
      recompute_block_layers(cell))
    return "";
  // The number as written ("2.5", "0"), where a count stands: right after the method or before " layer".
  auto number_at = [&z](std::size_t i) {
    std::size_t j = i;
    while (j < z.size() && (std::isdigit(static_cast<unsigned char>(z[j])) || z[j] == '.')) ++j;
    return z.substr(i, j - i);
  };
  auto unread = [](const std::string& t) {
    return !t.empty() && std::isdigit(static_cast<unsigned char>(t.front())) &&
           (t.find('.') != std::string::npos || t.find_first_not_of('0') == std::string::npos ||
            t.size() > 4);
  };
  for (std::size_t at = z.find("block"); at != std::string::npos; at = z.find("block", at + 1)) {
    std::size_t i = at + 5;
    while (i < z.size() && (z[i] == ' ' || z[i] == ',' || z[i] == '=' || z[i] == ':')) ++i;
    if (const std::string t = number_at(i); unread(t)) return t;
  }
  for (std::size_t at = z.find("layer"); at != std::string::npos; at = z.find("layer", at + 1)) {
    std::size_t end = at;
    while (end > 0 && z[end - 1] == ' ') --end;
    std::size_t begin = end;
    while (begin > 0 && (std::isdigit(static_cast<unsigned char>(z[begin - 1])) || z[begin - 1] == '.'))
      --begin;
    if (const std::string t = z.substr(begin, end - begin); unread(t)) return t;
  }
  for (const char* key : {"num_layers", "num layers", "num-layers"})
    if (std::size_t at = z.find(key); at != std::string::npos) {
      at += std::string(key).size();
      while (at < z.size() && (z[at] == ' ' || z[at] == '=' || z[at] == ':')) ++at;
      if (const std::string t = number_at(at); unread(t)) return t;
    }
  return "";
}

std::optional<int> CaseRow::recompute_layers(const std::string& col) const {
  if (const std::optional<int> n = recompute_block_layers(at(col))) return n;
  if (const std::string t = recompute_block_count_unread(at(col)); !t.empty())
    throw bad(col, "'" + at(col) + "': the block method's count '" + t +
                       "' is not a whole number of layers from 1 (recompute_num_layers)");
  return std::nullopt;
}

std::optional<unsigned> CaseRow::recompute_modules(const std::string& col) const {
  const std::optional<std::vector<std::string>> names = recompute_modules_cell(at(col));
  if (!names) return std::nullopt;
  if (names->empty()) throw bad(col, "'" + at(col) + "'" + " names recompute_modules but lists none (" + recompute_module_list() + ")");
  unsigned bits = 0;
  for (const std::string& n : *names) {
    const unsigned b = recompute_module_bit(n);
    if (!b) throw bad(col, "'" + n + "' is not a recompute module (" + recompute_module_list() + ")");
    bits |= b;
  }
  return bits;
}

}  // namespace commsim
