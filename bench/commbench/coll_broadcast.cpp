// broadcast: the root's buffer is copied to every rank (nccl-tests src/broadcast.cu). In place: one buffer.
#include "collective.hpp"

namespace commsim::bench {
namespace {

double send_value(const DataCtx& c, std::uint64_t k) {
  return Pattern::payload(c.rank, k);
}
double expected_value(const DataCtx& c, std::uint64_t k) {
  return Pattern::payload(c.root, k);
}
bool has_result(const DataCtx& c) {
  return c.rank != c.root || c.in_place || c.quirks.bcast_root_fills_recv;
}
void run(Backend& b, const Launch& l) {
  b.broadcast(l);
}

}  // namespace

extern const CollectiveDef kBroadcastDef{Op::kBroadcast, send_value,  expected_value,
                                         has_result,     same_buffer, run};

}  // namespace commsim::bench
