// The VPP column of a published row: a count of model chunks, a schedule named (DualPipe, zero-bubble,
// 1F1B), "interleaved" with or without its count, or layers per model chunk (case_cells.hpp, VppCell).
#include <cctype>
#include <optional>
#include <string>

#include "core/text.hpp"
#include "study/case_cells.hpp"

namespace commsim {

namespace {

VppCell vpp_cell_body(const std::string& cell) {
  VppCell v;
  if (const std::optional<long> n = count_cell(cell) ? count_cell(cell) : labelled_count(cell, "VPP")) {
    v.understood = true, v.vpp = static_cast<int>(*n);
    return v;
  }
  const std::string z = lower_case(trim(cell));
  // Not used, with the column's label as Megatron-Bridge's tables print it ("VP=n/a", "VPP: -"): 1F1B (it was
  // refused, helper-176; a bare "n/a" is read below, as not reported, and the caller keeps 1).
  if (unused_dimension(cell) && !not_reported(cell)) {
    v.understood = true, v.vpp = 1;
    return v;
  }
  if (not_reported(
          cell)) {  // "interleaved (n/r)" is interleaved; "n/r (interleaved used for some)" is not stated
    v.understood = true,
    v.interleaved = lower_case(split_note(cell).head).find("interleav") != std::string::npos;
    return v;
  }
  auto has = [&z](const char* w) { return z.find(w) != std::string::npos; };
  // The count after "v=", "vpp=", "vpp ", "v " or before " chunk" / " virtual" ("interleaved, 4 chunks").
  auto count_near = [&z]() -> std::optional<int> {
    for (const char* key : {"vpp=", "vpp =", "vpp ", "vp=", "vp =", "vp ", "vp:", "v=", "v = "}) {
      const std::size_t i = z.find(key);
      if (i == std::string::npos) continue;
      std::size_t j = i + std::string(key).size();
      while (j < z.size() && z[j] == ' ') ++j;  // "vp: 5"
      std::size_t k = j;
      while (k < z.size() && is_digit(z[k])) ++k;
      if (const std::optional<long> n = whole_number(z.substr(j, k - j))) return static_cast<int>(*n);
    }
    // After "virtual": its words and separators ("virtual pipeline 4", "virtual pipeline size 5",
    // "virtual_pipeline_model_parallel_size: 5"), then the count.
    if (const std::size_t i = z.find("virtual"); i != std::string::npos) {
      std::size_t j = i;
      while (j < z.size() &&
             (std::isalpha(static_cast<unsigned char>(z[j])) || z[j] == '_' || z[j] == '-' || z[j] == ' ' ||
              z[j] == ':' || z[j] == '='))  // "--virtual-pipeline-model-parallel-size 5"
        ++j;
      std::size_t k = j;
      while (k < z.size() && is_digit(z[k])) ++k;
      if (const std::optional<long> n = whole_number(z.substr(j, k - j))) return static_cast<int>(*n);
    }
    for (const char* key : {" chunk", " virtual", " model chunk"}) {
      const std::size_t i = z.find(key);
      if (i == std::string::npos || i == 0) continue;
      std::size_t k = i;
      while (k > 0 && is_digit(z[k - 1])) --k;
      if (const std::optional<long> n = whole_number(z.substr(k, i - k))) return static_cast<int>(*n);
    }
    return std::nullopt;
  };
  // Layers per model chunk ("--num-layers-per-virtual-pipeline-stage 1", "1 layer per virtual stage", "2
  // layers per chunk"): the count after the phrase's words, else before it. torchtitan's "N stages per rank"
  // is VPP N.
  auto count_around = [&z](std::size_t at, std::size_t end) -> std::optional<int> {
    std::size_t j = end;
    while (j < z.size() && (std::isalpha(static_cast<unsigned char>(z[j])) || z[j] == '_' || z[j] == '-' ||
                            z[j] == ' ' || z[j] == ':' || z[j] == '='))
      ++j;
    std::size_t k = j;
    while (k < z.size() && is_digit(z[k])) ++k;
    if (const std::optional<long> n = whole_number(z.substr(j, k - j))) return static_cast<int>(*n);
    std::size_t b = at;
    while (b > 0 && (z[b - 1] == ' ' || z[b - 1] == '-' || z[b - 1] == '(')) --b;
    std::size_t a = b;
    while (a > 0 && is_digit(z[a - 1])) --a;
    if (const std::optional<long> n = whole_number(z.substr(a, b - a))) return static_cast<int>(*n);
    return std::nullopt;
  };
  for (const char* phrase :
       {"layers-per-virtual", "layers_per_virtual", "layers per virtual", "layer per virtual",
        "layers per chunk", "layer per chunk", "layers per model chunk", "layer per model chunk"})
    if (const std::size_t at = z.find(phrase); at != std::string::npos) {
      std::size_t end = at + std::string(phrase).size();
      while (end < z.size() &&
             (std::isalpha(static_cast<unsigned char>(z[end])) || z[end] == '-' || z[end] == '_'))
        ++end;
      // the number of "num-layers-per-..." follows its words; of "1 layer per ..." it comes first
      if (const std::optional<int> n = count_around(at, end); n && *n > 0) {
        v.understood = true, v.interleaved = true, v.layers_per_chunk = *n;
        return v;
      }
    }
  if (const std::size_t at = z.find("stages per rank"); at != std::string::npos)
    if (const std::optional<int> n = count_around(at, at); n && *n > 0) {  // the count before it
      v.understood = true, v.interleaved = *n > 1, v.vpp = *n;
      if (*n > 1) v.schedule = Schedule::kInterleaved;
      return v;
    }
  if (has("dualpipe")) {
    v.understood = true, v.vpp = 1, v.schedule = Schedule::kDualPipe;
  } else if ((has("zero bubble") || has("zero-bubble") || has("zb-h") || has("zbh")) && !has("no zero") &&
             !has("without zero")) {
    v.understood = true, v.vpp = 1, v.schedule = Schedule::kZeroBubble;
  } else if (has("no interleav") || has("non-interleav") || has("not interleav") ||
             has("without interleav") || has("interleaving off") || has("interleaving disabled") ||
             has("no virtual") || has("without virtual") || has("virtual pipeline disabled") ||
             has("virtual pipeline off") ||
             (has("virtual") && (z.size() >= 4 && (z.compare(z.size() - 4, 4, "none") == 0)))) {
    v.understood = true, v.vpp = 1;  // "1F1B (no interleaving)", "=None": they were read as interleaved
  } else if (has("interleav") || has("virtual pipeline") || has("virtual stage") || has("virtual_pipeline") ||
             has("virtual-pipeline")) {
    v.understood = true, v.interleaved = true, v.vpp = count_near();
    if (v.vpp && *v.vpp > 1) v.schedule = Schedule::kInterleaved;
  } else if (has("1f1b") || z == "none" || z == "no") {
    v.understood = true, v.vpp = 1;
  }
  return v;
}

}  // namespace

// A label before the value ("VP=n/r", "VP = N/A", "vpp: 4"): the VPP column's own (vpp, vp, v) is read
// past; another column's ("EP=n/a") makes the cell no VPP cell (helper-179: "VP=n/r" and "VP = N/A" were
// refused, "EP=n/a" read as 1F1B).
VppCell vpp_cell(const std::string& cell) {
  const std::string z = lower_case(trim(cell));
  const std::size_t at = z.find_first_of("=:");
  if (at != std::string::npos && at > 0) {
    const std::string label = trim(z.substr(0, at));
    bool word = !label.empty() && label.size() <= 4;
    for (char ch : label) word = word && std::isalpha(static_cast<unsigned char>(ch));
    if (word) {
      if (label != "vpp" && label != "vp" && label != "v") return VppCell{};
      const std::string value = trim(trim(cell).substr(at + 1));
      if (value.empty()) return VppCell{};  // "VP=": a label without its value
      if (unused_dimension(value) && lower_case(value) != "n/r") {  // "VP=n/a", "VPP: -": not used, 1F1B
        VppCell v;
        v.understood = true, v.vpp = 1;
        return v;
      }
      return vpp_cell_body(value);
    }
  }
  return vpp_cell_body(cell);
}

}  // namespace commsim
