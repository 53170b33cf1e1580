// A fresh, empty scratch directory under the system's temp directory, removed with everything in it at the
// end of the scope. For unit tests that write files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace commsim::test {

struct ScratchDir {
  std::filesystem::path dir;
  explicit ScratchDir(const std::string& tag) {
    static int n = 0;
    dir = std::filesystem::temp_directory_path() /
          ("commsim-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string path(const std::string& relative) const { return (dir / relative).lexically_normal().string(); }
};

}  // namespace commsim::test
