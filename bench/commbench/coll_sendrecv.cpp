// sendrecv: every rank sends its buffer to rank + 1 and receives from rank - 1 (mod n), all at once
// (nccl-tests src/sendrecv.cu). In place: one buffer (MPI_Sendrecv_replace for MPI).
#include "collective.hpp"

namespace commsim::bench {
namespace {

double send_value(const DataCtx& c, std::uint64_t k) {
  return Pattern::payload(c.rank, k);
}
double expected_value(const DataCtx& c, std::uint64_t k) {
  return Pattern::payload((c.rank + c.nranks - 1) % c.nranks, k);
}
void run(Backend& b, const Launch& l) {
  b.sendrecv(l, (l.rank + 1) % l.nranks, (l.rank + l.nranks - 1) % l.nranks);
}

}  // namespace

extern const CollectiveDef kSendRecvDef{Op::kSendRecv, send_value, expected_value, always, same_buffer, run};

}  // namespace commsim::bench
