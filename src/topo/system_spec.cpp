#include "topo/system_spec.hpp"

#include "hw/catalog.hpp"
#include "hw/link_tech.hpp"

namespace commsim {

const char* scale_up_type_name(ScaleUpType t) {
  switch (t) {
    case ScaleUpType::kNvswitch: return "nvswitch";
    case ScaleUpType::kMesh: return "mesh";
    case ScaleUpType::kPairs: return "pairs";
    case ScaleUpType::kNone: return "none";
  }
  return "?";
}

static void check_header(YamlMap& m, const std::string& kind) {
  if (m.has("schema_version")) {
    const long v = m.integer("schema_version");
    if (v != 1) m.fail("schema_version", "unsupported schema_version " + std::to_string(v) + " (this build reads 1)");
  }
  if (m.has("kind") && m.str("kind") != kind) m.fail("kind", "expected kind: " + kind);
}

NodeSpec parse_node(YamlMap& m) {
  NodeSpec n;
  check_header(m, "node");
  n.file = m.file();
  // A catalog node without a name is its file's; an inline one "inline".
  const std::string node_stem = catalog_stem(n.file, "topologies/nodes");
  n.name = m.str_or("name", node_stem.empty() ? "inline" : node_stem);
  check_catalog_name(m, n.file, "topologies/nodes", n.name, "node");
  n.description = m.str_or("description", "");
  n.gpus = static_cast<int>(m.integer("gpus", 1));
  if (n.gpus > 1024) m.fail("gpus", "a node (scale-up domain) of more than 1024 packages is not supported");

  YamlMap b = m.map("board");
  n.board.gpus = static_cast<int>(b.integer("gpus", 1));
  n.board.sockets = static_cast<int>(b.integer_or("sockets", 1, 1));
  n.board.pcie_switches_per_socket = static_cast<int>(b.integer_or("pcie_switches_per_socket", 0, 0));
  n.board.nics = static_cast<int>(b.integer_or("nics", 0, 0));
  n.where["node.board.nics"] = b.loc("nics");
  if (n.board.sockets > 8) b.fail("sockets", "at most 8 sockets per board");
  if (n.board.pcie_switches_per_socket > 16) b.fail("pcie_switches_per_socket", "at most 16 PCIe switches per socket");
  if (n.board.nics > 64) b.fail("nics", "at most 64 NICs per board");
  b.finish();
  if (n.gpus % n.board.gpus != 0) {
    const std::string what = "node gpus (" + std::to_string(n.gpus) + ") must be a multiple of board.gpus (" +
                             std::to_string(n.board.gpus) + ")";
    // blamed on the one --set changed (--set node.board.gpus=3 named the node file's gpus line)
    if (b.loc("gpus").file == "--set" && m.loc("gpus").file != "--set") b.fail("gpus", what);
    m.fail("gpus", what);
  }
  // Each GPU sends through one NIC (its rail); a second NIC per GPU was dropped without a word, and a
  // dual-rail board ran at half its scale-out bandwidth.
  if (n.board.nics > n.board.gpus) {
    const std::string what =
        std::to_string(n.board.nics) + " NICs for " + std::to_string(n.board.gpus) +
        " GPUs: each GPU sends through one NIC here; give one NIC per GPU with the NICs' sum as the "
        "fabric's nic_speed (two 200 Gb/s NICs per GPU: nics " +
        std::to_string(n.board.gpus) + ", nic_speed 400Gb/s)";
    // blamed on the one --set changed (--set node.board.gpus=4 named the shipped file's nics line)
    if (b.loc("gpus").file == "--set" && b.loc("nics").file != "--set") b.fail("gpus", what);
    b.fail("nics", what);
  }

  YamlMap su = m.map("scale_up");
  const std::string type = su.choice("type", {"nvswitch", "mesh", "pairs", "none"});
  n.scale_up = type == "nvswitch" ? ScaleUpType::kNvswitch
               : type == "mesh"   ? ScaleUpType::kMesh
               : type == "pairs"  ? ScaleUpType::kPairs
                                  : ScaleUpType::kNone;
  n.nvls = su.boolean_or("nvls", false);
  if (auto bw = su.optional_figure("bandwidth", Dimension::kBandwidth)) n.scale_up_bandwidth = bw->value;
  n.scale_up_technology = su.str_or("technology", "");
  // checked here, at its line (or --set): the topology named the node file without a line
  if (!n.scale_up_technology.empty())
    LinkTechs::shipped().scale_up(n.scale_up_technology, su.loc("technology"));
  su.finish();
  if (n.nvls && n.scale_up != ScaleUpType::kNvswitch)  // on the key --set changed, else at nvls
    su.fail(su.loc("type").file == "--set" ? "type" : "nvls", "nvls needs scale_up.type: nvswitch");
  if (n.gpus / n.board.gpus > 1 && n.scale_up == ScaleUpType::kNone) {
    m.fail("scale_up", "a node of several boards needs a scale-up fabric (type nvswitch or mesh)");
  }

  if (auto p = m.optional_map("pcie")) {
    n.pcie_generation = static_cast<int>(p->integer_or("generation", 5, 1));
    if (n.pcie_generation > 7) p->fail("generation", "PCIe generation must be between 1 and 7");
    n.switch_uplink_lanes = static_cast<int>(p->integer_or("switch_uplink_lanes", 16, 1));
    n.nic_lanes = static_cast<int>(p->integer_or("nic_lanes", 16, 1));
    // A PCIe link is at most x32 wide, as a GPU's `pcie.lanes`: 1000 lanes was read as a 1000-lane uplink.
    if (n.switch_uplink_lanes > 32) p->fail("switch_uplink_lanes", "PCIe lanes must be at most 32");
    if (n.nic_lanes > 32) p->fail("nic_lanes", "PCIe lanes must be at most 32");
    n.p2p = p->boolean_or("p2p", true);
    p->finish();
  }
  if (auto cpu = m.optional_map("cpu")) {
    const std::string v = cpu->choice("vendor", {"intel", "amd", "arm", "other"});
    n.cpu_vendor = v == "intel" ? CpuVendor::kIntel
                   : v == "amd" ? CpuVendor::kAmd
                   : v == "arm" ? CpuVendor::kArm
                                : CpuVendor::kOther;
    cpu->str_or("source", "");
    if (cpu->has("kind")) cpu->choice("kind", provenance_kinds());
    cpu->finish();
  }
  if (n.board.sockets > 1) {
    YamlMap s = m.map("inter_socket");
    n.inter_socket_bandwidth = s.quantity("bandwidth", Dimension::kBandwidth);
    s.finish();
  } else if (auto s = m.optional_map("inter_socket")) {
    n.inter_socket_bandwidth = s->quantity("bandwidth", Dimension::kBandwidth);
    s->finish();
  }
  if (auto h = m.optional_map("host_link")) {
    const std::string t = h->choice("type", {"pcie", "c2c"});
    n.host_c2c = t == "c2c";
    if (n.host_c2c) n.c2c_bandwidth = h->quantity("bandwidth", Dimension::kBandwidth);
    h->finish();
  }
  if (auto c = m.optional_map("chiplet")) {
    n.dies_per_package = static_cast<int>(c->integer("dies", 1));
    if (n.dies_per_package > 16) c->fail("dies", "at most 16 dies per package");
    n.d2d_bandwidth = c->quantity("d2d_bandwidth", Dimension::kBandwidth);
    c->finish();
  }
  m.finish();
  return n;
}

const char* cpu_vendor_name(CpuVendor v) {
  switch (v) {
    case CpuVendor::kIntel:
      return "intel";
    case CpuVendor::kAmd:
      return "amd";
    case CpuVendor::kArm:
      return "arm";
    case CpuVendor::kOther:
      return "other";
  }
  return "?";
}

FabricSpec parse_fabric(YamlMap& m) {
  FabricSpec f;
  check_header(m, "fabric");
  f.file = m.file();
  const std::string fabric_stem = catalog_stem(f.file, "topologies/fabrics");
  f.name = m.str_or("name", fabric_stem.empty() ? "inline" : fabric_stem);
  check_catalog_name(m, f.file, "topologies/fabrics", f.name, "fabric");
  f.description = m.str_or("description", "");
  const std::string topo = m.choice("topology", {"rail-optimized", "fat-tree"});
  f.topology = topo == "fat-tree" ? FabricTopology::kFatTree : FabricTopology::kRailOptimized;
  f.transport = m.choice("transport", {"ib", "roce", "tcp", "ub"});
  f.nic_speed = m.quantity("nic_speed", Dimension::kBandwidth);
  f.efficiency = m.figure("efficiency", Dimension::kRatio);
  // Under 1% of the line rate is a typo: 1e-310 made every time inf (printed with exit 0).
  if (f.efficiency.value > 1.0 || f.efficiency.value < 0.01) m.fail("efficiency", "efficiency must be in [0.01, 1]");
  // A switch has a few hundred ports; 2147483647 overflowed the leaf count (a crash, 2026-12-06).
  const long leaf_ports = m.integer_or("leaf_ports", 32, 1);
  if (leaf_ports > 65536)
    m.fail("leaf_ports", std::to_string(leaf_ports) + " NIC ports per leaf switch: at most 65536");
  f.leaf_ports = static_cast<int>(leaf_ports);
  f.oversubscription = m.quantity_or("oversubscription", Dimension::kRatio, 1.0);
  if (f.oversubscription < 1.0 || f.oversubscription > 1000.0)
    m.fail("oversubscription", "oversubscription (downlink:uplink) must be in [1, 1000]");
  m.finish();
  return f;
}

}  // namespace commsim
