#include "coll/protocols.hpp"

namespace commsim {

bool protocol_enabled(Proto p, const Topology& topo, const CollectiveModel& model, bool intra_nvlink) {
  if (!model.arch(topo.spec().gpu.arch).runs(p)) return false;
  return p != Proto::kLL128 || intra_nvlink;
}

std::string protocol_unavailable(Proto p, const Topology& topo, const CollectiveModel& model,
                                 bool intra_nvlink) {
  if (protocol_enabled(p, topo, model, intra_nvlink)) return "";
  const GpuSpec& gpu = topo.spec().gpu;
  if (!model.arch(gpu.arch).runs(p))
    return std::string("protocol ") + proto_name(p) + " does not run on " + gpu.name +
           " (topologies/collective-model.yaml: architectures." + arch_name(gpu.arch) + ".protocols)";
  return "protocol LL128 does not run here: NCCL enables it only where a node's GPUs are joined by NVLink "
         "(typeIntra <= PATH_NVB), and node '" +
         topo.spec().node.name + "' joins them through PCIe";
}

bool ring_intra_nvlink(const Topology& topo) {
  return topo.ranks_per_node() == 1 || topo.intra_class() != LinkClass::kPci;
}

bool group_intra_nvlink(const Topology& topo, const std::vector<std::vector<int>>& groups) {
  const ScaleUpType su = topo.spec().node.scale_up;
  if (su == ScaleUpType::kNvswitch || su == ScaleUpType::kMesh) return true;
  // Bridged pairs join package 2k with 2k + 1 (rank r of a node on package r / dies); PCIe-only nodes
  // nothing.
  const int per_pair = 2 * topo.spec().node.dies_per_package;
  for (const auto& g : groups)
    for (std::size_t i = 0; i < g.size(); ++i)
      for (std::size_t j = i + 1; j < g.size(); ++j) {
        if (topo.node_of(g[i]) != topo.node_of(g[j])) continue;
        const int a = g[i] % topo.ranks_per_node(), b = g[j] % topo.ranks_per_node();
        if (su != ScaleUpType::kPairs || a / per_pair != b / per_pair) return false;
      }
  return true;
}

}  // namespace commsim
