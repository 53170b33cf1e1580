#include <catch2/catch.hpp>

#include "coll/algorithms.hpp"
#include "coll/flows.hpp"
#include "coll/simulator.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

namespace {
struct Fixture {
  explicit Fixture(const std::string& sys, int nodes = 0, std::vector<std::string> sets = {})
      : spec(load_system(sys, sets)), topo(spec, resolve_scale(spec, nodes, 0, 0)), sim(topo) {}
  SystemSpec spec;
  Topology topo;
  CollectiveSimulator sim;
};
double algbw(const Fixture& f, const char* algo, Op op) { return f.sim.bandwidth(*find_algorithm(algo), op).algbw; }
std::string algbw_bottleneck(const Fixture& f, const char* algo, Op op) {
  return f.sim.bandwidth(*find_algorithm(algo), op).bottleneck;
}
}  // namespace

TEST_CASE("ring all_reduce on dgx-a100 is NVLink-bound: busbw = 12 x 20 GB/s", "[collectives]") {
  // 12 NVLink3 links x 25 GB/s x 0.8 = 240 GB/s per GPU; ring algbw = 240 x n / (2(n-1)) = 240 x 8/14.
  Fixture f("dgx-a100");
  CHECK(algbw(f, "ring", Op::kAllReduce) == Approx(240e9 * 8 / 14).epsilon(1e-6));
  CHECK(algbw(f, "ring", Op::kAllGather) == Approx(240e9 * 8 / 7).epsilon(1e-6));
  CHECK(algbw(f, "ring", Op::kBroadcast) == Approx(240e9).epsilon(1e-6));
}

TEST_CASE("NVLS all_reduce on dgx-h100: 370.8 GB/s x nvls efficiency / (1 + 1/n)", "[collectives]") {
  Fixture f("dgx-h100");
  CHECK(algbw(f, "nvls", Op::kAllReduce) == Approx(370.8e9 * 0.82 / 1.125).epsilon(1e-6));
}

TEST_CASE("two dgx-h100 nodes: the ring is NIC-bound, as the closed form says", "[collectives]") {
  // busbw of a rail ring = min(NVLink per GPU x 16/14, 8 NICs x 50 GB/s x 0.98) = 392 GB/s;
  // algbw = busbw x 16 / 30. The contention solver must agree with this closed form.
  Fixture f("dgx-h100", 2);
  const double closed = std::min(370.8e9 * 16 / 14, 8 * 50e9 * 0.98);
  CHECK(algbw(f, "ring", Op::kAllReduce) * 30 / 16 == Approx(closed).epsilon(1e-6));
}

TEST_CASE("halving the NIC speed halves the multi-node ring", "[collectives]") {
  Fixture fast("dgx-h100", 4), slow("dgx-h100", 4, {"fabric.nic_speed=200Gb/s"});
  CHECK(algbw(slow, "ring", Op::kAllReduce) == Approx(algbw(fast, "ring", Op::kAllReduce) / 2).epsilon(1e-6));
}

TEST_CASE("an oversubscribed spine slows cross-leaf traffic", "[collectives]") {
  // 64 nodes on leaves of 32 ports: alltoall crosses leaves; 4:1 oversubscription cuts it.
  Fixture full("dgx-h100", 64), over("dgx-h100", 64, {"fabric.oversubscription=4"});
  CHECK(algbw(over, "direct", Op::kAllToAll) < 0.5 * algbw(full, "direct", Op::kAllToAll));
}

TEST_CASE("two GPUs per NIC share it", "[collectives]") {
  Fixture eight("dgx-h100", 2), four("dgx-h100", 2, {"node.board.nics=4"});
  CHECK(algbw(four, "ring", Op::kAllReduce) == Approx(algbw(eight, "ring", Op::kAllReduce) / 2).epsilon(0.02));
}

TEST_CASE("PCIe boxes cross the inter-socket link", "[collectives]") {
  Fixture pcie("h100-pcie"), narrow("h100-pcie", 0, {"node.inter_socket.bandwidth=10GB/s"});
  CHECK(algbw(narrow, "ring", Op::kAllReduce) < algbw(pcie, "ring", Op::kAllReduce));
}

TEST_CASE("mesh nodes use every link at once", "[collectives]") {
  // Ascend 910B: 7 HCCS links of 28 GB/s x 0.8 per NPU; mesh busbw = 7 x 22.4 GB/s.
  Fixture f("ascend-910b-8");
  CHECK(algbw(f, "mesh", Op::kAllReduce) * 14 / 8 == Approx(7 * 28e9 * 0.8).epsilon(1e-6));
  // The one-node ring over its 7 Hamiltonian cycles uses every link too (it was 89.6 GB/s busbw, below).
  CHECK(algbw(f, "ring", Op::kAllReduce) == Approx(algbw(f, "mesh", Op::kAllReduce)).epsilon(1e-6));
}

TEST_CASE("rings on a mesh node walk edge-disjoint paths", "[collectives]") {
  // One node: the 16 channels, cut to 14, run the 7 arc-disjoint Hamiltonian cycles of the 8 NPUs
  // (coll/mesh_cycles.hpp), two each: every one of the 56 directed HCCS links carries two channels, busbw
  // 7 x 22.4 GB/s. Closed Walecki paths loaded 8 links twice as much (89.6 GB/s busbw); one order for every
  // channel was one link (22.4).
  Fixture one("ascend-910b-8");
  CHECK(algbw(one, "ring", Op::kAllReduce) * 14 / 8 == Approx(7 * 28e9 * 0.8).epsilon(1e-6));
  // On one node no ring touches a NIC: two NICs (or none) build the same rings (they built 2 paths, or 1).
  Fixture two_nics("ascend-910b-8", 1, {"node.board.nics=2"});
  CHECK(algbw(two_nics, "ring", Op::kAllReduce) == Approx(algbw(one, "ring", Op::kAllReduce)).epsilon(1e-9));
  // Across nodes the rings are paths: every link carries one channel, and the 8 NICs (49 GB/s each) are the
  // bound, as on an NVSwitch node (MI300X at 2 nodes ran at one xGMI link, 51.2 GB/s).
  Fixture mesh("mi300x-8", 2), nvswitch("dgx-h100", 2);
  CHECK(algbw(mesh, "ring", Op::kAllGather) == Approx(algbw(nvswitch, "ring", Op::kAllGather)).epsilon(1e-6));
  // The hierarchical intra-node phase spreads over the strides coprime with 8 (1, 3, 5, 7): four rings.
  CHECK(algbw(mesh, "hierarchical", Op::kAllGather) > 2 * 51.2e9);
}

TEST_CASE("a one-node tree does not depend on the NICs", "[collectives]") {
  // No byte of a one-node tree touches a NIC: 1, 4 or 8 NICs reordered a PCIe box's chains (8.8, 6.6, 7.7 ms).
  Fixture one("a100-pcie", 1, {"node.board.nics=1"}), four("a100-pcie", 1, {"node.board.nics=4"}),
      eight("a100-pcie", 1, {"node.board.nics=8"});
  CHECK(algbw(four, "tree", Op::kAllReduce) == Approx(algbw(one, "tree", Op::kAllReduce)).epsilon(1e-9));
  CHECK(algbw(eight, "tree", Op::kAllReduce) == Approx(algbw(one, "tree", Op::kAllReduce)).epsilon(1e-9));
}

TEST_CASE("NVLink bridges never slow an alltoall: PXN only where the scale-up fabric joins the ranks",
          "[collectives]") {
  // Bridges join pairs: a NIC on another PCIe switch is not reached through its rank (that loaded the rank's
  // PCIe link twice: 8 nodes took 367.7 ms with the bridges, 308.3 ms without, for 8 GiB; 2026-12-06).
  Fixture bare("h100-pcie", 8), bridged("h100-pcie-nvlbridge", 8);
  CHECK(algbw(bridged, "direct", Op::kAllToAll) >= algbw(bare, "direct", Op::kAllToAll) * (1 - 1e-9));
  // Explicit pairs (up to 32 nodes) and the hose model (from 33) agree where they meet: the time fell by
  // 13-37% from 32 to 33 nodes on PCIe and chiplet boxes.
  for (const char* sys : {"a100-pcie", "h100-pcie-nvlbridge", "chiplet-b200-2die"}) {
    INFO(sys);
    Fixture at32(sys, 32), at33(sys, 33);
    CHECK(algbw(at33, "direct", Op::kAllToAll) == Approx(algbw(at32, "direct", Op::kAllToAll)).epsilon(0.01));
  }
  // Direct (every pair at once) is never slower than pairwise (the rounds one after another).
  Fixture chiplet("chiplet-b200-2die", 8);
  CHECK(algbw(chiplet, "direct", Op::kAllToAll) >= algbw(chiplet, "pairwise", Op::kAllToAll));
}

TEST_CASE("a NIC more never slows a multi-node tree on a PCIe box", "[collectives]") {
  // Chains from every NIC cross more switch uplinks than chains from every other one; the better graph is
  // kept (8 NICs took 12.49 ms against 10.72 ms with 2 for a 128 MiB all_reduce on 2 nodes, 2026-12-06).
  double last = 0;
  for (const char* nics : {"node.board.nics=2", "node.board.nics=4", "node.board.nics=8"}) {
    INFO(nics);
    Fixture f("a100-pcie", 2, {nics});
    const double bw = algbw(f, "tree", Op::kAllReduce);
    CHECK(bw >= last * (1 - 1e-9));
    last = bw;
  }
}

TEST_CASE("the hose model sends only what leaves the leaf up to the spine", "[collectives]") {
  // 32-port rail leaves at 2:1: at 33 nodes (the hose model) node 32 sends 32/33 of its share over the spine
  // and the others 1/33; the NICs stay the bound, as with the explicit pairs at 32 nodes (it was 2x slower,
  // every rank's whole inter-node share sent up).
  Fixture pairs("dgx-h100", 32, {"fabric.oversubscription=2"}),
      hose("dgx-h100", 33, {"fabric.oversubscription=2"});
  const double nic_bound_32 = algbw(pairs, "direct", Op::kAllToAll) * 31.0 / 32.0;  // NIC load (n-g)/n of S
  CHECK(algbw(hose, "direct", Op::kAllToAll) * 32.0 / 33.0 == Approx(nic_bound_32).epsilon(1e-6));
}

TEST_CASE("auto picks the lowest predicted time, and small messages take LL", "[collectives]") {
  Fixture f("dgx-h100");
  const Prediction small = f.sim.predict(Op::kAllReduce, 8, DataType::kFloat);
  CHECK(small.proto == Proto::kLL);
  const Prediction large = f.sim.predict(Op::kAllReduce, 1ULL << 30, DataType::kFloat);
  CHECK(large.algorithm == "nvls");
  for (const char* a : {"ring", "tree"}) {
    CHECK(f.sim.predict(Op::kAllReduce, 1ULL << 30, DataType::kFloat, a).time_us >= large.time_us);
  }
}

TEST_CASE("NVLS reduces only what NCCL's switch reduces: prod, avg and 8-bit types take another algorithm", "[collectives]") {
  Fixture f("dgx-h100");
  const std::uint64_t gib = 1ULL << 30;
  CHECK(f.sim.predict(Op::kAllReduce, gib, DataType::kFloat).algorithm == "nvls");
  CHECK(f.sim.predict(Op::kAllReduce, gib, DataType::kBfloat16, "auto", std::nullopt, RedOp::kMax).algorithm == "nvls");
  for (const auto& [dt, op] : {std::pair{DataType::kFloat, RedOp::kProd}, std::pair{DataType::kFloat, RedOp::kMax},
                               std::pair{DataType::kInt8, RedOp::kSum}, std::pair{DataType::kBfloat16, RedOp::kAvg}}) {
    const Prediction p = f.sim.predict(Op::kAllReduce, gib, dt, "auto", std::nullopt, op);
    CHECK(p.algorithm != "nvls");
    CHECK(p.algorithm != "nvls_tree");
    CHECK_THROWS_WITH(f.sim.predict(Op::kAllReduce, gib, dt, "nvls", std::nullopt, op), Catch::Contains("does not reduce"));
  }
  // No reduction, nothing to refuse: all_gather of int8 may run on the switch.
  CHECK(nvls_reduction_unsupported(Op::kAllGather, DataType::kInt8, RedOp::kProd).empty());
  CHECK(nvls_reduction_unsupported(Op::kReduceScatter, DataType::kF8e4m3, RedOp::kSum) != "");
  CHECK(nvls_reduction_unsupported(Op::kReduceScatter, DataType::kInt64, RedOp::kMin).empty());
  CHECK(nvls_reduction_unsupported(Op::kAllReduce, DataType::kDouble, RedOp::kMin) != "");
}

TEST_CASE("forcing an algorithm that cannot run the op is an input error", "[collectives][errors]") {
  Fixture f("dgx-a100");
  CHECK_THROWS_WITH(f.sim.predict(Op::kAllReduce, 1024, DataType::kFloat, "nvls"), Catch::Contains("cannot run"));
  CHECK_THROWS_WITH(f.sim.predict(Op::kAllToAll, 1024, DataType::kFloat, "ring"), Catch::Contains("cannot run"));
  CHECK_THROWS_WITH(f.sim.predict(Op::kAllReduce, 1024, DataType::kFloat, "warp"), Catch::Contains("unknown algorithm"));
  CHECK_THROWS_AS(f.sim.predict(Op::kAllReduce, 1024, DataType::kFloat, "nvls_tree", Proto::kLL), InputError);
}

TEST_CASE("double binary trees: every non-root has a parent, roots differ", "[collectives]") {
  for (int n : {2, 3, 8, 13, 64}) {
    int roots0 = 0, roots1 = 0;
    for (int r = 0; r < n; ++r) {
      roots0 += dtree_parent(n, r, 0) < 0;
      roots1 += dtree_parent(n, r, 1) < 0;
      CHECK(dtree_parent(n, r, 0) < n);
    }
    CHECK(roots0 == 1);
    CHECK(roots1 == 1);
  }
}

TEST_CASE("every op runs on every shipped system", "[collectives]") {
  for (const std::string& name : system_names()) {
    const SystemSpec s = load_system(name);
    const Topology t(s, resolve_scale(s, s.node.gpus > 8 ? 1 : 2, 0, 0));
    const CollectiveSimulator sim(t);
    for (Op op : all_ops()) {
      const Prediction p = sim.predict(op, 1 << 26, DataType::kBfloat16);
      INFO(name << " " << op_name(op));
      CHECK(p.time_us > 0);
      CHECK(std::isfinite(p.busbw_GBps));
    }
  }
}

TEST_CASE("ring latency is NCCL's: 2 x 8 H100 all_reduce with LL is 40.0 us", "[collectives]") {
  // base 6.6 + (30 - 2) steps x max(NVLink 0.6, net overhead 1.0) + 2 inter-node steps x NET 2.7 = 40.0 us.
  const CollectiveModel& m = CollectiveModel::shipped();
  CHECK(m.ring_latency(LinkClass::kNvlink, Proto::kLL, 30, 2, 2, 8) == Approx(40.0e-6));
  // One rank per node takes the Tree NET latency (5.0 us for LL): 6.6 + 2 x 5.0.
  CHECK(m.ring_latency(LinkClass::kNvlink, Proto::kLL, 2, 2, 2, 1) == Approx(16.6e-6));
  // One node: no net overhead; Simple NVLink 3.4 us per step: 8.4 + 14 x 3.4.
  CHECK(m.ring_latency(LinkClass::kNvlink, Proto::kSimple, 14, 0, 1, 8) == Approx(56.0e-6));
}

TEST_CASE("an fp8 ring over more than 8 ranks is NCCL's last resort: x1024 when choosing, its own time when run",
          "[collectives]") {
  const GpuArch hopper = GpuArch::kHopper;
  CHECK(fp8_ring_penalty(Op::kAllReduce, DataType::kF8e4m3, 16, hopper) == 1024.0);
  CHECK(fp8_ring_penalty(Op::kReduceScatter, DataType::kF8e5m2, 9, GpuArch::kBlackwell) == 1024.0);
  CHECK(fp8_ring_penalty(Op::kReduce, DataType::kF8e4m3, 9, hopper) == 1024.0);
  CHECK(fp8_ring_penalty(Op::kAllReduce, DataType::kF8e4m3, 8, hopper) == 1.0);
  CHECK(fp8_ring_penalty(Op::kAllReduce, DataType::kBfloat16, 16, hopper) == 1.0);
  // NCCL moves the fp8 of an all_gather or broadcast as int8: no penalty. Other libraries: none.
  CHECK(fp8_ring_penalty(Op::kAllGather, DataType::kF8e4m3, 16, hopper) == 1.0);
  CHECK(fp8_ring_penalty(Op::kBroadcast, DataType::kF8e4m3, 16, hopper) == 1.0);
  CHECK(fp8_ring_penalty(Op::kAllReduce, DataType::kF8e4m3, 64, GpuArch::kCpu) == 1.0);
  CHECK(fp8_ring_penalty(Op::kAllReduce, DataType::kF8e4m3, 64, GpuArch::kDavinci) == 1.0);
  const std::uint64_t four_gib = 4ull << 30;
  // Four hgx-h20 nodes (32 ranks): a 4 GiB bf16 all_reduce takes the ring; fp8 the next best (a tree: NVLS
  // cannot reduce fp8), although the ring would be faster. The penalty is about precision, not speed.
  Fixture four("hgx-h20", 4);
  const Prediction bf16 = four.sim.predict(Op::kAllReduce, four_gib, DataType::kBfloat16);
  REQUIRE(bf16.algorithm == "ring");
  const Prediction fp8 = four.sim.predict(Op::kAllReduce, four_gib, DataType::kF8e4m3);
  CHECK(fp8.algorithm == "tree");
  const Prediction ring = four.sim.predict(Op::kAllReduce, four_gib, DataType::kF8e4m3, "ring");
  CHECK(ring.time_us < fp8.time_us);
  CHECK(ring.time_us == Approx(bf16.time_us).epsilon(1e-12));  // forced, it runs at its own time (same bytes)
  // An fp8 all_gather is an int8 one to NCCL: on one NVL72 rack of 72 the ring keeps winning over NVLS, as bf16's.
  Fixture rack("gb200-nvl72");
  const Prediction ag = rack.sim.predict(Op::kAllGather, four_gib, DataType::kF8e4m3);
  REQUIRE(rack.sim.predict(Op::kAllGather, four_gib, DataType::kBfloat16).algorithm == "ring");
  CHECK(ag.algorithm == "ring");
  // HCCL on a CloudMatrix supernode is not NCCL: its fp8 all_reduce is chosen as its bf16 one.
  Fixture cm("cloudmatrix-384");
  CHECK(cm.sim.predict(Op::kAllReduce, four_gib, DataType::kF8e4m3).algorithm ==
        cm.sim.predict(Op::kAllReduce, four_gib, DataType::kBfloat16).algorithm);
  // Eight ranks keep the ring's usual standing.
  Fixture one("hgx-h20", 1);
  CHECK(one.sim.predict(Op::kReduceScatter, four_gib, DataType::kF8e4m3).algorithm == "ring");
}

TEST_CASE("NCCL reduces fp8 only from sm90: Ampere and Ada refuse, moves and other vendors are not judged", "[collectives]") {
  const SystemSpec a100 = load_system("dgx-a100"), l40s = load_system("l40s-pcie"), h100 = load_system("dgx-h100");
  for (Op op : {Op::kAllReduce, Op::kReduceScatter, Op::kReduce}) {
    CHECK_THAT(fp8_reduction_unsupported(op, DataType::kF8e4m3, a100.gpu), Catch::Contains("sm90"));
    CHECK_THAT(fp8_reduction_unsupported(op, DataType::kF8e5m2, l40s.gpu), Catch::Contains("(ada)"));
    CHECK(fp8_reduction_unsupported(op, DataType::kF8e4m3, h100.gpu).empty());
    CHECK(fp8_reduction_unsupported(op, DataType::kBfloat16, a100.gpu).empty());
  }
  for (Op op : {Op::kAllGather, Op::kBroadcast, Op::kAllToAll, Op::kSendRecv})
    CHECK(fp8_reduction_unsupported(op, DataType::kF8e4m3, a100.gpu).empty());
  CHECK(fp8_reduction_unsupported(Op::kAllReduce, DataType::kF8e4m3, load_system("cloudmatrix-384").gpu).empty());
  Fixture f("dgx-a100");
  CHECK_THROWS_AS(f.sim.predict(Op::kAllReduce, 1 << 20, DataType::kF8e4m3), InputError);
  CHECK(f.sim.predict(Op::kAllGather, 1 << 20, DataType::kF8e4m3).algorithm == "ring");
}

TEST_CASE("tree all_reduce: both trees on every NIC, so the NICs add up (NCCL's connectTrees)",
          "[collectives]") {
  // NCCL lays tree 0 on the first half of its channels and tree 1 on their duplicates, a channel and its
  // duplicate through one NIC: every NIC carries both trees, and a node's NIC load is the same whatever the
  // NIC count, so 2 NICs move twice 1 NIC's bytes. With the tree as the channel's parity each NIC carried one
  // tree: 2 NICs ran 1.33x one (helper-142).
  Fixture one("dgx-h100", 4, {"node.board.nics=1"}), two("dgx-h100", 4, {"node.board.nics=2"});
  CHECK(algbw(two, "tree", Op::kAllReduce) == Approx(2 * algbw(one, "tree", Op::kAllReduce)).epsilon(0.01));
  // On 16 nodes of 8 NICs it runs near NCCL's tree factor of the ring's bandwidth (0.92; it was 0.61).
  Fixture sixteen("dgx-h100", 16);
  CHECK(algbw(sixteen, "tree", Op::kAllReduce) > 0.85 * algbw(sixteen, "ring", Op::kAllReduce));
}

TEST_CASE("NVLS needs more than 2 GPUs in the node (NCCL's ncclNvlsInit)", "[collectives]") {
  Fixture two("dgx-h100", 2, {"node.board.gpus=2", "node.gpus=2", "node.board.nics=2"});
  CHECK_FALSE(find_algorithm("nvls_tree")->unsupported(Op::kAllReduce, two.topo).empty());
  CHECK(find_algorithm("nvls_tree")->unsupported(Op::kAllReduce, Fixture("dgx-h100", 2).topo).empty());
}

TEST_CASE("LL's cap across nodes is the host CPU's row, on one node the GPU's (NCCL tuning.cc)",
          "[collectives]") {
  const CollectiveModel& m = CollectiveModel::shipped();
  const ArchModel& hopper = m.arch(GpuArch::kHopper);
  CHECK(m.ll_max_bus_bw(hopper, 0, false) == Approx(141e9));
  CHECK(m.ll_max_bus_bw(hopper, 1, false) == Approx(39e9));    // Intel (and every vendor but AMD), 2 nodes
  CHECK(m.ll_max_bus_bw(hopper, 2, false) == Approx(20.4e9));  // more nodes
  CHECK(m.ll_max_bus_bw(hopper, 1, true) == Approx(22.5e9));   // AMD
  CHECK(m.ll_max_bus_bw(hopper, 2, true) == Approx(19.0e9));
  // MPI ranks on host cores keep their own caps at every node count.
  CHECK(m.ll_max_bus_bw(m.arch(GpuArch::kCpu), 2, false) == Approx(5e9));
  CHECK(load_system("dgx-a100").node.cpu_vendor == CpuVendor::kAmd);
  CHECK(load_system("dgx-h100").node.cpu_vendor == CpuVendor::kIntel);
}

TEST_CASE("PCIe pairs through a CPU are staged in host memory, as NCCL's default P2P level has them",
          "[collectives]") {
  // h100-pcie: two GPUs per PCIe switch, two switches per socket. Under one switch: P2P (1.0); across
  // switches (through the CPU) or sockets: SHM, at the host-memory efficiency.
  Fixture f("h100-pcie");
  const double shm = LinkTechs::shipped().get("host-memory", SourceLoc{}).efficiency.value;
  CHECK(f.topo.transport_efficiency(0, 1) == 1.0);
  CHECK(f.topo.transport_efficiency(0, 2) == Approx(shm));
  CHECK(f.topo.transport_efficiency(0, 4) == Approx(shm));
  // The bottleneck a staged pair crosses says that the host-memory copy binds, not the link's rate alone.
  CHECK_THAT(algbw_bottleneck(f, "ring", Op::kAllReduce),
             Catch::EndsWith("(pcie, 53.6 GB/s, staged in host memory x0.56)"));
  CHECK_THAT(algbw_bottleneck(Fixture("dgx-h100"), "ring", Op::kAllReduce), !Catch::Contains("staged"));
  // Two GPUs on an AMD host: P2P through the CPU too (PATH_SYS).
  const SystemSpec amd = load_system(data_file("tests/data/checks/system_root_ports_amd2.yaml"));
  const Topology t(amd, resolve_scale(amd, 1, 0, 0));
  CHECK(t.transport_efficiency(0, 1) == 1.0);
  // NCCL counts the job's GPUs on the host, not the board's: 2 of an AMD host's 8 run P2P through its CPU,
  // 4 of them are staged (helper-143).
  const SystemSpec amd8 =
      load_system("h100-pcie", {"node.cpu.vendor=amd", "node.board.pcie_switches_per_socket=0"});
  CHECK(Topology(amd8, resolve_scale(amd8, 1, 0, 2)).transport_efficiency(0, 1) == 1.0);
  CHECK(Topology(amd8, resolve_scale(amd8, 1, 0, 4)).transport_efficiency(0, 1) == Approx(shm));
  // NVSwitch pairs never.
  CHECK(Fixture("dgx-h100").topo.transport_efficiency(0, 7) == 1.0);
}

TEST_CASE("point-to-point runs LL only up to NCCL_P2P_LL_THRESHOLD per peer (16 KiB), Simple above",
          "[collectives]") {
  // NCCL picks a send's protocol by its size, not by the tuning table: LL's lower latency would otherwise
  // win up to a few hundred KiB across nodes.
  Fixture f("dgx-h100", 2);
  CHECK(f.sim.model().p2p_ll_threshold() == 16384);
  CHECK(f.sim.predict(Op::kSendRecv, 16384, DataType::kFloat).proto == Proto::kLL);
  const Prediction over = f.sim.predict(Op::kSendRecv, 32768, DataType::kFloat);
  CHECK(over.proto == Proto::kSimple);
  // The LL time is not what runs: it is lower than the Simple one at this size.
  CHECK(f.sim.time_of(*find_algorithm("direct"), Op::kSendRecv, Proto::kLL, 32768) * 1e6 < over.time_us);
  // An alltoall's S is split over its 16 peers: 256 KiB sends 16 KiB to each (LL), 512 KiB 32 KiB (Simple).
  CHECK(f.sim.predict(Op::kAllToAll, 256 * 1024, DataType::kFloat).proto == Proto::kLL);
  CHECK(f.sim.predict(Op::kAllToAll, 512 * 1024, DataType::kFloat).proto == Proto::kSimple);
  // Forced, the protocol runs at any size (a what-if, as --proto is for collectives).
  CHECK(f.sim.predict(Op::kSendRecv, 1 << 20, DataType::kFloat, "auto", Proto::kLL).proto == Proto::kLL);
}

TEST_CASE("pairwise alltoall is built of sends too: LL only up to the point-to-point threshold",
          "[collectives]") {
  Fixture f("dgx-h100", 2);
  CHECK(f.sim.predict(Op::kAllToAll, 256 * 1024, DataType::kFloat, "pairwise").proto == Proto::kLL);
  CHECK(f.sim.predict(Op::kAllToAll, 512 * 1024, DataType::kFloat, "pairwise").proto == Proto::kSimple);
}
