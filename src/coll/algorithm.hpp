// A collective algorithm in the cost model: which ops it can run, the flows of one pipelined step (whose
// max-min fair sharing on the topology gives the asymptotic bandwidth), and NCCL's latency formula for it.
//
//   time(S) = launch + latency(op, proto) + S / algbw(proto) + ramp * min(S, S_sat) / algbw(proto)
//   algbw(proto) = min(algbw_Simple * eff(proto), cap(proto) / busbw_factor)
//
// One small file per algorithm (ring.cpp, tree.cpp, nvls.cpp, ...); adding one is a subclass and a line in
// registry.cpp.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "coll/model.hpp"
#include "coll/ops.hpp"
#include "topo/topology.hpp"

namespace commsim {

struct AlgoBandwidth {
  double algbw = 0;        // bytes of S per second, Simple protocol, asymptotic
  std::string bottleneck;  // the link that saturates first, for reports
};

class Algorithm {
 public:
  virtual ~Algorithm() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;   // one line for --algo help
  virtual std::string_view citation() const = 0;  // where the algorithm and its cost come from
  // Whether --algo auto considers it (NCCL's tuner does not know hierarchical or pairwise).
  virtual bool in_auto() const { return true; }
  // Empty when the algorithm can run `op` on `topo`; otherwise the reason it cannot.
  virtual std::string unsupported(Op op, const Topology& topo) const = 0;
  virtual bool supports_proto(Proto) const { return true; }
  virtual AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const = 0;
  // Seconds, without the launch overhead. `bytes` is S (some corrections depend on the size).
  virtual double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const = 0;
  // Bus-bandwidth ceiling of a protocol (bytes/s) and the protocol's efficiency on this algorithm.
  virtual double bus_cap(Op, Proto, const Topology&, const CollectiveModel&) const {
    return std::numeric_limits<double>::infinity();
  }
  virtual double proto_efficiency(Proto p, const Topology&, const CollectiveModel& model) const {
    return model.proto_efficiency(p);
  }
  // The largest S at which --algo/--proto auto may pick protocol p (infinite: any). NCCL picks a
  // point-to-point protocol by size, not by its tuning table (direct.cpp).
  virtual double auto_max_bytes(Op, Proto, const Topology&, const CollectiveModel&) const {
    return std::numeric_limits<double>::infinity();
  }
};

const std::vector<const Algorithm*>& algorithms();
const Algorithm* find_algorithm(std::string_view name);  // nullptr if unknown
std::string algorithm_names();

// Index into NCCL's per-node-count tables: 0 for one node, 1 for two, 2 for more.
inline int node_index(const Topology& t) { return t.nodes() <= 1 ? 0 : t.nodes() == 2 ? 1 : 2; }

}  // namespace commsim
