#include "train/ep_dispatch.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "core/data_file_cache.hpp"
#include "core/error.hpp"

namespace commsim {

Dispatcher parse_dispatcher(const std::string& s) {
  if (s == "deepep") return Dispatcher::kDeepEp;
  if (s == "hybridep") return Dispatcher::kHybridEp;
  return Dispatcher::kAllToAll;
}

const DispatcherEfficiency& dispatcher_efficiency(Dispatcher d) {
  using Table = std::map<Dispatcher, DispatcherEfficiency>;
  const Table& cached = cached_data_file<
      Table>("topologies/ep-dispatch.yaml", "ep_dispatch", [](YamlMap& root) {
    root.str_or("description", "");
    YamlMap all = root.map("dispatchers");
    Table t;
    for (const auto& [name, id] : {std::pair{"deepep", Dispatcher::kDeepEp}, std::pair{"hybridep", Dispatcher::kHybridEp}}) {
      YamlMap m = all.map(name);
      t[id] = {m.figure("scale_up", Dimension::kRatio), m.figure("scale_out", Dimension::kRatio)};
      m.finish();
    }
    all.finish();
    return t;
  });
  auto it = cached.find(d);
  if (it == cached.end()) throw InputError("training.moe_dispatcher: alltoall runs through the collective model, not ep-dispatch.yaml");
  return it->second;
}

double distinct_groups(double experts, double top_k, double groups) {
  if (groups <= 1) return 1.0;
  const double outside = experts - experts / groups;  // experts not in a given group
  double none = 1.0;  // probability that none of the k picks falls in the group (without replacement)
  for (int i = 0; i < static_cast<int>(top_k); ++i) none *= std::max(0.0, outside - i) / (experts - i);
  return groups * (1.0 - none);
}

double ep_exchange_time(const EpExchange& x, const DispatcherEfficiency& f) {
  const double per_token = x.hidden * x.bytes_per_element;
  if (x.nodes <= 1) return x.tokens * distinct_groups(x.experts, x.top_k, x.ep) * per_token / (f.scale_up.value * x.scale_up_bw);
  const double remote = distinct_groups(x.experts, x.top_k, x.nodes) * (x.nodes - 1.0) / x.nodes;
  return x.tokens * remote * per_token / (f.scale_out.value * x.nic_bw);
}

}  // namespace commsim
