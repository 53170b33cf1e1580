// nccl-tests / rccl-tests / commbench text logs, as read by calibrate and validate --measured.
#include "fuzz_common.hpp"
#include "study/measurements.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = commsim::fuzz::text_of(data, size);
  return commsim::fuzz::expect_typed_errors([&] {
    auto rows = commsim::parse_nccl_tests_log(text, "fuzz.log", commsim::Op::kAllReduce);
    commsim::set_aside_wrong_rows(rows);
  });
}
