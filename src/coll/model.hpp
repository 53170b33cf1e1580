// The cost model's constants (topologies/collective-model.yaml): NCCL's latency tables, protocol
// efficiencies, per-architecture caps, and the efficiencies calibrated on published measurements.
#pragma once

#include <array>
#include <map>
#include <string>

#include "core/yaml_reader.hpp"
#include "hw/gpu_spec.hpp"
#include "hw/link_tech.hpp"

namespace commsim {

enum class Proto { kLL = 0, kLL128 = 1, kSimple = 2 };
constexpr std::array<Proto, 3> kAllProtos = {Proto::kLL, Proto::kLL128, Proto::kSimple};
const char* proto_name(Proto p);
bool proto_from_name(const std::string& name, Proto* out);

// Latency-table rows, as NCCL's algorithm indices.
enum class LatAlgo { kRing = 0, kTree, kNvls, kNvlsTree, kPat };
constexpr int kLatAlgos = 5;

struct ArchModel {
  int channels = 16;
  // [1 node, 2 nodes, >2 nodes], bytes/s. ll_by_host_cpu (the YAML gives one figure, one node's): across
  // nodes the host CPU's row (CollectiveModel::ll_max_bus_bw), as NCCL; a triple gives the arch's own at
  // every count.
  std::array<double, 3> ll_max_bus_bw{};
  bool ll_by_host_cpu = false;
  double ring_ll128_per_channel = 0;              // bytes/s
  std::array<double, 3> tree_ll128_per_channel{};
  std::array<double, 3> tree_per_channel{};
  double nvls_efficiency = 0;
  // The protocols the architecture's library runs (NCCL: LL, LL128, Simple; HCCL has no LL/LL128).
  std::array<bool, 3> protocols{true, true, true};
  bool runs(Proto p) const { return protocols[static_cast<int>(p)]; }
};

class CollectiveModel {
 public:
  static CollectiveModel load(const std::string& path);
  static const CollectiveModel& shipped();

  double proto_efficiency(Proto p) const { return proto_eff_[static_cast<int>(p)]; }
  double base_latency(LatAlgo a, Proto p) const { return base_[static_cast<int>(a)][static_cast<int>(p)]; }
  double hw_latency(LinkClass c, LatAlgo a, Proto p) const {
    return hw_[static_cast<int>(c)][static_cast<int>(a)][static_cast<int>(p)];
  }
  double net_overhead() const { return net_overhead_; }
  double multi_node_ring_simple_factor() const { return ring_simple_factor_; }
  double launch_overhead() const { return launch_overhead_; }
  double p2p_per_peer_latency() const { return p2p_peer_lat_; }
  // The most bytes a point-to-point send or receive carries under LL (NCCL_P2P_LL_THRESHOLD); above, Simple.
  double p2p_ll_threshold() const { return p2p_ll_threshold_; }
  double ramp_factor() const { return ramp_factor_; }
  double ramp_saturation() const { return ramp_saturation_; }
  double tree_efficiency() const { return tree_eff_; }
  double pat_efficiency() const { return pat_eff_; }
  double pat_per_rank_latency() const { return pat_rank_lat_; }
  const ArchModel& arch(GpuArch a) const;
  // The LL protocol's bus-bandwidth cap at node_index (0: one node, 1: two, 2: more): NCCL reads the GPU's
  // row on one node and the host CPU's across nodes (tuning.cc: "for multi-node, we look at CPU type"; AMD's
  // row, else Intel's: ll_max_bus_bw_across_nodes).
  double ll_max_bus_bw(const ArchModel& a, int node_index, bool amd_host) const {
    if (node_index == 0 || !a.ll_by_host_cpu) return a.ll_max_bus_bw[static_cast<std::size_t>(node_index)];
    return ll_across_nodes_[amd_host ? 1 : 0][static_cast<std::size_t>(node_index - 1)];
  }

  // NCCL's ring latency (tuning.cc): base + (nsteps - nInter) * max(intraLat, netOverhead) + nInter * interLat.
  // netOverhead (x3 for Simple) applies only across nodes; interLat is the NET row, the Tree one when each node
  // holds one rank. Example (tested): 2 x 8 H100 all_reduce, LL: 6.6 + 28 x 1.0 + 2 x 2.7 = 40.0 us.
  double ring_latency(LinkClass intra, Proto p, int nsteps, int inter_steps, int nodes, int ranks_per_node) const;

 private:
  std::array<double, 3> proto_eff_{};
  std::array<std::array<double, 3>, kLatAlgos> base_{};
  std::array<std::array<std::array<double, 3>, kLatAlgos>, 3> hw_{};
  double net_overhead_ = 0, ring_simple_factor_ = 1, launch_overhead_ = 0, p2p_peer_lat_ = 0,
         p2p_ll_threshold_ = 0;
  double ramp_factor_ = 0, ramp_saturation_ = 0, tree_eff_ = 1, pat_eff_ = 1, pat_rank_lat_ = 0;
  std::array<std::array<double, 2>, 2> ll_across_nodes_{};  // [other vendor, AMD][2 nodes, >2 nodes]
  std::map<GpuArch, ArchModel> arch_;
};

}  // namespace commsim
