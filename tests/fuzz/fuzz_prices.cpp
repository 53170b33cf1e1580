// A prices file (`plan --prices`, study/prices.hpp): GPU-hour rents, server prices, power and PUE by GPU.
#include "fuzz_common.hpp"
#include "study/prices.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = commsim::fuzz::as_file(commsim::fuzz::text_of(data, size), ".yaml");
  return commsim::fuzz::expect_typed_errors([&] { commsim::load_prices(path); });
}
