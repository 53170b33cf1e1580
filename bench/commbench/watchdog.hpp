// -T/--timeout: a deadline for the whole run, on by default (time_limit.hpp), watched by a thread that starts
// before MPI_Init. A rank can hang anywhere: in MPI_Init when another process of the job never starts (an
// MPMD launch with a non-MPI program), in a collective when a peer is stopped or stuck, or in MPI_Finalize.
// When the deadline passes the thread prints which stage this rank was in (and the collective, type, size and
// placement) and ends the job:
//   - MPI is up: MPI_Abort(MPI_COMM_WORLD, 1), which ends every rank. Called from the watchdog thread (the
//     main thread is blocked), which MPI's single-threaded mode does not promise to support, so an alarm of
//     10 s with the default action (terminate) is set first: if MPI_Abort does not end the process, the
//     signal does, and the launcher then ends the other ranks.
//   - MPI is not up (or is finalising): _exit(1); the launcher ends the job when a rank exits non-zero.
// Rank 0 fires at the deadline, the others 2 s later, so the job is normally aborted once, by rank 0.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace commsim::bench {

class Watchdog {
 public:
  // `rank_hint`: the launcher's rank (OMPI_COMM_WORLD_RANK, PMI_RANK, SLURM_PROCID) before MPI_Init.
  explicit Watchdog(int rank_hint);
  ~Watchdog();  // stops and joins the thread
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // The deadline is `seconds` after this object was made (0: none); `how` says where the limit came from,
  // for the message ("-T 30", "the default").
  void arm(int seconds, const std::string& how);
  void mpi_up(int rank);         // from now on expiry calls MPI_Abort
  void mpi_down();               // MPI_Finalize starts: expiry exits
  void stage(std::string what);  // what this rank is doing now, for the message

 private:
  void watch();
  [[noreturn]] void fire();

  using Clock = std::chrono::steady_clock;
  std::mutex mutex_;
  std::condition_variable wake_;
  const Clock::time_point start_ = Clock::now();
  Clock::time_point deadline_{};  // rank 0's; the other ranks add 2 s
  int seconds_ = 0;
  std::string how_;
  std::string stage_ = "start-up";
  int rank_;
  bool mpi_up_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members above exist
};

// The launcher's rank and process count from its environment, before MPI_Init (-1 / 1 when unknown).
int launcher_rank_hint();
int launcher_size_hint();

}  // namespace commsim::bench
