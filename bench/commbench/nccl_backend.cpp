#include "nccl_backend.hpp"

#include <cuda_runtime.h>
#include <nccl.h>

#include <cstdio>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "system_info.hpp"

namespace commsim::bench {
namespace {

void cuda_check(cudaError_t rc, const char* call) {
  if (rc != cudaSuccess) throw RuntimeError(std::string(call) + " failed: " + cudaGetErrorString(rc));
}

void nccl_check(ncclResult_t rc, const char* call) {
  if (rc != ncclSuccess) throw RuntimeError(std::string(call) + " failed: " + ncclGetErrorString(rc));
}

#define CUDA_CHECK(call) cuda_check((call), #call)
#define NCCL_CHECK(call) nccl_check((call), #call)

ncclDataType_t nccl_type(DataType t) {
  switch (t) {
    case DataType::kInt8:
      return ncclInt8;
    case DataType::kUint8:
      return ncclUint8;
    case DataType::kInt32:
      return ncclInt32;
    case DataType::kUint32:
      return ncclUint32;
    case DataType::kInt64:
      return ncclInt64;
    case DataType::kUint64:
      return ncclUint64;
    case DataType::kHalf:
      return ncclFloat16;
    case DataType::kFloat:
      return ncclFloat32;
    case DataType::kDouble:
      return ncclFloat64;
#if NCCL_VERSION_CODE >= NCCL_VERSION(2, 19, 0)
    case DataType::kBfloat16:
      return ncclBfloat16;
#endif
#if NCCL_VERSION_CODE >= NCCL_VERSION(2, 24, 0)
    case DataType::kF8e4m3:
      return ncclFloat8e4m3;
    case DataType::kF8e5m2:
      return ncclFloat8e5m2;
#endif
    default:
      break;
  }
  throw InputError(std::string("data type ") + dtype_info(t).name + " needs newer NCCL headers than " +
                   std::to_string(NCCL_VERSION_CODE));
}

ncclRedOp_t nccl_op(RedOp r) {
  switch (r) {
    case RedOp::kSum:
      return ncclSum;
    case RedOp::kProd:
      return ncclProd;
    case RedOp::kMin:
      return ncclMin;
    case RedOp::kMax:
      return ncclMax;
    case RedOp::kAvg:
      return ncclAvg;
  }
  return ncclSum;
}

// NCCL_VERSION_CODE: X*1000+Y*100+Z up to 2.8, X*10000+Y*100+Z after.
std::string nccl_version_text(int code) {
  const bool old = code < 10000;
  const int major = old ? code / 1000 : code / 10000;
  const int minor = old ? code % 1000 / 100 : code % 10000 / 100;
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(code % 100);
}

// CUDA versions are 1000*major + 10*minor.
std::string cuda_version_text(int v) {
  return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

void free_device(std::byte* p) {
  cudaFree(p);
}

class NcclBackend final : public Backend {
 public:
  NcclBackend(const MpiWorld& world, int ngpus) : world_(world), nranks_(world.size() * ngpus) {
    // nccl-tests run(): rank 0 creates the id, MPI broadcasts it, each process initialises its GPUs in a
    // group.
    ncclUniqueId id;
    if (world.rank() == 0) NCCL_CHECK(ncclGetUniqueId(&id));
    world.broadcast(&id, sizeof id, 0);
    std::string why;
    const int visible = visible_cuda_devices(why);
    const int first = first_cuda_device(world.local_rank(), ngpus, visible);
    if (first < 0)
      throw RuntimeError("too few CUDA devices (" + std::to_string(visible) + ") for -g " +
                         std::to_string(ngpus));
    gpus_.resize(static_cast<std::size_t>(ngpus));
    for (int i = 0; i < ngpus; ++i) {
      gpus_[i].ordinal = first + i;
      gpus_[i].rank = world.rank() * ngpus + i;
      CUDA_CHECK(cudaSetDevice(gpus_[i].ordinal));
      CUDA_CHECK(cudaStreamCreateWithFlags(&gpus_[i].stream, cudaStreamNonBlocking));
    }
    NCCL_CHECK(ncclGroupStart());
    for (Gpu& g : gpus_) {
      CUDA_CHECK(cudaSetDevice(g.ordinal));
      NCCL_CHECK(ncclCommInitRank(&g.comm, nranks_, id, g.rank));
    }
    NCCL_CHECK(ncclGroupEnd());
  }

  ~NcclBackend() override {
    for (Gpu& g : gpus_) {
      if (g.comm != nullptr) ncclCommDestroy(g.comm);
      if (g.stream != nullptr) cudaStreamDestroy(g.stream);
    }
  }

  const char* name() const override { return "nccl"; }
  int devices_per_process() const override { return static_cast<int>(gpus_.size()); }

  std::vector<DeviceInfo> local_devices() const override {
    std::vector<DeviceInfo> out;
    for (const Gpu& g : gpus_) {
      cudaDeviceProp prop{};
      CUDA_CHECK(cudaGetDeviceProperties(&prop, g.ordinal));
      out.push_back({g.rank, process_id(), host_name(), std::to_string(g.ordinal), cuda_bus_id(g.ordinal), prop.name});
    }
    return out;
  }

  std::vector<std::pair<std::string, std::string>> library_versions() const override {
    int nccl = 0, runtime = 0, driver = 0;
    ncclGetVersion(&nccl);
    cudaRuntimeGetVersion(&runtime);
    cudaDriverGetVersion(&driver);
    return {{"mpi", world_.library_version()},
            {"nccl", nccl_version_text(nccl) + " (headers " + nccl_version_text(NCCL_VERSION_CODE) + ")"},
            {"cuda_runtime", cuda_version_text(runtime)},
            {"cuda_driver", cuda_version_text(driver)}};
  }

  std::string version_tag() const override {
    int nccl = 0;
    ncclGetVersion(&nccl);
    return " nccl-headers=" + std::to_string(NCCL_VERSION_CODE) + " nccl-library=" + std::to_string(nccl);
  }

  DeviceBuffer allocate(int local, std::size_t bytes) override {
    CUDA_CHECK(cudaSetDevice(gpu(local).ordinal));
    void* p = nullptr;
    CUDA_CHECK(cudaMalloc(&p, bytes == 0 ? 1 : bytes));
    return DeviceBuffer(static_cast<std::byte*>(p), free_device);
  }

  // Copies go through the benchmark stream and wait for it, so they are ordered with the collectives.
  void upload(int local, void* dst, const void* host_src, std::size_t bytes) override {
    const Gpu& g = gpu(local);
    CUDA_CHECK(cudaSetDevice(g.ordinal));
    CUDA_CHECK(cudaMemcpyAsync(dst, host_src, bytes, cudaMemcpyHostToDevice, g.stream));
    CUDA_CHECK(cudaStreamSynchronize(g.stream));
  }

  void download(int local, void* host_dst, const void* src, std::size_t bytes) override {
    const Gpu& g = gpu(local);
    CUDA_CHECK(cudaSetDevice(g.ordinal));
    CUDA_CHECK(cudaMemcpyAsync(host_dst, src, bytes, cudaMemcpyDeviceToHost, g.stream));
    CUDA_CHECK(cudaStreamSynchronize(g.stream));
  }

  void fill(int local, void* dst, unsigned char byte, std::size_t bytes) override {
    const Gpu& g = gpu(local);
    CUDA_CHECK(cudaSetDevice(g.ordinal));
    CUDA_CHECK(cudaMemsetAsync(dst, byte, bytes, g.stream));
    CUDA_CHECK(cudaStreamSynchronize(g.stream));
  }

  void all_reduce(const Launch& l) override {
    const Gpu& g = gpu(l.local);
    NCCL_CHECK(ncclAllReduce(l.send, l.recv, l.count, nccl_type(l.type), red_op(l), g.comm, g.stream));
  }
  void all_gather(const Launch& l) override {
    const Gpu& g = gpu(l.local);
    NCCL_CHECK(ncclAllGather(l.send, l.recv, l.count, nccl_type(l.type), g.comm, g.stream));
  }
  void reduce_scatter(const Launch& l) override {
    const Gpu& g = gpu(l.local);
    NCCL_CHECK(ncclReduceScatter(l.send, l.recv, l.count, nccl_type(l.type), red_op(l), g.comm, g.stream));
  }
  void broadcast(const Launch& l) override {
    const Gpu& g = gpu(l.local);
    NCCL_CHECK(ncclBroadcast(l.send, l.recv, l.count, nccl_type(l.type), l.root, g.comm, g.stream));
  }
  void reduce(const Launch& l) override {
    const Gpu& g = gpu(l.local);
    NCCL_CHECK(ncclReduce(l.send, l.recv, l.count, nccl_type(l.type), red_op(l), l.root, g.comm, g.stream));
  }
  // As nccl-tests' alltoall_perf: one ncclSend and one ncclRecv per peer in a group.
  void alltoall(const Launch& l) override {
    const Gpu& g = gpu(l.local);
    const ncclDataType_t t = nccl_type(l.type);
    const std::size_t block = l.count * static_cast<std::size_t>(dtype_info(l.type).size);
    NCCL_CHECK(ncclGroupStart());
    for (int peer = 0; peer < l.nranks; ++peer) {
      NCCL_CHECK(
          ncclSend(static_cast<const std::byte*>(l.send) + peer * block, l.count, t, peer, g.comm, g.stream));
      NCCL_CHECK(
          ncclRecv(static_cast<std::byte*>(l.recv) + peer * block, l.count, t, peer, g.comm, g.stream));
    }
    NCCL_CHECK(ncclGroupEnd());
  }
  void sendrecv(const Launch& l, int send_peer, int recv_peer) override {
    const Gpu& g = gpu(l.local);
    const ncclDataType_t t = nccl_type(l.type);
    NCCL_CHECK(ncclGroupStart());
    NCCL_CHECK(ncclSend(l.send, l.count, t, send_peer, g.comm, g.stream));
    NCCL_CHECK(ncclRecv(l.recv, l.count, t, recv_peer, g.comm, g.stream));
    NCCL_CHECK(ncclGroupEnd());
  }

  void group_start() override { NCCL_CHECK(ncclGroupStart()); }
  void group_end() override { NCCL_CHECK(ncclGroupEnd()); }

  // nccl-tests testStreamSynchronize: poll the streams and surface asynchronous NCCL errors instead of
  // hanging.
  void synchronize() override {
    for (const Gpu& g : gpus_) {
      for (;;) {
        const cudaError_t rc = cudaStreamQuery(g.stream);
        if (rc == cudaSuccess) break;
        if (rc != cudaErrorNotReady) cuda_check(rc, "cudaStreamQuery");
        ncclResult_t async = ncclSuccess;
        NCCL_CHECK(ncclCommGetAsyncError(g.comm, &async));
        if (async != ncclSuccess && async != ncclInProgress) nccl_check(async, "NCCL operation");
      }
    }
  }

 private:
  struct Gpu {
    int ordinal = 0;
    int rank = 0;
    ncclComm_t comm = nullptr;
    cudaStream_t stream = nullptr;
  };
  const Gpu& gpu(int local) const { return gpus_[static_cast<std::size_t>(local)]; }

  // NCCL 2.28.9 on one rank returns ncclInvalidArgument for avg (any PreMulSum) on the FP8 types (seen on an
  // H100; half and bfloat16 work). The average over one rank is the input itself, so sum gives that result.
  ncclRedOp_t red_op(const Launch& l) const {
    if (l.redop == RedOp::kAvg && nranks_ == 1 &&
        (l.type == DataType::kF8e4m3 || l.type == DataType::kF8e5m2))
      return ncclSum;
    return nccl_op(l.redop);
  }

  const MpiWorld& world_;
  int nranks_;
  std::vector<Gpu> gpus_;
};

}  // namespace

int visible_cuda_devices(std::string& why) {
  int count = 0;
  const cudaError_t rc = cudaGetDeviceCount(&count);
  if (rc != cudaSuccess) {
    why = std::string("cudaGetDeviceCount: ") + cudaGetErrorString(rc);
    return 0;
  }
  if (count == 0) why = "cudaGetDeviceCount returned 0";
  return count;
}

std::string cuda_bus_id(int ordinal) {
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, ordinal) != cudaSuccess) return "";
  char bus[32];
  std::snprintf(bus, sizeof bus, "%04x:%02x:%02x", prop.pciDomainID, prop.pciBusID, prop.pciDeviceID);
  return bus;
}

std::unique_ptr<Backend> make_nccl_backend(const MpiWorld& world, int ngpus) {
  return std::make_unique<NcclBackend>(world, ngpus);
}

}  // namespace commsim::bench
