#include "train/ep_overlap.hpp"

#include <algorithm>

#include "core/data_file_cache.hpp"

namespace commsim {

double EpOverlap::exposed(Schedule s, double a2a, double compute, double rho) const {
  const double f = s == Schedule::kDualPipe ? dualpipe.value : a2a_overlap.value;
  return f * a2a + exposed_beside((1.0 - f) * a2a, compute, rho);
}

double exposed_beside(double a2a, double compute, double rho) {
  return std::max(a2a - compute, std::clamp(rho, 0.0, 1.0) * a2a);
}

const EpOverlap& ep_overlap() {
  return cached_data_file<EpOverlap>("topologies/ep-overlap.yaml", "ep_overlap", [](YamlMap& root) {
    EpOverlap o;
    o.dualpipe = root.figure("dualpipe", Dimension::kRatio, true);
    o.a2a_overlap = root.figure("a2a_overlap", Dimension::kRatio, true);
    if (o.dualpipe.value > 1) root.fail("dualpipe", "an exposed fraction is at most 1");
    if (o.a2a_overlap.value > 1) root.fail("a2a_overlap", "an exposed fraction is at most 1");
    YamlMap sms = root.map("comm_sms");
    o.sms_deepep = sms.integer_figure("deepep", 0);
    o.sms_hybridep = sms.integer_figure("hybridep", 0);
    o.sms_alltoall = sms.integer_figure("alltoall", 0);
    sms.finish();
    return o;
  });
}

}  // namespace commsim
