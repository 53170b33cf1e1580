#include "coll/protocols.hpp"

namespace commsim {

bool protocol_enabled(Proto p, const Topology& topo, const CollectiveModel& model, bool one_rank_per_node) {
  if (!model.arch(topo.spec().gpu.arch).runs(p)) return false;
  return p != Proto::kLL128 || one_rank_per_node || topo.intra_class() != LinkClass::kPci;
}

std::string protocol_unavailable(Proto p, const Topology& topo, const CollectiveModel& model,
                                 bool one_rank_per_node) {
  if (protocol_enabled(p, topo, model, one_rank_per_node)) return "";
  const GpuSpec& gpu = topo.spec().gpu;
  if (!model.arch(gpu.arch).runs(p))
    return std::string("protocol ") + proto_name(p) + " does not run on " + gpu.name +
           " (topologies/collective-model.yaml: architectures." + arch_name(gpu.arch) + ".protocols)";
  return "protocol LL128 does not run here: NCCL enables it only where a node's GPUs are joined by NVLink "
         "(typeIntra <= PATH_NVB), and node '" +
         topo.spec().node.name + "' joins them through PCIe";
}

}  // namespace commsim
