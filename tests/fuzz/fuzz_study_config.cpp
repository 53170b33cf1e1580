// A what-if study file (commsim study FILE); loaded, not run.
#include "fuzz_common.hpp"
#include "study/compare.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = commsim::fuzz::as_file(commsim::fuzz::text_of(data, size), ".yaml");
  return commsim::fuzz::expect_typed_errors([&] { commsim::load_study(path); });
}
