// The MPI job around both backends: start-up and shutdown, the rank layout (local rank from
// MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)), and the few out-of-band collectives the harness needs
// (barrier, time averaging as nccl-tests -a, sums of #wrong, agreement on arguments and errors).
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "options.hpp"

namespace commsim::bench {

class MpiWorld {
 public:
  MpiWorld(int* argc, char*** argv);  // MPI_Init
  ~MpiWorld();                        // MPI_Finalize
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  int local_rank() const { return local_rank_; }  // rank among the processes on this node
  MPI_Comm comm() const { return MPI_COMM_WORLD; }

  void barrier() const;
  // nccl-tests -a: rank 0's value, the mean, the minimum or the maximum over ranks (same result on all
  // ranks).
  double combine_time(double seconds, TimeAverage how) const;
  std::int64_t sum(std::int64_t v) const;
  int max(int v) const;
  int min(int v) const;
  void broadcast(void* data, int bytes, int root) const;
  // Rank 0 receives every rank's string (in rank order); other ranks get an empty vector.
  std::vector<std::string> gather_strings(const std::string& s) const;
  std::string library_version() const;  // first line of MPI_Get_library_version, plus the standard version

  // Ends every rank of the job with `code` (MPI_Abort). For errors seen by one rank only.
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  int local_rank_ = 0;
};

// Every rank passes its own verdict (-1: carry on; otherwise an exit code and a message). Returns -1 if all
// ranks carry on, else the highest code; the lowest rank holding that code prints its message (stdout for
// code 0, e.g. --help; stderr otherwise), so a problem every rank sees is reported once.
int agree_on_verdict(const MpiWorld& world, int code, const std::string& message);

// True when every rank has the same canonical arguments (compared through a 64-bit hash, min vs max). On a
// mismatch rank 0 prints the differing argument lists.
bool ranks_agree_on_args(const MpiWorld& world, const std::string& canonical);

}  // namespace commsim::bench
