#include "net/maxmin.hpp"

#include <algorithm>
#include <limits>

namespace commsim {

int FlowSet::add(const std::vector<int>& links, double weight) {
  link_ids_.insert(link_ids_.end(), links.begin(), links.end());
  offset_.push_back(static_cast<int>(link_ids_.size()));
  weight_.push_back(weight);
  return static_cast<int>(weight_.size()) - 1;
}

void FlowSet::clear() {
  link_ids_.clear();
  offset_.assign(1, 0);
  weight_.clear();
}

MaxMinResult solve_max_min(const std::vector<double>& capacity, const FlowSet& flows, bool first_level_only) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const int nf = flows.size();
  MaxMinResult res;
  res.rate.assign(nf, kInf);
  res.first_level = kInf;
  if (first_level_only) {
    // Only the first saturation is needed: it is the link with the smallest capacity / total weight.
    std::vector<double> load(capacity.size(), 0.0);
    for (int f = 0; f < nf; ++f)
      for (const int* p = flows.links_begin(f); p != flows.links_end(f); ++p) load[*p] += flows.weight(f);
    for (std::size_t l = 0; l < load.size(); ++l) {
      if (load[l] > 0 && capacity[l] / load[l] < res.first_level) {
        res.first_level = capacity[l] / load[l];
        res.bottleneck_link = static_cast<int>(l);
      }
    }
    if (res.bottleneck_link >= 0) {
      for (int f = 0; f < nf; ++f)
        for (const int* p = flows.links_begin(f); p != flows.links_end(f); ++p)
          if (*p == res.bottleneck_link) res.rate[f] = flows.weight(f) * res.first_level;
    }
    return res;
  }

  // Compact the set of links that carry traffic, and build link -> flows adjacency (CSR).
  std::vector<int> local_of(capacity.size(), -1);
  std::vector<int> used;
  for (int f = 0; f < nf; ++f) {
    for (const int* p = flows.links_begin(f); p != flows.links_end(f); ++p) {
      if (local_of[*p] < 0) {
        local_of[*p] = static_cast<int>(used.size());
        used.push_back(*p);
      }
    }
  }
  const int nl = static_cast<int>(used.size());
  if (nl == 0) return res;
  std::vector<int> count(nl + 1, 0);
  for (int f = 0; f < nf; ++f)
    for (const int* p = flows.links_begin(f); p != flows.links_end(f); ++p) ++count[local_of[*p] + 1];
  for (int l = 0; l < nl; ++l) count[l + 1] += count[l];
  std::vector<int> flow_of(count[nl]);
  std::vector<int> fill(count.begin(), count.end() - 1);
  for (int f = 0; f < nf; ++f)
    for (const int* p = flows.links_begin(f); p != flows.links_end(f); ++p) flow_of[fill[local_of[*p]]++] = f;

  std::vector<double> remaining(nl), load(nl, 0.0);  // load = sum of weights of unfrozen flows
  for (int l = 0; l < nl; ++l) remaining[l] = capacity[used[l]];
  std::vector<char> frozen(nf, 0);
  for (int f = 0; f < nf; ++f) {
    if (flows.links_begin(f) == flows.links_end(f)) {
      frozen[f] = 1;  // local: infinite rate
      continue;
    }
    for (const int* p = flows.links_begin(f); p != flows.links_end(f); ++p) load[local_of[*p]] += flows.weight(f);
  }

  double level = 0;
  int unfrozen = 0;
  for (int f = 0; f < nf; ++f) unfrozen += !frozen[f];
  bool first = true;
  while (unfrozen > 0) {
    // The next link to saturate: smallest remaining / load among links with unfrozen flows.
    double step = kInf;
    for (int l = 0; l < nl; ++l) {
      if (load[l] > 0) step = std::min(step, std::max(0.0, remaining[l]) / load[l]);
    }
    if (step == kInf) break;
    level += step;
    const double tol = 1e-9;
    std::vector<int> saturated;
    for (int l = 0; l < nl; ++l) {
      if (load[l] <= 0) continue;
      remaining[l] -= step * load[l];
      if (remaining[l] <= tol * capacity[used[l]]) saturated.push_back(l);
    }
    if (first) {
      res.first_level = level;
      res.bottleneck_link = saturated.empty() ? -1 : used[saturated.front()];
      first = false;
    }
    for (int l : saturated) {
      for (int i = count[l]; i < count[l + 1]; ++i) {
        const int f = flow_of[i];
        if (frozen[f]) continue;
        frozen[f] = 1;
        --unfrozen;
        res.rate[f] = flows.weight(f) * level;
        for (const int* p = flows.links_begin(f); p != flows.links_end(f); ++p) load[local_of[*p]] -= flows.weight(f);
      }
      load[l] = 0;
    }
    if (first_level_only) break;
  }
  return res;
}

}  // namespace commsim
