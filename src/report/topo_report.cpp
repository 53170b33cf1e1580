#include "report/topo_report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "coll/flows.hpp"
#include "core/text.hpp"
#include "report/table.hpp"

namespace commsim {

double bisection_bandwidth(const Topology& topo) {
  const int n = topo.ranks();
  const int half = n / 2;
  FlowBuilder fb(topo);
  // Every rank of one half to every rank of the other: the cut's capacity on any topology (a full mesh
  // crosses it on g/2 links per GPU, which a pairing r <-> r + n/2 used one of: 204.8 for MI300X's 819.2
  // GB/s, 2026-12-06). Past 512 ranks (131,072 flows) the pairing stands in: there the scale-out network,
  // which both load alike, is the cut.
  const bool all_pairs = n <= 512;
  fb.reserve(all_pairs ? 2 * static_cast<std::size_t>(half) * half : 2 * static_cast<std::size_t>(half));
  for (int r = 0; r < half; ++r)
    for (int q = all_pairs ? 0 : r; q < (all_pairs ? half : r + 1); ++q) {
      fb.add(r, q + half, 1.0);
      fb.add(q + half, r, 1.0);
    }
  const double flows_per_direction = all_pairs ? static_cast<double>(half) * half : half;
  return fb.solve().algbw * flows_per_direction;  // per direction: each flow gets algbw
}

namespace {

// nvidia-smi-like path label between two ranks of node 0.
std::string path_label(const Topology& topo, int a, int b, double* bw) {
  std::vector<int> r;
  topo.route(a, b, r);
  const auto& links = topo.links();
  *bw = 1e300;
  int nvl = 0, pci = 0, socket = 0, net = 0;
  bool via_cpu = false;  // a PCIe path through a root port (no PCIe switch on the board): PHB, not PIX
  for (int id : r) {
    *bw = std::min(*bw, links[id].capacity);
    via_cpu = via_cpu ||
              (links[id].cls == LinkClass::kPci && topo.vertices()[links[id].to].kind == VertexKind::kCpu);
    if (links[id].tech == "cpu-socket") ++socket;
    else if (links[id].cls == LinkClass::kNvlink) ++nvl;
    else if (links[id].cls == LinkClass::kNet) ++net;
    else ++pci;
  }
  const double staging = topo.transport_efficiency(a, b);
  *bw *= staging;
  if (net) return "NET";
  if (nvl && !pci) return "NVL";
  if (staging < 1) return "SHM";  // NCCL's SHM transport: no P2P, or a PCIe path through a CPU
  if (socket) return "SYS";
  if (pci <= 2 && !via_cpu) return "PIX";
  return "PHB";
}

}  // namespace

void write_topo_summary(std::ostream& out, const Topology& topo) {
  const SystemSpec& s = topo.spec();
  out << "system: " << s.name << " -- " << s.description << "\n";
  out << "gpu: " << s.gpu.name << " (" << s.gpu.display_name << ", " << arch_name(s.gpu.arch) << ")\n";
  out << "node: " << s.node.name << " -- " << s.node.description << "\n";
  out << "host cpu: " << cpu_vendor_name(s.node.cpu_vendor)
      << (s.node.cpu_vendor == CpuVendor::kOther ? " (not stated: read as NCCL reads every vendor but AMD)"
                                                 : "")
      << "\n";
  out << "fabric: " << s.fabric.name << " -- " << s.fabric.description << "\n";
  if (!s.overrides.empty()) {
    out << "overrides:";
    for (const auto& [k, v] : s.overrides) out << " " << k << "=" << v;
    out << "\n";
  }
  out << "scale: " << topo.nodes() << " node(s) x " << topo.packages_per_node() << " GPU(s)"
      << (s.node.dies_per_package > 1 ? " x " + std::to_string(s.node.dies_per_package) + " dies" : std::string())
      << " = " << topo.ranks() << " ranks; " << topo.nics_per_node() << " NIC(s) per node\n\n";

  std::map<std::string, int> counts;
  for (const Vertex& v : topo.vertices()) counts[vertex_kind_name(v.kind)]++;
  out << "devices:";
  for (const auto& [k, c] : counts) out << "  " << k << " x" << c;
  out << "\n\nlinks (per direction):\n";
  std::map<std::pair<std::string, long long>, int> lk;
  for (const Link& l : topo.links()) lk[{std::string(l.tech), static_cast<long long>(l.raw / 1e6)}]++;
  Table t({"technology", "count", "raw GB/s", "usable GB/s"});
  for (const auto& [k, c] : lk) {
    double usable = 0;
    for (const Link& l : topo.links())
      if (l.tech == k.first && static_cast<long long>(l.raw / 1e6) == k.second) {
        usable = l.capacity;
        break;
      }
    t.add({k.first, std::to_string(c), fmt(k.second / 1e3, 1), fmt(usable / 1e9, 1)});
  }
  t.print(out, " ");

  const int m = std::min(topo.ranks_per_node() * std::min(topo.nodes(), 2), 16);
  out << "\nrank-pair paths and usable single-flow bandwidth, GB/s (first " << m << " ranks):\n";
  out << "      ";
  for (int b = 0; b < m; ++b) {
    std::string label("r");
    label += std::to_string(b);
    char h[24];
    std::snprintf(h, sizeof h, "%9s", label.c_str());
    out << h;
  }
  out << "\n";
  for (int a = 0; a < m; ++a) {
    char h[16];
    std::snprintf(h, sizeof h, "%6s", ("r" + std::to_string(a)).c_str());
    out << h;
    for (int b = 0; b < m; ++b) {
      char cell[32];
      if (a == b) {
        std::snprintf(cell, sizeof cell, "%9s", "X");
      } else {
        double bw = 0;
        const std::string lbl = path_label(topo, a, b, &bw);
        std::snprintf(cell, sizeof cell, "%4s %4.0f", lbl.c_str(), bw / 1e9);
      }
      out << cell;
    }
    out << "\n";
  }
  out << "  NVL = scale-up (NVLink/UB/HCCS/xGMI), PIX = one PCIe switch, PHB = through a CPU, SYS = across "
         "sockets, SHM = staged in host memory, NET = scale-out network\n\n";
  char buf[160];
  std::snprintf(buf, sizeof buf, "bisection bandwidth (usable, per direction): %.1f GB/s over %d ranks\n",
                bisection_bandwidth(topo) / 1e9, topo.ranks());
  out << buf;
}

namespace {

// A DOT quoted ID: `"` and `\` escaped, a control character as a space (a system named `we"ird` ended the ID
// early and the file did not parse).
std::string dot_quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : one_line(s)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void write_topo_dot(std::ostream& out, const Topology& topo) {
  for (const auto& [k, v] : topo.spec().overrides)
    out << "// override: " << one_line(k) << "=" << one_line(v) << "\n";
  out << "digraph " << dot_quoted(topo.spec().name)
      << " {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n";
  const auto& vs = topo.vertices();
  for (std::size_t i = 0; i < vs.size(); ++i) {
    const Vertex& v = vs[i];
    const char* shape = v.kind == VertexKind::kGpu ? "box" : v.kind == VertexKind::kNic ? "ellipse" : "diamond";
    out << "  v" << i << " [label=\"" << vertex_kind_name(v.kind) << " " << v.local
        << (v.node >= 0 ? "\\nnode " + std::to_string(v.node) : std::string()) << "\", shape=" << shape << "];\n";
  }
  for (std::size_t i = 0; i < topo.links().size(); ++i) {
    const Link& l = topo.links()[i];
    if (l.from > l.to) continue;  // draw each duplex pair once
    char buf[128];
    std::snprintf(buf, sizeof buf, "  v%d -> v%d [dir=both, label=\"%s %.0f GB/s\"];\n", l.from, l.to, std::string(l.tech).c_str(), l.raw / 1e9);
    out << buf;
  }
  out << "}\n";
}

}  // namespace commsim
