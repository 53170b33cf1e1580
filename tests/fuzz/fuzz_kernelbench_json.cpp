// kernelbench's JSON (-J), as `calibrate --compute` reads it (study/kernelbench_json.hpp), then fitted
// (study/compute_calibration.hpp): the GPU it names is looked up in the catalog, the rows fitted.
#include "fuzz_common.hpp"
#include "study/compute_calibration.hpp"
#include "study/kernelbench_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = commsim::fuzz::as_file(commsim::fuzz::text_of(data, size), ".json");
  return commsim::fuzz::expect_typed_errors([&] { commsim::calibrate_compute(commsim::read_kernelbench_json(path), ""); });
}
