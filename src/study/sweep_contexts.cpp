#include "study/sweep_contexts.hpp"

#include <type_traits>

namespace commsim {

bool is_layout_key(const std::string& set) {
  const std::string key = set.substr(0, set.find('='));
  return key == "parallelism" || key.rfind("parallelism.", 0) == 0 || key == "training.micro_batch" ||
         key == "training.recompute";
}

std::string sweep_context_key(const TrainFlags& f, const std::vector<std::string>& sets) {
  std::string k;
  auto add = [&k](const char* name, const auto& v) {
    if (!v) return;
    k += name;
    k += '=';
    if constexpr (std::is_same_v<std::decay_t<decltype(*v)>, std::string>) k += *v;
    else k += std::to_string(*v);
    k += '\n';
  };
  add("system", f.system), add("model", f.model), add("precision", f.precision);
  add("gpus", f.gpus), add("nodes", f.nodes), add("gpus_per_node", f.gpus_per_node);
  add("seq_len", f.seq_len), add("global_batch", f.global_batch);
  for (const std::string& s : sets)
    if (!is_layout_key(s)) k.append(s).push_back('\n');
  return k;
}

EstimateContext& SweepContexts::get(const std::string& key, const TrainConfig& cfg) {
  Lru* lru = nullptr;
  {
    const std::lock_guard<std::mutex> lock(mu_);
    lru = &threads_[std::this_thread::get_id()];  // std::map: other threads' inserts leave it in place
  }
  for (auto it = lru->begin(); it != lru->end(); ++it)
    if (it->key == key) {
      lru->splice(lru->begin(), *lru, it);
      return *lru->front().ctx;
    }
  auto ctx = std::make_unique<EstimateContext>(cfg);  // may throw: nothing is inserted then
  lru->push_front(Slot{key, std::move(ctx)});
  if (lru->size() > per_thread_) lru->pop_back();
  return *lru->front().ctx;
}

}  // namespace commsim
