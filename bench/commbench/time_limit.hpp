// The default -T/--timeout: a generous bound on the whole run, derived from what the run will do, so a stuck
// rank never hangs a job forever (nccl-tests' default is no timeout). Every op, buffer initialisation and
// check pass is budgeted as if it were slow: 50 ms plus its size at 100 MB/s (shared-memory MPI on a loaded,
// oversubscribed CI machine runs small ops in ~5 ms and moves >= 1 GB/s; a GPU fabric is 100-1000x faster).
//
//   T = 10 s + 0.1 s x ranks                                     start-up (MPI_Init, NCCL communicators)
//     + sum over rows of units x (0.05 s + size / 1e8 B/s)       rows: each op, type, redop, size, placement
//   units per row = w + 1 + n x m + 1 + 3c                       warm-up, untimed op, timed ops, init, checks
//
// rounded up to whole seconds and capped at 7 days. Example (unit test): all_reduce, float, -b 1M -e 1M,
// -n 20 -w 1 -c 1 -m 1, 2 ranks: 26 units x 2 placements x (0.05 + 1048576 / 1e8) s = 3.145 s,
// + 10.2 s = 13.35 s -> 14 s.
#pragma once

#include <cstdint>

#include "options.hpp"

namespace commsim::bench {

inline constexpr const char* kDefaultTimeoutHelp =
    "derived from the sweep: 10 s + 0.1 s per rank + (50 ms + size / 100 MB/s) for every op, buffer "
    "initialisation and check of every row (docs/benchmark.md)";

// Seconds, >= 1. `nranks` is the total rank count (processes x GPUs per process).
int default_timeout_s(const Options& o, std::int64_t nranks);

// The limit the run uses: -T when given (0 = no watchdog), else the default.
int effective_timeout_s(const Options& o, std::int64_t nranks);

}  // namespace commsim::bench
