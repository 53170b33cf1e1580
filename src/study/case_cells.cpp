#include "study/case_cells.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <sstream>

#include "core/text.hpp"
#include "study/mapping_rules.hpp"

namespace commsim {
Noted split_note(const std::string& cell) {
  const std::string s = trim(cell);
  const std::size_t open = s.find('(');
  if (open == std::string::npos || s.back() != ')') return {s, "", false};
  return {trim(s.substr(0, open)), trim(s.substr(open + 1, s.size() - open - 2)), true};
}

namespace {

bool unreported_word(const std::string& s) {
  const std::string w = lower_case(trim(s));
  // The source's default, named as such: the row says no value of its own (2026-12-05: these stopped the
  // file).
  for (const char* d :
       {"default", "defaults", "recipe default", "framework default", "recipe-specific", "recipe specific"})
    if (w == d) return true;
  return w.empty() || w == "n/r" || w == "n/a" || w == "-" || w == "\xe2\x80\x93" ||
         w == "\xe2\x80\x94";  // en, em dash
}

// `s` without the thousands separators of its text before `end` ("16,384", the whole part of "12,345.6"):
// one to three digits not starting with 0, then groups of a comma and three digits up to `end`. `s` itself
// where it has no comma; none where a comma stands anywhere else ("1,5", "1,0485", ",048", "1234,567") or
// the first group starts with 0: "0,137" is a decimal comma (0.137, not 137), "000,137" and "01,234" no
// grouping at all.
std::optional<std::string> without_thousands(const std::string& s, std::size_t end) {
  const std::size_t comma = s.find(',');
  if (comma == std::string::npos) return s;
  if (comma == 0 || comma > 3 || comma > end || s[0] == '0') return std::nullopt;
  std::string plain = s.substr(0, comma);
  for (std::size_t i = comma; i < end; i += 4) {
    if (s[i] != ',' || i + 4 > end) return std::nullopt;
    plain += s.substr(i + 1, 3);
  }
  for (const char ch : plain)
    if (!std::isdigit(static_cast<unsigned char>(ch))) return std::nullopt;
  return plain + s.substr(end);
}

}  // namespace

std::string single_quoted(const std::string& s) {
  return "'" + s + "'";
}

std::optional<long> whole_number(const std::string& d) {
  if (d.empty() || d.size() > 10) return std::nullopt;
  for (char c : d)
    if (!is_digit(c)) return std::nullopt;
  const long v = std::stol(d);  // at most 10 digits: fits a long
  if (v < 1 || v > kMaxCount) return std::nullopt;
  return v;
}

std::optional<long> count_cell(const std::string& cell) {
  std::string head = split_note(cell).head;
  // "8.0", "1.00": a whole number a spreadsheet wrote with a decimal point (nothing but zeros after it).
  if (const std::size_t dot = head.find('.'); dot != std::string::npos && dot > 0 && dot + 1 < head.size() &&
                                              head.find_first_not_of('0', dot + 1) == std::string::npos)
    head.resize(dot);
  const std::optional<std::string> plain = without_thousands(head, head.size());  // "16,384"
  if (!plain) return std::nullopt;
  const std::string& h = *plain;
  // "8K", "128k": the binary thousands sequence lengths, batches and GPU counts are written in (8K tokens is
  // 8,192; the Llama 3 report's 16K GPUs are 16,384).
  if (!h.empty() && (h.back() == 'k' || h.back() == 'K')) {
    const std::optional<long> n = whole_number(h.substr(0, h.size() - 1));
    if (!n || *n > kMaxCount / 1024) return std::nullopt;
    return *n * 1024;
  }
  return whole_number(h);
}

bool not_reported(const std::string& cell) {
  // The whole cell "not stated", or "none stated" (the MBDOC rows' act_recompute: the source states no setting),
  // not "none"; inside a note ("8192 (not stated)") they qualify nothing.
  const std::string whole = lower_case(trim(cell));
  if (whole == "not stated" || whole == "none stated") return true;
  const Noted n = split_note(cell);
  return unreported_word(n.head) || (n.has_note && unreported_word(n.note) && !n.note.empty());
}

bool unused_dimension(const std::string& cell) {
  std::string v = lower_case(trim(cell));
  // A label before it, as a table's cell may carry its column ("EP=n/a", "CP: -").
  if (const std::size_t at = v.find_first_of("=:"); at != std::string::npos && at > 0 && at <= 4) {
    bool label = true;
    for (std::size_t i = 0; i < at; ++i) label = label && std::isalpha(static_cast<unsigned char>(v[i]));
    if (label) v = trim(v.substr(at + 1));
  }
  // en and em dashes as typeset tables print them (UTF-8)
  return v == "n/a" || v == "-" || v == "none" || v == "no" || v == "\xe2\x80\x93" || v == "\xe2\x80\x94";
}

std::optional<long> labelled_count(const std::string& cell, const std::string& col) {
  // The column's own name before the count, as tables label a layout cell: "EP8", "EP=8", "CP 2", "VP=5",
  // "vpp: 4" ("VP" and "V" name the VPP column too). The label must be the cell's first word: "8 (EP)" is a
  // count with a note, read by count_cell.
  const std::string t = trim(cell), c = lower_case(t), name = lower_case(col);
  std::vector<std::string> labels = {name};
  if (name == "vpp") labels = {"vpp", "vp", "v"};
  if (name == "micro_batch") labels = {"micro_batch", "micro batch", "micro-batch", "mbs"};  // NeMo's MBS=1
  if (name == "global_batch") labels = {"global_batch", "global batch", "gbs"};
  for (const std::string& l : labels) {
    if (c.compare(0, l.size(), l) != 0) continue;
    std::size_t i = l.size();
    while (i < c.size() && (c[i] == ' ' || c[i] == '=' || c[i] == ':')) ++i;
    if (i == l.size() && (i >= c.size() || !is_digit(c[i]))) continue;  // "vpp5" yes, "ve..." no
    if (i < c.size() && is_digit(c[i])) return count_cell(t.substr(i));
  }
  return std::nullopt;
}

std::optional<double> number_cell(const std::string& cell) {
  const std::string cell_text = trim(cell);
  // "1,048" or "12,345.6": separators in the whole part only, as tables print a value.
  const std::optional<std::string> plain = without_thousands(cell_text, std::min(cell_text.find('.'), cell_text.size()));
  if (!plain) return std::nullopt;
  const std::string& s = *plain;
  double x = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return x;
}

namespace {
// A unit as written, in one spelling: lower case, no spaces or hyphens, "tokens" "tok", "tflop/s" "tflops",
// "seconds" / "sec" "s", "per gpu" "/gpu" ("Tokens/s per GPU" and "tok/s/gpu" are one unit).
std::string unit_spelling(const std::string& u) {
  std::string s = lower_case(u);
  auto replace_all = [&s](const std::string& from, const std::string& to) {
    for (std::size_t i = s.find(from); i != std::string::npos; i = s.find(from, i + to.size()))
      s.replace(i, from.size(), to);
  };
  replace_all(" per ", "/");
  replace_all("per-", "/");
  std::string out;
  for (char c : s)
    if (!is_space(c) && c != '-') out += c;
  s = out;
  for (const auto& [from, to] : {std::pair<const char*, const char*>{"tokens", "tok"},
                                 {"tflop/s", "tflops"},
                                 {"milliseconds", "ms"},
                                 {"millisecond", "ms"},
                                 {"microseconds", "us"},
                                 {"microsecond", "us"},
                                 {"\xc2\xb5s", "us"},
                                 {"minutes", "min"},
                                 {"minute", "min"},
                                 {"mins", "min"},
                                 {"seconds", "s"},
                                 {"second", "s"},
                                 {"secs", "s"},
                                 {"sec", "s"},
                                 {"hours", "h"},
                                 {"hour", "h"},
                                 {"hrs", "h"},
                                 {"hr", "h"},
                                 {"days", "d"},
                                 {"day", "d"}})
    replace_all(from, to);
  return s;
}
}  // namespace

std::optional<double> quantity_cell(const std::string& cell, const std::string& unit) {
  std::string text = trim(cell);
  const Noted n = split_note(text);
  const std::string of = unit_spelling(unit);
  // A count of tokens or samples may be written in thousands or millions, as tables print them ("9.8K"
  // tokens/s/GPU, "1.2M" tokens/s, "9.8 (K)", "9.8K tok/s/GPU"): decimal multiples. Not a time, a percentage,
  // a size or a FLOP rate.
  const bool counts = of.rfind("tok", 0) == 0 || of.rfind("samples", 0) == 0;
  auto multiple = [](const std::string& m) {
    return m == "k" || m == "K" || m == "thousand" || m == "thousands" ? 1e3
           : m == "M" || m == "million" || m == "millions"             ? 1e6
                                                                       : 0.0;
  };
  double mult = 1.0;
  // A note that is only a unit is the value's unit: "1420 (ms)" of a step time in s is no note (it was read
  // as 1420 s), "56.55 (GB)" of GiB neither; "5,993 (tok/s/GPU)" of tokens/s/GPU is. A note that is a
  // multiple
  // ("9.8 (K)") multiplies a count and is no number of anything else (it was read as 9.8: helper-175).
  if (n.has_note && !n.head.empty()) {
    static constexpr const char* kUnits[] = {
        "s",   "ms", "us",     "\xc2\xb5s",  "min",   "mins",      "minutes",
        "h",   "d",  "gb",     "gib",        "mb",    "mib",       "tb",
        "tib", "%",  "tflops", "tflops/gpu", "tok/s", "tok/s/gpu", "samples/s"};
    const std::string note_unit = unit_spelling(n.note);
    for (const char* u : kUnits)
      if (note_unit == u && note_unit != of && !(of == "tflops/gpu" && note_unit == "tflops"))
        return std::nullopt;
    // Each bracketed group of the note ("K) (avg" of "9.8 (K) (avg)") that is a multiple, alone or before
    // the column's unit ("(k tok/s/GPU)", "(Thousand)", "(x1000)"): the multiple. Prose is no multiple ("(top-k
    // 8)", "(avg of 3 runs)"); helper-179: each of these was read as 9.8.
    std::string groups = n.note;
    for (char& c : groups)
      if (c == '(' || c == ')') c = '\n';
    std::size_t from = 0;
    while (from <= groups.size()) {
      const std::size_t to = std::min(groups.find('\n', from), groups.size());
      const std::string g = trim(groups.substr(from, to - from));
      from = to + 1;
      const std::string low = lower_case(g);
      const std::size_t space = g.find(' ');
      const std::string first = space == std::string::npos ? g : g.substr(0, space);
      std::string bare;  // "x 1000", "× 1,000": the factor without spaces or separators
      for (char ch : low)
        if (ch != ' ' && ch != ',') bare += ch;
      const bool times = bare.rfind("x", 0) == 0 || bare.rfind("\xc3\x97", 0) == 0;  // 'x' or U+00D7
      const std::string factor = times ? bare.substr(bare[0] == 'x' ? 1 : 2) : "";
      double m = !times                                   ? 0.0
                 : factor == "1000" || factor == "1e3"    ? 1e3
                 : factor == "1000000" || factor == "1e6" ? 1e6
                                                          : 0.0;
      const bool word = m == 0;
      if (word) m = multiple(first == "M" ? first : lower_case(first));
      if (m == 0) continue;
      if (word && space != std::string::npos) {
        const std::string rest = unit_spelling(trim(g.substr(space + 1)));
        if (std::find(std::begin(kUnits), std::end(kUnits), rest) != std::end(kUnits) && rest != of)
          return std::nullopt;  // "(k tok/s)" of tokens/s/GPU: another unit's thousands
        if (rest != of) continue;
      }
      if (!counts) return std::nullopt;
      mult = m;
    }
    text = n.head;  // "5,993 (average of 3 runs)"
  }
  // Approximately, as a table writes a figure read off a plot: "~5993", "≈ 5993".
  for (const char* approx : {"~", "\xe2\x89\x88"})
    if (text.rfind(approx, 0) == 0) text = trim(text.substr(std::string(approx).size()));
  if (const std::optional<double> x = number_cell(text)) return *x * mult;
  if (counts && mult == 1.0 && text.size() > 1) {  // "9.8K", "9.8 K"
    const double m = multiple(std::string(1, text.back()));
    const std::string head = trim(text.substr(0, text.size() - 1));
    if (m > 0 && !head.empty() && is_digit(head.back()))
      if (const std::optional<double> x = number_cell(head)) return *x * m;
  }
  // The number and the column's unit, whole ("5,993 tok/s/GPU", "72.7%", "82.4 GiB"), or TFLOPS of TFLOPS/GPU
  // ("412 TFLOPS": a compute rate is a GPU's). Not another unit, nor a part of the column's: "5993 tokens/s"
  // of tokens/s/GPU may be the cluster's rate (a metric cell "tokens/s" is), 100-1000 times the GPU's.
  std::size_t end = 0;
  while (end < text.size() && (is_digit(text[end]) || text[end] == ',' || text[end] == '.')) ++end;
  if (end == 0 || end == text.size()) return std::nullopt;
  std::string rest = trim(text.substr(end));
  if (counts && mult == 1.0 && rest.size() > 1 && multiple(rest.substr(0, 1)) > 0 && rest[1] == ' ') {
    mult = multiple(rest.substr(0, 1));  // "9.8K tok/s/GPU", "9.8 K tokens/s per GPU"
    rest = trim(rest.substr(1));
  }
  const std::string written = unit_spelling(rest);
  if (written != of && !(of == "tflops/gpu" && written == "tflops")) return std::nullopt;
  const std::optional<double> x = number_cell(trim(text.substr(0, end)));
  return x ? std::optional<double>(*x * mult) : std::nullopt;
}

std::vector<std::pair<std::string, std::string>> arch_pairs(const std::string& cell) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = cell.find('='); i != std::string::npos; i = cell.find('=', i + 1)) {
    std::size_t k = i;
    while (k > 0 && cell[k - 1] == ' ') --k;
    const std::size_t key_end = k;
    while (k > 0 && std::isalnum(static_cast<unsigned char>(cell[k - 1]))) --k;
    std::size_t j = i + 1;
    while (j < cell.size() && cell[j] == ' ') ++j;
    const std::size_t v = j;
    while (j < cell.size() && !is_space(cell[j]) && cell[j] != ',' && cell[j] != ';' && cell[j] != ')' &&
           cell[j] != '=')
      ++j;
    if (key_end > k) out.emplace_back(cell.substr(k, key_end - k), cell.substr(v, j - v));
  }
  return out;
}

CaseRow::CaseRow(const CsvRow& row, const std::string& mapping_path)
    : row_(row), id_(trim(row.at("case_id"))), mapping_(mapping_path) {}

SourceLoc CaseRow::where(const std::string& col) const {
  return SourceLoc{row_.file, row_.line, 0, col};
}

bool CaseRow::placed_here(const InputError& e) const {
  return e.loc().file == row_.file && e.loc().line == row_.line;
}

InputError CaseRow::bad(const std::string& col, const std::string& what) const {
  return InputError(where(col),
                    id_ + ": " + what + " (exclude the row in " + mapping_ + " if it cannot be predicted)");
}

std::optional<long> count_with_unit(const std::string& cell, const std::string& col) {
  // The count, then the unit its column counts in: "512 GPUs", "4,096 tokens", "8K tokens", "2-way", "8
  // sequences", "16 stages", "128 replicas"; a note after it aside ("2048 sequences (16M tokens)"). Each of
  // the last five stopped the file (helper-135).
  const std::string z = lower_case(trim(split_note(cell).head));
  std::vector<std::string> units;
  if (col == "num_gpus")
    units = {"gpus", "gpu", "npus", "npu", "accelerators", "devices", "chips"};
  else if (col == "seq_len")
    units = {"tokens", "token", "tok"};
  else if (col == "global_batch" || col == "micro_batch")
    units = {"sequences", "seqs", "samples"};
  else if (col == "PP")
    units = {"-way", "way", "stages", "stage"};
  else if (col == "DP")
    units = {"-way", "way", "replicas"};
  else if (col == "TP" || col == "CP" || col == "EP" || col == "ETP")
    units = {"-way", "way"};
  for (const std::string& u : units) {
    if (z.size() <= u.size() || z.compare(z.size() - u.size(), u.size(), u) != 0) continue;
    const std::string number = trim(z.substr(0, z.size() - u.size()));
    if (number.size() > 1 && number.back() == 'k' &&
        std::isdigit(static_cast<unsigned char>(number[number.size() - 2])))
      return count_cell(number);  // "8K tokens": count_cell reads the K
    if (!number.empty() && std::isdigit(static_cast<unsigned char>(number.back()))) return count_cell(number);
  }
  // GPUs by their part's name: "16384 H100s", "2048 H800 GPUs" (not "16 nodes", "2 x 8 GPUs").
  if (col == "num_gpus") {
    const std::size_t space = z.find(' ');
    if (space == std::string::npos) return std::nullopt;
    std::string rest = trim(z.substr(space + 1));
    for (const char* tail : {" gpus", " gpu", " npus", " accelerators"})
      if (rest.size() > std::strlen(tail) &&
          rest.compare(rest.size() - std::strlen(tail), std::string::npos, tail) == 0)
        rest.resize(rest.size() - std::strlen(tail));
    // one accelerator's name, not a box's, a node's or a rack's ("4 HGX-H100", "2 NVL72", "16 H100x8", "16
    // H100-nodes", "16 GB200-trays" count those: helper-137)
    bool box = rest.find("nvl") != std::string::npos;
    for (const char* w : {"node", "tray", "server", "host", "box", "rack", "pod"})
      box = box || rest.find(w) != std::string::npos;
    for (std::size_t x = rest.find('x'); x != std::string::npos; x = rest.find('x', x + 1))
      box = box || (x + 1 < rest.size() && std::isdigit(static_cast<unsigned char>(rest[x + 1])) && x > 0 &&
                    std::isdigit(static_cast<unsigned char>(rest[x - 1])));
    bool part = !box && std::all_of(rest.begin(), rest.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-';
    });
    bool named = false;
    for (const char* chip :
         {"h100",  "h200",  "h800",  "h20",  "a100", "a800",   "b200", "b300", "gb200", "gb300", "mi250",
          "mi300", "mi325", "mi355", "910b", "910c", "ascend", "l40",  "l20",  "v100",  "gh200"})
      named = named || rest.rfind(chip, 0) == 0;
    if (part && named) return count_cell(z.substr(0, space));
  }
  return std::nullopt;
}

namespace {
// Where an EP cell names the expert tensor-parallel size beside it ("EP8/ETP1", "EP=8, ETP=2", "8 (ETP 1)"):
// the position of "etp", else npos.
std::size_t etp_at(const std::string& cell) {
  const std::size_t at = lower_case(cell).find("etp");
  return at != std::string::npos && at > 0 ? at : std::string::npos;
}

bool labels_ep_etp_pair(const std::string& cell) {
  return lower_case(cell).find("ep/etp") != std::string::npos;
}

// The two counts of a cell labelled "EP/ETP" ("EP/ETP=8/1", "EP/ETP 8/1", "8/1 (EP/ETP)"), or a longer
// label that holds the pair ("TP/EP/ETP=1/8/1"): each count read at its name's place in the label; none where
// no run of as many whole counts "N/M/..." stands beside it (helper-176: they were refused, and "EP/ETP=8/1"
// would have read ETP 8; helper-179: "TP/EP/ETP=1/8/1" read EP 1, ETP 8).
std::optional<std::pair<long, long>> ep_etp_pair(const std::string& cell) {
  if (!labels_ep_etp_pair(cell)) return std::nullopt;
  std::string z = lower_case(cell);
  auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  // The label: the names joined by '/' around "ep/etp".
  const std::size_t at = z.find("ep/etp");
  std::size_t begin = at, end = at + 6;
  while (begin > 0 && (alpha(z[begin - 1]) || (z[begin - 1] == '/' && begin > 1 && alpha(z[begin - 2])))) --begin;
  while (end < z.size() && (alpha(z[end]) || (z[end] == '/' && end + 1 < z.size() && alpha(z[end + 1])))) ++end;
  const std::size_t label_begin = begin;
  std::vector<std::string> names;
  for (std::size_t i = begin; i <= end; ++i)
    if (i == end || z[i] == '/') {
      names.push_back(z.substr(begin, i - begin));
      begin = i + 1;
    }
  const auto ep_at = std::find(names.begin(), names.end(), "ep") - names.begin();
  const auto etp_at = std::find(names.begin(), names.end(), "etp") - names.begin();
  // The run of whole counts joined by '/' ("1/8/1", "8 / 1") right after the label ("EP/ETP=8/1") or right
  // before it ("8/1 (EP/ETP)"); another run in the cell is another label's ("TP/PP=1/2, EP/ETP=8/1" read EP
  // 1, helper-180).
  auto run_at = [&](std::size_t j) -> std::optional<std::vector<std::string>> {
    std::vector<std::string> counts;
    for (;;) {
      std::size_t d = j;
      while (d < z.size() && is_digit(z[d])) ++d;
      if (d == j) return std::nullopt;  // "8/" with nothing after it
      if (d < z.size() && (z[d] == '.' || z[d] == ',') && d + 1 < z.size() && is_digit(z[d + 1]))
        return std::nullopt;  // "8/1.5"
      counts.push_back(z.substr(j, d - j));
      std::size_t k = d;
      while (k < z.size() && z[k] == ' ') ++k;
      if (k >= z.size() || z[k] != '/') return counts;
      ++k;
      while (k < z.size() && z[k] == ' ') ++k;
      j = k;
    }
  };
  std::optional<std::vector<std::string>> counts;
  std::size_t after = end;
  while (after < z.size() && (z[after] == ' ' || z[after] == '=' || z[after] == ':')) ++after;
  if (after < z.size() && is_digit(z[after])) counts = run_at(after);
  if (!counts) {  // before the label: back over "(" and spaces, then to the run's first digit
    std::size_t b = label_begin;
    while (b > 0 && (z[b - 1] == ' ' || z[b - 1] == '(')) --b;
    std::size_t first = b;
    while (first > 0 && (is_digit(z[first - 1]) || z[first - 1] == '/' || z[first - 1] == ' ')) --first;
    while (first < b && !is_digit(z[first])) ++first;
    if (first < b && (first == 0 || !alpha(z[first - 1]))) counts = run_at(first);
  }
  if (!counts || counts->size() < 2 || counts->size() != names.size()) return std::nullopt;
  const std::optional<long> ep = count_cell((*counts)[ep_at]), etp = count_cell((*counts)[etp_at]);
  if (ep && etp) return std::make_pair(*ep, *etp);
  return std::nullopt;
}
}  // namespace

std::optional<long> etp_in_ep_cell(const std::string& cell) {
  if (labels_ep_etp_pair(cell)) {
    if (const auto pair = ep_etp_pair(cell)) return pair->second;
    return std::nullopt;
  }
  const std::size_t at = etp_at(cell);
  if (at == std::string::npos) return std::nullopt;
  std::size_t i = at + 3;
  while (i < cell.size() && (cell[i] == ' ' || cell[i] == '=' || cell[i] == ':')) ++i;
  std::size_t j = i;
  while (j < cell.size() && is_digit(cell[j])) ++j;
  if (j == i || (j < cell.size() && (cell[j] == '.' || cell[j] == ',')))
    return std::nullopt;  // "ETP", "ETP 1.5"
  return count_cell(cell.substr(i, j - i));
}

long CaseRow::count(const std::string& col) const {
  if (auto v = count_cell(at(col))) return *v;
  if (auto v = labelled_count(at(col), col)) return *v;
  if (auto v = count_with_unit(at(col), col)) return *v;
  if (col == "EP" && labels_ep_etp_pair(at(col))) {  // "EP/ETP=8/1", "8/1 (EP/ETP)"
    if (const auto pair = ep_etp_pair(at(col))) return pair->first;
    throw bad(col, single_quoted(at(col)) + " is labelled EP/ETP but gives no pair of whole counts N/M");
  }
  // The EP count before an ETP beside it ("EP8/ETP1", "EP=8, ETP=2": helper-171, they stopped the file).
  if (const std::size_t e = col == "EP" ? etp_at(at(col)) : std::string::npos; e != std::string::npos) {
    std::string head = at(col).substr(0, e);
    while (!head.empty() && std::string("/,;( ").find(head.back()) != std::string::npos) head.pop_back();
    if (auto v = count_cell(head)) return *v;
    if (auto v = labelled_count(head, col)) return *v;
  }
  throw bad(col, single_quoted(at(col)) + " is not a whole number from 1 to 2147483647");
}

long CaseRow::sequences(const std::string& col, long seq_len) const {
  const std::string head = lower_case(split_note(at(col)).head);
  const std::size_t word = head.find("token");
  if (word == std::string::npos) return count(col);
  // "16M tokens", "4M tok", "16,777,216 tokens": a count with an optional binary K / M / G before the word.
  std::string number = trim(head.substr(0, word));
  const bool about = !number.empty() && number[0] == '~';  // "~16M tokens": a rounded figure
  if (about) number = trim(number.substr(1));
  long scale = 1;
  char unit = 0;
  if (!number.empty()) {
    unit = number.back();
    if (unit == 'k' || unit == 'm' || unit == 'g') {
      scale = unit == 'k' ? 1L << 10 : unit == 'm' ? 1L << 20 : 1L << 30;
      number = trim(number.substr(0, number.size() - 1));
    }
  }
  // "16.8M tokens", "62.9M tokens": a figure with a fraction is rounded, in decimal units (the Llama 3
  // report's 16.8M is 2,048 x 8,192 = 16.78 million; DeepSeek-V3's 62.9M 15,360 x 4,096), unless its binary
  // reading is whole and rounder ("0.5M" at 8K: 64 sequences of 2^20 / 2 tokens); "~16M" a rounded whole one.
  // The count is the roundest (most factors of two, then the nearest) within what the printed digits allow
  // (half a unit of the last one, at least 0.5% and at most 2.5%): 2,048 for 16.8M at 8K, 15,360 for 62.9M at
  // 4K, 280 for 0.57M at 2K (each stopped the file, helper-135; the nearest count, 2,051, splits over no
  // data-parallel ranks; a binary reading made 62.9M 16,384, helper-138). "1.0M" is a whole figure, 1M.
  auto twos = [](long n) {
    int k = 0;
    for (; n > 0 && n % 2 == 0; n /= 2) ++k;
    return k;
  };
  const std::size_t dot = number.find('.');
  const bool fraction =
      dot != std::string::npos && number.find_first_not_of('0', dot + 1) != std::string::npos;
  auto roundest = [&](double sequences, double tolerance) -> long {
    if (!(sequences >= 0.5) || sequences > static_cast<double>(kMaxCount))
      throw bad(col,
                single_quoted(at(col)) + " is not a number of tokens (a whole number, maybe with K, M or G)");
    long best = std::max(1L, std::lround(sequences));
    for (long n = static_cast<long>(std::ceil(sequences * (1 - tolerance)));
         n <= static_cast<long>(sequences * (1 + tolerance)); ++n)
      if (n > 0 && (twos(n) > twos(best) ||
                    (twos(n) == twos(best) && std::fabs(n - sequences) < std::fabs(best - sequences))))
        best = n;
    return best;
  };
  auto printed_tolerance = [&](double x) {
    const std::size_t decimals = dot == std::string::npos ? 0 : number.size() - dot - 1;
    return std::clamp(0.5 * std::pow(10.0, -static_cast<double>(decimals)) / x, 0.005, 0.025);
  };
  if (fraction && scale > 1) {
    const std::optional<double> x = number_cell(number);
    if (!x || *x <= 0)
      throw bad(col,
                single_quoted(at(col)) + " is not a number of tokens (a whole number, maybe with K, M or G)");
    // The binary reading where it is whole and rounder than the decimal one's best ("0.5M" at 8K: 64 against
    // 60; "31.5M" at 8K: 4,032 = 63 x 64 against 3,840 = 15 x 256, the decimal one's).
    const double decimal = unit == 'k' ? 1e3 : unit == 'm' ? 1e6 : 1e9;
    const long from_decimal = roundest(*x * decimal / static_cast<double>(seq_len), printed_tolerance(*x));
    const double binary = *x * static_cast<double>(scale) / static_cast<double>(seq_len);
    if (std::fabs(binary - std::round(binary)) < 1e-6 && binary >= 1 &&
        twos(std::lround(binary)) > twos(from_decimal))
      return std::lround(binary);
    return from_decimal;
  }
  if (about) {
    const std::optional<long> n = count_cell(number);
    if (!n || *n > kMaxCount * 4L / scale)
      throw bad(col,
                single_quoted(at(col)) + " is not a number of tokens (a whole number, maybe with K, M or G)");
    const double sequences = static_cast<double>(*n * scale) / static_cast<double>(seq_len);
    if (std::fabs(sequences - std::round(sequences)) < 1e-9 && sequences >= 1) return std::lround(sequences);
    return roundest(sequences, printed_tolerance(static_cast<double>(*n)));
  }
  const std::optional<long> n = count_cell(number);
  if (!n || *n > kMaxCount * 4L / scale)
    throw bad(col,
              single_quoted(at(col)) + " is not a number of tokens (a whole number, maybe with K, M or G)");
  const long tokens = *n * scale;
  if (tokens % seq_len != 0 || tokens / seq_len > kMaxCount)
    throw bad(col, single_quoted(at(col)) + " (" + std::to_string(tokens) +
                       " tokens) is not a whole number of " + std::to_string(seq_len) + "-token sequences");
  return tokens / seq_len;
}

std::optional<long> CaseRow::count_or_unreported(const std::string& col) const {
  if (auto v = count_cell(at(col))) return v;
  if (auto v = labelled_count(at(col), col)) return v;
  if (auto v = count_with_unit(at(col), col)) return v;
  if (not_reported(at(col))) return std::nullopt;
  throw bad(col, single_quoted(at(col)) +
                     " is not a whole number from 1 to 2147483647, nor n/r, n/a, - or empty (not reported)");
}

std::optional<long> CaseRow::count_or_described(const std::string& col) const {
  if (auto v = count_cell(at(col))) return v;
  if (auto v = labelled_count(at(col), col)) return v;
  if (auto v = count_with_unit(at(col), col)) return v;
  const std::string cell = trim(at(col));
  const std::size_t space = cell.find(' ');
  if (not_reported(cell) || (space != std::string::npos && count_cell(cell.substr(0, space)))) return std::nullopt;
  throw bad(col, single_quoted(at(col)) +
                     " is not a whole number from 1 to 2147483647, nor n/r, n/a, - or empty (not "
                     "reported), nor a count described in words ('4 per tray')");
}

int expert_tp_cell(const CaseRow& cells, const Parallelism& par, std::optional<int> rule) {
  if (cells.row().fields.count("ETP")) {  // a column older files lack
    const std::string& cell = cells.at("ETP");
    if (unused_dimension(cell)) return 1;
    if (const std::optional<long> etp = cells.count_or_unreported("ETP")) return static_cast<int>(*etp);
  }
  if (const std::optional<long> etp = etp_in_ep_cell(cells.at("EP"))) return static_cast<int>(*etp);
  // An ETP named without a count of 1 or more ("EP8/ETP", "EP8/ETP0", "ETP 1.5") ran the default
  // (helper-173).
  if (etp_at(cells.at("EP")) != std::string::npos)
    throw cells.bad("EP", single_quoted(cells.at("EP")) + " names ETP without a whole count of 1 or more");
  if (rule) return *rule;
  const long group = static_cast<long>(par.tp) * par.cp * par.dp;
  const bool tp_folds = group % (static_cast<long>(par.tp) * par.ep) == 0;
  return tp_folds || group % par.ep != 0 ? par.tp : 1;
}

double CaseRow::positive(const std::string& col) const {
  std::string text = trim(at(col));
  // params_B with its unit: "70B", "8.03 B"
  if (col == "params_B" && text.size() > 1 && (text.back() == 'B' || text.back() == 'b')) {
    const std::string number = trim(text.substr(0, text.size() - 1));
    if (!number.empty() && std::isdigit(static_cast<unsigned char>(number.back()))) text = number;
  }
  const std::optional<double> x = number_cell(text);
  if (!x) throw bad(col, single_quoted(at(col)) + " is not a number");
  if (!std::isfinite(*x) || *x <= 0) throw bad(col, single_quoted(at(col)) + " must be a finite number > 0");
  return *x;
}

double CaseRow::number_in(const std::string& col, double min, double max, const std::string& unit) const {
  const std::optional<double> v = quantity_cell(at(col), unit);
  if (!v) throw bad(col, single_quoted(at(col)) + " is not a number (of " + unit + ")");
  if (!std::isfinite(*v) || *v <= 0) throw bad(col, single_quoted(at(col)) + " must be a finite number > 0");
  const double x = *v;
  if (x < min || x > max) {
    std::ostringstream range;
    range << min << " to " << max;
    throw bad(col, single_quoted(at(col)) + " is not from " + range.str() + " " + unit);
  }
  return x;
}

Precision CaseRow::precision(const std::string& col, Precision fp8) const {
  if (auto p = precision_cell(at(col), fp8)) return *p;
  throw bad(
      col,
      single_quoted(at(col)) + " names no precision commsim models (" + kPrecisionsRead +
          "; one of them: a cell giving an 8-bit and a 16-bit one as alternatives, bf16/fp8, names none)");
}

std::map<std::string, long> CaseRow::arch(const std::string& col) const {
  std::map<std::string, long> out;
  for (const auto& [key, value] : arch_pairs(at(col))) {
    if (key != "L" && key != "h" && key != "a" && key != "kv" && key != "ffn" && key != "V") continue;
    const std::optional<long> v = whole_number(value);
    if (!v) throw bad(col, key + "=" + value + ": " + key + " is not a whole number from 1 to 2147483647");
    if (!out.emplace(key, *v).second) throw bad(col, key + "= is given twice");
  }
  return out;
}

void CaseIds::add(const CaseRow& r) {
  // An empty id was printed as a blank row name and selected by `--row ''`.
  if (r.id().empty()) throw InputError(r.where("case_id"), "empty: each row needs an id");
  // Compared in lower case: "X" and "x" are one case written twice (both were counted in the medians).
  const auto [it, fresh] = line_.emplace(lower_case(r.id()), r.line());
  if (!fresh)
    throw InputError(r.where("case_id"), single_quoted(r.id()) + " is also the case_id of line " +
                                             std::to_string(it->second) + " (each row needs its own)");
  exact_.insert(r.id());
}

}  // namespace commsim
