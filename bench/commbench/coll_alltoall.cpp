// alltoall: block p of rank r's send buffer lands in block r of rank p's receive buffer, `count` elements per
// block (nccl-tests src/alltoall.cu). In place: one buffer, as nccl-tests and MPI_IN_PLACE do it.
#include "collective.hpp"

namespace commsim::bench {
namespace {

double send_value(const DataCtx& c, std::uint64_t k) {
  return Pattern::payload(c.rank, k);
}
double expected_value(const DataCtx& c, std::uint64_t k) {
  const std::uint64_t n = c.sizes.count;
  const int sender = static_cast<int>(k / n);
  return Pattern::payload(sender, c.rank * n + k % n);
}
void run(Backend& b, const Launch& l) {
  b.alltoall(l);
}

}  // namespace

extern const CollectiveDef kAllToAllDef{Op::kAllToAll, send_value, expected_value, always, same_buffer, run};

}  // namespace commsim::bench
