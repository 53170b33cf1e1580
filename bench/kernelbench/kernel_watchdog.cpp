#include "kernel_watchdog.hpp"

#include <unistd.h>

#include <cstdio>

#include "core/error.hpp"

namespace commsim::bench {

KernelWatchdog::KernelWatchdog(int seconds)
    : seconds_(seconds),
      deadline_(std::chrono::steady_clock::now() + std::chrono::seconds(seconds)),
      thread_([this] { watch(); }) {}

KernelWatchdog::~KernelWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void KernelWatchdog::stage(std::string what) {
  std::lock_guard<std::mutex> lock(mutex_);
  stage_ = std::move(what);
}

void KernelWatchdog::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (seconds_ <= 0) {
    wake_.wait(lock, [this] { return stop_; });
    return;
  }
  if (wake_.wait_until(lock, deadline_, [this] { return stop_; })) return;
  std::fprintf(stderr, "kernelbench: error: the -T/--timeout deadline of %d s passed during %s; ending the run\n",
               seconds_, stage_.c_str());
  std::fflush(stderr);
  _exit(kExitRuntime);
}

}  // namespace commsim::bench
