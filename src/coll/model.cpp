#include "coll/model.hpp"

#include <algorithm>

#include "core/data_path.hpp"

namespace commsim {

const char* proto_name(Proto p) {
  switch (p) {
    case Proto::kLL: return "LL";
    case Proto::kLL128: return "LL128";
    case Proto::kSimple: return "Simple";
  }
  return "?";
}

bool proto_from_name(const std::string& name, Proto* out) {
  std::string n;
  for (char c : name) n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "ll") *out = Proto::kLL;
  else if (n == "ll128") *out = Proto::kLL128;
  else if (n == "simple") *out = Proto::kSimple;
  else return false;
  return true;
}

namespace {

const char* kLatAlgoNames[kLatAlgos] = {"ring", "tree", "nvls", "nvls_tree", "pat"};

std::array<double, 3> read_triple(YamlMap& m, const std::string& key, Dimension dim) {
  YAML::Node n = m.raw(key);
  if (!n.IsSequence() || n.size() != 3) m.fail(key, "expected a list of three values");
  std::array<double, 3> out{};
  for (std::size_t i = 0; i < 3; ++i) {
    try {
      out[i] = parse_quantity(n[i].Scalar(), dim);
    } catch (const InputError& e) {
      throw InputError(node_loc(n[i], m.file(), m.path().empty() ? key : m.path() + "." + key), e.what());
    }
    if (out[i] < 0) m.fail(key, "values must not be negative");
  }
  return out;
}

// protocols: {value: [ll, simple], kind: ..., source: "..."}. Simple is required: NVLS, direct and
// every algorithm fall back to it.
std::array<bool, 3> read_protocols(YamlMap& m) {
  std::array<bool, 3> on{false, false, false};
  for (const std::string& name : m.strings("value")) {
    Proto p;
    if (!proto_from_name(name, &p))
      m.fail("value", "unknown protocol '" + name + "' (valid: ll, ll128, simple)");
    if (on[static_cast<int>(p)]) m.fail("value", "protocol '" + name + "' is listed twice");
    on[static_cast<int>(p)] = true;
  }
  if (!on[static_cast<int>(Proto::kSimple)])
    m.fail("value", "simple must be listed: every algorithm can run it");
  m.choice("kind", provenance_kinds());
  m.str("source");
  m.str_or("note", "");
  m.finish();
  return on;
}

}  // namespace

CollectiveModel CollectiveModel::load(const std::string& path) {
  CollectiveModel cm;
  YamlMap root(load_yaml_file(path), path);
  if (root.integer("schema_version") != 1) root.fail("schema_version", "unsupported schema_version (this build reads 1)");
  if (root.str("kind") != "collective_model") root.fail("kind", "expected kind: collective_model");
  YamlMap protos = root.map("protocols");
  for (Proto p : kAllProtos) {
    YamlMap pm = protos.map(proto_name(p));
    cm.proto_eff_[static_cast<int>(p)] = pm.ratio("efficiency", 0.01, 1.0);
    pm.finish();
  }
  protos.finish();
  YamlMap base = root.map("base_latency");
  for (int a = 0; a < kLatAlgos; ++a) cm.base_[a] = read_triple(base, kLatAlgoNames[a], Dimension::kTime);
  base.finish();
  YamlMap hw = root.map("hw_latency");
  const char* classes[3] = {"nvlink", "pci", "net"};
  for (int c = 0; c < 3; ++c) {
    YamlMap cls = hw.map(classes[c]);
    for (int a = 0; a < kLatAlgos; ++a) cm.hw_[c][a] = read_triple(cls, kLatAlgoNames[a], Dimension::kTime);
    cls.finish();
  }
  hw.finish();
  cm.net_overhead_ = root.quantity("net_overhead", Dimension::kTime, true);
  cm.ring_simple_factor_ = root.quantity("multi_node_ring_simple_latency_factor", Dimension::kRatio);
  cm.launch_overhead_ = root.quantity("launch_overhead", Dimension::kTime, true);
  cm.p2p_peer_lat_ = root.quantity("p2p_per_peer_latency", Dimension::kTime, true);
  cm.p2p_ll_threshold_ = root.quantity("p2p_ll_threshold", Dimension::kBytes, true);
  YamlMap ramp = root.map("ramp");
  cm.ramp_factor_ = ramp.quantity("factor", Dimension::kRatio, true);
  cm.ramp_saturation_ = ramp.quantity("saturation", Dimension::kBytes, true);
  ramp.finish();
  cm.tree_eff_ = root.ratio("tree_efficiency", 0.01, 1.0);
  cm.pat_eff_ = root.ratio("pat_efficiency", 0.01, 1.0);
  cm.pat_rank_lat_ = root.quantity("pat_per_rank_latency", Dimension::kTime, true);
  YamlMap across = root.map("ll_max_bus_bw_across_nodes");
  for (const auto& [key, row] : {std::pair<const char*, std::size_t>{"intel", 0}, {"amd", 1}}) {
    YamlMap r = across.map(key);
    cm.ll_across_nodes_[row] = {r.quantity("two_nodes", Dimension::kBandwidth),
                                r.quantity("more_nodes", Dimension::kBandwidth)};
    r.str_or("source", "");
    r.finish();
  }
  across.finish();
  YamlMap archs = root.map("architectures");
  const std::pair<const char*, GpuArch> names[] = {{"ampere", GpuArch::kAmpere}, {"hopper", GpuArch::kHopper},
                                                   {"blackwell", GpuArch::kBlackwell}, {"ada", GpuArch::kAda},
                                                   {"cdna3", GpuArch::kCdna3}, {"cdna4", GpuArch::kCdna4},
                                                   {"davinci", GpuArch::kDavinci},
                                                   {"cpu", GpuArch::kCpu}};
  for (const auto& [name, arch] : names) {
    YamlMap am = archs.map(name);
    ArchModel a;
    a.channels = static_cast<int>(am.integer("channels", 1));
    if (am.raw("ll_max_bus_bw").IsSequence()) {
      a.ll_max_bus_bw = read_triple(am, "ll_max_bus_bw", Dimension::kBandwidth);
    } else {
      a.ll_max_bus_bw[0] = am.quantity("ll_max_bus_bw", Dimension::kBandwidth);
      a.ll_by_host_cpu = true;
    }
    a.ring_ll128_per_channel = am.quantity("ring_ll128_per_channel", Dimension::kBandwidth);
    a.tree_ll128_per_channel = read_triple(am, "tree_ll128_per_channel", Dimension::kBandwidth);
    a.tree_per_channel = read_triple(am, "tree_per_channel", Dimension::kBandwidth);
    a.nvls_efficiency = am.ratio("nvls_efficiency", 0.0, 1.0);
    if (auto pm = am.optional_map("protocols")) a.protocols = read_protocols(*pm);
    am.finish();
    cm.arch_[arch] = a;
  }
  archs.finish();
  root.finish();
  return cm;
}

const CollectiveModel& CollectiveModel::shipped() {
  static const CollectiveModel m = load(data_file("topologies/collective-model.yaml"));
  return m;
}

const ArchModel& CollectiveModel::arch(GpuArch a) const { return arch_.at(a); }

double CollectiveModel::ring_latency(LinkClass intra, Proto p, int nsteps, int inter_steps, int nodes,
                                     int ranks_per_node) const {
  const double overhead = nodes > 1 ? net_overhead() * (p == Proto::kSimple ? 3.0 : 1.0) : 0.0;
  const double intra_lat = std::max(hw_latency(intra, LatAlgo::kRing, p), overhead);
  const double inter_lat = hw_latency(LinkClass::kNet, ranks_per_node == 1 ? LatAlgo::kTree : LatAlgo::kRing, p);
  return base_latency(LatAlgo::kRing, p) + (nsteps - inter_steps) * intra_lat + inter_steps * inter_lat;
}

}  // namespace commsim
