// commsim calibrate --compute: the kernel model's constants (train/kernel_model.hpp) for one GPU's
// architecture, fitted to kernelbench rows measured on that GPU with validate_kernels' fitter
// (fit_kernel_model: coordinate descent on the mean |log(predicted / measured)|; a constant is fitted only on
// two or more rows that it moves by more than 1% when doubled). The constants the rows do not determine keep
// the shipped values and provenance. The result is written as a `kernel_calibration` file: the `kernels`
// section of topologies/compute-efficiency.yaml holding that one arch (every key, fitted ones `kind:
// measurement` naming the GPU and the rows) and the GPU's measured SM count under gpu_sms. Loaded with
// --compute-efficiency FILE (set_kernel_overlay), it replaces the shipped arch whole.
#pragma once

#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "study/kernelbench_json.hpp"
#include "study/validate_kernels.hpp"

namespace commsim {

struct ComputeCalibration {
  std::string gpu, arch;           // catalog GPU and its architecture
  KernelbenchFile measured;
  KernelArch shipped, fitted;
  std::set<std::string> fitted_keys;
  int rounds = 0;                  // runs of the fitter until it stopped improving
  std::vector<KernelCase> rows;    // predicted: shipped constants; loso_predicted: the fitted ones
};

// `gpu`: a catalog GPU name; "" takes it from the file's GPU name through the kernel-validation mapping.
// InputError when no catalog GPU matches, the arch has no `kernels` entry, or no constant has two rows.
ComputeCalibration calibrate_compute(const KernelbenchFile& measured, const std::string& gpu);

void write_kernel_calibration(std::ostream& out, const ComputeCalibration& c);

}  // namespace commsim
