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
    const std::size_t n = negation(i);
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
    if ((next == "disabled" || next == "off") && !offload) {
      blank(i, i + 1);
      ++i;
    } else if (next == "not" && i + 2 < ws.size() && ws[i + 2].w == "enabled") {  // "fp8 not enabled"
      blank(i, i + 2);
      i += 2;
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
