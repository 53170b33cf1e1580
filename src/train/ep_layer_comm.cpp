#include "train/ep_layer_comm.hpp"

#include <algorithm>

#include <set>
#include <string>
#include <vector>

#include "train/ep_dispatch.hpp"
#include "train/ep_overlap.hpp"
#include "train/moe_ops.hpp"

namespace commsim {

double ep_layer_exposed(EstimateContext& ctx, const TrainConfig& c, const RankMap& ranks, Recompute r,
                        double moe_compute, const SharedPasses& shared, double* total) {
  if (total) *total = 0;
  const ModelSpec& m = c.model;
  const Parallelism& p = c.par;
  const TrainingParams& tr = c.train;
  if (p.ep <= 1 || !m.moe) return 0.0;
  const SystemSpec& spec = ctx.spec();
  const int dies = ctx.dies();
  const double h = static_cast<double>(m.hidden);
  const double tokens = static_cast<double>(tr.micro_batch) * tr.seq_len / p.cp;
  const double Tn = p.sp() ? tokens / p.tp : tokens;
  const std::vector<Dim> g = {Dim::kEp};  // folded over TP x CP x DP
  const double n = 4.0 + (r == Recompute::kFull ? 2.0 : 0.0);
  double per_layer;
  double fwd_pass = 0, bwd_pass = 0;  // one forward pass's exchanges (dispatch + combine), one backward's
  const Dispatcher d = parse_dispatcher(tr.moe_dispatcher);
  if (d == Dispatcher::kAllToAll) {
    const double one = ctx.comm(Op::kAllToAll, ranks, g, Tn * m.moe->top_k * h * 2.0);
    per_layer = n * one;
    fwd_pass = bwd_pass = 2.0 * one;
  } else {  // DeepEP / Hybrid-EP: forward dispatch (fp8 under fp8 or nvfp4 training) + combine; backward both
            // in bf16
    // The kernels move tokens between a node's GPUs (and forward RDMA traffic) over NVLink: without a
    // scale-up domain joining them (PCIe only, or bridges joining pairs) there is no link to cost them on;
    // the GPU's own scale_up figure would price a PCIe node at NVLink speed.
    const ScaleUpType su = spec.node.scale_up;
    if (su == ScaleUpType::kNone || (su == ScaleUpType::kPairs && spec.node.gpus > 2)) {
      std::string what = "training.moe_dispatcher: ";
      what.append(tr.moe_dispatcher);
      what.append(" needs a scale-up domain joining the GPUs of a node (NVSwitch or mesh); system '").append(c.system);
      what.append("' has scale_up ").append(scale_up_type_name(su)).append(" (use alltoall)");
      throw InputError(origin_loc(c, "training.moe_dispatcher"), what);
    }
    EpExchange x;
    x.tokens = Tn, x.hidden = h, x.experts = m.moe->experts, x.top_k = m.moe->top_k, x.ep = p.ep;
    // The nodes of the EP group that spans the most: the exchange waits on it. Groups differ where EP does
    // not divide the node: EP 64 on 72-GPU racks puts every group after the first across two racks, over
    // RDMA (the first group's one rack was costed for all: 2.3 s of DeepSeek-V3's step instead of 3.4 s at
    // 1,152 GB200, helper-134).
    const int rpn = ctx.ranks_per_node();
    std::vector<char> seen(static_cast<std::size_t>(ranks.world()), 0);
    std::vector<int> ep_group;
    std::set<int> nodes;
    x.nodes = 1;
    for (int first = 0; first < ranks.world(); ++first) {
      if (seen[first]) continue;
      ranks.group_containing(first, g, &ep_group);
      nodes.clear();
      for (int rank : ep_group) nodes.insert(rank / rpn), seen[rank] = 1;
      x.nodes = std::max(x.nodes, static_cast<int>(nodes.size()));
    }
    x.scale_up_bw = (spec.node.scale_up_bandwidth ? *spec.node.scale_up_bandwidth
                     : spec.gpu.scale_up                ? spec.gpu.scale_up->bandwidth()
                                                        : 0.0) /
                    dies;
    x.nic_bw = spec.fabric.nic_speed * spec.node.board.nics / spec.node.board.gpus / dies;
    const DispatcherEfficiency& f = dispatcher_efficiency(d);
    const double combine = ep_exchange_time(x, f);
    x.bytes_per_element = is_low_precision(tr.precision) ? 1.0 + 4.0 / 128.0 : 2.0;
    const double dispatch = ep_exchange_time(x, f);
    per_layer = (n / 4.0 * 2.0 - 1.0) * (dispatch + combine) + 2.0 * combine;  // recompute: forward again
    fwd_pass = dispatch + combine, bwd_pass = 2.0 * combine;
  }
  // Load imbalance: the busiest EP rank receives (and sends back) its experts' tokens, the busiest expert u times
  // the balanced share and, as an assumption, the other local experts balanced: (u + E_local - 1) / E_local of
  // the balanced exchange, and the exchange waits on that rank (it was charged balanced whatever u).
  const double busiest = busiest_rank_factor(m.moe->experts, p.ep, m.moe->top_k, tr.moe_imbalance);
  per_layer *= busiest, fwd_pass *= busiest, bwd_pass *= busiest;
  if (total) *total = per_layer;
  // Overlapped: behind the other micro-batch's layer (forward + backward; topologies/ep-overlap.yaml), the
  // compute beside the dispatcher's kernels on the SMs they leave.
  const bool beside_shared = c.overlap.moe_shared_expert && shared.fwd + shared.bwd > 0;
  if (!c.overlap.ep_on(p.sched()) && !beside_shared) return per_layer;
  const EpOverlap& o = ep_overlap();
  const double comm_sms = (d == Dispatcher::kDeepEp     ? o.sms_deepep
                           : d == Dispatcher::kHybridEp ? o.sms_hybridep
                                                        : o.sms_alltoall)
                              .value;
  // Per rank: a package modelled die by die (training on each die) runs a dispatcher on each, on its die's
  // SMs. The counts are NVIDIA kernels' (DeepEP, Hybrid-EP, NCCL's channels): another vendor's GPU holds none
  // here (Ascend's HCCL moves data with its SDMA engines, not the AI cores; RCCL's CU count is not in the
  // data).
  const double sms = ctx.roofline(tr.precision).kernels().sms;
  const bool nvidia = spec.gpu.vendor == "NVIDIA";
  const double rho = nvidia && sms > 0 ? comm_sms / sms : 0.0;
  // Beside another micro-batch's layer (overlap.ep) or, without it, beside this layer's shared experts
  // (Megatron's --moe-shared-expert-overlap, DeepSeek-V2's report): only the shared experts' time hides it,
  // pass by pass (the forward's exchanges beside the forward's shared experts; recompute's beside the rerun).
  if (!c.overlap.ep_on(p.sched())) {
    const bool rerun = r == Recompute::kFull;
    return exposed_beside(fwd_pass, shared.fwd, rho) + exposed_beside(bwd_pass, shared.bwd, rho) +
           (rerun ? exposed_beside(fwd_pass, shared.rerun, rho) : 0.0);
  }
  return o.exposed(p.sched(), per_layer, moe_compute, rho);
}

double etp_gather_exposed(EstimateContext& ctx, const TrainConfig& c, const RankMap& ranks, Recompute r) {
  const ModelSpec& m = c.model;
  const Parallelism& p = c.par;
  const TrainingParams& tr = c.train;
  const int etp = p.expert_tp();
  if (!m.moe || etp <= p.tp) return 0.0;
  const double tokens = static_cast<double>(tr.micro_batch) * tr.seq_len / p.cp;
  const double Tn = p.sp() ? tokens / p.tp : tokens;
  const double S = etp * Tn * m.moe->top_k * static_cast<double>(m.hidden) * 2.0 *
                   busiest_rank_factor(m.moe->experts, p.ep, m.moe->top_k, tr.moe_imbalance);
  const std::vector<Dim> g = {Dim::kEtp};
  const double pair = ctx.comm(Op::kAllGather, ranks, g, S) + ctx.comm(Op::kReduceScatter, ranks, g, S);
  return (r == Recompute::kFull ? 3.0 : 2.0) * pair;
}

}  // namespace commsim
