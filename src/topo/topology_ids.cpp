// Numbering of a topology's vertices and links: node k's block is node 0's shifted by k blocks, so ids are
// computed rather than stored; fabric vertices and links follow the blocks. Also what a solve reduced by
// symmetry needs to know about an id (docs/model.md, section 3a): the node a link belongs to, and whether a
// route crosses the spine.
#include "topo/topology.hpp"

namespace commsim {

Vertex Topology::vertex(int id) const {
  if (id < nodes_ * vertices_per_node_) {
    const Vertex& t = vertices_[id % vertices_per_node_];
    return Vertex{t.kind, id / vertices_per_node_, t.local};
  }
  return fabric_vertices_[id - nodes_ * vertices_per_node_];
}

Link Topology::link(int id) const {
  if (id < nodes_ * links_per_node_) {
    Link l = links_[id % links_per_node_];
    const int shift = id / links_per_node_ * vertices_per_node_;
    l.from += shift;
    l.to += shift;
    return l;
  }
  return fabric_links_[id - nodes_ * links_per_node_];
}

const std::vector<Vertex>& Topology::vertices() const {
  if (all_vertices_.empty()) {
    all_vertices_.reserve(static_cast<std::size_t>(vertex_count()));
    for (int i = 0; i < vertex_count(); ++i) all_vertices_.push_back(vertex(i));
  }
  return all_vertices_;
}

const std::vector<Link>& Topology::links() const {
  if (all_links_.empty()) {
    all_links_.reserve(static_cast<std::size_t>(link_count()));
    for (int i = 0; i < link_count(); ++i) all_links_.push_back(link(i));
  }
  return all_links_;
}

int Topology::link_node(int link) const {
  const int block_links = nodes_ * links_per_node_;
  if (link < block_links) return link / links_per_node_;
  if (nodes_ < 2 || link < nic_links_first_) return -1;
  return (link - nic_links_first_) / 2 / nics_per_node();
}

bool Topology::crosses_spine(int src_rank, int dst_rank, int src_nic, int dst_nic) const {
  const int na = node_of(src_rank), nb = node_of(dst_rank);
  if (na == nb) return false;
  const int ka = nic_path(src_rank % ranks_per_node_, src_nic).nic;
  const int kb = nic_path(dst_rank % ranks_per_node_, dst_nic).nic;
  return leaf_of_nic(na, ka) != leaf_of_nic(nb, kb);
}

int Topology::spine_uplink(int rank) const {
  return leaf_up_link_[leaf_of_nic(node_of(rank), rank_nic_[rank % ranks_per_node_])];
}

int Topology::spine_downlink(int rank) const {
  return leaf_down_link_[leaf_of_nic(node_of(rank), rank_nic_[rank % ranks_per_node_])];
}

}  // namespace commsim
