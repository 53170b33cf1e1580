// A published-training-runs CSV (`validate training`, ../shared/validation/training_public.csv format) mapped
// by the shipped configs/validation/training-systems.yaml, then every row predicted: odd layouts, batches and
// sequence lengths reach the estimator through the mapping.
#include "fuzz_common.hpp"
#include "study/validate_training.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = commsim::fuzz::as_file(commsim::fuzz::text_of(data, size), ".csv");
  return commsim::fuzz::expect_typed_errors([&] { commsim::validate_training(commsim::read_training_cases(path)); });
}
