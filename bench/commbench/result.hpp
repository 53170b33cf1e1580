// The records the harness produces and the reporters consume: one Result per (collective, type, redop, size,
// in_place), a summary per collective (nccl-tests' footer), and the run's context (its header).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backend.hpp"
#include "coll/ops.hpp"
#include "options.hpp"

namespace commsim::bench {

struct Result {
  Op op = Op::kAllReduce;
  DataType type = DataType::kFloat;
  RedOp redop = RedOp::kSum;
  int root = 0;
  bool in_place = false;
  std::uint64_t size_bytes = 0;  // nccl-tests "size": max(send, recv) bytes per rank
  std::uint64_t count = 0;       // nccl-tests "count": per-rank element count
  double time_us = 0;
  double algbw_GBps = 0;
  double busbw_GBps = 0;
  std::optional<std::int64_t> wrong;  // wrong elements summed over ranks; empty when -c 0
};

// One collective's footer: "# Out of bounds values", "# Avg bus bandwidth" (mean busbw of every printed
// result, out-of-place and in-place, as nccl-tests).
struct TestSummary {
  Op op = Op::kAllReduce;
  std::int64_t wrong = 0;
  double avg_busbw_GBps = 0;
  int results = 0;
};

struct RunContext {
  std::string version;
  std::string backend;
  std::string version_tag;  // " nccl-headers=... nccl-library=..." for nccl
  std::vector<std::pair<std::string, std::string>> libraries;
  std::vector<DeviceInfo> ranks;  // every rank, in rank order
  int nranks = 1;
  int nprocs = 1;
  int timeout_s = 0;  // the -T limit in force (explicit or the default); 0: none
  const Options* options = nullptr;
};

}  // namespace commsim::bench
