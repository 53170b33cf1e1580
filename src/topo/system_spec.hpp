// Platform description (SimGrid's "platform" layer): what a system is made of, parsed from YAML parts.
//
//   system  = gpu (catalog) + node (a scale-up domain of boards) + fabric (scale-out network) + nodes
//   node    = boards x board {gpus, sockets, PCIe switches, NICs} joined by a scale-up fabric
//             (NVSwitch, direct mesh, NVLink pairs, or none), optionally chiplet packages of several dies
//   fabric  = rail-optimized or fat-tree leaves under an aggregated spine, with NIC speed, oversubscription
//             and the transport's achieved efficiency
//
// Every key, unit and default is documented in docs/config.md.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hw/gpu_spec.hpp"

namespace commsim {

enum class ScaleUpType { kNvswitch, kMesh, kPairs, kNone };
const char* scale_up_type_name(ScaleUpType t);

struct BoardSpec {
  int gpus = 8;                      // packages per board (tray)
  int sockets = 2;                   // CPU sockets per board
  int pcie_switches_per_socket = 2;  // 0: GPUs and NICs hang off the CPU root ports
  int nics = 8;                      // scale-out NICs per board
};

// The host CPU's vendor, as NCCL reads it (topo.cc ncclTopoCpuType): it picks the LL protocol's cap across
// nodes (tuning.cc llMaxBws: AMD's row, else Intel's) and how far GPU peer-to-peer reaches over PCIe
// (paths.cc ncclTopoCheckP2p: PATH_PXB, PATH_SYS on AMD with at most 2 GPUs). kOther: not stated, read as
// NCCL reads every vendor but AMD.
enum class CpuVendor { kOther, kIntel, kAmd, kArm };
const char* cpu_vendor_name(CpuVendor v);

struct NodeSpec {
  std::string name, description, file;
  int gpus = 8;  // packages per node (the scale-up domain: 8 for HGX, 72 for NVL72, 384 for CloudMatrix)
  BoardSpec board;
  ScaleUpType scale_up = ScaleUpType::kNvswitch;
  bool nvls = false;                       // in-switch reduction (NVLink SHARP)
  std::optional<double> scale_up_bandwidth;  // per package per direction, raw; default from the GPU
  std::string scale_up_technology;           // default from the GPU
  int pcie_generation = 5;
  int switch_uplink_lanes = 16;
  int nic_lanes = 16;
  bool p2p = true;                 // GPU peer-to-peer over PCIe; false: staged through host memory
  CpuVendor cpu_vendor = CpuVendor::kOther;  // node.cpu.vendor
  // NCCL's peer-to-peer level over PCIe: pairs whose path crosses a CPU (PHB, SYS) are staged through host
  // memory unless the host is AMD with at most 2 of the job's GPUs on it (NCCL counts the communicator's
  // GPUs on the host, not the board's: helper-143).
  bool p2p_through_cpu(int gpus_used) const { return cpu_vendor == CpuVendor::kAmd && gpus_used <= 2; }
  double inter_socket_bandwidth = 0;  // per direction, raw
  bool host_c2c = false;           // GPUs attach to their CPU over NVLink-C2C instead of PCIe
  double c2c_bandwidth = 0;        // per direction, raw
  int dies_per_package = 1;        // >1: chiplet packages; each die is a rank
  double d2d_bandwidth = 0;        // die-to-die, per direction, raw
  // Where keys checked after loading were written (their file line, or --set), keyed "node.board.nics": a
  // later refusal (a topology without NICs over several nodes) names the place, not the file alone.
  std::map<std::string, SourceLoc> where;
};

enum class FabricTopology { kRailOptimized, kFatTree };

struct FabricSpec {
  std::string name, description, file;
  FabricTopology topology = FabricTopology::kRailOptimized;
  std::string transport;  // ib | roce | tcp | ub
  double nic_speed = 0;   // per NIC per direction, raw bytes/s
  Figure efficiency;      // achieved / line rate for NCCL traffic on this fabric
  int leaf_ports = 32;    // NIC-facing ports per leaf switch
  double oversubscription = 1.0;  // leaf downlink : uplink
};

// Measured corrections to the model (the optional `calibration:` section; `commsim calibrate` writes it):
//   t = latency_scale x (launch overhead + latency) + bytes term / b(S),
//   b(S) = bandwidth_scale if S <= cache_bytes[0] (or no cache_bytes); above it graded: the first
//          cache_bytes[0] bytes at bandwidth_scale, those from cache_bytes[k] up at dram_bandwidth_scale[k]
//          (bandwidth_scale_at; docs/benchmark.md, "Cache cliffs")
// (S the per-rank size; the optional cache cliffs of a host whose working set leaves a cache level: one
// (last-level cache to DRAM) or more (L2 to L3 to DRAM), written as one size and one scale or as two
// equal-length lists) with one set of scales for the whole system and, optionally, one per operation
// (`ops:`), since an MPI library or an NCCL version may implement each collective differently.
struct CacheCliff {
  double bytes = 0;              // > 0: the per-rank size above which ...
  double bandwidth_scale = 1.0;  // ... this scale replaces the one below (> 0)
  bool operator==(const CacheCliff&) const = default;
};

struct CalibrationScales {
  double latency_scale = 1.0;    // > 0
  double bandwidth_scale = 1.0;  // > 0; multiplies the algorithm bandwidth
  std::vector<CacheCliff> cliffs;  // ascending bytes; empty: no cliff
  // 1 / y(S): the bytes up to each cache size at that level's speed, the rest at the next level's.
  double bandwidth_scale_at(double bytes) const {
    if (cliffs.empty() || !(bytes > cliffs.front().bytes)) return bandwidth_scale;
    double done = cliffs.front().bytes, time = done / bandwidth_scale, s = cliffs.front().bandwidth_scale;
    for (std::size_t k = 1; k < cliffs.size() && bytes > cliffs[k].bytes; ++k) {
      time += (cliffs[k].bytes - done) / s;
      done = cliffs[k].bytes, s = cliffs[k].bandwidth_scale;
    }
    time += (bytes - done) / s;
    return bytes / time;
  }
  bool operator==(const CalibrationScales&) const = default;
};

struct Calibration {
  CalibrationScales system;                      // system-wide, for ops without their own scales
  std::map<std::string, CalibrationScales> ops;  // by nccl-tests op name
  std::string kind, source;      // provenance of the section (kind: calibrated)
  std::map<std::string, std::vector<std::size_t>> cliff_rows;  // by op ("" system-wide): rows above each fitted cliff (provenance)
  bool active() const { return system != CalibrationScales{} || !ops.empty(); }
  const CalibrationScales& for_op(const std::string& op) const {
    auto it = ops.find(op);
    return it != ops.end() ? it->second : system;
  }
};

struct SystemSpec {
  std::string name, description, file;
  GpuSpec gpu;
  NodeSpec node;
  FabricSpec fabric;
  int default_nodes = 1;
  SourceLoc default_nodes_at;  // the system file's `nodes` (a scale beyond the model names it)
  Calibration calibration;
  std::vector<std::pair<std::string, std::string>> overrides;  // --set key=value, in order
  int ranks_per_package() const { return node.dies_per_package; }
};

NodeSpec parse_node(YamlMap& m);
FabricSpec parse_fabric(YamlMap& m);

}  // namespace commsim
