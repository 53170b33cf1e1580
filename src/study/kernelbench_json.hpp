// Reading kernelbench's JSON (bench/kernelbench, -J): the context's GPU and SM count and the timed rows in
// the vocabulary of ../shared/validation/kernel_benchmarks.csv. Every value is bounded
// (study/json_fields.hpp): M, N, K whole in [1, 2^20], groups in [1, 2^16], TFLOPS in (0, 1e5], SMs in [1,
// 2^16]; kind gemm or grouped_gemm; precision one of the kernel model's (bf16, fp8_tensor, fp8_block, mxfp8);
// a time_us that disagrees with the TFLOPS by more than 1% is an error. A bad value names the file and the
// JSON path.
#pragma once

#include <string>
#include <vector>

#include "train/kernel_model.hpp"

namespace commsim {

struct KernelbenchRow {
  std::string case_id, kind, where;  // where: "results[3]"
  KernelPrecision precision = KernelPrecision::kBf16;
  GemmShape shape;
  double tflops = 0;
  int value_line = 0;  // the line of its TFLOPS value, for errors found after reading (calibrate --compute)
};

struct KernelbenchFile {
  std::string path, gpu_name, timestamp;
  int sms = 0;
  std::vector<KernelbenchRow> rows;
};

KernelbenchFile read_kernelbench_json(const std::string& path);

}  // namespace commsim
