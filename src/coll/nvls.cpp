// NVLS (NVLink SHARP, one node): the NVSwitch reduces (multimem.ld_reduce) and multicasts (multimem.st).
// Per byte of S a rank's link carries, per direction: all_reduce 1 + 1/n (every slice is read once by the
// switch for its owner, the reduced slices come back and are multicast), all_gather 1/n up and 1 down,
// reduce_scatter 1 up and 1/n down. Achieved efficiency is calibrated data (nvls_efficiency).
// Latency (NCCL tuning.cc): hwLat[NVLINK][NVLS][Simple] (25 us in NCCL 2.30).
#include "coll/algorithms.hpp"
#include "coll/flows.hpp"

namespace commsim {

std::string NvlsAlgorithm::unsupported(Op op, const Topology& topo) const {
  if (op != Op::kAllReduce && op != Op::kAllGather && op != Op::kReduceScatter)
    return "nvls runs all_reduce, all_gather and reduce_scatter";
  if (!topo.has_nvls()) return "system '" + topo.spec().name + "' has no in-switch reduction (node.scale_up.nvls)";
  if (CollectiveModel::shipped().arch(topo.spec().gpu.arch).nvls_efficiency <= 0)
    return std::string("no NVLS on architecture ") + arch_name(topo.spec().gpu.arch);
  if (topo.nodes() > 1) return "nvls spans one node; across nodes use nvls_tree";
  // NCCL enables NVLS only with more than two GPUs in the node (transport/nvls.cc, ncclNvlsInit: gpuCount <=
  // 2 returns without it); two GPUs picked it at 146 GB/s (helper-142).
  if (topo.ranks_per_node() <= 2) return "nvls needs more than 2 GPUs in the node (NCCL's ncclNvlsInit)";
  return "";
}

AlgoBandwidth NvlsAlgorithm::bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const {
  const int n = topo.ranks();
  const double eff = model.arch(topo.spec().gpu.arch).nvls_efficiency;
  const double up = op == Op::kAllReduce ? 1.0 + 1.0 / n : op == Op::kAllGather ? 1.0 / n : 1.0;
  const double down = op == Op::kAllReduce ? 1.0 + 1.0 / n : op == Op::kAllGather ? 1.0 : 1.0 / n;
  FlowBuilder fb(topo);
  for (int r = 0; r < n; ++r) {
    fb.add_to_switch(r, up, eff);
    fb.add_from_switch(r, down, eff);
  }
  return fb.solve();
}

double NvlsAlgorithm::latency(Op, Proto p, const Topology& topo, const CollectiveModel& model, double) const {
  return model.base_latency(LatAlgo::kNvls, p) + model.hw_latency(topo.intra_class(), LatAlgo::kNvls, p);
}

}  // namespace commsim
