// load_train_config: the config file (or nothing), then --set, then the typed parse (train_config.cpp).
//
// A training key given by --set (model.*, cluster.*, parallelism.*, training.*, overlap.*, cost.*) is written
// into the parsed YAML tree before the typed parse, so every key the parser reads can be set, with the same
// checks as in a file, and a bad value is blamed on "--set" (YamlMap's overridden paths). A built-in model
// named by `model: NAME` is inlined from configs/models/NAME.yaml first when a --set reaches inside it
// (--set model.layers=40). System keys (gpu.*, node.*, fabric.*, calibration.*, nodes) go to the system
// loader with cluster.set, which checks them the same way.
#include <charconv>
#include <memory>
#include <optional>
#include <set>

#include "core/data_path.hpp"
#include "core/yaml_override.hpp"
#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "train/train_config.hpp"

namespace commsim {
namespace {

// Replaces `model: NAME` by the model file's mapping (without its schema_version and kind); returns the file.
// A model the config file names (`model: my-model.yaml` in `file`) is looked up beside that file too, and
// named at its line; one a --set gave (`set_model`), from the current directory ("not found" blamed on --set
// for the file's own relative path until 2026-12-05).
std::string inline_model(YAML::Node root, const std::string& file, bool set_model) {
  const YAML::Node m = root["model"];
  if (!m.IsDefined() || !m.IsScalar()) return "";
  const SourceLoc at =
      set_model || file.empty() ? SourceLoc{"--set", 0, 0, "model"} : node_loc(m, file, "model");
  const std::string path = resolve_data_path("configs/models", "model", m.Scalar(), at);
  YAML::Node tree = load_yaml_file(path);
  tree.remove("schema_version");
  tree.remove("kind");
  root["model"] = tree;
  return path;
}

}  // namespace

TrainConfig load_train_config(const std::string& path, const std::vector<std::string>& sets) {
  // a fresh tree: marks kept
  return load_train_config(path.empty() ? YAML::Load("schema_version: 1") : load_yaml_file(path), path, sets);
}

void model_flag_before_sets(std::optional<std::string>& model, std::vector<std::string>& sets) {
  if (!model) return;
  for (const std::string& s : sets)
    if (s.rfind("model.", 0) == 0) {
      sets.insert(sets.begin(), "model=" + *model);
      model.reset();
      return;
    }
}

namespace {
// parallelism.pp of a config tree as a whole number; nullopt when absent or not a plain number.
std::optional<long> pp_of(const YAML::Node& root) {
  // IsDefined first: a missing key is yaml-cpp's zombie node, whose type queries throw.
  const YAML::Node par = root["parallelism"];
  if (!par.IsDefined() || !par.IsMap()) return std::nullopt;
  YAML::Node pp = par["pp"];
  if (pp.IsDefined() && pp.IsMap()) pp.reset(pp["value"]);  // {value: 8, source: ...}: the provenance form
  if (!pp.IsDefined() || !pp.IsScalar()) return std::nullopt;
  long v = 0;
  std::string t = pp.Scalar();
  if (!t.empty() && t.front() == '+') t.erase(0, 1);  // +8 reads as 8, as the typed parse does
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}
}  // namespace

TrainConfig load_train_config(YAML::Node root, const std::string& path, const std::vector<std::string>& sets) {
  auto overridden = std::make_shared<std::set<std::string>>();
  std::vector<std::string> system_sets;
  std::vector<TrainOverride> log;
  std::string model_file;
  const std::optional<long> file_pp = pp_of(root);  // before any --set
  for (const std::string& text : sets) {
    const KeyValue kv = split_override(text, "--set");
    if (is_system_key(kv.key)) {
      log.push_back({kv.key, kv.value, "--set"});
      system_sets.push_back(text);
      continue;
    }
    // A key set after keys inside it replaces them ("model.layers=2" then "model=llama3-8b" ran the plain
    // model while the header listed both): refused, naming the order that works.
    for (const TrainOverride& earlier : log)
      if (earlier.key.rfind(kv.key + ".", 0) == 0)
        throw InputError(SourceLoc{"--set", 0, 0, kv.key}, "would replace '" + earlier.key + "=" + earlier.value +
                                                               "' given before it: give one of them (or '" + kv.key +
                                                               "=' first where its value is a name or mapping the keys inside it change)");
    if (kv.key == "model") model_file.clear();
    if (kv.key.rfind("model.", 0) == 0) {
      const std::string f = inline_model(root, path, overridden->count("model") > 0);
      if (!f.empty()) model_file = f;
    }
    // Sections that --set creates are its own too (an unknown one is then blamed on --set, not the file).
    YAML::Node cur = root;
    for (std::size_t dot = kv.key.find('.'); dot != std::string::npos; dot = kv.key.find('.', dot + 1)) {
      const std::string prefix = kv.key.substr(0, dot);
      const YAML::Node next = cur[prefix.substr(prefix.rfind('.') + 1)];
      if (!next.IsDefined() || next.IsNull() || !next.IsMap()) {
        overridden->insert(prefix);
        break;
      }
      cur.reset(next);
    }
    set_yaml_path(root, kv.key, kv.value, "--set");
    overridden->insert(kv.key);
    log.push_back({kv.key, kv.value, "--set"});
  }
  // A new pp drops the file's uneven split (made for its pp), as --pp does; a split given by --set stays. Compared
  // as numbers, the last --set against the file's (pp=08 is the file's 8; pp=4 then pp=8 ends at 8).
  // Not a number on either side (a form the typed parse refuses, or none in the file): changed, and the
  // split is dropped, as before this compared values.
  const std::optional<long> pp_now = pp_of(root);
  const bool pp_changed = overridden->count("parallelism.pp") && (!pp_now || !file_pp || *pp_now != *file_pp);
  if (pp_changed && root["parallelism"].IsDefined() && root["parallelism"].IsMap())
    for (const char* k : {"first_stage_layers", "last_stage_layers"})
      if (!overridden->count(std::string("parallelism.") + k)) root["parallelism"].remove(k);
  TrainConfig c;
  try {
    c = parse_train_config(root, path, overridden, model_file);
  } catch (const YAML::Exception& e) {  // a shape the typed parse did not foresee: still file, line, no yaml-cpp jargon
    throw InputError(SourceLoc{path.empty() ? "--set" : path, e.mark.is_null() ? 0 : e.mark.line + 1,
                               e.mark.is_null() ? 0 : e.mark.column + 1, ""},
                     "unexpected YAML structure (" + e.msg + ")");
  }
  // As the flags do (apply_flags): a recompute other than full set on the command line drops the file's block
  // recompute; a GPU count or a tp, pp or cp set there drops the file's dp (what they leave of the GPUs).
  // Each drop is said in the overrides (the header, JSON context): `--set cluster.gpus=128` turned the file's
  // dp 2 into 4 unsaid.
  if (overridden->count("training.recompute") && !overridden->count("training.recompute_num_layers") &&
      c.train.recompute != Recompute::kFull && c.train.recompute_layers > 0) {
    log.push_back(
        {"training.recompute_num_layers", "~",
         "the file's " + std::to_string(c.train.recompute_layers) + ", dropped: --set training.recompute"});
    c.dropped_recompute_layers = c.train.recompute_layers;
    c.train.recompute_layers = 0;
  }
  if (!c.auto_layout && !overridden->count("parallelism.dp") && c.par.dp > 0) {
    std::string by;
    for (const char* k : {"cluster", "cluster.system", "cluster.gpus", "cluster.nodes",
                          "cluster.gpus_per_node", "parallelism.tp", "parallelism.pp", "parallelism.cp"})
      if (by.empty() && overridden->count(k)) by = k;
    // The system key `nodes` (its default scale, the GPUs where the config gives none).
    for (const std::string& t : system_sets)
      if (by.empty() && t.rfind("nodes=", 0) == 0) by = "nodes";
    if (!by.empty()) {
      log.push_back(
          {"parallelism.dp", "~", "the file's " + std::to_string(c.par.dp) + ", dropped: --set " + by});
      c.par.dp = 0;
    }
  }
  c.sets.insert(c.sets.end(), system_sets.begin(), system_sets.end());
  c.overrides = log;
  return c;
}

}  // namespace commsim
