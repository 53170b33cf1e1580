#include "study/nccl_row_cells.hpp"

#include <cctype>
#include <cmath>
#include <string>

#include "core/text.hpp"
#include "study/measured_fields.hpp"

namespace commsim {
namespace {

bool alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Does `text` at `j` start with `word` (as written), not run on into a letter?
bool word_at(std::string_view text, std::size_t j, std::string_view word) {
  if (text.substr(j, word.size()) != word) return false;
  const std::size_t end = j + word.size();
  return end >= text.size() || !alpha(text[end]);
}

// Bits per second per unit of a line-rate unit at `j` ("Gb/s", "Gbps", "G", "GbE"; "GB/s" is bytes), 0 when
// none starts there.
double rate_unit(std::string_view text, std::size_t j) {
  for (std::string_view u : {"Gb/s", "Gbps", "Gbit/s", "Gbit", "gb/s", "gbps", "Gbe", "GbE", "G", "g"})
    if (word_at(text, j, u)) return 1e9;
  for (std::string_view u : {"GB/s", "GBps"})
    if (word_at(text, j, u)) return 8e9;
  for (std::string_view u : {"Tb/s", "Tbps", "T"})
    if (word_at(text, j, u)) return 1e12;
  return 0;
}

}  // namespace

std::uint64_t published_size(std::string_view text, const char* what, const SourceLoc& where) {
  std::string t = trim(text);
  // Thousands separators in groups of three after a first group of one to three digits: "1,073,741,824".
  if (const std::size_t first = t.find(','); first != std::string::npos && first >= 1 && first <= 3) {
    bool grouped = true;
    std::string bare = t.substr(0, first);
    for (std::size_t i = first; grouped && i < t.size(); i += 4) {
      grouped =
          t[i] == ',' && i + 3 < t.size() && is_digit(t[i + 1]) && is_digit(t[i + 2]) && is_digit(t[i + 3]);
      if (grouped) bare += t.substr(i + 1, 3);
    }
    if (grouped) t = bare;
  }
  // nccl-tests' binary suffixes: "1G", "128M", "4K" (and "1GB", "1GiB", "128 MiB").
  std::size_t n = 0;
  while (n < t.size() && is_digit(t[n])) ++n;
  if (n > 0 && n < t.size()) {
    std::string unit = lower_case(trim(t.substr(n)));
    if (unit.size() > 1 && unit.back() == 'b') unit.pop_back();
    if (unit.size() > 1 && unit.back() == 'i') unit.pop_back();
    const std::string shifts = "kmgt";
    if (unit.size() == 1 && shifts.find(unit[0]) != std::string::npos) {
      const double count = measured_number(t.substr(0, n), what, kMaxMeasuredBytes, true, where);
      const double bytes = std::ldexp(count, 10 * (1 + static_cast<int>(shifts.find(unit[0]))));
      return static_cast<std::uint64_t>(bounded_number(bytes, what, kMaxMeasuredBytes, true, where));
    }
  }
  return measured_size(t, what, where);
}

bool value_left_out(std::string_view text) {
  const std::string t = lower_case(trim(text));
  return t.empty() || t == "n/a" || t == "n/r" || t == "-" || t == "na" || t == "none" || t == "not reported";
}

NicCell nic_cell(std::string_view text, int gpus_per_node) {
  NicCell c;
  const std::string lower = lower_case(std::string(text));
  std::optional<int> count;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // a number of its own ("NV18", "CX-7" are names), or right after a count's 'x' ("8x200Gb/s")
    const bool after_times = i >= 2 && (text[i - 1] == 'x' || text[i - 1] == 'X') && is_digit(text[i - 2]);
    if (!is_digit(text[i]) ||
        (i > 0 && !after_times && (alnum(text[i - 1]) || text[i - 1] == '.' || text[i - 1] == '-')))
      continue;
    std::size_t j = i;
    while (j < text.size() && (is_digit(text[j]) || text[j] == '.')) ++j;
    const std::string number(text.substr(i, j - i));
    std::size_t k = j;
    while (k < text.size() && text[k] == ' ') ++k;
    const bool times =
        k < text.size() && (text[k] == 'x' || text[k] == 'X' || text.substr(k, 2) == "\xc3\x97");
    const bool whole = number.find('.') == std::string::npos && number.size() <= 3;
    if (times && whole && !c.speed_bps) {  // "8x 400Gb/s", "8x CX-7": a count, before the speed it counts
      count = std::stoi(number);
    } else if (const double unit = rate_unit(text, k); unit > 0 && !c.speed_bps) {
      c.speed_bps = std::stod(number) * unit;
    } else if (whole && !c.speed_bps) {  // "4 NICs", "8 HCAs", "2 ConnectX-7"
      for (std::string_view w : {"nic", "hca", "connectx", "cx-", "rail", "port"})
        if (lower.compare(k, w.size(), w) == 0) count = std::stoi(number);
    }
    i = j;
  }
  // "1 NIC per GPU", "one NIC per GPU": a count per GPU is one per node's GPU as many times
  const bool per_gpu = lower.find("per gpu") != std::string::npos || lower.find("/gpu") != std::string::npos;
  if (!count && (lower.find("one nic per gpu") != std::string::npos ||
                 lower.find("a nic per gpu") != std::string::npos))
    count = 1;
  if (count && *count > 0) c.per_node = per_gpu ? *count * gpus_per_node : *count;
  // InfiniBand generations named alone: "NDR", "HDR", "XDR" (NDR200 is 200: a number above)
  if (!c.speed_bps)
    for (const auto& [name, bps] :
         {std::pair{"xdr", 800e9}, std::pair{"ndr", 400e9}, std::pair{"hdr", 200e9}})
      if (has_phrase(lower, name)) {
        c.speed_bps = bps;
        break;
      }
  return c;
}

std::vector<std::string> nic_sets(const NicCell& cell, int gpus_per_node, int nics, double nic_speed_bps) {
  std::vector<std::string> out;
  if (!cell.per_node && !cell.speed_bps) return out;
  int want = cell.per_node.value_or(nics);
  double speed = cell.speed_bps.value_or(nic_speed_bps);
  if (want > gpus_per_node && want % gpus_per_node == 0) {  // 32 x 100 Gb/s on 8 GPUs: 8 x 400 Gb/s
    speed *= static_cast<double>(want / gpus_per_node);
    want = gpus_per_node;
  }
  if (want <= 0 || want > gpus_per_node || gpus_per_node % want != 0)
    want = nics;  // a count the board cannot hold
  if (want != nics) out.push_back("node.board.nics=" + std::to_string(want));
  if (std::abs(speed - nic_speed_bps) > 1e-6 * nic_speed_bps)
    out.push_back("fabric.nic_speed=" + six_digits(speed / 1e9) + "Gb/s");
  return out;
}

}  // namespace commsim
