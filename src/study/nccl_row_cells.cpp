#include "study/nccl_row_cells.hpp"

#include <cctype>
#include <cmath>
#include <cstring>
#include <string>

#include "core/text.hpp"
#include "study/case_cells.hpp"
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

// Bits per second per unit of a line-rate unit at `j` ("Gb/s", "Gbps", "G", "GbE", "Tbps"), 0 when none
// starts there. Bytes ("GB/s") are no NIC's line rate: an NVLink figure ("NVLink4 900GB/s"), not read.
double rate_unit(std::string_view text, std::size_t j) {
  for (std::string_view u :
       {"Gb/s", "Gbps", "Gbit/s", "Gbit", "gb/s", "gbps", "Gbe", "GbE", "GE", "G", "g"})  // "100GE": Huawei's
    if (word_at(text, j, u)) return 1e9;
  for (std::string_view u : {"Tb/s", "Tbps", "tbps", "T"})
    if (word_at(text, j, u)) return 1e12;
  return 0;
}

// InfiniBand generations and their line rates; "NDR200" is 200.
double ib_generation(std::string_view lower, std::size_t j, std::size_t* end) {
  for (const auto& [name, bps] :
       {std::pair{"xdr", 800e9}, std::pair{"ndr", 400e9}, std::pair{"hdr", 200e9}, std::pair{"edr", 100e9}}) {
    if (lower.substr(j, 3) != name || (j > 0 && alpha(lower[j - 1]))) continue;
    std::size_t k = j + 3;
    while (k < lower.size() && is_digit(lower[k])) ++k;
    if (k < lower.size() && alpha(lower[k])) continue;  // "hdrive"
    *end = k;
    return k > j + 3 ? std::stod(std::string(lower.substr(j + 3, k - j - 3))) * 1e9 : bps;
  }
  return 0;
}

// A NIC word at `k` of the lower-cased cell ("NICs", "HCAs", "ConnectX-7", "CX-7", "ports", "rails",
// "adapters").
bool nic_word_at(std::string_view lower, std::size_t k) {
  for (std::string_view w : {"nic", "hca", "connectx", "cx-", "cx7", "cx8", "port", "rail", "adapter", "efa"})
    if (lower.substr(k, w.size()) == w) return true;
  return false;
}

std::size_t skip_spaces(std::string_view s, std::size_t k) {
  while (k < s.size() && s[k] == ' ') ++k;
  return k;
}

}  // namespace

std::uint64_t published_size(std::string_view text, const char* what, const SourceLoc& where) {
  const std::string t = trim(text);
  // The number (digits, maybe with thousands separators in groups of three or a decimal point) and its unit.
  std::size_t n = 0;
  while (n < t.size() && (is_digit(t[n]) || t[n] == ',' || t[n] == '.')) ++n;
  std::string number = t.substr(0, n);
  if (const std::size_t first = number.find(','); first != std::string::npos) {
    bool grouped = first >= 1 && first <= 3;
    std::string bare = number.substr(0, first);
    for (std::size_t i = first; grouped && i < number.size(); i += 4) {
      grouped = number[i] == ',' && i + 3 < number.size() && is_digit(number[i + 1]) &&
                is_digit(number[i + 2]) && is_digit(number[i + 3]) &&
                (i + 4 == number.size() || number[i + 4] == ',');
      if (grouped) bare += number.substr(i + 1, 3);
    }
    if (!grouped) return measured_size(t, what, where);  // "1,07": the reader's own message
    number = bare;
  }
  const std::string unit = trim(t.substr(n));
  if (unit.empty() || unit == "B" || unit == "bytes") return measured_size(number, what, where);
  // nccl-tests' binary suffixes: "1G", "128M", "4K"; "1GB", "1GiB", "128 MiB" (bytes: a capital B; "1 Mb" is
  // a megabit, no size)
  const std::string shifts = "KMGT";
  const char head = static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
  const std::string rest = unit.substr(1);
  if (shifts.find(head) != std::string::npos &&
      (rest.empty() || rest == "B" || rest == "iB" || rest == "i")) {
    const double count = measured_number(number, what, kMaxMeasuredBytes, true, where);  // "1.5G": not whole
    const double bytes = std::ldexp(count, 10 * (1 + static_cast<int>(shifts.find(head))));
    return static_cast<std::uint64_t>(bounded_number(bytes, what, kMaxMeasuredBytes, true, where));
  }
  return measured_size(t, what, where);
}

PublishedValue published_value(std::string_view text, std::initializer_list<UnitWord> units) {
  std::string t = split_note(std::string(text)).head;  // a note after the value aside
  if (!t.empty() && t[0] == '~') t = trim(t.substr(1));
  PublishedValue v;
  const std::string lower = lower_case(t);
  for (const UnitWord& u : units) {
    const std::size_t n = std::strlen(u.word);
    if (lower.size() > n && lower.compare(lower.size() - n, n, u.word) == 0) {
      const std::string head = trim(t.substr(0, t.size() - n));
      if (!head.empty() && is_digit(head.back())) {
        v.number = head, v.scale = u.scale;
        return v;
      }
    }
  }
  v.number = t;
  return v;
}

std::string published_op_name(std::string_view text) {
  std::string t = lower_case(trim(text));
  if (const std::size_t open = t.find('('); open != std::string::npos && open > 0)
    t = trim(t.substr(0, open));
  if (t.rfind("nccl", 0) == 0) t = t.substr(4);  // ncclAllReduce
  if (const std::size_t perf = t.find("_perf"); perf != std::string::npos && perf > 0) t.resize(perf);
  for (char& ch : t)
    if (ch == ' ') ch = '_';  // "All Reduce"
  if (t == "all2all" || t == "all_2_all") return "alltoall";
  if (t == "send/recv" || t == "send_recv") return "sendrecv";
  return t;
}

std::string published_dtype_name(std::string_view text) {
  std::string t = trim(text);
  if (const std::size_t open = t.find('('); open != std::string::npos && open > 0)
    t = trim(t.substr(0, open));
  if (lower_case(t).rfind("torch.", 0) == 0) t = t.substr(6);
  const std::string lower = lower_case(t);
  if (lower.size() > 4 && lower.compare(lower.size() - 4, 4, "fnuz") == 0)
    t.resize(t.size() - 4);  // e4m3fnuz
  else if (lower.size() > 2 && lower.compare(lower.size() - 2, 2, "fn") == 0 &&
           lower.find("e4m3") != std::string::npos)
    t.resize(t.size() - 2);  // torch's float8_e4m3fn
  return t;
}

bool value_left_out(std::string_view text) {
  const std::string t = lower_case(trim(text));
  return t.empty() || t == "n/a" || t == "n/r" || t == "-" || t == "na" || t == "none" ||
         t == "not reported" || t == "\xe2\x80\x94" || t == "\xe2\x80\x93";  // em and en dashes
}

namespace {

// Does the cell name `word` as a word of its own (no letter or digit either side): "EFA" but not "default".
bool names_word(const std::string& lower, std::string_view word) {
  for (std::size_t at = lower.find(word); at != std::string::npos; at = lower.find(word, at + 1)) {
    const std::size_t end = at + word.size();
    if ((at == 0 || !alnum(lower[at - 1])) && (end >= lower.size() || !alnum(lower[end]))) return true;
  }
  return false;
}

// Does the cell say "per GPU" from `at` on, before a bracket, ',', ';' or '+' ends the phrase? "x 400Gb/s NDR
// per GPU", "x 400Gb/s ConnectX-7 per GPU", "NIC/GPU" (only a "per GPU" right after the rate or the NIC word
// was read: each of these was a count per node, helper-136). "8x 400Gb/s NICs (1 per GPU)" keeps its 8.
bool says_per_gpu(const std::string& lower, std::size_t at) {
  // The phrase ends at a bracket, ',', ';', '+', a new count (a digit after a space: "per node - 1 NIC per
  // GPU" counts per node, helper-137) or "per node".
  std::size_t end = std::min(lower.find_first_of("(,;+", at), lower.size());
  for (std::size_t i = at; i + 1 < end; ++i)
    if (lower[i] == ' ' && is_digit(lower[i + 1])) {
      end = i;
      break;
    }
  std::string phrase = lower.substr(at, end - at);
  if (const std::size_t node = phrase.find("per node"); node != std::string::npos) phrase.resize(node);
  return phrase.find("per gpu") != std::string::npos || phrase.find("per-gpu") != std::string::npos ||
         phrase.rfind("/gpu", 0) == 0;
}

}  // namespace

NicCell nic_cell(std::string_view text, int gpus_per_node) {
  const std::string lower = lower_case(std::string(text));
  struct Rate {
    double bps;
    std::optional<int> count;  // "8x 400Gb/s": the count that multiplies it
    bool total;                // a node's total ("3200 Gbps total", "1.6 Tbps per node", over 800 Gb/s)
    bool each_gpu = false;     // "400 Gb/s per GPU": one GPU's, never a node's total
    bool each_nic = false;     // "100 Gbps each", "per NIC", "per adapter": one NIC's, never a node's total
  };
  std::vector<Rate> rates;
  std::optional<int> nic_count, per_gpu;
  std::optional<int> pending;  // a count "Nx" waiting for its rate ("8x CX-7 400Gb/s", "8x NDR")
  bool counted_per_gpu = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t gen_end = 0;
    if (const double g = ib_generation(lower, i, &gen_end); g > 0) {
      rates.push_back({g, pending, false});
      pending.reset();
      i = gen_end;
      continue;
    }
    // a number of its own ("NV18", "CX-7", "EP16" are names), or right after a count's 'x' ("8x200Gb/s")
    const bool after_times =
        i >= 2 && (text[i - 1] == 'x' || text[i - 1] == 'X' || text[i - 1] == '*') && is_digit(text[i - 2]);
    if (!is_digit(text[i]) ||
        (i > 0 && !after_times && (alnum(text[i - 1]) || text[i - 1] == '.' || text[i - 1] == '-'))) {
      ++i;
      continue;
    }
    // thousands separators: AWS's "3,200 Gbps" (read as 200 Gb/s, helper-136)
    std::size_t j = i;
    std::string number;
    while (j < text.size()) {
      if (is_digit(text[j]) || text[j] == '.') {
        number += text[j++];
      } else if (text[j] == ',' && j + 3 < text.size() && is_digit(text[j + 1]) && is_digit(text[j + 2]) &&
                 is_digit(text[j + 3]) && (j + 4 == text.size() || !is_digit(text[j + 4]))) {
        ++j;
      } else {
        break;
      }
    }
    const bool whole = number.find('.') == std::string::npos && number.size() <= 3;
    const std::size_t k = skip_spaces(text, j);
    // a multiplication sign: 'x', 'X', '*' (Huawei's "8*100GE") or U+00D7
    const std::size_t times = k >= text.size()                                     ? 0
                              : text[k] == 'x' || text[k] == 'X' || text[k] == '*' ? 1
                              : text.substr(k, 2) == "\xc3\x97"                    ? 2
                                                                                   : 0;
    if (times > 0 && whole) {
      // "4X NDR" is InfiniBand's link width, not four NICs: a capital X right before a generation
      const std::size_t after = skip_spaces(text, k + times);
      std::size_t unused = 0;
      const bool width = text[k] == 'X' && ib_generation(lower, after, &unused) > 0;
      if (!width) pending = std::stoi(number);
      i = after;
      continue;
    }
    if (const double unit = rate_unit(text, k); unit > 0) {
      std::size_t e = k;
      while (e < text.size() && (alnum(text[e]) || text[e] == '/')) ++e;
      std::size_t after = skip_spaces(lower, e);
      // a count after the rate: "100G x 4", "100Gb/s x4", "400GbE * 8" (helper-130)
      if (!pending && after < lower.size() && (lower[after] == 'x' || lower[after] == '*')) {
        std::size_t d = skip_spaces(lower, after + 1), d0 = d;
        while (d < lower.size() && is_digit(lower[d])) ++d;
        if (d > d0 && d - d0 <= 3 && (d == lower.size() || !alnum(lower[d]))) {
          pending = std::stoi(lower.substr(d0, d - d0));
          e = d;
          after = skip_spaces(lower, e);
        }
      }
      const std::string next = lower.substr(after, 12);
      const double bps = std::stod(number) * unit;
      // A node's total: said so, or more than one NIC carries (800 Gb/s), where no count multiplies it
      const bool total =
          !pending && (next.rfind("total", 0) == 0 || next.rfind("per node", 0) == 0 ||
                       next.rfind("aggregate", 0) == 0 || next.rfind("/node", 0) == 0 ||
                       next.rfind("per instance", 0) == 0 || next.rfind("/instance", 0) == 0 || bps > 800e9);
      // "2x 200Gb/s NICs per GPU": the count is per GPU
      if (nic_word_at(lower, after))
        while (after < lower.size() && (alnum(lower[after]) || lower[after] == '-')) ++after;
      after = skip_spaces(lower, after);
      const bool each_gpu = says_per_gpu(lower, after);
      if (pending && each_gpu) pending = *pending * gpus_per_node, counted_per_gpu = true;
      bool each_nic = false;
      for (const char* w :
           {"each", "per nic", "per adapter", "per efa", "per hca", "per port", "per interface"})
        each_nic = each_nic || next.rfind(w, 0) == 0;
      rates.push_back({bps, pending, total, each_gpu, each_nic});
      pending.reset();
      i = e;
      continue;
    }
    if (whole) {
      std::size_t w = k;
      if (nic_word_at(lower, w)) {
        while (w < lower.size() && (alnum(lower[w]) || lower[w] == '-')) ++w;  // "NICs", "ConnectX-7"
        const std::size_t after = skip_spaces(lower, w);
        if (says_per_gpu(lower, after))
          per_gpu = std::stoi(number);  // "2 NICs per GPU", "1 NIC/GPU"
        else
          nic_count = std::stoi(number);
      } else if (lower.compare(k, 7, "per gpu") == 0) {  // "(1 per GPU)"
        per_gpu = std::stoi(number);
      } else if (lower.compare(k, 8, "per node") == 0) {  // "400GbE, 4 per node"
        nic_count = std::stoi(number);
      }
    }
    i = j;
  }
  if (lower.find("one nic per gpu") != std::string::npos || lower.find("a nic per gpu") != std::string::npos)
    per_gpu = 1;
  // "single NIC", "one NIC" (as words), for the node: not "one NIC per GPU", "single NIC for each GPU"
  // (helper-180: each was one NIC for 8 GPUs).
  if (!nic_count && !per_gpu && (names_word(lower, "single nic") || names_word(lower, "one nic")) &&
      lower.find("gpu") == std::string::npos && lower.find("per h") == std::string::npos)
    nic_count = 1;
  // A rate no count multiplies is a node's total where the cell states that total's parts too ("EFA 400 Gbps
  // (4x 100 Gbps)": it was read as 8 NICs of 400, helper-178), and where it names EFA and counts no NICs:
  // AWS quotes an instance's network bandwidth, never one adapter's ("EFA 400 Gbps" on a p4d is 4 x 100
  // Gb/s), while "32 EFA adapters at 100 Gbps" or "4 EFA NICs, 100 Gbps each" count them (helper-180: they
  // were read as totals, 32 NICs of 3.125 Gb/s).
  const bool efa = (names_word(lower, "efa") || lower.find("efav") != std::string::npos ||
                    lower.find("elastic fabric adapter") != std::string::npos) &&
                   !nic_count && !per_gpu;
  for (Rate& r : rates) {
    if (r.count || r.total || r.each_gpu || r.each_nic) continue;
    for (const Rate& part : rates)
      if (part.count && std::abs(*part.count * part.bps - r.bps) <= 0.01 * r.bps) r.total = true;
    if (efa) r.total = true;
  }

  NicCell c;
  // The fastest NIC rate named (a management 1 GbE or 10GbE beside the fabric is not it); a node total only
  // where no NIC's rate is named.
  const Rate* best = nullptr;
  for (const Rate& r : rates)
    if (!r.total && (!best || r.bps > best->bps)) best = &r;
  const Rate* total = nullptr;
  for (const Rate& r : rates)
    if (r.total && (!total || r.bps > total->bps)) total = &r;
  if (best)
    c.speed_bps = best->bps, c.each_gpu = best->each_gpu;
  else if (total)
    c.total_bps = total->bps;
  // The count: the one that multiplies the rate, a count of NICs, or per GPU times the node's GPUs
  if (best && best->count)
    c.per_node = *best->count, c.per_gpu = counted_per_gpu;
  else if (nic_count)
    c.per_node = *nic_count;
  else if (per_gpu)
    c.per_node = *per_gpu * gpus_per_node, c.per_gpu = true;
  else if (total && total->count)
    c.per_node = *total->count;
  else if (best &&
           best->each_gpu)  // "400 Gbps per GPU": a NIC's rate for each GPU (helper-180: the system's count)
    c.per_node = gpus_per_node, c.per_gpu = true;
  if (c.per_node && *c.per_node <= 0) c.per_node.reset();
  return c;
}

NicCell nic_cell_for_board(std::string_view text, int used, int board) {
  // A count per GPU is the board's GPUs times it ("2x 200Gb/s per GPU" on 1 GPU of 8 was 2 NICs on the board,
  // helper-138).
  if (NicCell per_gpu = nic_cell(text, board); per_gpu.per_gpu) return per_gpu;
  NicCell c = nic_cell(text, used);
  // Scaled only where the count fits the GPUs in use: a cell that counts more NICs than that describes the
  // whole board ("8x 400 Gb/s" on 1 GPU of an A3 Ultra was 64 NICs, helper-137), and a total without a count
  // says nothing of which GPUs it serves.
  if (used > 0 && used < board && board % used == 0 && c.per_node && *c.per_node <= used) {
    const int k = board / used;
    *c.per_node *= k;
    if (c.total_bps) *c.total_bps *= k;
  }
  return c;
}

std::vector<std::string> nic_sets(const NicCell& cell, int gpus_per_node, int nics, double nic_speed_bps) {
  std::vector<std::string> out;
  if (!cell.per_node && !cell.speed_bps && !cell.total_bps) return out;
  // A rate with no count that is the system's node total ("400 Gbps" on a p4d's 4 x 100 Gb/s) restates it
  // (it was 4 NICs of 400, helper-178).
  if (cell.speed_bps && !cell.per_node && !cell.each_gpu && nics > 1 &&
      std::abs(*cell.speed_bps - nics * nic_speed_bps) <= 0.01 * *cell.speed_bps)
    return out;
  int want = cell.per_node.value_or(nics);
  double speed = cell.speed_bps   ? *cell.speed_bps
                 : cell.total_bps ? *cell.total_bps / std::max(1, want)
                                  : nic_speed_bps;
  if (want > gpus_per_node && want % gpus_per_node == 0) {  // 32 x 100 Gb/s on 8 GPUs: 8 x 400 Gb/s
    speed *= static_cast<double>(want / gpus_per_node);
    want = gpus_per_node;
  }
  if (want <= 0 || want > gpus_per_node || gpus_per_node % want != 0)
    want = nics;  // a count the board cannot hold
  // A rate no NIC has (under 1 Gb/s, over 3.2 Tb/s per GPU) is no reading of the cell: the system's kept.
  if (speed < 1e9 || speed > 3.2e12) speed = nic_speed_bps;
  if (want != nics) out.push_back("node.board.nics=" + std::to_string(want));
  if (std::abs(speed - nic_speed_bps) > 1e-6 * nic_speed_bps)
    out.push_back("fabric.nic_speed=" + six_digits(speed / 1e9) + "Gb/s");
  return out;
}

}  // namespace commsim
