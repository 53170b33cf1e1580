#include "core/data_path.hpp"

#include <cstdlib>
#include <filesystem>

namespace commsim {

std::string data_dir() {
  if (const char* env = std::getenv("COMMSIM_DATA_DIR"); env != nullptr && *env != '\0') return env;
  return COMMSIM_SOURCE_DATA_DIR;
}

std::string data_file(const std::string& relative) { return data_dir() + "/" + relative; }

const char* commsim_version() { return COMMSIM_VERSION; }

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace commsim
