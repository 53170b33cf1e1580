#include "coll/group.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "coll/algorithms.hpp"
#include "coll/flows.hpp"
#include "coll/protocols.hpp"
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
  std::vector<int> nodes;
  nodes.reserve(g.size());
  for (int r : g) nodes.push_back(t.node_of(r));
  std::sort(nodes.begin(), nodes.end());
  return static_cast<int>(std::unique(nodes.begin(), nodes.end()) - nodes.begin());
}

std::vector<int> key_of(const std::string& algo, Op op, const std::vector<std::vector<int>>& groups) {
  std::vector<int> k = {algo == "ring" ? 0 : algo == "nvls" ? 1 : algo == "mesh" ? 3 : 2, static_cast<int>(op), static_cast<int>(groups.front().size())};
  k.reserve(3 + groups.size() * groups.front().size());
  for (const auto& g : groups) k.insert(k.end(), g.begin(), g.end());
  return k;
}

}  // namespace

GroupCollectives::GroupCollectives(const Topology& topo, const CollectiveModel& model) : topo_(topo), model_(model) {}

double GroupCollectives::bandwidth(const std::string& algo, Op op, const std::vector<std::vector<int>>& groups) const {
  // Recursive halving-doubling moves a ring's bytes per phase, and a fold where the size is no power of two.
  if (algo == "rhd")
    return bandwidth("ring", op, groups) * rhd_bandwidth_factor(op, static_cast<int>(groups.front().size()));
  std::vector<int> key = key_of(algo, op, groups);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  FlowBuilder fb(topo_);
  for (const auto& g : groups) {
    const int n = static_cast<int>(g.size());
    if (algo == "ring") {
      // NCCL's channels: on a group spanning nodes each channel's ring leaves and enters every node through a
      // NIC of its own (coll/ring.cpp's rails for whole nodes). Ring c uses, on each node, the c-th NIC that
      // the group's ranks there hang off: that node's part starts at a rank on it and ends at another such
      // rank where there is one. D rings share the traffic, D the fewest NICs a part has (at most the
      // channels); one part (one node): a single ring.
      const bool chain = op == Op::kBroadcast || op == Op::kReduce;
      const int R = topo_.ranks_per_node();
      std::vector<std::vector<int>> parts;  // the group's ranks on each node, nodes in order of first rank
      std::vector<int> part_node;
      for (int r : g) {
        const auto it = std::find(part_node.begin(), part_node.end(), topo_.node_of(r));
        const auto k = static_cast<std::size_t>(it - part_node.begin());  // a new node: the next index
        if (it == part_node.end()) {
          part_node.push_back(topo_.node_of(r));
          parts.emplace_back();
        }
        parts[k].push_back(r);
      }
      const bool multi = parts.size() > 1 && topo_.nics_per_node() > 0;
      auto nic_of = [&](int r) { return topo_.nic_of_local_rank(r % R); };
      std::vector<std::vector<int>> part_nics(parts.size());  // each part's distinct NICs, in rank order
      int rails = 1;
      if (multi) {
        rails = ring_channels(topo_, model_);
        for (std::size_t p = 0; p < parts.size(); ++p) {
          for (int r : parts[p])
            if (std::find(part_nics[p].begin(), part_nics[p].end(), nic_of(r)) == part_nics[p].end()) part_nics[p].push_back(nic_of(r));
          rails = std::min(rails, static_cast<int>(part_nics[p].size()));
        }
        rails = std::max(1, rails);
      }
      std::vector<int> order;
      std::vector<int> rail_nic;  // the NIC an entry or exit rank of the ring uses; -1 inside a node
      for (int c = 0; c < rails; ++c) {
        order.clear();
        rail_nic.clear();
        for (std::size_t p = 0; p < parts.size(); ++p) {
          const std::vector<int>& part = parts[p];
          const std::size_t m = part.size();
          const int nic = multi ? part_nics[p][static_cast<std::size_t>(c)] : -1;
          std::size_t start = 0;
          while (multi && nic_of(part[start]) != nic) ++start;
          std::vector<int> ring;
          for (std::size_t i = 0; i < m; ++i) ring.push_back(part[(start + i) % m]);
          for (std::size_t i = 1; i + 1 < m; ++i)  // the exit: another rank on the same NIC, moved to the end
            if (multi && nic_of(ring[i]) == nic) {
              std::rotate(ring.begin() + static_cast<long>(i), ring.begin() + static_cast<long>(i) + 1, ring.end());
              break;
            }
          for (std::size_t i = 0; i < m; ++i) {
            order.push_back(ring[i]);
            rail_nic.push_back(multi && (i == 0 || i + 1 == m) ? nic_of(ring[i]) : -1);
          }
        }
        for (int i = 0; i < n; ++i) {
          if (chain && i + 1 == n) continue;
          const auto a = static_cast<std::size_t>(i), b = static_cast<std::size_t>((i + 1) % n);
          const bool crosses = topo_.node_of(order[a]) != topo_.node_of(order[b]);
          fb.add(order[a], order[b], ring_weight(op, n) / rails, crosses ? rail_nic[a] : -1, crosses ? rail_nic[b] : -1);
        }
      }
    } else if (algo == "nvls") {
      const double eff = model_.arch(topo_.spec().gpu.arch).nvls_efficiency;
      const double up = op == Op::kAllReduce ? 1.0 + 1.0 / n : op == Op::kAllGather ? 1.0 / n : 1.0;
      const double down = op == Op::kAllReduce ? 1.0 + 1.0 / n : op == Op::kAllGather ? 1.0 : 1.0 / n;
      for (int r : g) {
        fb.add_to_switch(r, up, eff);
        fb.add_from_switch(r, down, eff);
      }
    } else if (algo == "mesh") {  // coll/mesh.cpp: S/n (x2 for all_reduce) to every peer at once
      const double w = (op == Op::kAllReduce ? 2.0 : 1.0) / n;
      for (int a : g)
        for (int b : g)
          if (a != b) fb.add(a, b, w);
    } else if (op == Op::kSendRecv) {
      for (int i = 0; i + 1 < n; ++i) fb.add(g[i], g[i + 1], 1.0);
    } else {
      for (int a : g)
        for (int b : g) fb.add(a, b, 1.0 / n);
    }
  }
  const double bw = fb.solve().algbw;
  cache_.emplace(std::move(key), bw);
  return bw;
}

double GroupCollectives::latency(const std::string& algo, Op op, Proto p, int n, int nodes,
                                 LinkClass intra) const {
  if (algo == "nvls") return model_.base_latency(LatAlgo::kNvls, p) + model_.hw_latency(intra, LatAlgo::kNvls, p);
  if (algo == "mesh") return mesh_latency(op, p, intra, n, model_);
  if (algo == "rhd") {
    int inter = 0;
    const int steps = rhd_steps(op, n, &inter, nodes);
    return model_.ring_latency(intra, p, steps, inter, nodes, n / std::max(1, nodes));
  }
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

GroupTiming GroupCurve::at(double bytes) const {
  GroupTiming best;
  if (choices.empty()) {
    best.algorithm = "none";
    return best;
  }
  best.time_s = std::numeric_limits<double>::infinity();
  const double bw_scale = scales.bandwidth_scale_at(bytes);
  for (const Choice& c : choices) {
    if (bytes > c.max_bytes) continue;
    double t = scales.latency_scale * c.fixed_s;
    if (bytes > 0) t += (bytes + ramp_factor * std::min(bytes, ramp_saturation)) / (c.algbw * bw_scale);
    if (t < best.time_s) {
      best.time_s = t;
      best.algbw = c.algbw * bw_scale;
      best.algorithm = c.algorithm;
      best.proto = c.proto;
    }
  }
  return best;
}

GroupTiming GroupCollectives::time(Op op, const std::vector<std::vector<int>>& groups, double bytes) const {
  return curve(op, groups).at(bytes);
}

GroupCurve GroupCollectives::curve(Op op, const std::vector<std::vector<int>>& groups) const {
  if (groups.empty()) throw InputError("no process group given");
  const std::size_t n = groups.front().size();
  std::vector<char> seen(static_cast<std::size_t>(topo_.ranks()), 0);
  for (const auto& g : groups) {
    if (g.size() != n || n == 0) throw InputError("process groups must be non-empty and of equal size");
    for (int r : g) {
      if (r < 0 || r >= topo_.ranks()) throw InputError("rank " + std::to_string(r) + " is outside the topology");
      if (seen[static_cast<std::size_t>(r)]) throw InputError("rank " + std::to_string(r) + " is in two concurrent groups");
      seen[static_cast<std::size_t>(r)] = 1;
    }
  }
  GroupCurve curve;
  curve.ramp_factor = model_.ramp_factor();
  curve.ramp_saturation = model_.ramp_saturation();
  curve.scales = topo_.spec().calibration.for_op(op_name(op));
  if (n == 1) return curve;
  std::vector<std::string> algos;
  if (op == Op::kAllToAll || op == Op::kSendRecv) {
    algos.push_back("direct");
  } else {
    algos.push_back("ring");
    bool nvls = topo_.has_nvls() && model_.arch(topo_.spec().gpu.arch).nvls_efficiency > 0 &&
                (op == Op::kAllReduce || op == Op::kAllGather || op == Op::kReduceScatter);
    for (const auto& g : groups)
      for (std::size_t i = 1; nvls && i < g.size(); ++i) nvls = topo_.node_of(g[i]) == topo_.node_of(g[0]);
    // NCCL enables NVLS with more than 2 GPUs (ncclNvlsInit), a group of 2 as the collective's node of 2.
    if (nvls && groups.front().size() <= 2) nvls = false;
    if (nvls) algos.push_back("nvls");
    // A full-mesh node (Ascend HCCS, MI300X xGMI): groups inside one node use every pairwise link at once.
    bool mesh = topo_.spec().node.scale_up == ScaleUpType::kMesh &&
                (op == Op::kAllReduce || op == Op::kAllGather || op == Op::kReduceScatter);
    for (const auto& g : groups)
      for (std::size_t i = 1; mesh && i < g.size(); ++i) mesh = topo_.node_of(g[i]) == topo_.node_of(g[0]);
    if (mesh) algos.push_back("mesh");
    // HCCL's recursive halving-doubling (coll/rhd.cpp): Ascend only, and not for groups inside one mesh node
    // (one link per exchange there; the mesh algorithm runs).
    if (topo_.spec().gpu.arch == GpuArch::kDavinci && !mesh &&
        (op == Op::kAllReduce || op == Op::kAllGather || op == Op::kReduceScatter))
      algos.push_back("rhd");
  }
  const ArchModel& arch = model_.arch(topo_.spec().gpu.arch);
  const int nodes = distinct_nodes(topo_, groups.front());
  const int ni = nodes <= 1 ? 0 : nodes == 2 ? 1 : 2;
  const double factor = busbw_factor(op, static_cast<int>(n));
  const bool intra_nvlink = group_intra_nvlink(topo_, groups);
  // Groups inside NVLink-bridged pairs hop over NVLink, though the node as a whole is PCIe-joined: their
  // latency is NVLink's (a TP 2 group on a bridged box took the PCIe class's, 1% above `collective`'s time
  // for the same pair; helper-117, 2026-12-06).
  // Only bridged pairs differ from the node's class (an NVSwitch or mesh node's is its fabric's already;
  // localhost-shm's host memory is PCIe-class, helper-121).
  const LinkClass intra = intra_nvlink && topo_.spec().node.scale_up == ScaleUpType::kPairs
                              ? LinkClass::kNvlink
                              : topo_.intra_class();
  for (const std::string& a : algos) {
    const double bw = bandwidth(a, op, groups);
    for (Proto p : kAllProtos) {
      if (!protocol_enabled(p, topo_, model_, intra_nvlink) ||
          ((a == "nvls" || a == "rhd") && p != Proto::kSimple))
        continue;
      if (a == "direct" && p == Proto::kLL128) continue;
      double algbw = bw * model_.proto_efficiency(p);
      if (a == "ring" && factor > 0) {
        if (p == Proto::kLL)
          algbw = std::min(
              algbw,
              model_.ll_max_bus_bw(arch, ni, topo_.spec().node.cpu_vendor == CpuVendor::kAmd) / factor);
        if (p == Proto::kLL128) algbw = std::min(algbw, arch.channels * arch.ring_ll128_per_channel / factor);
      }
      const double max_bytes = a == "direct" && p != Proto::kSimple
                                   ? p2p_ll_max_bytes(op, static_cast<int>(n), model_)
                                   : std::numeric_limits<double>::infinity();
      curve.choices.push_back(
          {model_.launch_overhead() + latency(a, op, p, static_cast<int>(n), nodes, intra), algbw, a, p,
           max_bytes});
    }
  }
  return curve;
}

}  // namespace commsim
