// The algorithms commsim models. Each is defined in its own file; see algorithm.hpp for the contract.
#pragma once

#include "coll/algorithm.hpp"

namespace commsim {

class RingAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "ring"; }
  std::string_view summary() const override { return "pipelined rings over all ranks, one NIC rail per channel"; }
  std::string_view citation() const override { return "NCCL Ring (src/graph/tuning.cc); Patarasuk & Yuan, JPDC 2009"; }
  std::string unsupported(Op op, const Topology& topo) const override;
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const override;
  double bus_cap(Op op, Proto p, const Topology& topo, const CollectiveModel& model) const override;
  static int steps(Op op, int n);
};

class TreeAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "tree"; }
  std::string_view summary() const override { return "double binary tree across nodes, chain inside each node (all_reduce)"; }
  std::string_view citation() const override { return "NCCL Tree (NCCL 2.4 double binary trees); Sanders, Speck & Traff, Parallel Computing 2009"; }
  std::string unsupported(Op op, const Topology& topo) const override;
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const override;
  double bus_cap(Op op, Proto p, const Topology& topo, const CollectiveModel& model) const override;
  double proto_efficiency(Proto p, const Topology& topo, const CollectiveModel& model) const override;
};

class NvlsAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "nvls"; }
  std::string_view summary() const override { return "NVLink SHARP: reduction and multicast inside the NVSwitch (one node)"; }
  std::string_view citation() const override { return "NCCL NVLS (2.17+, src/transport/nvls.cc); NVIDIA NVLink SHARP"; }
  std::string unsupported(Op op, const Topology& topo) const override;
  bool supports_proto(Proto p) const override { return p == Proto::kSimple; }
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const override;
};

class NvlsTreeAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "nvls_tree"; }
  std::string_view summary() const override { return "NVLS inside each node, double binary tree across nodes (all_reduce)"; }
  std::string_view citation() const override { return "NCCL NVLSTree (2.18+, src/graph/tuning.cc)"; }
  std::string unsupported(Op op, const Topology& topo) const override;
  bool supports_proto(Proto p) const override { return p == Proto::kSimple; }
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const override;
};

class HierarchicalAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "hierarchical"; }
  std::string_view summary() const override { return "intra-node reduce-scatter, inter-node ring per local rank, intra-node all-gather"; }
  std::string_view citation() const override { return "2D/hierarchical all-reduce: Jia et al. arXiv:1807.11205; Horovod hierarchical allreduce"; }
  bool in_auto() const override { return false; }
  std::string unsupported(Op op, const Topology& topo) const override;
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const override;
};

class PatAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "pat"; }
  std::string_view summary() const override { return "Parallel Aggregated Trees: log-latency all_gather/reduce_scatter, one GPU per node"; }
  std::string_view citation() const override { return "NCCL PAT (2.23+, src/device/prims_*; tuning.cc: busBw x 0.75)"; }
  std::string unsupported(Op op, const Topology& topo) const override;
  bool supports_proto(Proto p) const override { return p == Proto::kSimple; }
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const override;
};

class DirectAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "direct"; }
  std::string_view summary() const override { return "every rank sends to every peer at once (alltoall), or to its ring neighbour (sendrecv)"; }
  std::string_view citation() const override { return "NCCL alltoall / sendrecv as grouped ncclSend/ncclRecv (nccl-tests alltoall.cu, sendrecv.cu)"; }
  std::string unsupported(Op op, const Topology& topo) const override;
  bool supports_proto(Proto p) const override { return p != Proto::kLL128; }
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const override;
  double auto_max_bytes(Op op, Proto p, const Topology& topo, const CollectiveModel& model) const override;
};

// The largest S whose point-to-point sends run LL (NCCL_P2P_LL_THRESHOLD per peer: an alltoall's S / n, a
// sendrecv's S); larger ones run Simple.
double p2p_ll_max_bytes(Op op, int ranks, const CollectiveModel& model);

class PairwiseAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "pairwise"; }
  std::string_view summary() const override { return "alltoall in n-1 rounds, round k exchanging with rank +/- k"; }
  std::string_view citation() const override { return "pairwise exchange: Thakur, Rabenseifner & Gropp, IJHPCA 2005 (MPICH)"; }
  bool in_auto() const override { return false; }
  std::string unsupported(Op op, const Topology& topo) const override;
  bool supports_proto(Proto p) const override { return p != Proto::kLL128; }
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const override;
  // Built of sends as `direct` is: LL only up to the point-to-point threshold per peer.
  double auto_max_bytes(Op op, Proto p, const Topology& topo, const CollectiveModel& model) const override {
    return p == Proto::kSimple ? std::numeric_limits<double>::infinity()
                               : p2p_ll_max_bytes(op, topo.ranks(), model);
  }
};

}  // namespace commsim

namespace commsim {

// The mesh's latency for `ranks` ranks joined by `intra` links, without the launch overhead: one step
// (all_gather, reduce_scatter) or two (all_reduce) at the scale-up hop latency, plus a per-peer cost.
// Shared by MeshAlgorithm and GroupCollectives' mesh for groups inside one node.
double mesh_latency(Op op, Proto p, LinkClass intra, int ranks, const CollectiveModel& model);

class MeshAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "mesh"; }
  std::string_view summary() const override { return "all-pairs reduce-scatter + all-gather over a full-mesh node (xGMI, HCCS)"; }
  std::string_view citation() const override { return "RCCL/HCCL full-mesh direct algorithms; MSCCL allpairs (Cowan et al., ASPLOS 2023)"; }
  std::string unsupported(Op op, const Topology& topo) const override;
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model, double bytes) const override;
};

// Steps of recursive halving-doubling over n ranks on `nodes` nodes (ranks node-major); `inter_steps` gets
// those that cross the network. coll/rhd.cpp.
int rhd_steps(Op op, int n, int* inter_steps, int nodes);
// Its bandwidth against the ring's: 1 for a power of two, about 1/2 where ranks fold; for broadcast and
// reduce against the chain's, about 1/2, and 1/3 where ranks fold (coll/rhd.cpp).
double rhd_bandwidth_factor(Op op, int n);

class RhdAlgorithm : public Algorithm {
 public:
  std::string_view name() const override { return "rhd"; }
  std::string_view summary() const override {
    return "recursive halving-doubling: log2(n) steps per phase (HCCL, Ascend only)";
  }
  std::string_view citation() const override {
    return "HCCL (CANN) collective algorithms: HD/RHD; Thakur, Rabenseifner, Gropp, IJHPCA 2005";
  }
  std::string unsupported(Op op, const Topology& topo) const override;
  bool supports_proto(Proto p) const override { return p == Proto::kSimple; }
  AlgoBandwidth bandwidth(Op op, const Topology& topo, const CollectiveModel& model) const override;
  double latency(Op op, Proto p, const Topology& topo, const CollectiveModel& model,
                 double bytes) const override;
};

}  // namespace commsim
