// The precision cell of a validation CSV row (training_public.csv, training_memory.csv): the precision it
// names, read by its words with what it denies left out ("bf16, fp8 disabled" is bf16), and the precisions
// the estimator does not model (FP4, FP6, INT8, TF32, FP32), for a row that cannot be predicted.
#pragma once

#include <optional>
#include <string>

#include "train/train_config.hpp"

namespace commsim {

// bf16, fp16, fp8 (with "block", "subchannel", "1x128"...: block-wise; else `fp8`, the source's recipe),
// mxfp8 or fp8-mx, nvfp4 (NV-FP4); none where the cell names none, or names a low and a 16-bit one as
// alternatives ("bf16/fp8", "fp8 | bf16", "bf16 or nvfp4").
// Two precisions given as alternatives, an 8-bit and a 16-bit one: "bf16/fp8", "fp8 | bf16", "bf16 or fp8"
// (the words on either side of a '/', a '|' or an "or"; `t` in lower case). "fp16/bf16" (both 16-bit) and
// "FP8 GEMMs, BF16 attention" (a recipe) are not.
bool alternative_precisions(const std::string& t);
// `t` (lower case) with the 4-bit formats spelt one way: "nv-fp4" / "nv fp4" / "nv_fp4" as "nvfp4"; E2M1
// elements as nvfp4 beside UE4M3 scales, mxfp4 beside UE8M0 ones, else a bare fp4; and the scale types read
// as scales, not as element precisions (UE4M3 held "e4m3": an NVFP4 cell read as FP8; E4M3 with UE8M0 scales
// is MXFP8).
std::string low_precision_words_one_way(std::string t);
std::optional<Precision> precision_cell(const std::string& cell, Precision fp8);
// The precision a cell names that the estimator does not model: an FP4 other than NVFP4 (MXFP4, a bare FP4:
// NVIDIA's and AMD's differ) or FP6 whatever else it says ("MXFP4 (BF16 attention)"); INT8, FP32 or TF32
// where it names no modelled precision ("BF16 (INT8 optimizer states)" is bf16). Its name, for a row that
// cannot be predicted; none for a modelled or unnamed one.
std::optional<std::string> unmodelled_precision(const std::string& cell);

inline constexpr const char* kPrecisionsRead =
    "bf16, fp16, fp8, fp8 block(-wise), mxfp8 or fp8-mx, nvfp4, text around it allowed";

}  // namespace commsim
