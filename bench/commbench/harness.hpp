// The measurement loop shared by every collective and both backends, as nccl-tests' TimeTest and BenchTime
// (src/common.cu):
//   per (collective, type, redop) and size: warm-up of `-w` out-of-place ops at that size (nccl-tests warms
//   up every size first; per size, -T bounds the time to the first row); then out-of-place and in-place:
//     initialise buffers (untimed), one untimed op + completion, barrier,
//     start the wall clock, launch `-n` iterations of `-m` ops (one group each), wait for completion
//     (stream sync; an MPI call completes on return), stop: time = elapsed / (n * m),
//     combine the per-rank times with -a, then `-c` check passes: re-initialise, run once, compare every
//     element on the host; #wrong is summed over ranks.
// Nothing but the launches and the final wait happens between the two clock reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "backend.hpp"
#include "collective.hpp"
#include "mpi_world.hpp"
#include "options.hpp"
#include "reporter.hpp"
#include "result.hpp"
#include "watchdog.hpp"

namespace commsim::bench {

// Test-only fault injection, read from the environment (not in --help):
// COMMBENCH_TEST_FAIL_RANK=<rank>[:<code>] makes that rank fail with the exit code (default 1) after its
// first result; COMMBENCH_TEST_HANG_RANK=<rank> makes it stop responding, for the -T watchdog;
// COMMBENCH_TEST_RAISE=<rank>:KILL|STOP makes it send itself SIGKILL or SIGSTOP (a killed or stopped rank).
struct TestHooks {
  int fail_rank = -1;
  int fail_code = 1;
  int hang_rank = -1;
  int raise_rank = -1;
  int raise_signal = 0;
};
TestHooks read_test_hooks();

class Harness {
 public:
  Harness(const MpiWorld& world, Backend& backend, const Options& opts, TestHooks hooks, Watchdog& watchdog);

  // Runs every selected collective, type and redop; reports each result; returns one summary per collective.
  std::vector<TestSummary> run(const std::vector<Reporter*>& reporters);

 private:
  // One table row's worth of work: a collective at one size, type and redop.
  struct Case {
    const CollectiveDef* def;
    DataType type;
    RedOp redop;
    OpSizes sizes;
    Pattern pattern;
  };

  Case make_case(Op op, DataType type, RedOp redop, std::uint64_t bytes) const;
  DataCtx data_ctx(int local, const Case& c, bool in_place) const;
  Launch launch_args(int local, const Case& c, bool in_place) const;
  std::vector<Launch> launches(const Case& c, bool in_place) const;  // one per local device
  void prepare(const Case& c, bool in_place);
  void launch_group(const Case& c, const std::vector<Launch>& launches, int ops);
  void warm_up(const Case& c);
  std::string describe(const Case& c) const;  // "all_reduce float sum 4096 B", for the watchdog
  double timed_seconds(const Case& c, bool in_place);
  std::int64_t count_wrong_elements(const Case& c, bool in_place);
  Result measure(const Case& c, bool in_place);
  void inject_faults() const;

  const MpiWorld& world_;
  Backend& backend_;
  const Options& opts_;
  TestHooks hooks_;
  Watchdog& watchdog_;
  int ngpus_;
  int nranks_;
  std::vector<DeviceBuffer> send_, recv_;  // per local device, each of the largest row's size
  std::vector<std::byte> host_;            // staging for initialisation and checking
};

}  // namespace commsim::bench
