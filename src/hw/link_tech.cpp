#include "hw/link_tech.hpp"

#include "core/data_path.hpp"

namespace commsim {

const char* link_class_name(LinkClass c) {
  switch (c) {
    case LinkClass::kNvlink: return "nvlink";
    case LinkClass::kPci: return "pci";
    case LinkClass::kNet: return "net";
  }
  return "?";
}

LinkTechs LinkTechs::load(const std::string& path) {
  LinkTechs out;
  YamlMap root(load_yaml_file(path), path);
  if (root.integer("schema_version") != 1) root.fail("schema_version", "unsupported schema_version (this build reads 1)");
  if (root.str("kind") != "link_technologies") root.fail("kind", "expected kind: link_technologies");
  YamlMap techs = root.map("technologies");
  for (const std::string& name : techs.keys()) {
    YamlMap t = techs.map(name);
    LinkTech lt;
    lt.name = name;
    lt.description = t.str_or("description", "");
    const std::string cls = t.choice("class", {"nvlink", "pci", "net"});
    lt.cls = cls == "nvlink" ? LinkClass::kNvlink : cls == "pci" ? LinkClass::kPci : LinkClass::kNet;
    lt.efficiency = t.figure("efficiency", Dimension::kRatio);
    if (lt.efficiency.value > 1.0 || lt.efficiency.value < 0.01) t.fail("efficiency", "efficiency must be in [0.01, 1]");
    lt.scale_up = t.boolean_or("scale_up", false);
    t.finish();
    out.techs_[name] = lt;
  }
  techs.finish();
  YamlMap pcie = root.map("pcie_lane_bandwidth");
  for (const std::string& gen : pcie.keys()) {
    int g = 0;
    try {
      g = std::stoi(gen);
    } catch (const std::exception&) {
      pcie.fail(gen, "PCIe generation keys must be integers");
    }
    out.pcie_lane_bw_[g] = pcie.quantity(gen, Dimension::kBandwidth);
  }
  pcie.finish();
  root.finish();
  return out;
}

const LinkTechs& LinkTechs::shipped() {
  static const LinkTechs techs = load(data_file("topologies/links.yaml"));
  return techs;
}

const LinkTech& LinkTechs::get(const std::string& name, const SourceLoc& where) const {
  auto it = techs_.find(name);
  if (it == techs_.end()) {
    std::string valid;
    for (const auto& n : names()) valid += (valid.empty() ? "" : ", ") + n;
    throw InputError(where, "unknown link technology '" + name + "' (valid: " + valid + ")");
  }
  return it->second;
}

const LinkTech& LinkTechs::scale_up(const std::string& name, const SourceLoc& where) const {
  const LinkTech& t = get(name, where);
  if (!t.scale_up) {
    std::string valid;
    for (const auto& [n, other] : techs_)
      if (other.scale_up) valid += (valid.empty() ? "" : ", ") + n;
    throw InputError(where, "'" + name + "' is not a scale-up link (" + t.description +
                                "); a scale_up.technology is one of " + valid +
                                " (topologies/links.yaml, scale_up: true)");
  }
  return t;
}

double LinkTechs::pcie_lane_bandwidth(int generation, const SourceLoc& where) const {
  auto it = pcie_lane_bw_.find(generation);
  if (it == pcie_lane_bw_.end()) throw InputError(where, "no PCIe generation " + std::to_string(generation) + " in topologies/links.yaml");
  return it->second;
}

std::vector<std::string> LinkTechs::names() const {
  std::vector<std::string> out;
  for (const auto& kv : techs_) out.push_back(kv.first);
  return out;
}

}  // namespace commsim
