// A training config (commsim train FILE): the file, the inline model, the layout checks.
#include "fuzz_common.hpp"
#include "train/train_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = commsim::fuzz::as_file(commsim::fuzz::text_of(data, size), ".yaml");
  return commsim::fuzz::expect_typed_errors([&] { commsim::load_train_config(path); });
}
