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
  const std::string z = trim(without_denied(written, {"selective", "full", "sac"}));
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
    // torchtitan's op-level SAC by any wording ("SAC", "per op SAC", "op SAC": helper-177, the torchao
    // README's refused); not its per-layer SAC (every Nth layer checkpointed whole, another policy).
    auto sac_word = [&z]() {
      for (std::size_t at = z.find("sac"); at != std::string::npos; at = z.find("sac", at + 1))
        if ((at == 0 || !std::isalnum(static_cast<unsigned char>(z[at - 1]))) &&
            (at + 3 >= z.size() || !std::isalnum(static_cast<unsigned char>(z[at + 3]))))
          return true;
      return false;
    };
    const bool per_layer = has("per-layer") || has("per layer") || has("layer sac") || has("layer-wise");
    if (has("selective") || has("op_sac") || (sac_word() && !per_layer) || has("op-level"))
      return Recompute::kSelective;
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

namespace {

bool is_digit_char(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// "layer" or "layers" as a word at `at`: not the start of "layernorm".
bool layer_word(const std::string& z, std::size_t at) {
  std::size_t e = at + 5;
  if (e < z.size() && z[e] == 's') ++e;
  return e >= z.size() || !std::isalpha(static_cast<unsigned char>(z[e]));
}

// The number written from `i`: digits, with a '.' or ',' between digits ("2.5", "2,5") or before the first
// (".5"); empty where none starts there.
std::string number_token(const std::string& z, std::size_t i) {
  std::size_t j = i;
  while (j < z.size() && (is_digit_char(z[j]) ||
                          ((z[j] == '.' || z[j] == ',') && j + 1 < z.size() && is_digit_char(z[j + 1]))))
    ++j;
  return z.substr(i, j - i);
}

// A count of layers: 1 to 9999, whole ("2.5" and "2,5" are not; "2" of "2.5" was read as 2).
std::optional<int> whole_count(const std::string& t) {
  if (t.empty() || t.size() > 4 || t.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const int n = std::stoi(t);
  return n > 0 ? std::optional<int>(n) : std::nullopt;
}

// The count written just before "layer(s)" at `at` ("2 layers"), not the tail of another number.
std::string count_before_layer(const std::string& z, std::size_t at) {
  std::size_t end = at;
  while (end > 0 && z[end - 1] == ' ') --end;
  std::size_t begin = end;
  while (begin > 0 && (is_digit_char(z[begin - 1]) || z[begin - 1] == '.' || z[begin - 1] == ',')) --begin;
  while (begin < end &&
         (z[begin] == ',' || (z[begin] == '.' && (begin + 1 >= end || !is_digit_char(z[begin + 1])))))
    ++begin;
  if (begin > 0 && std::isalnum(static_cast<unsigned char>(z[begin - 1]))) return "";
  // "2 of 32 layers", "2 out of 32 layers", "2 of the 32 layers", "2/32 layers": the part recomputed, not the
  // whole (helper-179, helper-180: 32 were)
  auto back_over = [&z](std::size_t at) {
    while (at > 0 && z[at - 1] == ' ') --at;
    return at;
  };
  auto word_before = [&z](std::size_t at, const char* w) {  // `w` as a word ending at `at`
    const std::size_t n = std::string(w).size();
    return at >= n && z.compare(at - n, n, w) == 0 &&
           (at == n || !std::isalnum(static_cast<unsigned char>(z[at - n - 1])));
  };
  std::size_t of = back_over(begin);
  if (word_before(of, "the")) of = back_over(of - 3);
  std::size_t part_end = of;
  if (of > 0 && z[of - 1] == '/') {
    part_end = of - 1;
  } else if (word_before(of, "of")) {
    part_end = back_over(of - 2);
    if (word_before(part_end, "out")) part_end = back_over(part_end - 3);
  }
  if (part_end != of && begin < end) {
    while (part_end > 0 && z[part_end - 1] == ' ') --part_end;
    std::size_t part = part_end;
    while (part > 0 && (is_digit_char(z[part - 1]) || z[part - 1] == '.' || z[part - 1] == ',')) --part;
    if (part < part_end && (part == 0 || !std::isalnum(static_cast<unsigned char>(z[part - 1]))))
      return z.substr(part, part_end - part);
  }
  return z.substr(begin, end - begin);
}

// After the method ("block, 2", "block 2", "block=2)"): the separators skipped, the number there and where it
// ends.
std::size_t after_block(const std::string& z, std::size_t at) {
  std::size_t i = at + 5;
  while (i < z.size() && (z[i] == ' ' || z[i] == ',' || z[i] == '=' || z[i] == ':')) ++i;
  return i;
}

// The number after a num_layers key ("num_layers=4", "num layers: 3", "recompute-num-layers 2"); empty where
// no key is written.
std::string count_after_key(const std::string& z) {
  for (const char* key : {"num_layers", "num layers", "num-layers"})
    if (std::size_t at = z.find(key); at != std::string::npos) {
      at += std::string(key).size();
      while (at < z.size() && (z[at] == ' ' || z[at] == '=' || z[at] == ':')) ++at;
      return number_token(z, at);
    }
  return "";
}

}  // namespace

std::optional<int> recompute_block_layers(const std::string& cell) {
  const std::string z = lower_case(cell);
  if (recompute_cell(cell) != Recompute::kFull || z.find("block") == std::string::npos) return std::nullopt;
  // The count just before " layer" ("2 layers"; not "2 layernorm", nor the tail of "2.5 layers": helper-173).
  for (std::size_t at = z.find("layer"); at != std::string::npos; at = z.find("layer", at + 1))
    if (layer_word(z, at))
      if (const std::optional<int> n = whole_count(count_before_layer(z, at))) return n;
  // A bare count right after the method ("block, 2", "block 2", "block=2)"), ending its clause: helper-171's
  // "full (block, 2)" recomputed every layer.
  for (std::size_t at = z.find("block"); at != std::string::npos; at = z.find("block", at + 1)) {
    const std::size_t i = after_block(z, at);
    const std::string t = number_token(z, i);
    std::size_t k = i + t.size();
    while (k < z.size() && z[k] == ' ') ++k;
    if (k == z.size() || z[k] == ')' || z[k] == ',' || z[k] == ';')
      if (const std::optional<int> n = whole_count(t)) return n;
  }
  return whole_count(count_after_key(z));  // "num_layers=4" (not the 1 of "num_layers=1.5": helper-175)
}

std::string recompute_block_count_unread(const std::string& cell) {
  const std::string z = lower_case(cell);
  if (recompute_cell(cell) != Recompute::kFull || z.find("block") == std::string::npos ||
      recompute_block_layers(cell))
    return "";
  // A number where a count stands that is no whole count of 1 or more: a fraction ("2.5", "2,5", ".5"), 0, or
  // more than 4 digits. Not a number that qualifies a word ("2.5x memory saving"), nor one before
  // "layernorm".
  auto unread = [](const std::string& t) { return !t.empty() && !whole_count(t); };
  for (std::size_t at = z.find("block"); at != std::string::npos; at = z.find("block", at + 1)) {
    const std::size_t i = after_block(z, at);
    const std::string t = number_token(z, i);
    const std::size_t k = i + t.size();
    if (k < z.size() && std::isalpha(static_cast<unsigned char>(z[k]))) continue;
    if (unread(t)) return t;
  }
  for (std::size_t at = z.find("layer"); at != std::string::npos; at = z.find("layer", at + 1))
    if (layer_word(z, at))
      if (const std::string t = count_before_layer(z, at); unread(t)) return t;
  if (const std::string t = count_after_key(z); unread(t)) return t;
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
