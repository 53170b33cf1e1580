#include "coll/flows.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>

#include "coll/mesh_cycles.hpp"

namespace commsim {

void FlowBuilder::reserve(std::size_t flows) {
  if (!weights_.empty()) return;
  std::size_t cap = 1024;
  while (cap < 2 * flows + 2) cap *= 2;
  slot_key_.assign(cap, ~0ULL);
  slot_index_.assign(cap, -1);
  weights_.reserve(flows);
}

int FlowBuilder::find_or_insert(unsigned long long key, bool* inserted) {
  constexpr unsigned long long kEmpty = ~0ULL;
  if (slot_key_.empty() || 2 * (weights_.size() + 1) > slot_key_.size()) {
    // Grow to keep the load factor under 1/2 and re-insert every key.
    const std::size_t cap = slot_key_.empty() ? 1024 : 2 * slot_key_.size();
    std::vector<unsigned long long> old_keys = std::move(slot_key_);
    std::vector<int> old_index = std::move(slot_index_);
    slot_key_.assign(cap, kEmpty);
    slot_index_.assign(cap, -1);
    for (std::size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] == kEmpty) continue;
      std::size_t h = (old_keys[i] * 0x9E3779B97F4A7C15ULL) >> 20 & (cap - 1);
      while (slot_key_[h] != kEmpty) h = (h + 1) & (cap - 1);
      slot_key_[h] = old_keys[i];
      slot_index_[h] = old_index[i];
    }
  }
  const std::size_t mask = slot_key_.size() - 1;
  std::size_t h = (key * 0x9E3779B97F4A7C15ULL) >> 20 & mask;
  while (slot_key_[h] != kEmpty) {
    if (slot_key_[h] == key) {
      *inserted = false;
      return slot_index_[h];
    }
    h = (h + 1) & mask;
  }
  slot_key_[h] = key;
  slot_index_[h] = static_cast<int>(weights_.size());
  *inserted = true;
  return slot_index_[h];
}

int FlowBuilder::push(double weight) {
  flows_.add(scratch_, 1.0);  // weights are kept apart so merged flows can accumulate
  weights_.push_back(weight);
  return static_cast<int>(weights_.size()) - 1;
}

void FlowBuilder::add(int src_rank, int dst_rank, double weight, int src_nic, int dst_nic) {
  if (weight <= 0 || src_rank == dst_rank) return;
  const unsigned long long key = (static_cast<unsigned long long>(src_rank) << 40) ^
                                 (static_cast<unsigned long long>(dst_rank) << 16) ^
                                 (static_cast<unsigned long long>(src_nic + 1) << 8) ^
                                 static_cast<unsigned long long>(dst_nic + 1);
  const double eff = topo_.transport_efficiency(src_rank, dst_rank);
  bool inserted = false;
  const int index = find_or_insert(key, &inserted);
  if (!inserted) {
    weights_[index] += weight / eff;
    return;
  }
  scratch_.clear();
  topo_.route(src_rank, dst_rank, scratch_, src_nic, dst_nic);
  const int flow = push(weight / eff);
  if (eff < 1) staged_.emplace_back(flow, eff);
}

void FlowBuilder::add_to_switch(int rank, double weight, double efficiency) {
  scratch_.clear();
  topo_.route_to_switch(rank, scratch_);
  push(weight / efficiency);
}

void FlowBuilder::add_from_switch(int rank, double weight, double efficiency) {
  scratch_.clear();
  topo_.route_from_switch(rank, scratch_);
  push(weight / efficiency);
}

void FlowBuilder::add_links(const std::vector<int>& links, double weight) {
  if (weight <= 0) return;
  scratch_ = links;
  push(weight);
}

AlgoBandwidth FlowBuilder::solve() const {
  // The solve sees only the links some flow crosses, renumbered in link order (so the first saturated link,
  // the bottleneck, is the same one) and counted as in count_only: uncounted links get infinite capacity,
  // so they never saturate.
  std::vector<int> compact(static_cast<std::size_t>(topo_.link_count()), -1);
  std::vector<int> used;
  for (int f = 0; f < flows_.size(); ++f)
    for (const int* p = flows_.links_begin(f); p != flows_.links_end(f); ++p)
      if (compact[*p] < 0) {
        compact[*p] = 0;
        used.push_back(*p);
      }
  // In link order: a scan of the marks when the flows touch a good share of the links, else a sort.
  if (used.size() * 16 > compact.size()) {
    used.clear();
    for (std::size_t l = 0; l < compact.size(); ++l)
      if (compact[l] == 0) used.push_back(static_cast<int>(l));
  } else {
    std::sort(used.begin(), used.end());
  }
  std::vector<double> cap(used.size());
  constexpr double kUncounted = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < used.size(); ++i) {
    compact[used[i]] = static_cast<int>(i);
    cap[i] = counts(topo_.link_node(used[i])) ? topo_.link(used[i]).capacity : kUncounted;
  }
  FlowSet local;
  std::vector<int> ids;
  for (int f = 0; f < flows_.size(); ++f) {
    ids.clear();
    for (const int* p = flows_.links_begin(f); p != flows_.links_end(f); ++p) ids.push_back(compact[*p]);
    local.add(ids, weights_[f]);
  }
  const MaxMinResult r = solve_max_min(cap, local, /*first_level_only=*/true);
  AlgoBandwidth out;
  out.algbw = r.first_level;
  if (r.bottleneck_link >= 0) {
    const Link l = topo_.link(used[r.bottleneck_link]);
    const Vertex from = topo_.vertex(l.from), to = topo_.vertex(l.to);
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s %d%s -> %s %d%s (%s, %.1f GB/s", vertex_kind_name(from.kind),
                  from.local, from.node >= 0 ? (" @node" + std::to_string(from.node)).c_str() : "",
                  vertex_kind_name(to.kind), to.local,
                  to.node >= 0 ? (" @node" + std::to_string(to.node)).c_str() : "",
                  std::string(l.tech).c_str(), l.capacity / 1e9);
    out.bottleneck = buf;
    // A staged pair crossing it: the host-memory copy's factor binds (the link carries 1 / factor per byte).
    double factor = 1;
    for (const auto& [flow, eff] : staged_)
      if (eff < factor && std::find(flows_.links_begin(flow), flows_.links_end(flow),
                                    used[r.bottleneck_link]) != flows_.links_end(flow))
        factor = eff;
    if (factor < 1) {
      std::snprintf(buf, sizeof buf, ", staged in host memory x%.2f", factor);
      out.bottleneck += buf;
    }
    out.bottleneck += ")";
  }
  return out;
}

namespace {
bool symmetry_reduction = true;
}

void set_symmetry_reduction(bool on) { symmetry_reduction = on; }

std::vector<char> class_representatives(const std::vector<long long>& signature) {
  std::vector<char> rep(signature.size(), symmetry_reduction ? 0 : 1);
  if (!symmetry_reduction) return rep;
  std::map<long long, int> first;
  for (std::size_t k = 0; k < signature.size(); ++k)
    if (first.emplace(signature[k], static_cast<int>(k)).second) rep[k] = 1;
  return rep;
}

int ring_channels(const Topology& topo, const CollectiveModel& model) {
  const int ch = model.arch(topo.spec().gpu.arch).channels;
  return std::max(ch, topo.nics_per_node());
}

int nccl_channels(const Topology& topo, const CollectiveModel& model) {
  return std::min(64, ring_channels(topo, model));
}

namespace {
// A full mesh (scale_up: mesh) has one link per pair of GPUs: channels that walk the node in one order share
// its g - 1 links (a multi-node ring on MI300X ran at one xGMI link, 51 GB/s, beside 8 NICs' 392). RCCL and
// HCCL lay their rings over different permutations. Walecki's zigzag x, x+1, x-1, x+2, x-2, ..., x+g/2 (mod
// g, g even) steps by 1, -2, 3, -4, ...: every nonzero difference mod g once, so its g rotations x = 0..g-1
// are Hamiltonian paths that use each directed link exactly once. They run over a relabelling pi that pairs x
// with x + g/2 on one attachment (PCIe switch or socket) where it can, so a path from the rank beside a NIC
// ends beside it too. On one node each ring closes over its last link back to x: a difference of g/2, which
// one other rotation's step also uses (those g links carry two rings). The local order of the channel
// starting at `start`; empty when g is odd.
std::vector<int> mesh_path(const Topology& topo, int start) {
  const int g = topo.ranks_per_node();
  if (g < 2 || g % 2 != 0) return {};
  std::vector<int> pi(static_cast<std::size_t>(g), -1);
  std::vector<bool> placed(static_cast<std::size_t>(g), false);
  int pair = 0;
  for (int pass = 0; pass < 2; ++pass)  // pairs on one attachment first, then whatever is left
    for (int a = 0; a < g; ++a) {
      if (placed[a]) continue;
      for (int b = a + 1; b < g; ++b) {
        if (placed[b] || (pass == 0 && topo.attachment_of_local_rank(a) != topo.attachment_of_local_rank(b)))
          continue;
        pi[pair] = a;
        pi[pair + g / 2] = b;
        placed[a] = placed[b] = true;
        ++pair;
        break;
      }
    }
  const int x = static_cast<int>(std::find(pi.begin(), pi.end(), start) - pi.begin());
  std::vector<int> local;
  for (int k = 0; k < g; ++k) {
    const int offset = k % 2 == 1 ? (k + 1) / 2 : g - k / 2;  // 0, 1, -1, 2, -2, ... (mod g)
    local.push_back(pi[(x + offset) % g]);
  }
  return local;
}
}  // namespace

const std::vector<std::vector<int>>& one_node_mesh_cycles(const Topology& topo) {
  static const std::vector<std::vector<int>> none;
  if (topo.nodes() != 1 || topo.spec().node.scale_up != ScaleUpType::kMesh ||
      topo.spec().node.dies_per_package != 1)
    return none;
  return mesh_hamiltonian_cycles(topo.ranks_per_node());
}

RingPlan ring_plan(const Topology& topo, int channel) {
  const int g = topo.ranks_per_node();
  const int nics = topo.nics_per_node();
  RingPlan plan;
  int start = 0, end = g - 1, nic = -1;
  if (nics > 0) {
    nic = channel % nics;
    start = topo.local_rank_of_nic(nic);
  }
  if (const auto& cycles = one_node_mesh_cycles(topo); !cycles.empty()) {
    plan.local = cycles[static_cast<std::size_t>(channel) % cycles.size()];  // no NIC on one node
    return plan;
  }
  if (topo.spec().node.scale_up == ScaleUpType::kMesh) {
    // Across nodes the path starts beside the channel's NIC; on one node (no NIC used) channel c at rank c
    // mod g.
    if (std::vector<int> local = mesh_path(topo, nics > 0 && topo.nodes() > 1 ? start : channel % g);
        !local.empty()) {
      plan.local = std::move(local);
      plan.nic = nic;
      return plan;
    }
  }
  // Intra-node order: ascending from `start`, cyclically. On multi-node rings the last rank is one that
  // shares `start`'s PCIe switch (it reaches NIC `nic` without crossing the CPU), if there is one.
  std::vector<int> local;
  for (int i = 0; i < g; ++i) local.push_back((start + i) % g);
  if (topo.nodes() > 1 && g > 1) {
    end = local.back();
    for (int i = 1; i < g; ++i) {
      if (topo.attachment_of_local_rank(local[i]) == topo.attachment_of_local_rank(start)) {
        end = local[i];
        break;
      }
    }
    local.erase(std::find(local.begin(), local.end(), end));
    local.push_back(end);
  }
  plan.local = std::move(local);
  plan.nic = nic;
  return plan;
}

// ncclGetBtree: the binary tree NCCL builds over n ranks (rank 0 the root; children by bit tricks).
static int btree_parent(int n, int rank) {
  if (rank == 0) return -1;
  int bit = 1;
  while (bit < n && !(bit & rank)) bit <<= 1;
  int up = (rank ^ bit) | (bit << 1);
  if (up >= n) up = rank ^ bit;
  return up;
}

// ncclGetDtree: tree 1 is tree 0 mirrored (even n) or shifted by one (odd n), so most ranks that are inner
// nodes of one tree are leaves of the other.
int dtree_parent(int n, int rank, int tree) {
  if (tree == 0) return btree_parent(n, rank);
  if (n % 2 == 1) {
    const int shifted = (rank - 1 + n) % n;
    const int p = btree_parent(n, shifted);
    return p < 0 ? -1 : (p + 1) % n;
  }
  const int mirrored = n - 1 - rank;
  const int p = btree_parent(n, mirrored);
  return p < 0 ? -1 : n - 1 - p;
}

DtreeClasses dtree_classes(int nodes) {
  DtreeClasses out;
  std::vector<std::vector<int>> children[2];
  for (int t = 0; t < 2; ++t) {
    out.parent[t].resize(static_cast<std::size_t>(nodes));
    children[t].resize(static_cast<std::size_t>(nodes));
    for (int k = 0; k < nodes; ++k) {
      out.parent[t][k] = dtree_parent(nodes, k, t);
      if (out.parent[t][k] >= 0) children[t][out.parent[t][k]].push_back(k);
    }
  }
  auto has = [](const std::vector<int>& v, int x) { return x >= 0 && std::find(v.begin(), v.end(), x) != v.end(); };
  std::vector<long long> signature(static_cast<std::size_t>(nodes));
  for (int k = 0; k < nodes; ++k) {
    long long sig = 0;
    for (int t = 0; t < 2; ++t) {
      int below = 0, above = 0;
      for (int c : children[t][k]) (c < k ? below : above)++;
      sig = sig * 64 + (out.parent[t][k] >= 0) * 16 + below * 4 + above;
    }
    // Edges shared by both trees merge into one flow, which changes the order of additions.
    const int p0 = out.parent[0][k], p1 = out.parent[1][k];
    int shared_children = 0;
    for (int c : children[0][k]) shared_children += has(children[1][k], c);
    sig = sig * 64 + (p0 >= 0 && p0 == p1) * 32 + has(children[1][k], p0) * 16 + has(children[0][k], p1) * 8 + shared_children;
    signature[k] = sig;
  }
  out.representative = class_representatives(signature);
  return out;
}

}  // namespace commsim
