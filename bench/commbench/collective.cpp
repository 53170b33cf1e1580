#include "collective.hpp"

namespace commsim::bench {

extern const CollectiveDef kAllReduceDef;
extern const CollectiveDef kAllGatherDef;
extern const CollectiveDef kReduceScatterDef;
extern const CollectiveDef kBroadcastDef;
extern const CollectiveDef kReduceDef;
extern const CollectiveDef kAllToAllDef;
extern const CollectiveDef kSendRecvDef;

const CollectiveDef& collective(Op op) {
  switch (op) {
    case Op::kAllReduce:
      return kAllReduceDef;
    case Op::kAllGather:
      return kAllGatherDef;
    case Op::kReduceScatter:
      return kReduceScatterDef;
    case Op::kBroadcast:
      return kBroadcastDef;
    case Op::kReduce:
      return kReduceDef;
    case Op::kAllToAll:
      return kAllToAllDef;
    case Op::kSendRecv:
      return kSendRecvDef;
  }
  return kAllReduceDef;
}

}  // namespace commsim::bench
