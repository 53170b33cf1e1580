// -T/--timeout for kernelbench: commbench's watchdog without MPI. A thread waits for the deadline; when it
// passes, the run is stuck (a hung kernel, a driver that does not answer), so the thread prints what the
// run was doing and ends the process with exit 1 (_exit: the main thread may be blocked inside the driver).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace commsim::bench {

class KernelWatchdog {
 public:
  explicit KernelWatchdog(int seconds);  // 0: no deadline
  ~KernelWatchdog();
  KernelWatchdog(const KernelWatchdog&) = delete;
  KernelWatchdog& operator=(const KernelWatchdog&) = delete;
  void stage(std::string what);

 private:
  void watch();
  std::mutex mutex_;
  std::condition_variable wake_;
  const int seconds_;
  const std::chrono::steady_clock::time_point deadline_;
  std::string stage_ = "start-up";
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace commsim::bench
