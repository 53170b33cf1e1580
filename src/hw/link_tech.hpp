// Link technologies (topologies/links.yaml): what a link type can carry in practice. A link's usable
// bandwidth is its raw per-direction bandwidth times the technology's efficiency, e.g. NVLink4
// 25 GB/s x 0.824 = 20.6 GB/s per link (NCCL's own per-link figure for sm90).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/yaml_reader.hpp"

namespace commsim {

// The latency class NCCL's tuning tables use for a path (NVLINK, PCI, NET).
enum class LinkClass { kNvlink, kPci, kNet };
const char* link_class_name(LinkClass c);

struct LinkTech {
  std::string name;
  std::string description;
  LinkClass cls = LinkClass::kNvlink;
  Figure efficiency;  // usable / raw
  bool scale_up = false;  // GPU-to-GPU ports a GPU's or node's scale_up.technology may name
};

class LinkTechs {
 public:
  // Loads topologies/links.yaml (or `path`).
  static LinkTechs load(const std::string& path);
  static const LinkTechs& shipped();  // cached load of the shipped file

  const LinkTech& get(const std::string& name, const SourceLoc& where) const;  // throws InputError listing names
  // get(), and InputError unless it is a scale-up link: `pcie` or `nic` as a GPU's scale_up.technology
  // changed the answer without a word (helper-169).
  const LinkTech& scale_up(const std::string& name, const SourceLoc& where) const;
  bool has(const std::string& name) const { return techs_.count(name) != 0; }
  // Raw per-lane, per-direction bandwidth of a PCIe generation (bytes/s).
  double pcie_lane_bandwidth(int generation, const SourceLoc& where) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, LinkTech> techs_;
  std::map<int, double> pcie_lane_bw_;
};

}  // namespace commsim
