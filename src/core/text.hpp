// Text helpers every layer reads input with: surrounding white space trimmed, ASCII lower case, a byte order
// mark skipped; one_line for text from input that a written file puts on one line; six_digits for numbers
// written as text; plain_decimal for numbers read back.
#pragma once

#include <cctype>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace commsim {

// std::isdigit / std::isspace on a char of any value (a negative char is undefined behaviour for them).
inline bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
inline bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

inline std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// `v` to six significant digits as printf's %g writes it ("1.26477", "3.3e+06"): CSV cells and written figures.
inline std::string six_digits(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// "a, b, c": names listed in a message.
inline std::string comma_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

inline std::string lower_case(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// `text` with each denial of one of `words` blanked: a negation right before the word ("not selective",
// "non-FP8", "without fp8", "w/o fp8", "no selective recompute"), "disabled", "off" or "not enabled" right
// after it ("fp8 disabled", "fp8 not enabled"), or a false value set to it ("fp8=false", "fp8: no", "full =
// 0"), negation and word replaced by spaces; a negation stands next to its word (spaces, '-' or '_' between).
// Words split at anything but ASCII letters and digits, compared in lower case; `words` in lower case. A cell
// reader reads what is left: "full (not selective)" is full, "bf16, fp8 disabled" bf16 (each was read as the
// word it denied). "full, no selective" keeps its full: a "no" after a word denies it only as its value,
// after '=' or ':'.
std::string without_denied(std::string_view text, std::initializer_list<std::string_view> words);

// Does `text` hold `phrase` as whole words: no ASCII letter or digit right before or after it ("not fsdp" in
// "ddp (not fsdp)", not in "cannot fsdpx")? Both as written (callers lower-case them).
inline bool has_phrase(std::string_view text, std::string_view phrase) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (phrase.empty()) return false;
  for (std::size_t i = text.find(phrase); i != std::string_view::npos; i = text.find(phrase, i + 1)) {
    const std::size_t end = i + phrase.size();
    if ((i == 0 || !alnum(text[i - 1])) && (end == text.size() || !alnum(text[end]))) return true;
  }
  return false;
}

// The columns `s` takes in a text table or a chart label: its UTF-8 characters, not its bytes (a case_id
// "ΜΕΓ-1.7B☃" padded by its 14 bytes pushed the next column out of line). Wide (East Asian) characters count
// one.
inline std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (const char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}

// The length of a UTF-8 byte order mark at the start of `s` (3), else 0: spreadsheets and some editors write
// one, and it is no part of the first name or value.
inline std::size_t bom_length(std::string_view s) { return s.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

// Control characters (newline, CR, NUL...) as spaces: a name read from input (a system's `name`, a GPU name, a
// path) put in a `#` comment of a written YAML file would otherwise end the comment and the rest be read as keys.
inline std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

// A line break or another control character but tab: text echoed on a `#` context line must not hold one.
inline bool has_control_char(std::string_view s) {
  for (const char c : s)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return true;
  return false;
}

// A number as written files print it: [+-]digits[.digits][e[+-]digits], at least one digit ("339.61",
// "1.2e+05", "0", "5."); not "nan", "inf", hex ("0x10", "0X1p-1"), leading spaces or anything after it, which
// strtod and from_chars would take.
inline bool plain_decimal(std::string_view t) {
  std::size_t i = 0, digits = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, ++digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, ++digits;
  }
  if (digits > 0 && i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < t.size() && (t[j] == '+' || t[j] == '-')) ++j;
    const std::size_t exp_start = j;
    while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
    if (j > exp_start) i = j;
  }
  return digits > 0 && i == t.size();
}

}  // namespace commsim
