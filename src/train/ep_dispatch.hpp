// The EP exchange as DeepEP / Hybrid-EP run it (training.moe_dispatcher: deepep | hybridep), instead of
// NCCL's all-to-all (alltoall, the default, through the collective model). These kernels send each token
// once per destination rank (intra-node, NVLink) and once per destination node (inter-node, RDMA, then
// forwarded over NVLink), and reach a fraction of the link that their published bandwidths give
// (topologies/ep-dispatch.yaml: fractions of the scale-up bandwidth and of the NIC bandwidth per GPU, as
// DeepEP counts GB/s: bytes received over the bottleneck link / kernel time; each names its rows of
// ../shared/validation/kernel_benchmarks.csv).
//
// T tokens per GPU (per TP rank: T/tp), E experts, top-k, EP group of ep ranks on N nodes, h hidden, e bytes
// per element (dispatch: 1 + 4/128 under fp8 with 1x128 scales, else 2; combine: 2):
//   distinct ranks a token goes to   D_r = ep * (1 - prod_{i<k} (E - E/ep - i) / (E - i))
//   distinct remote nodes            D_n = N * (1 - prod_{i<k} (E - E/N - i) / (E - i)) * (N - 1) / N
//   t = T * D_r * h * e / (f_up * B_up)      EP inside one node (NVLink domain)
//   t = T * D_n * h * e / (f_out * B_nic)    EP across N > 1 nodes: RDMA is the bottleneck link, as the
//                                            published internode figures are measured (NVLink forwarding
//                                            hidden)
// Per MoE layer and micro-batch: dispatch + combine forward, the same backward (gradients in bf16).
// Check (tested): DeepSeek-V3 (E 256, k 8, h 7168), T 4096, EP 8 on one H800 node (200 GB/s NVLink per
// direction), fp8 dispatch, f_up 0.633: D_r = 5.2947, bytes 4096 * 5.2947 * 7168 * 1.03125 = 160.3 MB, 1.266
// ms. EP 16 on 2 nodes, 50 GB/s NIC per GPU, f_out 1.01: D_n = 2 * (1 - prod (128 - i)/(256 - i)) / 2 =
// 0.99651, 30.17 MB, 0.5975 ms (DeepEP's EP16 internode measurement: 43 GB/s, i.e. 0.70 ms for these bytes).
#pragma once

#include <string>

#include "core/yaml_reader.hpp"

namespace commsim {

enum class Dispatcher { kAllToAll, kDeepEp, kHybridEp };
Dispatcher parse_dispatcher(const std::string& s);  // "alltoall" | "deepep" | "hybridep"

struct DispatcherEfficiency {
  Figure scale_up, scale_out;  // fractions of the scale-up and NIC bandwidth per GPU
};
// topologies/ep-dispatch.yaml (cached per data directory). Throws InputError naming file:line:key.
const DispatcherEfficiency& dispatcher_efficiency(Dispatcher d);

struct EpExchange {
  double tokens = 0, hidden = 0, experts = 0, top_k = 1;
  int ep = 1, nodes = 1;          // EP group size and the nodes it spans
  double scale_up_bw = 0;         // bytes/s per GPU per direction
  double nic_bw = 0;              // bytes/s per GPU per direction
  double bytes_per_element = 2;
};
// Expected distinct groups (of `groups` equal groups of experts) that a token's top-k experts fall in.
double distinct_groups(double experts, double top_k, double groups);
double ep_exchange_time(const EpExchange& x, const DispatcherEfficiency& f);

}  // namespace commsim
