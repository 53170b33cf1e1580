// commbench JSON (-J), as read by calibrate and validate --measured.
#include "fuzz_common.hpp"
#include "study/measurements.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = commsim::fuzz::text_of(data, size);
  return commsim::fuzz::expect_typed_errors([&] { commsim::parse_commbench_json(text, "fuzz.json"); });
}
