// The cells of a kernel-measurement row (../shared/validation/kernel_benchmarks.csv and kernelbench's CSV),
// each read whole or an InputError naming the file, line and column (docs/robustness.md, "kernels").
#pragma once

#include <optional>
#include <string>

#include "core/csv.hpp"
#include "train/kernel_model.hpp"

namespace commsim {

// The precision column, case, spaces, '-' and '_' aside: mxfp8; fp8 (float8, e4m3, e5m2) with "block",
// "fine-grained", "per-group", 1x128 or 128x128 (DeepGEMM's scaling); fp8 (tensor-wise); bf16 or fp16
// ("fp16/bf16 (not stated)", bfloat16, float16, half); nullopt for anything else (fp32, tf32, a 4-bit or
// integer format, a typo: the caller lists the row as not predicted, naming the cell).
std::optional<KernelPrecision> kernel_precision(std::string cell);
// The source a row came from, for leave-one-source-out: "owner/repo#123" for an issue or PR, "owner/repo@abcdef12"
// for a file at a commit, the first word of anything that is not a GitHub URL.
std::string kernel_source_key(const std::string& url);
// A shape cell: a whole number from 1 to 2147483647, maybe with a k or K (x 1024: "8k", "128K"); empty is
// `fallback`, an error where `fallback` is 0.
double kernel_shape(const CsvRow& r, const std::string& key, double fallback, const std::string& path);
// `part` of a cell; `labelled` (one side of a head_dim or heads cell "N/M"): the label after the count
// ignored ("128q/8kv", "192(qk)/128(v)"), and no k suffix.
double kernel_shape(const CsvRow& r, const std::string& key, double fallback, const std::string& path,
                    std::string part, bool labelled);
// head_dim or heads: "N" or "N/M"; returns N, and M (N where there is none) in `second` if given.
double kernel_shape_pair(const CsvRow& r, const std::string& key, double fallback, const std::string& path,
                         double* second = nullptr);
// Every shape cell of a row, whatever its kind (and its causal cell).
void check_kernel_shapes(const CsvRow& r, const std::string& path);
// The causal cell: True/False, true/false, yes/no, y/n, 1/0, causal/full (case and spaces aside); nullopt
// where empty.
std::optional<bool> kernel_causal(const CsvRow& r, const std::string& path);
// The measured TFLOPS: a decimal number from 0.001 to 1e5.
double kernel_measured_tflops(const CsvRow& r, const std::string& path);

}  // namespace commsim
