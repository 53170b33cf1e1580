// all_gather: rank r's `count` elements land in block r of every rank's receive buffer (nccl-tests
// src/all_gather.cu). In place: each rank's input already sits in its own block of the receive buffer.
#include "collective.hpp"

namespace commsim::bench {
namespace {

double send_value(const DataCtx& c, std::uint64_t k) {
  return Pattern::payload(c.rank, k);
}
double expected_value(const DataCtx& c, std::uint64_t k) {
  const std::uint64_t n = c.sizes.count;
  return Pattern::payload(static_cast<int>(k / n), k % n);
}
InPlaceLayout in_place_layout(const DataCtx& c) {
  return {c.rank * c.sizes.count, 0};
}
void run(Backend& b, const Launch& l) {
  b.all_gather(l);
}

}  // namespace

extern const CollectiveDef kAllGatherDef{Op::kAllGather, send_value,      expected_value,
                                         always,         in_place_layout, run};

}  // namespace commsim::bench
