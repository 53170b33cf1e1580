// MPI backend: host buffers and MPI's own collectives, one rank per process. It measures the MPI library the
// way OSU and IMB do (blocking calls on the same buffers), with nccl-tests' sizes and table.
//
//   all_reduce      MPI_Allreduce               reduce          MPI_Reduce
//   all_gather      MPI_Allgather               alltoall        MPI_Alltoall
//   reduce_scatter  MPI_Reduce_scatter_block    sendrecv        MPI_Sendrecv to rank+1 from rank-1
//   broadcast       MPI_Bcast                   (in place: MPI_IN_PLACE, MPI_Sendrecv_replace)
#pragma once

#include <climits>

#include "backend.hpp"
#include "mpi_types.hpp"
#include "mpi_world.hpp"

namespace commsim::bench {

class MpiBackend final : public Backend {
 public:
  explicit MpiBackend(const MpiWorld& world) : world_(world) {}

  const char* name() const override { return "mpi"; }
  int devices_per_process() const override { return 1; }
  std::vector<DeviceInfo> local_devices() const override;
  std::vector<std::pair<std::string, std::string>> library_versions() const override;
  BackendQuirks quirks() const override {
    return {.bcast_root_fills_recv = false, .reduce_scatter_in_place_at_start = true};
  }
  std::uint64_t max_count() const override { return INT_MAX; }

  DeviceBuffer allocate(int local, std::size_t bytes) override;
  void upload(int local, void* dst, const void* host_src, std::size_t bytes) override;
  void download(int local, void* host_dst, const void* src, std::size_t bytes) override;
  void fill(int local, void* dst, unsigned char byte, std::size_t bytes) override;

  void all_reduce(const Launch& l) override;
  void all_gather(const Launch& l) override;
  void reduce_scatter(const Launch& l) override;
  void broadcast(const Launch& l) override;
  void reduce(const Launch& l) override;
  void alltoall(const Launch& l) override;
  void sendrecv(const Launch& l, int send_peer, int recv_peer) override;

 private:
  // MPI has no average: after the sum, divide the `count` result elements by n.
  void finish_avg(const Launch& l, void* result, std::uint64_t count) const;

  const MpiWorld& world_;
  MpiTypes types_;
};

}  // namespace commsim::bench
