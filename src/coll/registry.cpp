// The algorithm registry: --algo NAME looks names up here; --algo help lists them with their citation.
#include "coll/algorithms.hpp"
#include "core/text.hpp"

namespace commsim {

const std::vector<const Algorithm*>& algorithms() {
  static const RingAlgorithm ring;
  static const TreeAlgorithm tree;
  static const NvlsAlgorithm nvls;
  static const NvlsTreeAlgorithm nvls_tree;
  static const HierarchicalAlgorithm hierarchical;
  static const PatAlgorithm pat;
  static const DirectAlgorithm direct;
  static const PairwiseAlgorithm pairwise;
  static const MeshAlgorithm mesh;
  static const RhdAlgorithm rhd;
  static const std::vector<const Algorithm*> all = {&ring, &tree,   &nvls,     &nvls_tree, &hierarchical,
                                                    &pat,  &direct, &pairwise, &mesh,      &rhd};
  return all;
}

const Algorithm* find_algorithm(std::string_view given) {
  // In any case, as NCCL_ALGO reads them ("Ring", "NVLS"; COMMSIM_ALGO=RING was refused, COMMSIM_PROTO=ll
  // not).
  const std::string name = lower_case(std::string(given));
  for (const Algorithm* a : algorithms())
    if (a->name() == name) return a;
  if (name == "nvlstree" || name == "nvls-tree") return find_algorithm("nvls_tree");
  return nullptr;
}

std::string algorithm_names() {
  std::string out;
  for (const Algorithm* a : algorithms()) out += (out.empty() ? "" : ", ") + std::string(a->name());
  return out;
}

}  // namespace commsim
