// Validation of the kernel model (train/kernel_model.hpp) against published kernel measurements
// (../shared/validation/kernel_benchmarks.csv format). Each row's GPU maps to a catalog GPU through
// configs/validation/kernel-benchmarks.yaml (first `match` that is a substring of the gpu column), its
// precision column to bf16 | fp8_tensor | fp8_block | mxfp8, and the model predicts the row's TFLOPS the
// row's way (GEMM 2MNK·groups·batch / t; attention FLOPs of the FlashAttention/cuDNN scripts / t).
// Rows the model does not cover (communication, composed layers, GPUs without a catalog entry, documented
// pitfalls) are excluded by kind or case_id with a reason in the mapping file.
//
// fit_kernel_model() refits the calibrated constants of each architecture on a set of rows (coordinate
// descent on the mean |log(predicted / measured)|); leave-one-source-out refits without the rows of one
// source and predicts them. A constant with fewer than two rows in the fit is not fitted: it falls back
// to the same constant of the arch's other fp8 formats, then to the median over the archs that have rows.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "study/not_predicted.hpp"

#include "train/kernel_model.hpp"

namespace commsim {

struct KernelCase {
  std::string case_id, kind, gpu, source, library;
  std::string arch;             // of the mapped catalog GPU
  KernelDevice device;          // the whole GPU (all dies), as the benchmarks ran it
  KernelPrecision precision = KernelPrecision::kBf16;
  bool attention = false, grouped = false, with_cast = false;
  GemmShape gemm;
  AttentionShape attn;
  double measured = 0;          // TFLOPS
  std::string excluded;         // reason when outside the bound (still predicted and shown)
  double predicted = 0, error = 0;   // in-sample (shipped constants)
  double loso_predicted = 0, loso_error = 0;
  bool loso_covered = false;    // some other source fits every constant this row needs
};

struct ErrorStats {
  int rows = 0;
  double median = 0, worst = 0;
};

struct KernelValidationReport {
  std::vector<KernelCase> rows;                               // predicted rows (in and outside the bound)
  std::vector<std::pair<std::string, std::string>> skipped;   // case_id, reason: the mapping's excluded kinds and skipped rows
  std::vector<NotPredicted> not_predicted;  // out of the kernel model's reach: a GPU, kind or metric it does not know
  std::vector<std::string> unmatched;  // "excluded ID", "with_cast ID": case_ids the mapping names, not rows of the file
  ErrorStats in_sample;                                       // rows within the bound
  std::map<std::string, ErrorStats> by_group;                 // "kind arch precision"
  bool loso = false;
  ErrorStats loso_all;
  std::map<std::string, ErrorStats> loso_by_source;
  int loso_uncovered = 0;
  std::map<std::string, KernelArch> fitted;                   // refit on every row within the bound
};

// Predicted TFLOPS of a case with the given constants.
double predict_tflops(const KernelCase& c, const KernelArch& arch);

// Refits the calibrated constants of `start` on `cases`; a constant fewer than two cases depend on takes the
// fallbacks above (NaN when there is none). `determined`, when given, receives per arch the names of the
// constants fitted on rows (the others are fallbacks).
std::map<std::string, KernelArch> fit_kernel_model(const std::map<std::string, KernelArch>& start,
                                                   const std::vector<const KernelCase*>& cases,
                                                   std::map<std::string, std::set<std::string>>* determined = nullptr);

// The catalog GPU of a `gpu` column ("NVIDIA H200", "H800 SXM5") by the mapping's rules (first match); "" if none.
std::string kernel_catalog_gpu(const std::string& gpu_column, const std::string& mapping_path = "");

KernelValidationReport validate_kernels(const std::string& csv_path, const std::string& mapping_path = "",
                                        bool leave_one_source_out = false);

}  // namespace commsim
