#include "train/memory_overhead.hpp"

#include <mutex>
#include <string>

#include "core/data_path.hpp"

namespace commsim {

const MemoryOverhead& memory_overhead() {
  static std::mutex mu;
  static MemoryOverhead cached;
  static std::string loaded_from;
  std::lock_guard<std::mutex> lock(mu);
  if (loaded_from != data_dir()) {
    const std::string path = data_file("topologies/memory-overhead.yaml");
    YamlMap root(load_yaml_file(path), path);
    if (root.integer("schema_version") != 1) root.fail("schema_version", "unsupported schema_version");
    if (root.str("kind") != "memory_overhead") root.fail("kind", "expected kind: memory_overhead");
    MemoryOverhead o;
    o.cuda_context = root.figure("cuda_context", Dimension::kBytes, true);
    o.nccl = root.figure("nccl", Dimension::kBytes, true);
    o.fragmentation = root.figure("fragmentation", Dimension::kRatio, true);
    root.finish();
    cached = o;
    loaded_from = data_dir();
  }
  return cached;
}

}  // namespace commsim
