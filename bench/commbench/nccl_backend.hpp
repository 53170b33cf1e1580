// NCCL backend: CUDA device buffers, one NCCL rank per GPU, `ngpus` GPUs per process (nccl-tests -g), MPI
// only to exchange the ncclUniqueId. Compiled only when CUDA and NCCL are found (COMMBENCH_WITH_NCCL); plain
// C++ against cudart, no kernels: data is initialised and checked on the host.
#pragma once

#include <memory>
#include <string>

#include "backend.hpp"
#include "mpi_world.hpp"

namespace commsim::bench {

// CUDA devices this process sees; 0 with `why` filled when cudaGetDeviceCount fails (no driver, no GPU).
int visible_cuda_devices(std::string& why);

// PCI bus id of CUDA device `ordinal` ("0000:00:06"), or "" if it cannot be read.
std::string cuda_bus_id(int ordinal);

// The first of this process's `ngpus` CUDA devices: local_rank * ngpus as nccl-tests when the process sees
// the whole node; 0 when the launcher already gave it exactly its own GPUs (srun --gpus-per-task,
// CUDA_VISIBLE_DEVICES per rank); -1 when neither fits.
inline int first_cuda_device(int local_rank, int ngpus, int visible) {
  if (visible >= (local_rank + 1) * ngpus) return local_rank * ngpus;
  return visible == ngpus ? 0 : -1;
}

// GPU i of this process is CUDA device first_cuda_device() + i and NCCL rank world.rank() * ngpus + i.
std::unique_ptr<Backend> make_nccl_backend(const MpiWorld& world, int ngpus);

}  // namespace commsim::bench
