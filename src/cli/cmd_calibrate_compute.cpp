// commsim calibrate --compute kernelbench.json [--gpu NAME] --out FILE: fits the kernel model's constants of
// the GPU's architecture to kernelbench's rows (study/compute_calibration.hpp), writes them as a
// kernel_calibration file for --compute-efficiency, and prints every row's measured TFLOPS against the
// shipped and the calibrated prediction (stdout); where the file went goes to stderr, once the report is out.
#include <cmath>
#include <iostream>

#include "cli/calibrate_compute.hpp"
#include "cli/common.hpp"
#include "core/atomic_file.hpp"
#include "core/data_path.hpp"
#include "core/stats.hpp"
#include "hw/catalog.hpp"
#include "report/table.hpp"
#include "study/compute_calibration.hpp"

namespace commsim::cli {

void run_calibrate_compute(const std::string& json, const std::string& gpu, const std::string& out) {
  // A compute calibration is read with --compute-efficiency, never from the catalog: written into the data
  // directory it replaced a GPU, system, prices or study file (exit 0), or added one every command refused.
  if (const std::string part = data_part_of(out); !part.empty())
    throw InputError(SourceLoc{"--out", 0, 0, ""},
                     "'" + out + "' is in the data directory's " + part +
                         ", which holds the catalog: write the calibration elsewhere (it is "
                         "read with --compute-efficiency FILE)");
  AtomicFile file(out);  // an unwritable --out fails (exit 2) before the fit
  const KernelbenchFile measured = read_kernelbench_json(json);
  const ComputeCalibration c = calibrate_compute(measured, gpu);
  write_kernel_calibration(file.stream(),
                           c);  // committed once the report is out (a failed stdout: --out as it was)
  Table t({"case_id", "precision", "measured TF", "shipped TF", "error", "calibrated TF", "error"});
  std::vector<double> before, after;
  for (const KernelCase& k : c.rows) {
    t.add({k.case_id, kernel_precision_name(k.precision), fmt(k.measured, 1), fmt(k.predicted, 1),
               fmt(100 * k.error, 1) + "%", fmt(k.loso_predicted, 1), fmt(100 * k.loso_error, 1) + "%"});
    before.push_back(std::fabs(k.error)), after.push_back(std::fabs(k.loso_error));
  }
  std::cout << "# " << measured.gpu_name << " (" << measured.sms << " SMs) -> catalog " << c.gpu << ", arch " << c.arch
            << ": " << c.rows.size() << " rows\n";
  t.print(std::cout);
  std::cout << "# median |error|: shipped constants " << fmt(100 * median(before), 1) << "%, calibrated "
            << fmt(100 * median(after), 1) << "%\n# fitted:";
  for (const std::string& key : c.fitted_keys) {
    std::cout << " " << key << " ";
    if (key == "epilogue") std::cout << fmt(c.shipped.epilogue * 1e6, 2) << "us -> " << fmt(c.fitted.epilogue * 1e6, 2) << "us";
    else if (key == "memory") std::cout << fmt(c.shipped.memory, 3) << " -> " << fmt(c.fitted.memory, 3);
    else if (key == "grouped") std::cout << fmt(c.shipped.grouped, 3) << " -> " << fmt(c.fitted.grouped, 3);
    else
      for (int p = 0; p < kKernelPrecisions; ++p)
        if (key == std::string("gemm_") + kernel_precision_name(static_cast<KernelPrecision>(p)))
          std::cout << fmt(c.shipped.gemm[p], 3) << " -> " << fmt(c.fitted.gemm[p], 3);
  }
  std::cout << "\n";
  check_stdout();
  file.commit();
  note("commsim calibrate: wrote " + out + " (load it with --compute-efficiency " + out + ")");
}

}  // namespace commsim::cli
