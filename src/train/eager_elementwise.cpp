#include "train/eager_elementwise.hpp"

#include <utility>

#include "core/data_file_cache.hpp"

namespace commsim {

const EagerElementwise& eager_elementwise() {
  return cached_data_file<EagerElementwise>(
      "topologies/eager-elementwise.yaml", "eager_elementwise", [](YamlMap& root) {
        EagerElementwise e;
        for (auto [key, f] : {std::pair{"rmsnorm", &e.rmsnorm},
                              {"layernorm", &e.layernorm},
                              {"rope", &e.rope},
                              {"swiglu", &e.swiglu},
                              {"gelu", &e.gelu},
                              {"squared_relu", &e.squared_relu}}) {
          *f = root.figure(key, Dimension::kRatio, true);
          // an eager kernel sequence moves at least the fused pass's bytes, and a handful of passes at most
          if (f->value < 1.0 || f->value > 50.0)
            root.fail(key, "must be 1 to 50 (the eager bytes over the fused pass's)");
        }
        return e;
      });
}

}  // namespace commsim
