// reduce_scatter: block r (`count` elements) of the reduction of all ranks' buffers lands on rank r
// (nccl-tests src/reduce_scatter.cu). In place: the result is written at block r of the input buffer (NCCL)
// or at its start (MPI_IN_PLACE).
#include "collective.hpp"

namespace commsim::bench {
namespace {

double send_value(const DataCtx& c, std::uint64_t k) {
  return c.pattern->input(c.rank, k);
}
double expected_value(const DataCtx& c, std::uint64_t k) {
  return c.pattern->reduced(c.rank * c.sizes.count + k);
}
InPlaceLayout in_place_layout(const DataCtx& c) {
  if (c.quirks.reduce_scatter_in_place_at_start) return {0, 0};
  return {0, c.rank * c.sizes.count};
}
void run(Backend& b, const Launch& l) {
  b.reduce_scatter(l);
}

}  // namespace

extern const CollectiveDef kReduceScatterDef{Op::kReduceScatter, send_value, expected_value, always,
                                             in_place_layout,    run};

}  // namespace commsim::bench
