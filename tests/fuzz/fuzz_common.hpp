// Shared by the libFuzzer targets (tests/fuzz, docs/robustness.md): the project's typed errors
// (commsim::Error: bad input, exit 2; runtime, exit 1) are the expected answer to bad input and are
// swallowed; anything else (another exception, a crash, a leak, undefined behaviour) is a finding.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <fstream>
#include <set>
#include <string>

#include "core/error.hpp"

namespace commsim::fuzz {

inline std::string text_of(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// The loaders under test read files: the input is written to a file private to this process, removed when the
// process exits (a run left one per target and process behind in /tmp).
inline std::string as_file(const std::string& text, const char* ext) {
  struct Files {
    std::set<std::string> paths;
    ~Files() {
      for (const std::string& p : paths) std::remove(p.c_str());
    }
  };
  static Files files;
  const std::string path = "/tmp/commsim-fuzz-" + std::to_string(::getpid()) + ext;
  files.paths.insert(path);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

template <class F>
int expect_typed_errors(F&& body) {
  try {
    body();
  } catch (const commsim::Error&) {
    // Expected: a typed error with a message for the user.
  }
  return 0;
}

}  // namespace commsim::fuzz
