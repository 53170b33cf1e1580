// What the training points of a sweep share: an EstimateContext (train/estimate_context.hpp: the loaded
// system, its roofline, memoised layer costs and collective times) per cluster, kept across points.
//
// Points that differ only in their layout -- `parallelism.*`, `training.micro_batch`, `training.recompute`,
// the keys the layout search varies over one context -- map to one key and reuse one context; any other
// difference (system, system keys, model or model keys, cluster size, other training keys) makes another.
// A memo returns the very double computed the first time, so a sweep's rows are byte-identical with and
// without sharing (tested: tests/unit/sweep_contexts_test.cpp).
//
// Each thread keeps its own contexts (a context is not thread-safe), at most `per_thread` of them, the least
// recently used dropped first: memory stays bounded whatever the sweep's order.
#pragma once

#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "train/estimate_context.hpp"

namespace commsim {

// The cluster key of a point: its flags and every --set that is not a layout key, in order.
std::string sweep_context_key(const TrainFlags& flags, const std::vector<std::string>& sets);
// True for the keys a shared context may differ in (parallelism, parallelism.*, training.micro_batch,
// training.recompute).
bool is_layout_key(const std::string& set);

class SweepContexts {
 public:
  explicit SweepContexts(std::size_t per_thread = 8) : per_thread_(per_thread) {}
  // This thread's context for `key`, made from `cfg` on first use (throws InputError as estimate_training).
  EstimateContext& get(const std::string& key, const TrainConfig& cfg);

 private:
  struct Slot {
    std::string key;
    std::unique_ptr<EstimateContext> ctx;
  };
  using Lru = std::list<Slot>;  // most recently used first
  std::size_t per_thread_;
  std::mutex mu_;
  std::map<std::thread::id, Lru> threads_;
};

}  // namespace commsim
