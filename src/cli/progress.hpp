// A progress line on stderr for long runs: "sweep: 1200/10000 points, 850/s, ETA 10 s", redrawn at most 5
// times a second with '\r' and ended with a newline. Shown when stderr is a terminal, or when forced
// (--progress); never with --quiet. Nothing goes to stdout.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace commsim::cli {

class Progress {
 public:
  Progress(std::string what, std::size_t total, bool force, bool quiet, std::string unit = "points");
  ~Progress();
  void tick(std::size_t done);  // `done` items so far
  void finish();

 private:
  void draw(std::size_t done);
  std::string what_, unit_;
  std::size_t total_;
  bool on_ = false, drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace commsim::cli
