// Small helpers shared by the validation mapping files (configs/validation/*.yaml): case-insensitive
// matching of a rule against a CSV cell, a list of mappings under a key (absent: empty), exclusions. What a
// row's cells say is read by study/case_cells.hpp.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "core/yaml_reader.hpp"

namespace commsim {

// Does `hay` contain `needle`, ignoring case?
inline bool contains_nocase(const std::string& hay, const std::string& needle) {
  return lower_case(hay).find(lower_case(needle)) != std::string::npos;
}

// A text without its spaces, '-' and '_', in lower case, each kept character's place in the text beside it:
// what the loose matches below compare, and where a match starts and ends in the text as written.
struct Squeezed {
  std::string text;
  std::vector<std::size_t> at;
};
inline Squeezed squeeze_with_places(const std::string& s) {
  Squeezed out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] != ' ' && s[i] != '-' && s[i] != '_') {
      out.text += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
      out.at.push_back(i);
    }
  return out;
}

// Does `holds` hold for each part of a rule written "A + B" (the whole rule where it has no " + ")?
template <typename Pred>
bool each_part(const std::string& rule, Pred holds) {
  for (std::size_t from = 0;;) {
    const std::size_t plus = rule.find(" + ", from);
    if (!holds(rule.substr(from, plus == std::string::npos ? std::string::npos : plus - from))) return false;
    if (plus == std::string::npos) return true;
    from = plus + 3;
  }
}

// Does a cell name what a rule matches? The rule's text in the cell ignoring case, or ignoring spaces, '-' and
// '_' as well: "gpt-oss-120b" and "GPT-OSS 120B", "Mixtral-8x7B" and "Mixtral 8x7B", "DeepSeek V3" and
// "DeepSeek-V3" are one model (HF repository names against paper names); "H100-SXM5-80GB" and "H100 SXM" one
// GPU. A '.' stays: "GPT 3.5B" is not "GPT3-5B".
inline bool contains_loosely(const std::string& cell, const std::string& rule) {
  if (contains_nocase(cell, rule)) return true;
  const std::string r = squeeze_with_places(rule).text;
  return !r.empty() && squeeze_with_places(cell).text.find(r) != std::string::npos;
}

// Does a model cell name what a model rule matches? contains_loosely with the cell's brackets read as spaces
// ("Llama 2 (70B)", "GPT-OSS (120B)" fell to the generic "70B" and "GPT" rules: Llama 3's 128K vocabulary,
// GPT-3 175B); a rule written "A + B" needs both ("Llama 2 + 70B" names "Llama-2-Chat 70B"). A rule that
// starts with a digit starts a word of the cell: "8B" names "Llama 3 8B" and "LLAMA3-8B", not "Pythia
// 2.8B", "18B" or "EP16 BF16" (helper-123, helper-126: the first two were Llama 3 8B).
inline bool names_model(const std::string& cell, const std::string& rule) {
  std::string bare;  // brackets as spaces: "Llama3(70B)" is "Llama3 70B", not "Llama370B" (helper-126)
  for (char ch : cell) bare += ch == '(' || ch == ')' || ch == '[' || ch == ']' ? ' ' : ch;
  const Squeezed hay = squeeze_with_places(bare);
  return each_part(rule, [&](const std::string& part) {
    if (contains_nocase(bare, part) &&
        !std::isdigit(static_cast<unsigned char>(part.empty() ? 'x' : part[0])))
      return true;
    const std::string needle = squeeze_with_places(part).text;
    if (needle.empty()) return false;
    const bool numeric = std::isdigit(static_cast<unsigned char>(needle[0])) != 0;
    for (std::size_t k = hay.text.find(needle); k != std::string::npos; k = hay.text.find(needle, k + 1)) {
      if (!numeric || hay.at[k] == 0) return true;
      const char before = bare[hay.at[k] - 1];  // "EP16 BF16" squeezed holds "16bf": no "16B"
      if (!std::isalnum(static_cast<unsigned char>(before)) && before != '.') return true;
    }
    return false;
  });
}

// Does a hardware cell say every word of a rule, in any order, each a whole word of the cell (ignoring
// case; words split at anything but a letter or a digit)? "H100 80GB PCIe", "H100 (PCIe)" and
// "H100-PCIE-80GB" all say "H100 PCIe"; "H200 141GB NVL" says "H200 NVL", "A100 (40GB)" says "A100 40GB". A
// word is never part of one: "NVLink" is no "NVL", "40GB" no "40G". (A PCIe or NVL card named with other
// words between its chip and its form factor was taken for the SXM part by the first rule naming the chip
// alone.)
inline bool says_all_words(const std::string& cell, const std::string& rule) {
  // A capacity written with a space is one word ("A100 (40 GB)" says "A100 40GB"), not a rate ("40 GB/s").
  auto joined = [](const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      out += s[i];
      if (std::isdigit(static_cast<unsigned char>(s[i])) && i + 2 < s.size() && s[i + 1] == ' ')
        for (const char* unit : {"GB", "GiB", "TB", "gb", "gib", "tb"}) {
          const std::size_t n = std::char_traits<char>::length(unit);
          const std::size_t after = i + 2 + n;
          if (s.compare(i + 2, n, unit) == 0 &&
              (after >= s.size() ||
               (!std::isalnum(static_cast<unsigned char>(s[after])) && s[after] != '/'))) {
            ++i;  // the space dropped
            break;
          }
        }
    }
    return out;
  };
  auto words = [](const std::string& s) {
    std::vector<std::string> out(1);
    for (char ch : s) {
      if (std::isalnum(static_cast<unsigned char>(ch)))
        out.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      else if (!out.back().empty())
        out.emplace_back();
    }
    if (out.back().empty()) out.pop_back();
    return out;
  };
  const std::vector<std::string> want = words(rule), have = words(joined(cell));
  if (want.size() < 2) return false;  // one word: the substring rule (contains_loosely) decides
  for (const std::string& w : want) {
    const auto at = std::find(have.begin(), have.end(), w);
    if (at == have.end()) return false;
    // ... not denied ("H800 (SXM, not PCIe)"), and a form factor the cell does not contradict ("H800 SXM5
    // 80GB (PCIe Gen5 host link)" is no PCIe card: helper-137)
    if (at != have.begin() && (*(at - 1) == "not" || *(at - 1) == "no" || *(at - 1) == "non")) return false;
    if (w == "pcie" || w == "nvl")
      for (std::size_t i = 0; i < have.size(); ++i)
        if (have[i].rfind("sxm", 0) == 0 &&
            !(i > 0 && (have[i - 1] == "not" || have[i - 1] == "non" || have[i - 1] == "no")))  // "(non-SXM)"
          return false;
  }
  return true;
}

// contains_loosely, where a rule that ends in a letter does not run on into one in the cell: "HGX H100
// NVLink" is no "H100 NVL" (the PCIe card with bridges: it was taken for one), while "H100-SXM5" says "H100
// SXM" and "H100 NVL 94GB" says "H100 NVL".
inline bool contains_loosely_word_end(const std::string& cell, const std::string& rule) {
  auto alpha = [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) != 0; };
  if (rule.empty() || !alpha(rule.back())) return contains_loosely(cell, rule);
  // The cell squeezed as contains_loosely squeezes it, each kept character's place in the cell beside it.
  const Squeezed squeezed = squeeze_with_places(cell);
  const std::string want = squeeze_with_places(rule).text;
  if (want.empty()) return false;
  for (std::size_t k = squeezed.text.find(want); k != std::string::npos;
       k = squeezed.text.find(want, k + 1)) {
    const std::size_t next = squeezed.at[k + want.size() - 1] + 1;  // the cell's character after the match
    if (next >= cell.size() || !alpha(cell[next])) return true;
    // A plural ("4x H100 NVLs", "MI300Xs") or a count run on after an 'x' ("MI300Xx8", "L40Sx8") ends the
    // name.
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(cell[next])));
    const bool then_ends = next + 1 >= cell.size() || !alpha(cell[next + 1]);
    if ((c == 's' && then_ends) ||
        (c == 'x' && next + 1 < cell.size() && std::isdigit(static_cast<unsigned char>(cell[next + 1]))))
      return true;
  }
  return false;
}

// A hardware rule's text in a cell: loosely as written ("H100-SXM5-80GB" says "H100 SXM"), or word by word.
inline bool names_hardware(const std::string& cell, const std::string& rule) {
  return contains_loosely_word_end(cell, rule) || says_all_words(cell, rule);
}

// Does a GPU cell name a part? The rule's text in the cell ignoring case, spaces, '-' and '_' ("H100-PCIe",
// "NVIDIA H100 PCIE" and "h100 pcie" name "H100 PCIe"; "sm_90" names "SM90"), not run on into a letter or a
// digit of the cell on either side ("NVIDIA H2000" is no H200, "GB200" no B200, "H200" no H20; "H100-SXM5"
// and "(H100-class" name an H100), or every word of the rule a word of the cell ("H100 80GB PCIe", "H100
// (PCIe)"). The kernel rows' GPU cells: matched as written, case and all, until 2026-12-06, every other
// spelling of a PCIe or NVL card was the SXM part (+22..+32%, helper-133).
inline bool names_part(const std::string& cell, const std::string& rule) {
  if (says_all_words(cell, rule)) return true;
  const Squeezed hay = squeeze_with_places(cell);
  const std::string want = squeeze_with_places(rule).text;
  if (want.empty()) return false;
  auto alnum = [&](std::size_t i) { return std::isalnum(static_cast<unsigned char>(cell[i])) != 0; };
  for (std::size_t k = hay.text.find(want); k != std::string::npos; k = hay.text.find(want, k + 1)) {
    const std::size_t first = hay.at[k], last = hay.at[k + want.size() - 1];
    if ((first == 0 || !alnum(first - 1)) && (last + 1 == cell.size() || !alnum(last + 1))) return true;
  }
  return false;
}

// A rule's hardware or model text (`gpu`, `intra`, `inter`, a model rule's `match`): never empty or blank,
// which would name every row and, the first matching rule winning, silently take over the rules below it.
// An optional key (`intra`, `inter`) is left out to match any cell; absent, it reads "".
inline std::string read_rule_text(YamlMap& r, const std::string& key, bool optional = false) {
  if (optional && !r.has(key)) return "";
  const std::string text = r.str(key);
  if (trim(text).empty())
    r.fail(key, optional ? "an empty text matches every row: leave the key out to match any"
                         : "an empty text matches every row: name what the rule matches");
  return text;
}

// A rule's `match`: one substring of the cell, or a list of alternatives (any of them; `match: ""` is every cell).
inline std::vector<std::string> read_match(YamlMap& r) {
  if (!r.raw("match").IsSequence()) return {r.str("match")};
  std::vector<std::string> alts = r.strings("match");
  if (alts.empty()) r.fail("match", "an empty list matches nothing");
  return alts;
}
inline bool matches_any(const std::string& cell, const std::vector<std::string>& alts) {
  for (const std::string& a : alts)
    if (contains_nocase(cell, a)) return true;
  return false;
}

// Does a source cell name what a source rule matches? As matches_any, ignoring spaces, '-' and '_' as
// contains_loosely does ("Megatron Bridge", "Megatron_Bridge" and "Megatron-Bridge"; "performance summary"
// and "performance-summary"), but the match must not run on into a letter on either side in the cell as
// written: "NeMo" names "NeMo 25.02" and "nemo-framework" but not the "Nemotron-4 340B Technical Report",
// whose rows are not NeMo's performance recipes. Digits may follow ("NeMo2"). An alternative written
// "A + B" needs both ("Megatron-Bridge + performance-summary": the tables, whatever page they cite).
inline bool names_source(const std::string& cell, const std::vector<std::string>& alts) {
  auto letter = [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) != 0; };
  auto digit = [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; };
  const Squeezed hay = squeeze_with_places(cell);
  auto names = [&](const std::string& part) {
    const std::string needle = squeeze_with_places(part).text;
    if (needle.empty()) return true;
    for (std::size_t k = hay.text.find(needle); k != std::string::npos; k = hay.text.find(needle, k + 1)) {
      const std::size_t first = hay.at[k], end = hay.at[k + needle.size() - 1] + 1;
      // Letters do not run on into letters, nor digits into a number: "DeepSeek-V3" is not "DeepSeek-V3.2"
      // (helper-126), "Llama 3" not "Llama 30B".
      const bool open =
          first == 0 || (!(letter(needle.front()) && letter(cell[first - 1])) &&
                         !(digit(needle.front()) && (digit(cell[first - 1]) || cell[first - 1] == '.')));
      const bool number_on =
          end < cell.size() &&
          (digit(cell[end]) || (cell[end] == '.' && end + 1 < cell.size() && digit(cell[end + 1])));
      const bool close = end == cell.size() || (!(letter(needle.back()) && letter(cell[end])) &&
                                                !(digit(needle.back()) && number_on));
      if (open && close) return true;
    }
    return false;
  };
  for (const std::string& a : alts)
    if (each_part(a, names)) return true;
  return false;
}

// A mapping file's root, its header checked: schema_version 1 and the expected kind (file, line and key
// on error). YamlMap is a handle on the parsed tree: returned by value, it still marks keys used.
inline YamlMap open_mapping(const std::string& path, const std::string& kind) {
  YamlMap root(load_yaml_file(path), path);
  if (root.integer("schema_version") != 1) root.fail("schema_version", "unsupported schema_version");
  if (root.str("kind") != kind) root.fail("kind", "expected kind: " + kind);
  return root;
}

// The mappings listed under `key` of `root` (marked used; none when absent or null).
inline std::vector<YamlMap> mapping_list(YamlMap& root, const std::string& key, const std::string& path) {
  std::vector<YamlMap> out;
  const YAML::Node n = root.raw(key);
  if (!n.IsDefined() || n.IsNull()) return out;
  if (!n.IsSequence()) root.fail(key, "expected a list");
  for (std::size_t i = 0; i < n.size(); ++i) out.emplace_back(n[i], path, key + "[" + std::to_string(i) + "]");
  return out;
}

// The `exclude` list: case_id -> the reason a row is not predicted.
inline std::map<std::string, std::string> mapping_exclusions(YamlMap& root, const std::string& path) {
  std::map<std::string, std::string> out;
  for (YamlMap& r : mapping_list(root, "exclude", path)) {
    const std::string id = r.str("case_id");
    if (trim(id).empty()) r.fail("case_id", "an empty case_id excludes no row");
    // a second entry replaced the first one's reason without a word
    if (!out.emplace(id, r.str("reason")).second) r.fail("case_id", "'" + id + "' is excluded twice");
    r.finish();
  }
  return out;
}

// What the estimator does not model (hybrid Mamba-2 layers, linear attention, LoRA fine-tuning): a row whose
// `columns` (default: arch and model) contain one of `match` is reported as not predicted, with the reason,
// whatever its case_id.
struct UnsupportedRule {
  std::vector<std::string> match;
  std::vector<std::string> columns = {"arch", "model"};
  std::vector<std::string> except;  // a model cell naming one of these (as model rules match: loosely) is modelled
  std::string reason;
};
struct UnsupportedHit {
  const std::string* reason = nullptr;  // null: no rule matched
  std::string column;                   // the column that matched
};

// The `unsupported` list (none when absent); an empty match would leave every row unpredicted.
inline std::vector<UnsupportedRule> mapping_unsupported(YamlMap& root, const std::string& path) {
  std::vector<UnsupportedRule> out;
  for (YamlMap& r : mapping_list(root, "unsupported", path)) {
    UnsupportedRule u;
    u.match = read_match(r);
    for (const std::string& a : u.match)
      if (a.empty()) r.fail("match", "an empty match would leave every row unpredicted");
    if (r.has("columns")) {
      u.columns = r.strings("columns");
      if (u.columns.empty()) r.fail("columns", "an empty list matches no column");
    }
    if (r.has("except")) u.except = r.strings("except");
    u.reason = r.str("reason");
    out.push_back(u);
    r.finish();
  }
  return out;
}

// Does the cell hold the rule's text as a word, ignoring case: not run on into a letter on either side, a
// plural 's' aside? "LoRA" is in "LoRA fine-tuning" and "(LoRA)", not in "EXPLORATORY" (helper-132: such a
// case_id was refused as LoRA); "SSM" in "SSMs".
inline bool names_word(const std::string& cell, const std::string& rule) {
  const std::string hay = lower_case(cell), want = lower_case(rule);
  if (want.empty()) return false;
  auto letter = [&](std::size_t i) { return std::isalpha(static_cast<unsigned char>(hay[i])) != 0; };
  auto upper = [&](std::size_t i) { return std::isupper(static_cast<unsigned char>(cell[i])) != 0; };
  auto lower = [&](std::size_t i) { return std::islower(static_cast<unsigned char>(cell[i])) != 0; };
  for (std::size_t at = hay.find(want); at != std::string::npos; at = hay.find(want, at + 1)) {
    std::size_t end = at + want.size();
    if (end < hay.size() && hay[end] == 's' && (end + 1 == hay.size() || !letter(end + 1))) ++end;
    // a word, or a part of a CamelCase name ("GatedDeltaNet", "MambaInLlama", "OpenRLHF")
    const bool starts = at == 0 || !letter(at - 1) || (upper(at) && lower(at - 1));
    const bool ends = end == hay.size() || !letter(end) || (upper(end) && lower(end - 1));
    if (!starts || !ends) continue;
    // not denied just before it ("full fine-tuning (not LoRA)", "no SSM layers": helper-137)
    const std::string before = hay.substr(at >= 9 ? at - 9 : 0, at >= 9 ? 9 : at);
    bool denied = false;
    for (const char* neg :
         {"not ", "no ", "non-", "without ", "w/o "}) {  // a word: "Nano SSM" is no "no SSM"
      const std::size_t n = std::strlen(neg);
      denied =
          denied ||
          (before.size() >= n && before.compare(before.size() - n, std::string::npos, neg) == 0 &&
           (before.size() == n || !std::isalpha(static_cast<unsigned char>(before[before.size() - n - 1]))));
    }
    if (!denied) return true;
  }
  return false;
}

// The first rule one of whose columns the row's cell matches as a word (a column the file lacks matches
// nothing).
inline UnsupportedHit unsupported_hit(const std::vector<UnsupportedRule>& rules, const std::map<std::string, std::string>& cells) {
  for (const UnsupportedRule& u : rules) {
    if (auto m = cells.find("model"); m != cells.end() &&
        std::any_of(u.except.begin(), u.except.end(), [&](const std::string& e) { return contains_loosely(m->second, e); }))
      continue;
    for (const std::string& col : u.columns)
      if (auto it = cells.find(col);
          it != cells.end() && std::any_of(u.match.begin(), u.match.end(),
                                           [&](const std::string& m) { return names_word(it->second, m); }))
        return {&u.reason, col};
  }
  return {};
}

}  // namespace commsim
