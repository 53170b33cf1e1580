#include "study/gpu_precision.hpp"

#include <map>
#include <mutex>

#include "core/data_path.hpp"
#include "study/mapping_rules.hpp"
#include "study/training_mapping.hpp"
#include "topo/system_loader.hpp"
#include "train/compute_model.hpp"

namespace commsim {

std::string gpu_cell_unsupported_precision(const std::string& gpu_cell, Precision precision) {
  static const TrainingMapping hardware =
      load_training_mapping(data_file("configs/validation/training-systems.yaml"));
  static std::mutex lock;
  static std::map<std::string, GpuSpec> gpu_of;  // system name -> its GPU
  for (const SystemRule& r : hardware.systems)
    if (names_hardware(gpu_cell, r.gpu)) {
      const std::lock_guard<std::mutex> hold(lock);
      auto it = gpu_of.find(r.system);
      if (it == gpu_of.end()) it = gpu_of.emplace(r.system, load_system(r.system, r.sets).gpu).first;
      return unsupported_precision(it->second, precision);
    }
  return "";
}

}  // namespace commsim
