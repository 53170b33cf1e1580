#include "core/text.hpp"

#include <vector>

namespace commsim {

std::string without_denied(std::string_view text, std::initializer_list<std::string_view> words) {
  std::string out(text);
  auto is_key = [&words](const std::string& w) {
    for (std::string_view k : words)
      if (w == k) return true;
    return false;
  };
  struct Word {
    std::string w;
    std::size_t at = 0, end = 0;
  };
  std::vector<Word> ws;
  for (std::size_t i = 0; i < text.size();) {
    if (!std::isalnum(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    Word w;
    w.at = i;
    while (i < text.size() && std::isalnum(static_cast<unsigned char>(text[i])))
      w.w += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
    w.end = i;
    ws.push_back(w);
  }
  auto between = [&](std::size_t a) {
    return text.substr(ws[a].end, ws[a + 1].at - ws[a].end);
  };  // a and a+1
  // A negation stands next to its word: spaces, '-' or '_' between ("non-FP8"; not "full: no, selective").
  auto adjacent = [&](std::size_t a) {
    return between(a).find_first_not_of(" -_") == std::string_view::npos;
  };
  auto negation = [&](std::size_t i) {  // the words of a negation starting at i, 0 for none
    const std::string& w = ws[i].w;
    if (w == "no" || w == "not" || w == "non" || w == "without") return std::size_t{1};
    if (w == "w" && i + 1 < ws.size() && ws[i + 1].w == "o" && between(i) == "/")
      return std::size_t{2};  // w/o
    return std::size_t{0};
  };
  auto blank = [&](std::size_t a, std::size_t b) {  // words a..b
    out.replace(ws[a].at, ws[b].end - ws[a].at, ws[b].end - ws[a].at, ' ');
  };
  for (std::size_t i = 0; i < ws.size(); ++i) {
    std::size_t n = negation(i);
    // "not using distributed optimizer": the negation of the word after "using"
    if (n > 0 && i + n + 1 < ws.size() && (ws[i + n].w == "using" || ws[i + n].w == "use") &&
        adjacent(i + n - 1))
      ++n;
    // "not DeepSeek-style block scaling": a compound modifier (X-style, X-like, X-based, X-type) between
    if (n > 0 && i + n + 2 < ws.size() && !is_key(ws[i + n].w) && between(i + n) == "-" &&
        (ws[i + n + 1].w == "style" || ws[i + n + 1].w == "like" || ws[i + n + 1].w == "based" ||
         ws[i + n + 1].w == "type") &&
        adjacent(i + n - 1) && adjacent(i + n + 1) && is_key(ws[i + n + 2].w))
      n += 2;
    if (n > 0 && i + n < ws.size() && is_key(ws[i + n].w) && adjacent(i + n - 1)) {
      blank(i, i + n);
      i += n;
      continue;
    }
    if (!is_key(ws[i].w) || i + 1 >= ws.size()) continue;
    const std::string& next = ws[i + 1].w;
    // "fp8 disabled", "fp8 off"; not "optimizer off-loaded"
    const bool offload = next == "off" && i + 2 < ws.size() && between(i + 1) == "-" &&
                         (ws[i + 2].w == "load" || ws[i + 2].w == "loaded" || ws[i + 2].w == "loading");
    // "block scaling disabled", "selective recompute off": one word of what the key is between
    const bool noun =
        next == "recompute" || next == "recomputation" || next == "scaling" || next == "checkpointing";
    const std::string& after = i + 2 < ws.size() ? ws[i + 2].w : std::string();
    if ((next == "disabled" || next == "off" || next == "unused") && !offload) {
      blank(i, i + 1);
      ++i;
    } else if (noun && (after == "disabled" || after == "off")) {
      blank(i, i + 2);
      i += 2;
    } else if (next == "not" &&
               (after == "enabled" || after == "used")) {  // "fp8 not enabled", "fp8 not used"
      blank(i, i + 2);
      i += 2;
    } else if (next == "optimizer" && i + 3 < ws.size() && after == "not" &&
               (ws[i + 3].w == "used" || ws[i + 3].w == "enabled")) {
      blank(i, i + 3);  // "distributed optimizer not used"
      i += 3;
    } else if ((next == "false" || next == "no" || next == "0" || next == "none") &&
               between(i).find_first_of("=:") != std::string_view::npos &&
               // "selective: no full" denies full, not selective: a "no" before a word it denies is that
               // word's negation
               !(next == "no" && i + 2 < ws.size() && is_key(ws[i + 2].w) && adjacent(i + 1))) {
      blank(i, i + 1);  // "fp8=false", "fp8: no", "full = 0"
      ++i;
    }
  }
  return out;
}

}  // namespace commsim
