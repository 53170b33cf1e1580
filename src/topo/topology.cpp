#include "topo/topology.hpp"

#include <algorithm>
#include <cmath>

namespace commsim {

const char* vertex_kind_name(VertexKind k) {
  switch (k) {
    case VertexKind::kGpu: return "gpu";
    case VertexKind::kScaleUpSwitch: return "scale-up switch";
    case VertexKind::kPcieSwitch: return "pcie switch";
    case VertexKind::kCpu: return "cpu";
    case VertexKind::kNic: return "nic";
    case VertexKind::kLeaf: return "leaf";
    case VertexKind::kSpine: return "spine";
  }
  return "?";
}

namespace {

// Where a node key came from: "--set" when an override set it, else the node file.
SourceLoc node_key_loc(const SystemSpec& spec, const std::string& key) {
  for (const auto& [k, v] : spec.overrides)
    if (k == key) return SourceLoc{"--set", 0, 0, key};
  if (const auto at = spec.node.where.find(key); at != spec.node.where.end()) return at->second;
  return SourceLoc{spec.node.file, 0, 0, key};
}

}  // namespace

Scale resolve_scale(const SystemSpec& spec, int nodes, int gpus, int gpus_per_node, const ScaleNames& names,
                    int min_ranks) {
  const int full = spec.node.gpus;
  Scale s;
  if (nodes < 0 || gpus < 0 || gpus_per_node < 0)
    throw InputError(names.nodes + ", " + names.gpus + " and " + names.gpus_per_node + " must be positive");
  if (gpus_per_node > full) {
    throw InputError(names.gpus_per_node + " " + std::to_string(gpus_per_node) + " exceeds the " + std::to_string(full) +
                     " GPUs per node of system '" + spec.name + "'");
  }
  s.gpus_per_node = gpus_per_node > 0 ? gpus_per_node : full;
  // Evenly over the fewest nodes that hold them: a supernode may be filled partially (128 on NVL72: 2 x 64).
  auto splits_evenly = [full](long c) { return c > 0 && c % ((c + full - 1) / full) == 0; };
  if (gpus > 0 && nodes > 0) {
    if (static_cast<long>(nodes) * s.gpus_per_node != gpus) {
      throw InputError(names.gpus + " " + std::to_string(gpus) + " does not equal " + names.nodes + " " + std::to_string(nodes) + " x " +
                       std::to_string(s.gpus_per_node) + " GPUs per node");
    }
    s.nodes = nodes;
  } else if (gpus > 0) {
    if (gpus < s.gpus_per_node && gpus_per_node == 0) {
      s.gpus_per_node = gpus;  // a partially filled node (supernode) or a subset of one box
      s.nodes = 1;
    } else if (gpus % s.gpus_per_node != 0 && gpus_per_node == 0 && spec.node.gpus > spec.node.board.gpus &&
               splits_evenly(gpus)) {
      // Several partially filled supernodes, evenly: 128 GPUs on NVL72 racks = 2 racks of 64.
      s.nodes = (gpus + full - 1) / full;
      s.gpus_per_node = gpus / s.nodes;
    } else if (gpus % s.gpus_per_node != 0) {
      // A supernode may be filled partially, evenly over the fewest nodes that hold the GPUs: say so, with
      // the nearest counts that split (2300 on NVL72 racks: 32 racks, 2272 or 2304; it said only "not a
      // multiple of 72", though 100 ran as 2 racks of 50).
      std::string rule = " is not a multiple of the " + std::to_string(s.gpus_per_node) +
                         " GPUs per node of system '" + spec.name + "'";
      if (gpus_per_node == 0 && spec.node.gpus > spec.node.board.gpus) {
        // The nearest counts that do split, each over its own fewest nodes (289 GPUs: 288 and 290, not 285,
        // which needs 4 racks of 71.25).
        long lo = gpus - 1L, hi = gpus + 1L;  // a multiple of full splits: hi stops within full
        while (lo > 0 && !splits_evenly(lo)) --lo;
        while (!splits_evenly(hi)) ++hi;
        rule += ", nor split evenly over the " + std::to_string((gpus + full - 1) / full) +
                " nodes that hold it (a supernode may be filled partially, the same GPUs in each: " +
                (lo > 0 ? std::to_string(lo) + " or " : std::string()) + std::to_string(hi) + " GPUs would)";
      }
      throw InputError(names.gpus + " " + std::to_string(gpus) + rule + " (use " + names.gpus_per_node +
                       " to change it)");
    } else {
      s.nodes = gpus / s.gpus_per_node;
    }
  } else {
    s.nodes = nodes > 0 ? nodes : spec.default_nodes;
  }
  const long ranks = static_cast<long>(s.nodes) * s.gpus_per_node * spec.node.dies_per_package;
  // Named by what set the scale (train attributes the message's leading key to the file, --set or the flag).
  auto scale_error = [&](const std::string& what) {
    std::string by;
    if (gpus > 0) {
      by = names.gpus + " " + std::to_string(gpus);
    } else if (nodes > 0) {
      by = names.nodes + " " + std::to_string(nodes);
    } else if (gpus_per_node > 0) {
      by = names.gpus_per_node + " " + std::to_string(gpus_per_node);
    } else {
      by = "system '";
      by += spec.name;
      by += "' (" + std::to_string(s.nodes) + " nodes)";
      // The default scale from a --set nodes=N names it (it read as the system's own).
      for (const auto& [k, v] : spec.overrides)
        if (k == "nodes") return InputError(SourceLoc{"--set", 0, 0, "nodes"}, by + ": " + what);
      if (!spec.default_nodes_at.file.empty()) return InputError(spec.default_nodes_at, by + ": " + what);
    }
    return InputError(by + ": " + what);
  };
  if (ranks > kMaxRanks)
    throw scale_error(std::to_string(ranks) + " ranks is more than commsim models (at most " + std::to_string(kMaxRanks) + ")");
  if (ranks < min_ranks)
    throw scale_error(names.needs_two + " needs at least 2 ranks (got " + std::to_string(ranks) + ")");
  return s;
}

Topology::Topology(const SystemSpec& spec, const Scale& scale) : spec_(spec), nodes_(scale.nodes) {
  packages_per_node_ = scale.gpus_per_node;
  ranks_per_node_ = packages_per_node_ * spec_.node.dies_per_package;
  build_node_template();
  // Node k's block is node 0's shifted by k blocks (link(), vertex()); nothing is copied.
  vertices_per_node_ = static_cast<int>(vertices_.size());
  links_per_node_ = static_cast<int>(links_.size());
  if (nodes_ > 1) {
    if (nic_local_.empty()) {
      const SourceLoc at = node_key_loc(spec_, "node.board.nics");  // --set node.board.nics=0 named the file
      throw InputError(
          at, "disconnected topology: " + std::to_string(nodes_) + " nodes requested but node '" +
                  spec_.node.name + "' has no NIC" +
                  (at.file == "--set"
                       ? std::string()
                       : ": a one-node system (ask for one node, or give the node NICs and a fabric)"));
    }
    build_fabric();
  }
}

int Topology::add_vertex(VertexKind kind, int node, int local) {
  vertices_.push_back(Vertex{kind, node, local});
  out_links_.emplace_back();
  return static_cast<int>(vertices_.size()) - 1;
}

std::string_view Topology::intern(const std::string& name) {
  for (const std::string& n : names_)
    if (n == name) return n;
  return names_.emplace_back(name);
}

int Topology::add_link(int from, int to, double raw, const LinkTech& tech, bool duplex) {
  const double cap = raw * tech.efficiency.value;
  const std::string_view name = intern(tech.name);
  if (building_fabric_) {
    fabric_links_.push_back(Link{from, to, cap, raw, tech.cls, name});
    if (duplex) fabric_links_.push_back(Link{to, from, cap, raw, tech.cls, name});
    return nodes_ * links_per_node_ + static_cast<int>(fabric_links_.size()) - (duplex ? 2 : 1);
  }
  links_.push_back(Link{from, to, cap, raw, tech.cls, name});
  const int id = static_cast<int>(links_.size()) - 1;
  if (from < static_cast<int>(out_links_.size())) out_links_[from].push_back(id);
  if (duplex) {
    links_.push_back(Link{to, from, cap, raw, tech.cls, name});
    if (to < static_cast<int>(out_links_.size())) out_links_[to].push_back(id + 1);
  }
  return id;
}

void Topology::build_node_template() {
  const NodeSpec& n = spec_.node;
  const GpuSpec& g = spec_.gpu;
  const LinkTechs& techs = LinkTechs::shipped();
  const SourceLoc node_loc{n.file, 0, 0, "node"};
  const LinkTech& pcie = techs.get("pcie", node_loc);
  const int dies = n.dies_per_package;
  const int boards = (packages_per_node_ + n.board.gpus - 1) / n.board.gpus;
  const int sockets = n.board.sockets;
  const int switches = n.board.pcie_switches_per_socket * sockets;  // per board
  const double lane_gpu = techs.pcie_lane_bandwidth(static_cast<int>(g.pcie_generation.value), SourceLoc{g.file, 0, 0, "gpu.pcie.generation"});
  const double lane_node = techs.pcie_lane_bandwidth(n.pcie_generation, SourceLoc{n.file, 0, 0, "node.pcie.generation"});
  const double gpu_pcie_raw = lane_gpu * g.pcie_lanes.value / dies;

  // Scale-up switch first so its index is stable.
  if (n.scale_up == ScaleUpType::kNvswitch) switch_local_ = add_vertex(VertexKind::kScaleUpSwitch, 0, 0);

  rank_local_.assign(ranks_per_node_, -1);
  rank_cpu_.assign(ranks_per_node_, 0);
  rank_nic_.assign(ranks_per_node_, -1);
  rank_attach_.assign(ranks_per_node_, -1);
  std::vector<int> all_nic_vertices;
  std::vector<int> nic_board_first;
  for (int b = 0; b < boards; ++b) {
    std::vector<int> cpus, sws;
    for (int s = 0; s < sockets; ++s) {
      cpus.push_back(add_vertex(VertexKind::kCpu, 0, static_cast<int>(cpu_local_.size())));
      cpu_local_.push_back(cpus.back());
    }
    if (sockets > 1) {
      const LinkTech& sock = techs.get("cpu-socket", node_loc);
      for (int i = 0; i < sockets; ++i)
        for (int j = i + 1; j < sockets; ++j) add_link(cpus[i], cpus[j], n.inter_socket_bandwidth, sock);
    }
    for (int s = 0; s < switches; ++s) {
      sws.push_back(add_vertex(VertexKind::kPcieSwitch, 0, b * switches + s));
      add_link(sws.back(), cpus[s * sockets / switches], lane_node * n.switch_uplink_lanes, pcie);
    }
    // Packages on this board (the last board may be partially used).
    const int first_pkg = b * n.board.gpus;
    const int last_pkg = std::min(packages_per_node_, first_pkg + n.board.gpus);
    std::vector<int> board_nics;
    for (int k = 0; k < n.board.nics; ++k) {
      board_nics.push_back(-1);  // created lazily below, only when a used GPU needs it
    }
    for (int p = first_pkg; p < last_pkg; ++p) {
      const int in_board = p - first_pkg;
      const int cpu = in_board * sockets / n.board.gpus;
      for (int d = 0; d < dies; ++d) {
        const int r = p * dies + d;
        rank_local_[r] = add_vertex(VertexKind::kGpu, 0, r);
        rank_cpu_[r] = b * sockets + cpu;
        if (n.host_c2c) {
          rank_attach_[r] = cpus[cpu];
          add_link(rank_local_[r], cpus[cpu], n.c2c_bandwidth / dies, techs.get("c2c", node_loc));
        } else if (switches > 0) {
          rank_attach_[r] = sws[in_board * switches / n.board.gpus];
          add_link(rank_local_[r], rank_attach_[r], gpu_pcie_raw, pcie);
        } else {
          rank_attach_[r] = cpus[cpu];
          add_link(rank_local_[r], cpus[cpu], gpu_pcie_raw, pcie);
        }
        if (d > 0) add_link(rank_local_[r - 1], rank_local_[r], n.d2d_bandwidth, techs.get("d2d", node_loc));
      }
      if (n.board.nics > 0) {
        const int k = in_board * n.board.nics / n.board.gpus;
        if (board_nics[k] < 0) {
          board_nics[k] = add_vertex(VertexKind::kNic, 0, static_cast<int>(nic_local_.size()));
          nic_local_.push_back(board_nics[k]);
          nic_rank_.push_back(p * dies);
          const double nic_raw = lane_node * n.nic_lanes;
          nic_attach_.push_back(switches > 0 ? sws[k * switches / n.board.nics] : cpus[k * sockets / n.board.nics]);
          add_link(board_nics[k], nic_attach_.back(), nic_raw, pcie);
        }
        const int nic_index = vertices_[board_nics[k]].local;
        for (int d = 0; d < dies; ++d) rank_nic_[p * dies + d] = nic_index;
      }
    }
  }

  // Scale-up fabric.
  rank_scale_up_bw_ = 0;
  intra_class_ = LinkClass::kPci;
  if (n.scale_up != ScaleUpType::kNone) {
    const std::string tech_name = !n.scale_up_technology.empty() ? n.scale_up_technology
                                  : g.scale_up                    ? g.scale_up->technology
                                                                  : std::string();
    if (tech_name.empty()) {
      // The GPU's section removed by --set (gpu.scale_up=~) is named there; it blamed the node file.
      if (const auto at = g.where.find("scale_up"); at != g.where.end() && at->second.file == "--set")
        throw InputError(at->second, "GPU '" + g.name + "' left with no scale_up section, but node '" +
                                         n.name +
                                         "' has a scale-up fabric; set node.scale_up.technology and "
                                         "node.scale_up.bandwidth, or node.scale_up.type=none");
      throw InputError(SourceLoc{n.file, 0, 0, "node.scale_up"},
                       "node '" + n.name + "' has a scale-up fabric but GPU '" + g.name +
                           "' has no scale_up section; set node.scale_up.technology and node.scale_up.bandwidth");
    }
    const LinkTech& tech = techs.get(tech_name, SourceLoc{n.file, 0, 0, "node.scale_up.technology"});
    double pkg_bw = n.scale_up_bandwidth ? *n.scale_up_bandwidth : (g.scale_up ? g.scale_up->bandwidth() : 0.0);
    if (pkg_bw <= 0) {
      throw InputError(SourceLoc{n.file, 0, 0, "node.scale_up.bandwidth"}, "scale-up bandwidth must be positive");
    }
    intra_class_ = tech.cls;
    const double rank_bw = pkg_bw / dies;
    rank_scale_up_bw_ = rank_bw * tech.efficiency.value;
    if (n.scale_up == ScaleUpType::kNvswitch) {
      for (int r = 0; r < ranks_per_node_; ++r) add_link(rank_local_[r], switch_local_, rank_bw, tech);
    } else if (n.scale_up == ScaleUpType::kMesh) {
      const double per_peer = pkg_bw / std::max(1, n.gpus - 1) / (dies * dies);
      for (int a = 0; a < ranks_per_node_; ++a)
        for (int b = a + 1; b < ranks_per_node_; ++b)
          if (a / dies != b / dies) add_link(rank_local_[a], rank_local_[b], per_peer, tech);
      rank_scale_up_bw_ = per_peer * tech.efficiency.value * (n.gpus - 1) * dies;
    } else if (n.scale_up == ScaleUpType::kPairs) {
      for (int p = 0; p + 1 < packages_per_node_; p += 2)
        for (int d = 0; d < dies; ++d) add_link(rank_local_[p * dies + d], rank_local_[(p + 1) * dies + d], rank_bw, tech);
      if (packages_per_node_ > 2) intra_class_ = LinkClass::kPci;  // pairs do not join the whole node
    }
  }
}

double Topology::nic_bandwidth() const { return spec_.fabric.nic_speed * spec_.fabric.efficiency.value; }

int Topology::rank_vertex(int rank) const {
  return node_of(rank) * vertices_per_node_ + rank_local_[rank % ranks_per_node_];
}

int Topology::leaf_block_nodes() const {
  const int ports = std::max(1, spec_.fabric.leaf_ports);
  if (spec_.fabric.topology == FabricTopology::kRailOptimized) return ports;
  return std::max(1, ports / std::max(1, nics_per_node()));
}

int Topology::leaf_of_nic(int node, int nic) const {
  const int nics = nics_per_node();
  if (spec_.fabric.topology == FabricTopology::kRailOptimized) return nic * leaves_per_rail_ + node / leaf_block_nodes();
  return (node * nics + nic) / std::max(1, spec_.fabric.leaf_ports);
}

void Topology::build_fabric() {
  const FabricSpec& f = spec_.fabric;
  const LinkTech& nic_tech = LinkTechs::shipped().get("nic", SourceLoc{f.file, 0, 0, "fabric"});
  LinkTech fabric_tech = nic_tech;
  fabric_tech.efficiency = f.efficiency;
  fabric_tech.name = "fabric-" + f.transport;
  const int nics = nics_per_node();
  int leaves = 0;
  if (f.topology == FabricTopology::kRailOptimized) {
    leaves_per_rail_ = (nodes_ + f.leaf_ports - 1) / f.leaf_ports;
    leaves = leaves_per_rail_ * nics;
  } else {
    leaves = (nodes_ * nics + f.leaf_ports - 1) / f.leaf_ports;
  }
  building_fabric_ = true;
  fabric_first_vertex_ = nodes_ * vertices_per_node_;
  for (int l = 0; l < leaves; ++l) fabric_vertices_.push_back(Vertex{VertexKind::kLeaf, -1, l});
  fabric_vertices_.push_back(Vertex{VertexKind::kSpine, -1, 0});
  spine_vertex_ = fabric_first_vertex_ + leaves;
  fabric_links_.reserve(2 * static_cast<std::size_t>(leaves) + 2 * static_cast<std::size_t>(nodes_) * nics_per_node());
  const double uplink = f.nic_speed * f.leaf_ports / f.oversubscription;
  leaf_up_link_.resize(leaves);
  leaf_down_link_.resize(leaves);
  for (int l = 0; l < leaves; ++l) {
    leaf_up_link_[l] = add_link(fabric_first_vertex_ + l, spine_vertex_, uplink, fabric_tech);
    leaf_down_link_[l] = leaf_up_link_[l] + 1;
  }
  nic_links_first_ = nodes_ * links_per_node_ + static_cast<int>(fabric_links_.size());
  nic_to_leaf_link_.resize(static_cast<std::size_t>(nodes_) * nics);
  leaf_to_nic_link_.resize(static_cast<std::size_t>(nodes_) * nics);
  for (int node = 0; node < nodes_; ++node) {
    for (int k = 0; k < nics; ++k) {
      const int nic_vertex = node * vertices_per_node_ + nic_local_[k];
      const int id = add_link(nic_vertex, fabric_first_vertex_ + leaf_of_nic(node, k), f.nic_speed, fabric_tech);
      nic_to_leaf_link_[node * nics + k] = id;
      leaf_to_nic_link_[node * nics + k] = id + 1;
    }
  }
}

}  // namespace commsim
