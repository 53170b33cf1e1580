// One collective = one small table of functions, as nccl-tests' `struct testColl`: how to fill the send
// buffer, what the receive buffer must hold afterwards, where the data sits when run in place, and how to
// launch it. Byte counts and bus-bandwidth factors are not here: they come from coll/ops.hpp, shared with the
// simulator. Adding a collective: an Op in ops.hpp, a primitive in Backend, and a coll_<name>.cpp file.
#pragma once

#include <cstdint>

#include "backend.hpp"
#include "coll/ops.hpp"
#include "pattern.hpp"

namespace commsim::bench {

// What a definition needs to know about the rank whose buffers it fills or checks.
struct DataCtx {
  int rank = 0;
  int nranks = 1;
  int root = 0;
  bool in_place = false;
  OpSizes sizes;
  const Pattern* pattern = nullptr;
  BackendQuirks quirks;
};

// nccl-tests' sendInplaceOffset/recvInplaceOffset: in place, the send data and the result live in the receive
// buffer at these element offsets.
struct InPlaceLayout {
  std::uint64_t send_offset = 0;
  std::uint64_t recv_offset = 0;
};

struct CollectiveDef {
  Op op;
  // Element k of this rank's send buffer (k < send_bytes / type size).
  double (*send_value)(const DataCtx& c, std::uint64_t k);
  // Element k of this rank's receive buffer after the op (k < recv_bytes / type size).
  double (*expected_value)(const DataCtx& c, std::uint64_t k);
  // Whether this rank's receive buffer holds a result to check (reduce: only the root's).
  bool (*has_result)(const DataCtx& c);
  InPlaceLayout (*in_place_layout)(const DataCtx& c);
  // Issues the op for one device (nccl-tests' runColl).
  void (*run)(Backend& b, const Launch& l);
};

const CollectiveDef& collective(Op op);

// Helpers shared by the definitions.
inline bool always(const DataCtx&) {
  return true;
}
inline InPlaceLayout same_buffer(const DataCtx&) {
  return {};
}

}  // namespace commsim::bench
