// A system file plus --set overrides. Input: the YAML, then optionally a NUL byte and one override
// (key.path=value) per line.
#include "fuzz_common.hpp"
#include "topo/system_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = commsim::fuzz::text_of(data, size);
  const auto nul = text.find('\0');
  std::vector<std::string> sets;
  if (nul != std::string::npos) {
    std::string rest = text.substr(nul + 1);
    for (std::size_t pos = 0; pos <= rest.size();) {
      std::size_t end = rest.find('\n', pos);
      if (end == std::string::npos) end = rest.size();
      if (end > pos) sets.push_back(rest.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  const std::string path = commsim::fuzz::as_file(text.substr(0, nul), ".yaml");
  return commsim::fuzz::expect_typed_errors([&] { commsim::load_system(path, sets); });
}
