// A sweep study (base + axes + zip + where; commsim sweep FILE): loaded, its points enumerated and filtered
// (the `where` grammar), and the first two points run (each axis value applied to the base and estimated).
#include <algorithm>

#include "fuzz_common.hpp"
#include "study/sweep_run.hpp"
#include "study/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = commsim::fuzz::as_file(commsim::fuzz::text_of(data, size), ".yaml");
  return commsim::fuzz::expect_typed_errors([&] {
    const commsim::SweepSpec spec = commsim::load_sweep(path);
    const std::vector<commsim::SweepPoint> points = commsim::sweep_points(spec);
    const commsim::SweepRunner runner(spec);
    for (std::size_t i = 0; i < std::min<std::size_t>(points.size(), 2); ++i) runner.run(points[i]);
  });
}
