// reduce: the element-wise reduction of all ranks' buffers lands on the root only (nccl-tests src/reduce.cu);
// the other ranks' receive buffers are not defined and not checked. In place: one buffer.
#include "collective.hpp"

namespace commsim::bench {
namespace {

double send_value(const DataCtx& c, std::uint64_t k) {
  return c.pattern->input(c.rank, k);
}
double expected_value(const DataCtx& c, std::uint64_t k) {
  return c.pattern->reduced(k);
}
bool has_result(const DataCtx& c) {
  return c.rank == c.root;
}
void run(Backend& b, const Launch& l) {
  b.reduce(l);
}

}  // namespace

extern const CollectiveDef kReduceDef{Op::kReduce, send_value, expected_value, has_result, same_buffer, run};

}  // namespace commsim::bench
