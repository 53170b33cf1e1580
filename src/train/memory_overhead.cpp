#include "train/memory_overhead.hpp"

#include "core/data_file_cache.hpp"

namespace commsim {

const MemoryOverhead& memory_overhead() {
  return cached_data_file<MemoryOverhead>(
      "topologies/memory-overhead.yaml", "memory_overhead", [](YamlMap& root) {
        MemoryOverhead o;
        o.cuda_context = root.figure("cuda_context", Dimension::kBytes, true);
        o.nccl = root.figure("nccl", Dimension::kBytes, true);
        o.fragmentation = root.figure("fragmentation", Dimension::kRatio, true);
        return o;
      });
}

}  // namespace commsim
