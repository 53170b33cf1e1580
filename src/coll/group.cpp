#include "coll/group.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "coll/flows.hpp"
#include "core/error.hpp"

namespace commsim {
namespace {

double ring_weight(Op op, int n) {
  switch (op) {
    case Op::kAllReduce: return 2.0 * (n - 1) / n;
    case Op::kAllGather:
    case Op::kReduceScatter: return static_cast<double>(n - 1) / n;
    default: return 1.0;
  }
}

int distinct_nodes(const Topology& t, const std::vector<int>& g) {
  std::set<int> nodes;
  for (int r : g) nodes.insert(t.node_of(r));
  return static_cast<int>(nodes.size());
}

std::string key_of(const std::string& algo, Op op, const std::vector<std::vector<int>>& groups) {
  std::string k = algo + "/" + op_name(op);
  for (const auto& g : groups) {
    k += "|";
    for (int r : g) k += std::to_string(r) + ",";
  }
  return k;
}

}  // namespace

GroupCollectives::GroupCollectives(const Topology& topo, const CollectiveModel& model) : topo_(topo), model_(model) {}

double GroupCollectives::bandwidth(const std::string& algo, Op op, const std::vector<std::vector<int>>& groups) const {
  const std::string key = key_of(algo, op, groups);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  FlowBuilder fb(topo_);
  for (const auto& g : groups) {
    const int n = static_cast<int>(g.size());
    if (algo == "ring") {
      const bool chain = op == Op::kBroadcast || op == Op::kReduce;
      for (int i = 0; i < n; ++i) {
        if (chain && i + 1 == n) continue;
        fb.add(g[i], g[(i + 1) % n], ring_weight(op, n));
      }
    } else if (algo == "nvls") {
      const double eff = model_.arch(topo_.spec().gpu.arch).nvls_efficiency;
      const double up = op == Op::kAllReduce ? 1.0 + 1.0 / n : op == Op::kAllGather ? 1.0 / n : 1.0;
      const double down = op == Op::kAllReduce ? 1.0 + 1.0 / n : op == Op::kAllGather ? 1.0 : 1.0 / n;
      for (int r : g) {
        fb.add_to_switch(r, up, eff);
        fb.add_from_switch(r, down, eff);
      }
    } else if (op == Op::kSendRecv) {
      for (int i = 0; i + 1 < n; ++i) fb.add(g[i], g[i + 1], 1.0);
    } else {
      for (int a : g)
        for (int b : g) fb.add(a, b, 1.0 / n);
    }
  }
  const double bw = fb.solve().algbw;
  cache_[key] = bw;
  return bw;
}

double GroupCollectives::latency(const std::string& algo, Op op, Proto p, const std::vector<int>& g) const {
  const int n = static_cast<int>(g.size());
  const int nodes = distinct_nodes(topo_, g);
  const LinkClass intra = topo_.intra_class();
  if (algo == "nvls") return model_.base_latency(LatAlgo::kNvls, p) + model_.hw_latency(intra, LatAlgo::kNvls, p);
  if (algo == "direct") {
    const LinkClass hop = nodes > 1 ? LinkClass::kNet : intra;
    double lat = model_.base_latency(LatAlgo::kRing, p) + model_.hw_latency(hop, LatAlgo::kRing, p);
    if (op == Op::kAllToAll) lat += (n - 1) * model_.p2p_per_peer_latency();
    return lat;
  }
  const int nsteps = op == Op::kAllReduce ? 2 * (n - 1) : n - 1;
  const int inter = nodes > 1 ? (op == Op::kAllReduce ? 2 : 1) * (nodes - 1) : 0;
  return model_.ring_latency(intra, p, nsteps, inter, nodes, n / std::max(1, nodes));
}

GroupTiming GroupCollectives::time(Op op, const std::vector<std::vector<int>>& groups, double bytes) const {
  if (groups.empty()) throw InputError("no process group given");
  const std::size_t n = groups.front().size();
  std::set<int> seen;
  for (const auto& g : groups) {
    if (g.size() != n || n == 0) throw InputError("process groups must be non-empty and of equal size");
    for (int r : g) {
      if (r < 0 || r >= topo_.ranks()) throw InputError("rank " + std::to_string(r) + " is outside the topology");
      if (!seen.insert(r).second) throw InputError("rank " + std::to_string(r) + " is in two concurrent groups");
    }
  }
  GroupTiming best;
  if (n == 1) {
    best.algorithm = "none";
    return best;
  }
  std::vector<std::string> algos;
  if (op == Op::kAllToAll || op == Op::kSendRecv) {
    algos.push_back("direct");
  } else {
    algos.push_back("ring");
    bool nvls = topo_.has_nvls() && model_.arch(topo_.spec().gpu.arch).nvls_efficiency > 0 &&
                (op == Op::kAllReduce || op == Op::kAllGather || op == Op::kReduceScatter);
    for (const auto& g : groups) nvls = nvls && distinct_nodes(topo_, g) == 1;
    if (nvls) algos.push_back("nvls");
  }
  const ArchModel& arch = model_.arch(topo_.spec().gpu.arch);
  const int nodes = distinct_nodes(topo_, groups.front());
  const int ni = nodes <= 1 ? 0 : nodes == 2 ? 1 : 2;
  const double factor = busbw_factor(op, static_cast<int>(n));
  best.time_s = std::numeric_limits<double>::infinity();
  for (const std::string& a : algos) {
    const double bw = bandwidth(a, op, groups);
    for (Proto p : kAllProtos) {
      if (a == "nvls" && p != Proto::kSimple) continue;
      if (a == "direct" && p == Proto::kLL128) continue;
      double algbw = bw * model_.proto_efficiency(p);
      if (a == "ring" && factor > 0) {
        if (p == Proto::kLL) algbw = std::min(algbw, arch.ll_max_bus_bw[ni] / factor);
        if (p == Proto::kLL128) algbw = std::min(algbw, arch.channels * arch.ring_ll128_per_channel / factor);
      }
      double t = model_.launch_overhead() + latency(a, op, p, groups.front());
      if (bytes > 0) t += (bytes + model_.ramp_factor() * std::min(bytes, model_.ramp_saturation())) / algbw;
      if (t < best.time_s) {
        best.time_s = t;
        best.algbw = algbw;
        best.algorithm = a;
        best.proto = p;
      }
    }
  }
  return best;
}

}  // namespace commsim
