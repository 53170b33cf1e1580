#include "study/source_recompute.hpp"

#include "train/model_spec.hpp"

namespace commsim {

std::map<std::string, std::string> read_recompute_by_model(YamlMap& rule) {
  std::map<std::string, std::string> out;
  if (!rule.has("recompute_by_model")) return out;
  YamlMap models = rule.map("recompute_by_model");
  for (const std::string& name : models.keys()) {
    load_model(name, models.loc(name));  // a model the catalog has
    out[name] = models.choice(name, {"none", "selective", "full"});
  }
  models.finish();
  return out;
}

std::optional<std::string> source_recompute(const std::map<std::string, std::string>& by_model,
                                            const std::optional<std::string>& recompute,
                                            const std::string& model) {
  const auto it = by_model.find(model);
  return it != by_model.end() ? std::optional<std::string>(it->second) : recompute;
}

}  // namespace commsim
