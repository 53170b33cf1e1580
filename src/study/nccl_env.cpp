#include "study/nccl_env.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <vector>

#include "core/text.hpp"

namespace commsim {
namespace {

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The words right before `at`, lower case, up to two: a denial ("not", "unset"...) or advice to another run,
// as a maintainer's reply quoted in a row whose run kept NCCL's default: a modal or imperative ("try
// NCCL_ALGO=Ring", "please set ...", "you should set ...") or a clause that starts with "use" ("an
// aberration, use NCCL_ALGO=Ring for fabric"). A ':' ends the words ("no SHARP: NCCL_ALGO=Ring" sets it), and
// a participle states what the run did ("with the suggested NCCL_ALGO=Ring", "recommended settings: ...").
bool denied_before(const std::string& lower, std::size_t at) {
  std::size_t e = at;
  for (int w = 0; w < 2; ++w) {
    while (e > 0 && (lower[e - 1] == ' ' || lower[e - 1] == '(' || lower[e - 1] == '`')) --e;
    std::size_t b = e;
    while (b > 0 && word_char(lower[b - 1])) --b;
    const std::string word = lower.substr(b, e - b);
    if (word == "not" || word == "no" || word == "without" || word == "unset" || word == "never") return true;
    for (const char* advice :
         {"try", "consider", "should", "recommend", "recommends", "suggest", "suggests", "please", "advise"})
      if (word == advice) return true;
    if (word == "use" && w == 0) {  // imperative only: at the start of a clause ("runs use ..." states it)
      std::size_t p = b;
      while (p > 0 && lower[p - 1] == ' ') --p;
      if (p == 0 || std::string(",;(").find(lower[p - 1]) != std::string::npos) return true;
    }
    if (word.empty()) return false;
    e = b;
  }
  return false;
}

struct Skip {};  // a log's setting that names no one value: left to NCCL's choice

NcclSettings read_settings(const std::string& text, const SourceLoc& where, bool lenient) {
  NcclSettings s;
  const std::string lower = lower_case(text);
  std::size_t value_at = 0;  // where the value being read starts
  auto refuse = [&](std::size_t from, std::size_t to, const std::string& why) {
    if (lenient) {  // NAME -> the value as written, for a note
      std::string name;
      for (std::size_t k = from; k < text.size() && word_char(text[k]); ++k)
        name += static_cast<char>(std::toupper(static_cast<unsigned char>(text[k])));
      s.unread[name] = text.substr(value_at, std::min<std::size_t>(to > value_at ? to - value_at : 0, 64));
      throw Skip{};
    }
    throw InputError(where, "'" + text.substr(from, std::min<std::size_t>(to - from, 64)) + "' " + why);
  };
  // A setting commsim does not model, and the values of it that change the run (empty: any value does).
  auto unmodelled_values = [](const std::string& var) -> std::optional<std::vector<std::string>> {
    static const std::map<std::string, std::vector<std::string>> table = {
        {"nccl_p2p_disable", {"1"}},          {"nccl_shm_disable", {"1"}},      {"nccl_net", {"socket"}},
        {"nccl_ib_disable", {"1"}},           {"nccl_collnet_enable", {"1"}},   {"nccl_mnnvl_enable", {"0"}},
        {"nccl_net_gdr_level", {"0", "loc"}}, {"nccl_p2p_level", {"0", "loc"}}, {"nccl_nchannels", {}},
        {"nccl_min_nchannels", {}},           {"nccl_max_nchannels", {}}};
    const auto it = table.find(var);
    if (it == table.end()) return std::nullopt;
    return it->second;
  };
  for (const char* var :
       {"nccl_algo", "nccl_proto", "nccl_nvls_enable", "nccl_p2p_disable", "nccl_shm_disable", "nccl_net",
        "nccl_ib_disable", "nccl_collnet_enable", "nccl_mnnvl_enable", "nccl_net_gdr_level", "nccl_p2p_level",
        "nccl_nchannels", "nccl_min_nchannels", "nccl_max_nchannels"}) {
    const std::string name(var);
    std::string seen;  // the value read, for a second mention
    for (std::size_t pos = lower.find(name); pos != std::string::npos; pos = lower.find(name, pos + 1)) try {
        if ((pos > 0 && word_char(lower[pos - 1])) ||
            (pos + name.size() < lower.size() && word_char(lower[pos + name.size()])))
          continue;  // NCCL_ALGO_X, MY_NCCL_ALGO
        std::size_t i = pos + name.size();
        while (i < lower.size() && lower[i] == ' ') ++i;
        // "NCCL_ALGO=Ring", "NCCL_ALGO: Ring" (a note's prose), "NCCL_ALGO set to Tree"
        const bool assigned = i < lower.size() && (lower[i] == '=' || lower[i] == ':');
        const bool set_to = !assigned && lower.compare(i, 7, "set to ") == 0;
        if (set_to) {
          i += 7;
        } else if (!assigned) {
          // "NCCL_ALGO unset", "NCCL_ALGO set by environment to Tree" (an NCCL INFO line)
          const std::string rest = lower.substr(i, 40);
          if (rest.rfind("set by environment to ", 0) == 0)
            i += 22;
          else
            continue;  // named without a value ("NCCL_ALGO unset", "NCCL_ALGO defaults"): NCCL's choice
        } else {
          ++i;
          while (i < lower.size() && lower[i] == ' ') ++i;
        }
        if (denied_before(lower, pos))
          continue;  // "not NCCL_ALGO=Ring": what the run did not set (it was forced)
        if (i < lower.size() && (lower[i] == '"' || lower[i] == '\'' || lower[i] == '`')) ++i;
        value_at = i;
        std::size_t end = i;
        while (end < lower.size() && !std::isspace(static_cast<unsigned char>(lower[end])) &&
               lower[end] != ';' && lower[end] != '"' && lower[end] != '\'' && lower[end] != '`')
          ++end;
        // "NCCL_ALGO=Ring was not set", "NCCL_PROTO=LL not used": what the run did not set
        {
          std::size_t k = end;
          while (k < lower.size() &&
                 (lower[k] == ' ' || lower[k] == '`' || lower[k] == '"' || lower[k] == ')'))
            ++k;
          const std::string after = lower.substr(k, 16);
          bool denied = false;
          for (const char* w : {"was not set", "not set", "was not used", "not used", "unused", "was unset"})
            denied = denied || after.rfind(w, 0) == 0;
          if (denied) continue;
        }
        while (end > i && std::string(".,:)]").find(lower[end - 1]) != std::string::npos)
          --end;  // prose after it
        if (const auto changing = unmodelled_values(name)) {
          const std::string v = lower.substr(i, end - i);
          if (v.empty() || v == "unset" || v == "default" || v == "auto") continue;
          if (changing->empty() || std::find(changing->begin(), changing->end(), v) != changing->end()) {
            std::string upper;
            for (char ch : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            s.unmodelled[upper] = text.substr(i, std::min<std::size_t>(end - i, 64));
          }
          continue;
        }
        std::vector<std::string> names;
        for (std::size_t b = i; b <= end;) {
          std::size_t c = lower.find(',', b);
          if (c == std::string::npos || c > end) c = end;
          const std::string piece = lower.substr(b, c - b);
          if (piece.find('=') != std::string::npos) break;  // the next variable
          names.push_back(piece);
          b = c + 1;
        }
        const bool one = names.size() == 1 && !names[0].empty() &&
                         std::all_of(names[0].begin(), names[0].end(), [](char ch) { return word_char(ch); });
        if (!one)
          refuse(pos, end,
                 name == "nccl_algo"
                     ? "names no one algorithm (an exclusion ^NAME, a list NAME,NAME or a per-collective "
                       "COLL:NAME): a prediction forces the one the run used, e.g. NCCL_ALGO=Ring"
                     : "names no one value: a prediction forces the one the run used");
        const std::string v = names[0];
        if (v == "unset" || v == "default" || v == "auto" || v == "none") continue;  // NCCL's choice
        if (!seen.empty() && seen != v && !lenient)  // a log: every rank prints it, the last wins
          refuse(pos, end,
                 "gives " + text.substr(pos, name.size()) + " a second value (" + seen +
                     " before): state the one the run used");
        seen = v;
        if (name == "nccl_algo") {
          s.algo = v == "nvlstree" ? "nvls_tree" : v;
        } else if (name == "nccl_proto") {
          Proto p{};
          if (!proto_from_name(v, &p)) refuse(pos, end, "is not a protocol (LL, LL128, Simple)");
          s.proto = p;
        } else {
          if (v != "0" && v != "1") refuse(pos, end, "is not 0 or 1");
          s.nvls_off = v == "0";
        }
      } catch (const Skip&) {
      }
  }
  return s;
}

}  // namespace

NcclSettings read_nccl_settings(const std::string& text, const SourceLoc& where) {
  return read_settings(text, where, false);
}
NcclSettings read_nccl_log_settings(const std::string& line, const SourceLoc& where) {
  return read_settings(line, where, true);
}

}  // namespace commsim
