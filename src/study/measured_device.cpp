#include "study/measured_device.hpp"

#include <set>

#include "study/validate_kernels.hpp"

namespace commsim {

std::string device_mismatch_note(const std::vector<Measurement>& rows, const SystemSpec& spec) {
  std::string note;
  std::set<std::string> seen;  // file and GPU, once
  for (const Measurement& m : rows) {
    if (m.device.empty() || !seen.insert(m.file + '\n' + m.device).second) continue;
    const std::string gpu = kernel_catalog_gpu(m.device, "");
    if (gpu.empty() || gpu == spec.gpu.name) continue;
    if (!note.empty()) note += '\n';
    note += "note: " + m.file + " ran on '" + m.device + "' (" + gpu + " in the catalog); --system " +
            spec.name + " has " + spec.gpu.name + ": its rows are predicted on " + spec.name +
            ", not on the GPU that ran them";
  }
  return note;
}

}  // namespace commsim
