#include "train/ep_overlap.hpp"

#include <algorithm>
#include <mutex>
#include <string>

#include "core/data_path.hpp"

namespace commsim {

double EpOverlap::exposed(Schedule s, double a2a, double compute) const {
  const double f = s == Schedule::kDualPipe ? dualpipe.value : a2a_overlap.value;
  return std::max(f * a2a, a2a - compute);
}

const EpOverlap& ep_overlap() {
  static std::mutex mu;
  static EpOverlap cached;
  static std::string loaded_from;
  std::lock_guard<std::mutex> lock(mu);
  if (loaded_from != data_dir()) {
    const std::string path = data_file("topologies/ep-overlap.yaml");
    YamlMap root(load_yaml_file(path), path);
    if (root.integer("schema_version") != 1) root.fail("schema_version", "unsupported schema_version");
    if (root.str("kind") != "ep_overlap") root.fail("kind", "expected kind: ep_overlap");
    EpOverlap o;
    o.dualpipe = root.figure("dualpipe", Dimension::kRatio, true);
    o.a2a_overlap = root.figure("a2a_overlap", Dimension::kRatio, true);
    if (o.dualpipe.value > 1) root.fail("dualpipe", "an exposed fraction is at most 1");
    if (o.a2a_overlap.value > 1) root.fail("a2a_overlap", "an exposed fraction is at most 1");
    root.finish();
    cached = o;
    loaded_from = data_dir();
  }
  return cached;
}

}  // namespace commsim
