// Units: every dimension of parse_quantity and parse_size on the same text.
#include "core/units.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = commsim::fuzz::text_of(data, size);
  using commsim::Dimension;
  for (Dimension d : {Dimension::kBandwidth, Dimension::kTime, Dimension::kBytes, Dimension::kPower,
                      Dimension::kFlopRate, Dimension::kRatio, Dimension::kCurrency})
    commsim::fuzz::expect_typed_errors([&] { commsim::parse_quantity(text, d); });
  return commsim::fuzz::expect_typed_errors([&] { commsim::parse_size(text); });
}
