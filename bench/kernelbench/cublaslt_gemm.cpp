#include "cublaslt_gemm.hpp"

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/error.hpp"

namespace commsim::bench {
namespace {

void cuda_check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw RuntimeError(std::string(what) + ": " + cudaGetErrorString(e));
}
void lt_check(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS) throw RuntimeError(std::string(what) + ": cuBLASLt status " + std::to_string(static_cast<int>(s)));
}

std::string version_text(int v) {  // 13000 -> "13.0"
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

// Device memory of one case, freed on scope exit.
struct DeviceBuffers {
  std::vector<void*> ptrs;
  void* alloc(std::size_t bytes) {
    void* p = nullptr;
    cuda_check(cudaMalloc(&p, std::max<std::size_t>(bytes, 256)), "cudaMalloc");
    ptrs.push_back(p);
    return p;
  }
  ~DeviceBuffers() {
    for (void* p : ptrs) cudaFree(p);
  }
};

// Fills `bytes` of device memory with a pattern of finite values of the element type (2 B bf16, 1 B e4m3; the
// same bytes read as two E2M1 nibbles each, every one of which is finite, for nvfp4).
void fill(void* dst, std::size_t bytes, bool fp8) {
  static std::vector<std::uint8_t> pattern;
  static bool pattern_fp8 = false;
  if (pattern.empty() || pattern_fp8 != fp8) {
    pattern.assign(1u << 20, 0);
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    for (std::size_t i = 0; i < pattern.size(); i += fp8 ? 1 : 2) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      if (fp8) {
        pattern[i] = static_cast<std::uint8_t>(x & 0xB7);  // exponent < 8: finite, |x| < 2, never NaN (S.1111.111)
      } else {
        float f = static_cast<float>(static_cast<double>(x >> 11) / 9007199254740992.0 * 2.0 - 1.0);
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);
        pattern[i] = static_cast<std::uint8_t>(bits >> 16), pattern[i + 1] = static_cast<std::uint8_t>(bits >> 24);
      }
    }
    pattern_fp8 = fp8;
  }
  auto* d = static_cast<std::uint8_t*>(dst);
  for (std::size_t at = 0; at < bytes; at += pattern.size())
    cuda_check(cudaMemcpy(d + at, pattern.data(), std::min(pattern.size(), bytes - at), cudaMemcpyHostToDevice), "cudaMemcpy");
}

// Scales of 1.0: UE8M0 bytes 127 (2^(127-127)), UE4M3 bytes 0x38 (0.0111.000), else FP32 ones.
enum class ScaleUnit { kFloat, kUe8m0, kUe4m3 };
void fill_scales(void* dst, std::size_t count, ScaleUnit unit) {
  if (unit != ScaleUnit::kFloat) {
    cuda_check(cudaMemset(dst, unit == ScaleUnit::kUe8m0 ? 127 : 0x38, count), "cudaMemset");
    return;
  }
  const std::vector<float> ones(count, 1.0f);
  cuda_check(cudaMemcpy(dst, ones.data(), count * sizeof(float), cudaMemcpyHostToDevice), "cudaMemcpy");
}

long long round_up(long long x, long long m) { return (x + m - 1) / m * m; }

}  // namespace

int cuda_device_count(std::string& why) {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    why = cudaGetErrorString(e);
    return 0;
  }
  if (n == 0) why = "cudaGetDeviceCount found no device";
  return n;
}

GemmRunner::GemmRunner(int device) : device_(device) {
  cuda_check(cudaSetDevice(device), "cudaSetDevice");
  cuda_check(cudaDeviceGetAttribute(&cc_major_, cudaDevAttrComputeCapabilityMajor, device), "cudaDeviceGetAttribute");
  cuda_check(cudaDeviceGetAttribute(&cc_minor_, cudaDevAttrComputeCapabilityMinor, device), "cudaDeviceGetAttribute");
  cublasLtHandle_t h = nullptr;
  lt_check(cublasLtCreate(&h), "cublasLtCreate");
  handle_ = h;
  cudaStream_t s = nullptr;
  cuda_check(cudaStreamCreate(&s), "cudaStreamCreate");
  stream_ = s;
  cuda_check(cudaMalloc(&workspace_, workspace_bytes_), "cudaMalloc (workspace)");
}

GemmRunner::~GemmRunner() {
  if (workspace_) cudaFree(workspace_);
  if (stream_) cudaStreamDestroy(static_cast<cudaStream_t>(stream_));
  if (handle_) cublasLtDestroy(static_cast<cublasLtHandle_t>(handle_));
}

void GemmRunner::describe(KbContext& ctx) const {
  cudaDeviceProp p{};
  cuda_check(cudaGetDeviceProperties(&p, device_), "cudaGetDeviceProperties");
  ctx.gpu_name = p.name;
  ctx.sms = p.multiProcessorCount;
  ctx.compute_capability = std::to_string(cc_major_) + "." + std::to_string(cc_minor_);
  ctx.memory_bytes = static_cast<double>(p.totalGlobalMem);
  int khz = 0;
  if (cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, device_) == cudaSuccess) ctx.sm_clock_mhz = khz / 1000;
  if (cudaDeviceGetAttribute(&khz, cudaDevAttrMemoryClockRate, device_) == cudaSuccess) ctx.memory_clock_mhz = khz / 1000;
  int v = 0;
  cudaRuntimeGetVersion(&v);
  ctx.cuda_runtime = version_text(v);
  cudaDriverGetVersion(&v);
  ctx.cuda_driver = version_text(v);
  const std::size_t lt = cublasLtGetVersion();  // 130100 -> 13.1.0
  ctx.cublaslt = std::to_string(lt / 10000) + "." + std::to_string((lt / 100) % 100) + "." + std::to_string(lt % 100);
}

KbRow GemmRunner::time(const KernelCaseSpec& c, KbPrecision p, int warmup, int iters, KernelWatchdog& watchdog) {
  KbRow row;
  row.kind = c.kind;
  row.precision = kb_precision_name(p);
  row.m = c.m, row.n = c.n, row.k = c.k, row.groups = c.groups;
  row.case_id = kb_case_id(c.kind, c.groups, c.m, c.n, c.k, row.precision);
  const bool fp8 = p != KbPrecision::kBf16;  // any 8- or 4-bit input: scaled, filled with the 1-byte pattern
  const bool fp4 = p == KbPrecision::kNvfp4;
  const int cc = cc_major_ * 10 + cc_minor_;
  if (fp8 && cc < 89) return row.skipped = "FP8 needs sm_89 or later (this GPU is sm_" + std::to_string(cc) + ")", row;
  if (p == KbPrecision::kMxfp8 && cc < 100)
    return row.skipped = "MXFP8 (block-scaled UE8M0) needs sm_100 or later (this GPU is sm_" + std::to_string(cc) + ")", row;
  if (fp4 && cc < 100)
    return row.skipped = "NVFP4 (E2M1, block-scaled UE4M3) needs sm_100 or later (this GPU is sm_" +
                         std::to_string(cc) + ")",
           row;
  // Bytes of an input matrix: 2 per bf16 element, 1 per e4m3, one per two E2M1 nibbles.
  auto input_bytes = [&](long long rows, long long cols) -> std::size_t {
    const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
    return fp4 ? (n + 1) / 2 : fp8 ? n : 2 * n;
  };
  const std::size_t a_bytes = input_bytes(c.m, c.k), b_bytes = input_bytes(c.k, c.n), d_bytes = 2 * c.m * c.n;
  std::size_t free_bytes = 0, total = 0;
  cuda_check(cudaMemGetInfo(&free_bytes, &total), "cudaMemGetInfo");
  const double need = static_cast<double>(c.groups) * (a_bytes + b_bytes + d_bytes) * 1.05 + (64 << 20);
  if (need > static_cast<double>(free_bytes))
    return row.skipped = "needs " + std::to_string(static_cast<long long>(need / 1e6)) + " MB, " +
                         std::to_string(free_bytes / 1000000) + " MB free", row;
  watchdog.stage("setting up " + row.case_id);

  const cudaDataType_t in = fp4 ? CUDA_R_4F_E2M1 : fp8 ? CUDA_R_8F_E4M3 : CUDA_R_16BF;
  cublasLtMatmulDesc_t desc = nullptr;
  cublasLtMatrixLayout_t la = nullptr, lb = nullptr, ld = nullptr;
  cublasLtMatmulPreference_t pref = nullptr;
  struct Cleanup {
    cublasLtMatmulDesc_t& d; cublasLtMatrixLayout_t &a, &b, &o; cublasLtMatmulPreference_t& p;
    ~Cleanup() {
      if (p) cublasLtMatmulPreferenceDestroy(p);
      if (o) cublasLtMatrixLayoutDestroy(o);
      if (b) cublasLtMatrixLayoutDestroy(b);
      if (a) cublasLtMatrixLayoutDestroy(a);
      if (d) cublasLtMatmulDescDestroy(d);
    }
  } cleanup{desc, la, lb, ld, pref};
  lt_check(cublasLtMatmulDescCreate(&desc, CUBLAS_COMPUTE_32F, CUDA_R_32F), "cublasLtMatmulDescCreate");
  const cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
  lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta), "TRANSA");
  lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof tb), "TRANSB");
  lt_check(cublasLtMatrixLayoutCreate(&la, in, c.k, c.m, c.k), "layout A");
  lt_check(cublasLtMatrixLayoutCreate(&lb, in, c.k, c.n, c.k), "layout B");
  lt_check(cublasLtMatrixLayoutCreate(&ld, CUDA_R_16BF, c.m, c.n, c.m), "layout D");

  DeviceBuffers mem;
  // Scale tensors: one float (tensor-wise), one UE8M0 byte per 32 K-elements (mxfp8) or one UE4M3 byte per 16
  // (nvfp4; both padded to the 128 x 4 swizzled tiles), one float per 128 K-elements of each A row and per
  // 128 x 128 block of B (fp8_block).
  // All scales are 1.0, so their layout does not change the result and the sizes are upper bounds.
  void* sa = nullptr;
  void* sb = nullptr;
  if (fp8) {
    cublasLtMatmulMatrixScale_t ma = CUBLASLT_MATMUL_MATRIX_SCALE_SCALAR_32F, mb = ma;
    std::size_t na = 1, nb = 1;
    ScaleUnit unit = ScaleUnit::kFloat;
    if (p == KbPrecision::kMxfp8) {
      ma = mb = CUBLASLT_MATMUL_MATRIX_SCALE_VEC32_UE8M0;
      na = round_up(c.m, 128) * round_up((c.k + 31) / 32, 4), nb = round_up(c.n, 128) * round_up((c.k + 31) / 32, 4);
      unit = ScaleUnit::kUe8m0;
    } else if (fp4) {
      ma = mb = CUBLASLT_MATMUL_MATRIX_SCALE_VEC16_UE4M3;
      na = round_up(c.m, 128) * round_up((c.k + 15) / 16, 4),
      nb = round_up(c.n, 128) * round_up((c.k + 15) / 16, 4);
      unit = ScaleUnit::kUe4m3;
    } else if (p == KbPrecision::kFp8Block) {
      ma = CUBLASLT_MATMUL_MATRIX_SCALE_VEC128_32F, mb = CUBLASLT_MATMUL_MATRIX_SCALE_BLK128x128_32F;
      na = round_up(c.m, 4) * ((c.k + 127) / 128), nb = ((c.n + 127) / 128 + 1) * ((c.k + 127) / 128 + 1);
    }
    if (ma != CUBLASLT_MATMUL_MATRIX_SCALE_SCALAR_32F) {
      lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_A_SCALE_MODE, &ma, sizeof ma), "A_SCALE_MODE");
      lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_B_SCALE_MODE, &mb, sizeof mb), "B_SCALE_MODE");
    }
    const std::size_t bytes = unit == ScaleUnit::kFloat ? sizeof(float) : 1;
    sa = mem.alloc(na * bytes), sb = mem.alloc(nb * bytes);
    fill_scales(sa, na, unit), fill_scales(sb, nb, unit);
    lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &sa, sizeof sa), "A_SCALE_POINTER");
    lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &sb, sizeof sb), "B_SCALE_POINTER");
  }

  lt_check(cublasLtMatmulPreferenceCreate(&pref), "cublasLtMatmulPreferenceCreate");
  lt_check(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace_bytes_,
                                                sizeof workspace_bytes_), "MAX_WORKSPACE_BYTES");
  cublasLtMatmulHeuristicResult_t algo{};
  int found = 0;
  const cublasStatus_t hs = cublasLtMatmulAlgoGetHeuristic(static_cast<cublasLtHandle_t>(handle_), desc, la, lb, ld, ld,
                                                           pref, 1, &algo, &found);
  if (hs != CUBLAS_STATUS_SUCCESS || found == 0)
    return row.skipped = "cuBLASLt has no algorithm for this precision and shape on sm_" +
                         std::to_string(cc) + " (heuristic status " + std::to_string(static_cast<int>(hs)) + ")", row;

  std::vector<void*> A, B, D;
  for (long long g = 0; g < c.groups; ++g) {
    A.push_back(mem.alloc(a_bytes)), B.push_back(mem.alloc(b_bytes)), D.push_back(mem.alloc(d_bytes));
    fill(A.back(), a_bytes, fp8), fill(B.back(), b_bytes, fp8);
  }
  const float alpha = 1.0f, beta = 0.0f;
  auto stream = static_cast<cudaStream_t>(stream_);
  auto launch = [&] {
    for (long long g = 0; g < c.groups; ++g)
      lt_check(cublasLtMatmul(static_cast<cublasLtHandle_t>(handle_), desc, &alpha, A[g], la, B[g], lb, &beta, D[g], ld,
                              D[g], ld, &algo.algo, workspace_, workspace_bytes_, stream), "cublasLtMatmul");
  };
  watchdog.stage("timing " + row.case_id);
  for (int i = 0; i < warmup; ++i) launch();
  std::vector<cudaEvent_t> ev(2 * iters);
  for (cudaEvent_t& x : ev) cuda_check(cudaEventCreate(&x), "cudaEventCreate");
  for (int i = 0; i < iters; ++i) {
    cuda_check(cudaEventRecord(ev[2 * i], stream), "cudaEventRecord");
    launch();
    cuda_check(cudaEventRecord(ev[2 * i + 1], stream), "cudaEventRecord");
  }
  cuda_check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  std::vector<double> us(iters);
  for (int i = 0; i < iters; ++i) {
    float ms = 0;
    cuda_check(cudaEventElapsedTime(&ms, ev[2 * i], ev[2 * i + 1]), "cudaEventElapsedTime");
    us[i] = ms * 1e3;
  }
  for (cudaEvent_t& x : ev) cudaEventDestroy(x);
  std::sort(us.begin(), us.end());
  row.time_us = iters % 2 ? us[iters / 2] : 0.5 * (us[iters / 2 - 1] + us[iters / 2]);
  row.min_us = us.front(), row.max_us = us.back();
  return row;
}

}  // namespace commsim::bench
