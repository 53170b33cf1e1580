#include "mpi_backend.hpp"

#include <climits>
#include <cstdlib>
#include <cstring>

#include "core/error.hpp"
#include "system_info.hpp"

namespace commsim::bench {
namespace {

void check(int rc, const char* call) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw RuntimeError(std::string(call) + " failed: " + std::string(text, static_cast<std::size_t>(len)));
}

// MPI counts are int; larger buffers would need derived types, which change what is measured.
int mpi_count(std::uint64_t count) {
  if (count > static_cast<std::uint64_t>(INT_MAX))
    throw InputError("the mpi backend takes at most 2^31-1 elements per call (got " + std::to_string(count) +
                     ")");
  return static_cast<int>(count);
}

void free_host(std::byte* p) {
  std::free(p);
}

}  // namespace

std::vector<DeviceInfo> MpiBackend::local_devices() const {
  return {DeviceInfo{world_.rank(), process_id(), host_name(), "cpu", "-", cpu_model()}};
}

std::vector<std::pair<std::string, std::string>> MpiBackend::library_versions() const {
  return {{"mpi", world_.library_version()}};
}

DeviceBuffer MpiBackend::allocate(int, std::size_t bytes) {
  // Page-aligned, as cudaMalloc'd memory is at least 256-byte aligned; the size is rounded up for
  // aligned_alloc.
  constexpr std::size_t kAlign = 4096;
  const std::size_t rounded = (std::max<std::size_t>(bytes, 1) + kAlign - 1) / kAlign * kAlign;
  auto* p = static_cast<std::byte*>(std::aligned_alloc(kAlign, rounded));
  if (p == nullptr) throw RuntimeError("cannot allocate " + std::to_string(bytes) + " bytes of host memory");
  return DeviceBuffer(p, free_host);
}

void MpiBackend::upload(int, void* dst, const void* host_src, std::size_t bytes) {
  std::memmove(dst, host_src, bytes);
}
void MpiBackend::download(int, void* host_dst, const void* src, std::size_t bytes) {
  std::memmove(host_dst, src, bytes);
}
void MpiBackend::fill(int, void* dst, unsigned char byte, std::size_t bytes) {
  std::memset(dst, byte, bytes);
}

void MpiBackend::finish_avg(const Launch& l, void* result, std::uint64_t count) const {
  if (l.redop == RedOp::kAvg) divide_elements(l.type, result, count, l.nranks);
}

void MpiBackend::all_reduce(const Launch& l) {
  const void* send = l.send == l.recv ? MPI_IN_PLACE : l.send;
  check(MPI_Allreduce(send, l.recv, mpi_count(l.count), types_.type(l.type), types_.op(l.type, l.redop),
                      world_.comm()),
        "MPI_Allreduce");
  finish_avg(l, l.recv, l.count);
}

void MpiBackend::all_gather(const Launch& l) {
  // In place (nccl-tests: send = recv + rank * count), MPI takes this rank's block from the receive buffer.
  const std::size_t block = l.count * static_cast<std::size_t>(dtype_info(l.type).size);
  const bool in_place = l.send == static_cast<const std::byte*>(l.recv) + l.rank * block;
  const MPI_Datatype t = types_.type(l.type);
  const int n = mpi_count(l.count);
  check(MPI_Allgather(in_place ? MPI_IN_PLACE : l.send, n, t, l.recv, n, t, world_.comm()), "MPI_Allgather");
}

void MpiBackend::reduce_scatter(const Launch& l) {
  // In place, MPI reads all n blocks from the buffer and leaves this rank's block at its start
  // (BackendQuirks::reduce_scatter_in_place_at_start).
  const void* send = l.send == l.recv ? MPI_IN_PLACE : l.send;
  check(MPI_Reduce_scatter_block(send, l.recv, mpi_count(l.count), types_.type(l.type),
                                 types_.op(l.type, l.redop), world_.comm()),
        "MPI_Reduce_scatter_block");
  finish_avg(l, l.recv, l.count);
}

void MpiBackend::broadcast(const Launch& l) {
  // One buffer: the root sends from its send buffer, the others receive into their receive buffer.
  void* buffer = l.rank == l.root ? const_cast<void*>(l.send) : l.recv;
  check(MPI_Bcast(buffer, mpi_count(l.count), types_.type(l.type), l.root, world_.comm()), "MPI_Bcast");
}

void MpiBackend::reduce(const Launch& l) {
  const bool root = l.rank == l.root;
  const void* send = root && l.send == l.recv ? MPI_IN_PLACE : l.send;
  check(MPI_Reduce(send, l.recv, mpi_count(l.count), types_.type(l.type), types_.op(l.type, l.redop), l.root,
                   world_.comm()),
        "MPI_Reduce");
  if (root) finish_avg(l, l.recv, l.count);
}

void MpiBackend::alltoall(const Launch& l) {
  const MPI_Datatype t = types_.type(l.type);
  const int n = mpi_count(l.count);
  const void* send = l.send == l.recv ? MPI_IN_PLACE : l.send;
  check(MPI_Alltoall(send, n, t, l.recv, n, t, world_.comm()), "MPI_Alltoall");
}

void MpiBackend::sendrecv(const Launch& l, int send_peer, int recv_peer) {
  const MPI_Datatype t = types_.type(l.type);
  const int n = mpi_count(l.count);
  if (l.send == l.recv) {
    check(MPI_Sendrecv_replace(l.recv, n, t, send_peer, 0, recv_peer, 0, world_.comm(), MPI_STATUS_IGNORE),
          "MPI_Sendrecv_replace");
  } else {
    check(MPI_Sendrecv(l.send, n, t, send_peer, 0, l.recv, n, t, recv_peer, 0, world_.comm(),
                       MPI_STATUS_IGNORE),
          "MPI_Sendrecv");
  }
}

}  // namespace commsim::bench
