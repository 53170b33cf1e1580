// CSV: the generic reader and the measurement/prediction schema on top of it.
#include "core/csv.hpp"
#include "fuzz_common.hpp"
#include "study/measurements.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = commsim::fuzz::text_of(data, size);
  commsim::fuzz::expect_typed_errors([&] { commsim::parse_csv(text, "fuzz.csv"); });
  return commsim::fuzz::expect_typed_errors([&] { commsim::parse_measurement_csv(text, "fuzz.csv"); });
}
