// GEMM timing with cuBLASLt on one CUDA device (needs CUDA; kernelbench's only GPU code, plain C++ against
// cudart and cublasLt, no .cu files).
//
// Layout: column-major D[M,N] = op(A) B with A stored K x M and transposed (TN, the layout cuBLASLt requires
// for FP8), B stored K x N, D BF16, FP32 accumulation. Data: a fixed pseudo-random pattern of finite values
// (|x| < 2), so clocks under load are those of real data, not of zeros. Scales are all 1.0.
// A grouped GEMM is G separate cuBLASLt matmuls (the CUDA 13 cublasLt.h has no grouped matmul API; cublas'
// cublasGemmGroupedBatchedEx takes no FP8), each expert with its own A, B and D, timed as one region.
// Timing: -w untimed launches, then -n launches each between two CUDA events on one stream; the median.
// No L2 flush between launches (DeepGEMM's kineto timings flush it), so small GEMMs read warm L2.
#pragma once

#include <string>

#include "kernel_options.hpp"
#include "kernel_result.hpp"
#include "kernel_watchdog.hpp"

namespace commsim::bench {

// The number of CUDA devices, 0 when there is none or no driver (`why` says which).
int cuda_device_count(std::string& why);

class GemmRunner {
 public:
  explicit GemmRunner(int device);  // RuntimeError on a CUDA/cuBLASLt failure
  ~GemmRunner();
  GemmRunner(const GemmRunner&) = delete;
  GemmRunner& operator=(const GemmRunner&) = delete;

  void describe(KbContext& ctx) const;  // the GPU, its clocks and the library versions
  // Times one case at one precision; a row with `skipped` set when the GPU or cuBLASLt cannot run it.
  KbRow time(const KernelCaseSpec& c, KbPrecision p, int warmup, int iters, KernelWatchdog& watchdog);

 private:
  int device_ = 0, cc_major_ = 0, cc_minor_ = 0;
  void* handle_ = nullptr;     // cublasLtHandle_t
  void* stream_ = nullptr;     // cudaStream_t
  void* workspace_ = nullptr;
  std::size_t workspace_bytes_ = 64u << 20;
};

}  // namespace commsim::bench
