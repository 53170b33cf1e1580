// Memory a training process holds beyond the counted tensors: the CUDA context, NCCL buffers, and what the
// caching allocator reserves beyond its allocated peak. Data: topologies/memory-overhead.yaml (each figure
// with its kind and source). On the GPU at the peak:
//   used = allocated * (1 + fragmentation) + cuda_context + nccl      (nccl: only with more than one rank)
// `fits` compares used minus the allocator's cache (allocated + cuda_context + nccl) with the capacity:
// PyTorch's caching allocator frees its cached blocks and retries before it fails an allocation. Check
// (tested): 60 GiB allocated with the shipped 0.05, 0.5 GiB, 1 GiB -> 64.5 GiB.
#pragma once

#include "core/yaml_reader.hpp"

namespace commsim {

struct MemoryOverhead {
  Figure cuda_context, nccl, fragmentation;
  double reserved(double allocated) const { return allocated * (1.0 + fragmentation.value); }
  // `communicates`: the run has more than one rank (a single GPU creates no NCCL communicator; helper-177).
  double used(double allocated, bool communicates = true) const {
    return reserved(allocated) + cuda_context.value + (communicates ? nccl.value : 0.0);
  }
};

// topologies/memory-overhead.yaml (cached per data directory). Throws InputError naming file:line:key.
const MemoryOverhead& memory_overhead();

}  // namespace commsim
