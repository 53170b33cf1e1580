#include "watchdog.hpp"

#include <mpi.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/error.hpp"

namespace commsim::bench {
namespace {

int env_int(std::initializer_list<const char*> names, int fallback) {
  for (const char* name : names) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') continue;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    if (*end == '\0' && n >= 0 && n < (1L << 30)) return static_cast<int>(n);
  }
  return fallback;
}

constexpr int kGraceSecondsOtherRanks = 2;
constexpr unsigned kAbortFallbackSeconds = 10;

}  // namespace

int launcher_rank_hint() {
  return env_int({"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID"}, -1);
}

int launcher_size_hint() {
  return std::max(1, env_int({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"}, 1));
}

Watchdog::Watchdog(int rank_hint) : rank_(rank_hint), thread_([this] { watch(); }) {}

Watchdog::~Watchdog() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Watchdog::arm(int seconds, const std::string& how) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    seconds_ = seconds;
    how_ = how;
    deadline_ = start_ + std::chrono::seconds(seconds);
  }
  wake_.notify_all();
}

void Watchdog::mpi_up(int rank) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    rank_ = rank;
    mpi_up_ = true;
  }
  wake_.notify_all();  // the grace period depends on the rank
}

void Watchdog::mpi_down() {
  const std::lock_guard<std::mutex> lock(mutex_);
  mpi_up_ = false;
  stage_ = "MPI_Finalize (waiting for the other ranks to finish)";
}

void Watchdog::stage(std::string what) {
  const std::lock_guard<std::mutex> lock(mutex_);
  stage_ = std::move(what);
}

void Watchdog::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (seconds_ <= 0) {
      wake_.wait(lock);
      continue;
    }
    const Clock::time_point due = deadline_ + std::chrono::seconds(rank_ == 0 ? 0 : kGraceSecondsOtherRanks);
    if (Clock::now() >= due) {
      lock.unlock();
      fire();
    }
    wake_.wait_until(lock, due);
  }
}

void Watchdog::fire() {
  std::string text;
  bool mpi_up = false;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    text = "commbench: rank " + (rank_ >= 0 ? std::to_string(rank_) : std::string("?")) +
           ": error: -T/--timeout of " + std::to_string(seconds_) + " s (" + how_ + ") expired during " +
           stage_ + "; aborting every rank\n";
    mpi_up = mpi_up_;
  }
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
  std::fflush(stdout);
  if (mpi_up) {
    signal(SIGALRM, SIG_DFL);
    alarm(kAbortFallbackSeconds);
    MPI_Abort(MPI_COMM_WORLD, kExitRuntime);
  }
  _exit(kExitRuntime);
}

}  // namespace commsim::bench
