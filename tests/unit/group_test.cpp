#include <catch2/catch.hpp>

#include "coll/group.hpp"
#include "coll/simulator.hpp"
#include "core/error.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

namespace {
std::vector<std::vector<int>> strided_groups(int groups, int size, int stride) {
  std::vector<std::vector<int>> out(groups);
  for (int g = 0; g < groups; ++g)
    for (int i = 0; i < size; ++i) out[g].push_back(g + i * stride);
  return out;
}
}  // namespace

TEST_CASE("a group of a whole node matches the full-node ring", "[group]") {
  const SystemSpec s = load_system("dgx-a100");
  const Topology t(s, resolve_scale(s, 0, 0, 0));
  const GroupCollectives gc(t);
  const CollectiveSimulator sim(t);
  const double full = sim.bandwidth(*find_algorithm("ring"), Op::kAllReduce).algbw;
  CHECK(gc.bandwidth("ring", Op::kAllReduce, {{0, 1, 2, 3, 4, 5, 6, 7}}) == Approx(full).epsilon(1e-6));
}

TEST_CASE("eight DP groups on their own rails do not slow each other", "[group]") {
  // 8 nodes x 8 GPUs; DP groups = same local rank on every node -> each group on its own NIC rail.
  const SystemSpec s = load_system("dgx-h100");
  const Topology t(s, resolve_scale(s, 8, 0, 0));
  const GroupCollectives gc(t);
  const double one = gc.bandwidth("ring", Op::kAllReduce, strided_groups(1, 8, 8));
  const double eight = gc.bandwidth("ring", Op::kAllReduce, strided_groups(8, 8, 8));
  CHECK(eight == Approx(one).epsilon(1e-6));
  // Ring all-reduce across 8 nodes on one 400 Gb/s NIC each: busbw = 50 GB/s x 0.98, algbw x 8/14.
  CHECK(one == Approx(49e9 * 8 / 14).epsilon(1e-6));
}

TEST_CASE("with two GPUs per NIC, concurrent DP groups share the NIC", "[group]") {
  const SystemSpec s = load_system("dgx-h100", {"node.board.nics=4"});
  const Topology t(s, resolve_scale(s, 8, 0, 0));
  const GroupCollectives gc(t);
  const double one = gc.bandwidth("ring", Op::kAllReduce, strided_groups(1, 8, 8));
  const double eight = gc.bandwidth("ring", Op::kAllReduce, strided_groups(8, 8, 8));
  CHECK(eight == Approx(one / 2).epsilon(1e-6));
}

TEST_CASE("groups inside one NVLS node use NVLS, and overlapping or out-of-range groups are input errors", "[group]") {
  const SystemSpec s = load_system("dgx-h100");
  const Topology t(s, resolve_scale(s, 0, 0, 0));
  const GroupCollectives gc(t);
  const GroupTiming tp8 = gc.time(Op::kAllReduce, {{0, 1, 2, 3, 4, 5, 6, 7}}, 64e6);
  CHECK(tp8.algorithm == "nvls");
  CHECK(tp8.time_s > 0);
  CHECK(gc.time(Op::kAllReduce, {{0}}, 64e6).time_s == 0);
  CHECK_THROWS_AS(gc.time(Op::kAllReduce, {{0, 1}, {1, 2}}, 1e6), InputError);
  CHECK_THROWS_AS(gc.time(Op::kAllReduce, {{0, 99}}, 1e6), InputError);
}

TEST_CASE("a group curve gives time()'s very figure at every size", "[group]") {
  // The layout search keeps one curve per (op, groups) and asks it for many byte counts.
  const SystemSpec s = load_system("dgx-h100");
  const Topology t(s, resolve_scale(s, 4, 0, 0));
  const GroupCollectives gc(t);
  const std::vector<std::vector<std::vector<int>>> cases = {
      strided_groups(8, 4, 8), strided_groups(1, 8, 1), strided_groups(4, 8, 4), {{0, 1}}};
  for (const auto& groups : cases)
    for (Op op : {Op::kAllReduce, Op::kAllGather, Op::kReduceScatter, Op::kAllToAll, Op::kSendRecv}) {
      const GroupCurve c = gc.curve(op, groups);
      for (double bytes : {0.0, 1.0, 4096.0, 1e6, 3.3e8, 4e9}) {
        const GroupTiming a = gc.time(op, groups, bytes), b = c.at(bytes);
        CHECK(a.time_s == b.time_s);
        CHECK(a.algbw == b.algbw);
        CHECK(a.algorithm == b.algorithm);
      }
    }
  CHECK(gc.curve(Op::kAllReduce, {{3}}).at(1e9).algorithm == "none");
}

TEST_CASE("groups inside one full-mesh node use the mesh, as the full-node simulator does", "[group]") {
  // Ascend 910B: 7 HCCS links of 28 GB/s x 0.8 per NPU. A TP group of 8 all-gathers S/8 to each peer at
  // once: algbw = 8/7 x busbw = 8/7 x 7 x 22.4 GB/s = 179.2 GB/s, where a ring gets 8/7 x 22.4 = 25.6 GB/s.
  const SystemSpec s = load_system("ascend-910b-8");
  const Topology t(s, resolve_scale(s, 2, 0, 0));
  const GroupCollectives gc(t);
  const std::vector<std::vector<int>> tp = {{0, 1, 2, 3, 4, 5, 6, 7}, {8, 9, 10, 11, 12, 13, 14, 15}};
  CHECK(gc.bandwidth("mesh", Op::kAllGather, tp) == Approx(8.0 / 7 * 7 * 22.4e9).epsilon(1e-6));
  CHECK(gc.bandwidth("ring", Op::kAllGather, tp) == Approx(8.0 / 7 * 22.4e9).epsilon(1e-6));
  const GroupTiming ag = gc.time(Op::kAllGather, tp, 64 * 1048576.0);
  CHECK(ag.algorithm == "mesh");
  // The same time as the one-node simulator's mesh.
  const Topology one(s, resolve_scale(s, 1, 0, 0));
  const Prediction full = CollectiveSimulator(one).predict(Op::kAllGather, 64 * 1048576, DataType::kFloat, "mesh");
  CHECK(ag.time_s * 1e6 == Approx(full.time_us).epsilon(1e-3));
  // A group spanning two nodes cannot use the mesh: ring (or none faster).
  CHECK(gc.time(Op::kAllGather, strided_groups(8, 2, 8), 64 * 1048576.0).algorithm == "ring");
}

TEST_CASE("a ring over two whole nodes leaves each node through every rank's NIC", "[group]") {
  // 16 ranks on 2 DGX H100 nodes. NCCL runs a channel per rail: ring c rotates each node's part by c, so its
  // crossing edges use NIC c. 8 rails of 400 Gb/s at 0.98 carry 8 x 49 GB/s between the nodes against one
  // ring edge's NVLink share: the ring is NVLink-bound, not one NIC's 49 GB/s x 16/30 (what a single ring
  // over the ranks in order gave, before 2026-12-04).
  const SystemSpec s = load_system("dgx-h100");
  const Topology t(s, resolve_scale(s, 2, 0, 0));
  const GroupCollectives gc(t);
  std::vector<int> all(16);
  for (int i = 0; i < 16; ++i) all[static_cast<std::size_t>(i)] = i;
  const double ring = gc.bandwidth("ring", Op::kAllReduce, {all});
  CHECK(ring > 49e9 * 16 / 30 * 7);
  // Uneven parts (6 ranks on node 0, 8 on node 1, as a DP group straddling two NVL72 racks 9 + 7): 6 rails,
  // the smaller part's count; one NIC would give 49 GB/s x 14/26.
  const double rails6 = gc.bandwidth("ring", Op::kAllReduce, {{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}});
  CHECK(rails6 > 49e9 * 14 / 26 * 5);
}

TEST_CASE("a group ring over whole PCIe nodes uses every NIC, as the full ring does", "[group]") {
  // 2 nodes of 8 H100 PCIe with 4 NICs (two GPUs per NIC) at 50 Gb/s, so the NICs bind: each channel must
  // leave and enter a node through its own NIC. Rotating each node's ranks by the channel number left 4
  // channels through NICs 3, 0, 0, 1 (half the bandwidth of coll/ring.cpp's rails, 2026-12-04 review).
  const SystemSpec s = load_system("h100-pcie", {"fabric.nic_speed=50Gb/s"});
  const Topology t(s, resolve_scale(s, 2, 0, 0));
  const GroupCollectives gc(t);
  const CollectiveSimulator sim(t);
  std::vector<int> all(16);
  for (int i = 0; i < 16; ++i) all[static_cast<std::size_t>(i)] = i;
  const double full = sim.bandwidth(*find_algorithm("ring"), Op::kAllReduce).algbw;
  CHECK(gc.bandwidth("ring", Op::kAllReduce, {all}) == Approx(full).epsilon(0.05));
}

TEST_CASE("a calibrated system's group collectives take its scales, as the full-node simulator does",
          "[group]") {
  // t = L x (launch + latency) + S / (B x algbw), with the op's own pair where it has one: a training step on
  // a calibrated system takes the calibrated collectives (it took the plain ones before 2026-12-05).
  const SystemSpec plain = load_system("dgx-h100");
  const SystemSpec cal =
      load_system("dgx-h100", {"calibration.latency_scale=3", "calibration.bandwidth_scale=0.5",
                               "calibration.ops.all_gather.bandwidth_scale=0.25"});
  const Topology tp(plain, resolve_scale(plain, 2, 0, 0)), tc(cal, resolve_scale(cal, 2, 0, 0));
  const GroupCollectives gp(tp), gc(tc);
  const auto dp = strided_groups(8, 2, 8);
  // No bytes: only the fixed part, three times it.
  CHECK(gc.time(Op::kAllReduce, dp, 0).time_s == Approx(3 * gp.time(Op::kAllReduce, dp, 0).time_s));
  // A large buffer: the same choice at half the bandwidth, the fixed part three times.
  const double S = 4e9;
  const GroupTiming p = gp.time(Op::kAllReduce, dp, S), c = gc.time(Op::kAllReduce, dp, S);
  REQUIRE(c.algorithm == p.algorithm);
  CHECK(c.algbw == Approx(0.5 * p.algbw));
  double fixed = -1;  // the chosen algorithm and protocol's launch + latency
  for (const GroupCurve::Choice& ch : gp.curve(Op::kAllReduce, dp).choices)
    if (ch.algorithm == p.algorithm && ch.proto == p.proto) fixed = ch.fixed_s;
  REQUIRE(fixed > 0);
  CHECK(c.time_s == Approx(3 * fixed + 2 * (p.time_s - fixed)).epsilon(1e-9));
  // all_gather has its own bandwidth pair and the system-wide latency.
  CHECK(gc.time(Op::kAllGather, dp, S).algbw == Approx(0.25 * gp.time(Op::kAllGather, dp, S).algbw));
}

TEST_CASE("pairs on NVLink bridges take NVLink's latency, however many pairs the node has", "[group]") {
  // helper-117 (2026-12-06): a TP-2 group on a bridged PCIe box with more than one pair took the PCIe class's
  // latency (243.8 us for a 64 MiB all_gather against 241.5 us with one pair, which is `collective`'s
  // figure).
  const SystemSpec s = load_system("a100-pcie");
  const Topology one(s, resolve_scale(s, 1, 0, 2)), four(s, resolve_scale(s, 1, 0, 8));
  const double alone = GroupCollectives(one).time(Op::kAllGather, {{0, 1}}, 64.0 * (1 << 20)).time_s;
  const double beside =
      GroupCollectives(four).time(Op::kAllGather, {{0, 1}, {2, 3}, {4, 5}, {6, 7}}, 64.0 * (1 << 20)).time_s;
  CHECK(beside == Approx(alone).epsilon(1e-9));
  // A group across two pairs hops over PCIe: its latency is PCIe's, larger.
  const double across = GroupCollectives(four).time(Op::kAllGather, {{0, 2}, {1, 3}}, 8.0).time_s;
  CHECK(across > GroupCollectives(four).time(Op::kAllGather, {{0, 1}, {2, 3}}, 8.0).time_s);
}

TEST_CASE("a group's point-to-point runs LL up to 16 KiB per peer, as the full-node simulator does",
          "[group]") {
  // A pipeline pair across two nodes, and an EP alltoall of 8 ranks (2 KiB per peer at 16 KiB).
  const SystemSpec s = load_system("dgx-h100");
  const Topology t(s, resolve_scale(s, 2, 0, 0));
  const GroupCollectives gc(t);
  CHECK(gc.time(Op::kSendRecv, {{0, 8}}, 16384).proto == Proto::kLL);
  CHECK(gc.time(Op::kSendRecv, {{0, 8}}, 32768).proto == Proto::kSimple);
  CHECK(gc.time(Op::kAllToAll, strided_groups(1, 8, 2), 8 * 16384).proto == Proto::kLL);
  CHECK(gc.time(Op::kAllToAll, strided_groups(1, 8, 2), 8 * 32768).proto == Proto::kSimple);
}
