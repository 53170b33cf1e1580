// -T: a deadline for the whole run. When it passes, the rank prints a message and calls MPI_Abort, which ends
// every rank of the job (a hung collective cannot return on its own). nccl-tests checks its timeout while
// polling streams; an alarm also covers a rank stuck inside an MPI call. Rank 0's alarm fires first; the
// others wait two more seconds, as a fallback, so the job is normally aborted once.
#pragma once

namespace commsim::bench {

class Watchdog {
 public:
  Watchdog(int seconds, int rank);  // seconds 0: no deadline
  ~Watchdog();                      // cancels the alarm
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  bool armed_ = false;
};

}  // namespace commsim::bench
