#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace commsim::cli {

Progress::Progress(std::string what, std::size_t total, bool force, bool quiet, std::string unit)
    : what_(std::move(what)), unit_(std::move(unit)), total_(total), on_(!quiet && (force || ::isatty(2))), start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() { finish(); }

void Progress::tick(std::size_t done) {
  if (!on_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total_ && now - last_ < std::chrono::milliseconds(200)) return;  // the first call draws
  last_ = now;
  draw(done);
}

void Progress::draw(std::size_t done) {
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = s > 0 ? static_cast<double>(done) / s : 0;
  char eta[32] = "-";
  if (rate > 0) std::snprintf(eta, sizeof eta, "%.0f s", static_cast<double>(total_ - done) / rate);
  std::fprintf(stderr, "\r%s: %zu/%zu %s, %.0f/s, ETA %s   ", what_.c_str(), done, total_, unit_.c_str(), rate, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!on_ || !drawn_) return;
  std::fprintf(stderr, "\n");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace commsim::cli
