// The communication backend behind the harness: an MPI implementation (host buffers) and an NCCL one (device
// buffers, one communicator per GPU). The harness never calls MPI collectives or CUDA itself for the measured
// data path; it allocates, copies and launches through this interface, like nccl-tests'
// runColl/AllocateBuffs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "coll/ops.hpp"

namespace commsim::bench {

// One collective call on one device: nccl-tests' runColl arguments.
struct Launch {
  int local = 0;   // device index within this process (0 .. ngpus-1)
  int rank = 0;    // global rank of that device
  int nranks = 1;  // total ranks (processes x ngpus)
  const void* send = nullptr;
  void* recv = nullptr;
  std::uint64_t count = 0;  // per-rank element count as passed to NCCL (OpSizes::count)
  DataType type = DataType::kFloat;
  RedOp redop = RedOp::kSum;
  int root = 0;
};

// What the "#  Rank .. on host device .. [bus] name" header line shows for one rank.
struct DeviceInfo {
  int rank = 0;
  int pid = 0;
  std::string host;
  std::string device;  // CUDA ordinal, or "cpu"
  std::string bus_id;  // "0009:01:00", or "-"
  std::string name;    // GPU or CPU model
};

// Where a backend's buffer semantics differ from NCCL's, which the collective definitions are written for.
struct BackendQuirks {
  // MPI_Bcast has one buffer: an out-of-place broadcast sends from the root's send buffer and leaves its
  // receive buffer untouched, so there is nothing to check there.
  bool bcast_root_fills_recv = true;
  // MPI_Reduce_scatter_block(MPI_IN_PLACE) leaves the rank's block at the start of the buffer, not at
  // rank * count as ncclReduceScatter in place does.
  bool reduce_scatter_in_place_at_start = false;
};

// Memory owned by a backend (host or device); released through the backend's deleter.
using DeviceBuffer = std::unique_ptr<std::byte, void (*)(std::byte*)>;

class Backend {
 public:
  virtual ~Backend() = default;

  virtual const char* name() const = 0;
  virtual int devices_per_process() const = 0;
  virtual std::vector<DeviceInfo> local_devices() const = 0;
  // ("mpi", "Open MPI v4.1.4 ..."), ("nccl", "2.28.9"), ("cuda_runtime", "13.0"), ...
  virtual std::vector<std::pair<std::string, std::string>> library_versions() const = 0;
  virtual BackendQuirks quirks() const { return {}; }
  // Version line suffix in nccl-tests' style, e.g. " nccl-headers=22809 nccl-library=22809".
  virtual std::string version_tag() const { return ""; }
  // Largest element count one call accepts (MPI counts are int).
  virtual std::uint64_t max_count() const { return UINT64_MAX; }

  // Buffers and host copies; never called inside a timed loop.
  virtual DeviceBuffer allocate(int local, std::size_t bytes) = 0;
  virtual void upload(int local, void* dst, const void* host_src, std::size_t bytes) = 0;
  virtual void download(int local, void* host_dst, const void* src, std::size_t bytes) = 0;
  virtual void fill(int local, void* dst, unsigned char byte, std::size_t bytes) = 0;

  // The collectives. Buffers overlap when the op runs in place (nccl-tests' in-place offsets).
  virtual void all_reduce(const Launch& l) = 0;
  virtual void all_gather(const Launch& l) = 0;
  virtual void reduce_scatter(const Launch& l) = 0;
  virtual void broadcast(const Launch& l) = 0;
  virtual void reduce(const Launch& l) = 0;
  virtual void alltoall(const Launch& l) = 0;
  virtual void sendrecv(const Launch& l, int send_peer, int recv_peer) = 0;

  // Brackets the launches of one iteration on all local devices (ncclGroupStart/End; no-op for MPI).
  virtual void group_start() {}
  virtual void group_end() {}
  // Waits until every launched op has completed (stream sync; MPI calls complete on return).
  virtual void synchronize() {}
};

}  // namespace commsim::bench
