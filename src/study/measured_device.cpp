#include "study/measured_device.hpp"

#include <map>
#include <set>

#include "study/validate_kernels.hpp"

namespace commsim {

std::string device_mismatch_note(const std::vector<Measurement>& rows, const SystemSpec& spec) {
  std::string note;
  std::set<std::string> seen;  // file and GPU, once
  auto add = [&](const std::string& line) { note += (note.empty() ? "" : "\n") + line; };
  const std::string on =
      "--system " + spec.name + " has " + spec.gpu.name + ": its rows are predicted on " + spec.name;
  for (const Measurement& m : rows) {
    if (m.device.empty() || !seen.insert(m.file + '\n' + m.device).second) continue;
    if (m.device.find('\n') != std::string::npos) {  // several names: a mixed run
      std::string names = m.device;
      for (std::size_t i = names.find('\n'); i != std::string::npos; i = names.find('\n', i))
        names.replace(i, 1, "', '");
      add("note: " + m.file + " ran on several devices ('" + names + "'); " + on +
          ", not on the devices that ran them");
      continue;
    }
    const std::string gpu = kernel_catalog_gpu(m.device, "");
    if (gpu.empty()) {
      // No GPU of the catalog: a CPU (commbench's MPI backend times host buffers) or a GPU no rule names.
      // Said where the system's is a GPU: an MPI run on host cores fitted into an H100 system file at 3% of
      // NVLink's bandwidth without a word (helper-149).
      if (spec.gpu.arch != GpuArch::kCpu)
        add("note: " + m.file + " ran on '" + m.device +
            "', which is no GPU of the catalog (configs/validation/kernel-benchmarks.yaml's rules name "
            "none); " +
            on + ", not on the device that ran them");
      continue;
    }
    if (gpu == spec.gpu.name) continue;
    add("note: " + m.file + " ran on '" + m.device + "' (" + gpu + " in the catalog); " + on +
        ", not on the GPU that ran them");
  }
  return note;
}

std::string mixed_catalog_gpus(const std::vector<Measurement>& rows) {
  std::map<std::string, std::string> file_of;  // catalog GPU -> a file that ran on it
  for (const Measurement& m : rows) {
    if (m.device.empty() || m.device.find('\n') != std::string::npos) continue;
    if (const std::string gpu = kernel_catalog_gpu(m.device, ""); !gpu.empty()) file_of.emplace(gpu, m.file);
  }
  if (file_of.size() < 2) return "";
  std::string out;
  for (const auto& [gpu, file] : file_of) out += (out.empty() ? "" : ", ") + gpu + " (" + file + ")";
  return out;
}

}  // namespace commsim
