// all_reduce: every rank receives the element-wise reduction of all ranks' buffers (nccl-tests
// src/all_reduce.cu). In place: send and receive are the same buffer.
#include "collective.hpp"

namespace commsim::bench {
namespace {

double send_value(const DataCtx& c, std::uint64_t k) {
  return c.pattern->input(c.rank, k);
}
double expected_value(const DataCtx& c, std::uint64_t k) {
  return c.pattern->reduced(k);
}
void run(Backend& b, const Launch& l) {
  b.all_reduce(l);
}

}  // namespace

extern const CollectiveDef kAllReduceDef{Op::kAllReduce, send_value,  expected_value,
                                         always,         same_buffer, run};

}  // namespace commsim::bench
