#include "watchdog.hpp"

#include <mpi.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "core/error.hpp"

namespace commsim::bench {
namespace {

// Only async-signal-safe calls before MPI_Abort; MPI_Abort itself is not, but it is the one way to take
// the other ranks down, and this process is about to end anyway.
void on_alarm(int) {
  const char msg[] = "commbench: error: -T/--timeout expired; aborting all ranks\n";
  [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
  MPI_Abort(MPI_COMM_WORLD, commsim::kExitRuntime);
  _exit(commsim::kExitRuntime);
}

}  // namespace

Watchdog::Watchdog(int seconds, int rank) {
  if (seconds <= 0) return;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, nullptr);
  alarm(static_cast<unsigned>(seconds + (rank == 0 ? 0 : 2)));
  armed_ = true;
}

Watchdog::~Watchdog() {
  if (armed_) alarm(0);
}

}  // namespace commsim::bench
