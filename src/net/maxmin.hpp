// Weighted max-min fair sharing of link capacities among flows (progressive filling), the bandwidth-sharing
// model of SimGrid's LMM solver restricted to what collectives need.
//
// Each flow f crosses a set of links and has a weight w_f > 0 (bytes it must move per unit of progress).
// All unfrozen flows advance at a common level lambda, flow f getting rate w_f * lambda. Raise lambda
// until some link l saturates:  sum_{f on l} w_f * lambda = C_l;  freeze the flows on l at that rate,
// subtract their use from every link they cross, and continue with the rest. The result is the weighted
// max-min fair allocation: no flow can go faster without slowing a flow whose normalised rate is not higher.
//
// Worked example (tested in tests/unit/maxmin_test.cpp): links A (10 GB/s) and B (4 GB/s); flow 1 on A,
// flow 2 on A and B, flow 3 on B, all weight 1. B saturates first at lambda = 2 (flows 2 and 3 get 2 each);
// A then has 8 left for flow 1, which gets 8. Rates: 8, 2, 2.
//
// A collective step completes when its slowest flow does, so its throughput is min_f rate_f / w_f, which
// is the level at which the first link saturates (`first_level`).
#pragma once

#include <vector>

namespace commsim {

class FlowSet {
 public:
  // Adds a flow over `links` (link ids) with `weight`; returns its index. A flow with no links is local and
  // gets an infinite rate.
  int add(const std::vector<int>& links, double weight);
  void clear();
  void set_weights(const std::vector<double>& w) { weight_ = w; }  // one per flow, in order
  int size() const { return static_cast<int>(weight_.size()); }
  double weight(int f) const { return weight_[f]; }
  const int* links_begin(int f) const { return link_ids_.data() + offset_[f]; }
  const int* links_end(int f) const { return link_ids_.data() + offset_[f + 1]; }

 private:
  std::vector<int> link_ids_;
  std::vector<int> offset_{0};
  std::vector<double> weight_;
};

struct MaxMinResult {
  std::vector<double> rate;  // bytes/s per flow (infinity for local flows)
  double first_level = 0;    // min over flows of rate / weight (infinity when every flow is local)
  int bottleneck_link = -1;  // the link that saturated first
};

// `capacity` is indexed by link id (bytes/s). Links not crossed by any flow are ignored. With
// `first_level_only` the filling stops at the first saturated link: first_level and bottleneck_link are
// exact, and only the flows frozen there get a rate (the others keep infinity). A synchronised collective
// step needs no more, and this skips the remaining levels.
MaxMinResult solve_max_min(const std::vector<double>& capacity, const FlowSet& flows, bool first_level_only = false);

}  // namespace commsim
