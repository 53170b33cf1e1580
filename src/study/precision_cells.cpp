#include "study/precision_cells.hpp"

#include <cctype>

#include "core/text.hpp"

namespace commsim {
bool alternative_precisions(const std::string& t) {
  auto word_before = [&t](std::size_t i) {
    while (i > 0 && t[i - 1] == ' ') --i;
    std::size_t b = i;
    while (b > 0 && std::isalnum(static_cast<unsigned char>(t[b - 1]))) --b;
    return t.substr(b, i - b);
  };
  auto word_after = [&t](std::size_t i) {
    while (i < t.size() && t[i] == ' ') ++i;
    std::size_t e = i;
    while (e < t.size() && std::isalnum(static_cast<unsigned char>(t[e]))) ++e;
    return t.substr(i, e - i);
  };
  auto eight = [](const std::string& w) {  // below 16 bits
    return w == "fp8" || w == "float8" || w == "e4m3" || w == "mxfp8" || w == "nvfp4";
  };
  auto four_and_eight = [&eight](const std::string& a, const std::string& b) {  // "mxfp8/nvfp4"
    return a == "nvfp4" && eight(b) && b != "nvfp4";
  };
  auto sixteen = [](const std::string& w) {
    return w == "bf16" || w == "bfloat16" || w == "fp16" || w == "float16";
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    std::size_t after = std::string::npos;
    if (t[i] == '/' || t[i] == '|')
      after = i + 1;
    else if (t.compare(i, 4, " or ") == 0)
      after = i + 4;
    if (after == std::string::npos) continue;
    const std::string a = word_before(i), b = word_after(after);
    if ((eight(a) && sixteen(b)) || (sixteen(a) && eight(b)) || four_and_eight(a, b) || four_and_eight(b, a))
      return true;
  }
  return false;
}

namespace {

// `t` with each 8-bit word that names what is communicated or stored rather than computed blanked, where a
// 16-bit precision is named too: "BF16 with FP8 communication", "BF16; FP8 dispatch", "BF16 compute, FP8
// all-to-all", "BF16 + FP8 KV" are BF16 runs (each was read as FP8 compute: +13% on an MoE row, about 1.5x on
// a GEMM-bound one; helper-135).
std::string without_fp8_transport(std::string t) {
  const bool sixteen = t.find("bf16") != std::string::npos || t.find("bfloat16") != std::string::npos ||
                       t.find("fp16") != std::string::npos;
  // An 8-bit word the cell computes in besides NVFP4 ("FP8 with NVFP4 communication" is FP8).
  const bool eight = t.find("fp8") != std::string::npos || t.find("float8") != std::string::npos ||
                     t.find("e4m3") != std::string::npos;
  for (const char* w : {"nvfp4", "mxfp8", "fp8", "float8", "e4m3"})
    for (std::size_t at = t.find(w); at != std::string::npos; at = t.find(w, at + 1)) {
      if (!sixteen && !(eight && std::string(w) == "nvfp4")) break;
      std::size_t i = at + std::string(w).size();
      while (i < t.size() && (t[i] == ' ' || t[i] == '-' || t[i] == '_')) ++i;
      std::size_t e = i;
      while (e < t.size() && (std::isalnum(static_cast<unsigned char>(t[e])) || t[e] == '-')) ++e;
      const std::string next = t.substr(i, e - i);
      for (const char* what : {"communication", "comm", "comms", "dispatch", "all-to-all", "alltoall", "a2a",
                               "kv", "transfer", "transfers", "collectives"})  // not all-gather: FP8 params
        if (next == what) {
          t.replace(at, std::string(w).size(), std::string(std::string(w).size(), ' '));
          break;
        }
    }
  return t;
}

}  // namespace

std::string low_precision_words_one_way(std::string t) {
  auto replace_all = [&t](const std::string& from, const std::string& to) {
    for (std::size_t at = t.find(from); at != std::string::npos; at = t.find(from, at + to.size()))
      t.replace(at, from.size(), to);
  };
  for (const char* w : {"nv-fp4", "nv fp4", "nv_fp4"}) replace_all(w, "nvfp4");
  const bool ue4m3 = t.find("ue4m3") != std::string::npos, ue8m0 = t.find("ue8m0") != std::string::npos;
  replace_all("e2m1", ue8m0 ? "mxfp4" : ue4m3 ? "nvfp4" : "fp4");
  replace_all("ue4m3", "scale");
  replace_all("ue8m0", "mxfp8 scale");
  return t;
}

std::optional<Precision> precision_cell(const std::string& cell, Precision fp8) {
  // A precision or recipe denied is none the cell names: read without it ("bf16, fp8 disabled", "non-FP8
  // bf16", "bf16 (no float8 converter)" are bf16; "FP8 current scaling, not blockwise" is not block-wise).
  const std::string p = without_fp8_transport(
      without_denied(low_precision_words_one_way(lower_case(cell)),
                     {"nvfp4", "mxfp4", "fp8", "float8", "e4m3", "e5m2", "mxfp8", "bf16", "bfloat16", "fp16",
                      "float16", "block", "blockwise", "subchannel", "mx"}));
  auto has = [&p](const char* w) { return p.find(w) != std::string::npos; };
  if (unmodelled_precision(cell)) return std::nullopt;
  // MXFP8 (E4M3 with a shared scale per 32 elements): named, or an FP8 whose note says MX ("FP8 (MX)", "FP8
  // (E4M3, MX block 32)"). A head naming another FP8 recipe wins over its note: "FP8-CS (MXFP8 on Blackwell)"
  // on Hopper is current scaling (it was MXFP8, refused on Hopper).
  const std::string head = p.substr(0, p.find('('));
  auto mx = [](const std::string& t) {
    auto in = [&t](const char* w) { return t.find(w) != std::string::npos; };
    return in("mxfp8") || in("fp8-mx") || in("mx-fp8") || in("mx fp8") || in("microscal") || in("mx block") ||
           in("mx-block") || in("(mx)") || in("(mx,") || in(", mx");
  };
  auto other_recipe = [](const std::string& t) {
    auto in = [&t](const char* w) { return t.find(w) != std::string::npos; };
    return in("fp8-cs") || in("fp8-ds") || in("fp8-sc") || in("current scal") || in("delayed scal") ||
           in("tensor");
  };
  // The precision the cell's head names (before a note: "bf16 (no float8 converter in toml)" is bf16), else
  // the one its note names. torchao's "Float8" and a bare E4M3 / E5M2 are FP8 (torchao's rowwise scaling is
  // the source's fp8: scales per row, not per block).
  auto named = [](const std::string& t) -> std::optional<Precision> {
    auto in = [&t](const char* w) { return t.find(w) != std::string::npos; };
    if (in("nvfp4")) return Precision::kNvfp4;  // "NVFP4 (FP8 E4M3 block scales)" is NVFP4
    if (in("fp8") || in("float8") || in("e4m3") || in("e5m2")) return Precision::kFp8;
    if (in("fp16")) return Precision::kFp16;
    if (in("bf16") || in("bfloat16")) return Precision::kBf16;
    if (in("float16") || in("half")) return Precision::kFp16;
    return std::nullopt;
  };
  // A head giving an 8-bit and a 16-bit precision as alternatives ("bf16/fp8") names none: read by its
  // words, it was FP8.
  if (alternative_precisions(head)) return std::nullopt;
  if (head.find("nvfp4") != std::string::npos) return Precision::kNvfp4;
  if (mx(head)) return Precision::kMxfp8;
  std::optional<Precision> kind = named(head);
  if (kind == Precision::kFp8 && mx(p) && !other_recipe(head)) return Precision::kMxfp8;  // "FP8 (MX)"
  if (!kind && mx(p)) return Precision::kMxfp8;
  if (!kind) kind = named(p);
  // Block-wise (DeepSeek's 1x128 / 128x128 tiles; Megatron's "subchannel" FP8-SC), anywhere in the cell.
  if (kind == Precision::kFp8)
    return has("block") || has("subchannel") || has("sub-channel") || has("fp8-sc") || has("fine-grained") ||
                   has("1x128") || has("128x128") || has("tile-wise") || has("tilewise") || has("deepseek")
               ? Precision::kFp8Block
               : fp8;
  return kind;
}

std::optional<std::string> unmodelled_precision(const std::string& cell) {
  // A format the cell denies is none it names ("nvfp4 (not mxfp4)" is NVFP4: it was not predicted as MXFP4).
  const std::string p = without_denied(low_precision_words_one_way(lower_case(cell)),
                                       {"nvfp4", "mxfp4", "fp4", "fp6", "float4"});
  auto has = [&p](const char* w) { return p.find(w) != std::string::npos; };
  if (has("mxfp4")) return std::string("MXFP4");
  if (has("fp4") && !has("nvfp4")) return std::string("FP4");
  if (has("fp6")) return std::string("FP6");
  if (has("float4")) return std::string("FP4");
  if (has("fp8") || has("float8") || has("e4m3") || has("e5m2") || has("fp16") || has("bf16") ||
      has("float16") || has("half"))
    return std::nullopt;  // "BF16 (INT8 optimizer states)", "bfloat16", torchao's "Float8"
  if (has("int8")) return std::string("INT8");
  if (has("tf32")) return std::string("TF32");
  if (has("fp32") || has("float32")) return std::string("FP32");
  return std::nullopt;
}

}  // namespace commsim
