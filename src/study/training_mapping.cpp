#include "study/training_mapping.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "study/mapping_rules.hpp"
#include "study/source_recompute.hpp"
#include "topo/system_loader.hpp"
#include "train/model_spec.hpp"
#include "train/read_recompute_modules.hpp"

namespace commsim {
namespace {

std::vector<YamlMap> list(YamlMap& root, const std::string& key, const std::string& path) { return mapping_list(root, key, path); }

}  // namespace

std::optional<std::string> rule_model(const ModelRule& r, std::optional<double> params_b) {
  if (r.sizes.empty()) return r.model;
  if (!params_b || !(*params_b > 0)) return std::nullopt;
  std::string best;
  double best_gap = 0;
  for (const std::string& name : r.sizes) {
    const double gap = std::fabs(std::log(load_model(name).total_params() / 1e9 / *params_b));
    if (best.empty() || gap < best_gap) best = name, best_gap = gap;
  }
  return best;
}

std::optional<std::pair<int, long>> first_arxiv_id(const std::string& cell) {
  const std::string low = lower_case(cell);
  auto digits = [&low](std::size_t from) {
    std::size_t j = from;
    while (j < low.size() && std::isdigit(static_cast<unsigned char>(low[j]))) ++j;
    return j - from;
  };
  std::optional<std::pair<int, long>> found;
  std::size_t found_at = std::string::npos;
  for (const std::string tag : {"arxiv:", "arxiv.org/abs/", "arxiv.org/pdf/", "arxiv "}) {
    for (std::size_t at = low.find(tag); at != std::string::npos && at < found_at; at = low.find(tag, at + 1)) {
      std::size_t i = at + tag.size();
      while (i < low.size() && low[i] == ' ') ++i;
      if (digits(i) != 4 || i + 4 >= low.size() || low[i + 4] != '.') continue;
      const std::size_t num = digits(i + 5);
      const int ym = std::stoi(low.substr(i, 4));
      if (num < 4 || num > 5 || ym % 100 < 1 || ym % 100 > 12) continue;
      found = std::make_pair(ym, std::stol(low.substr(i + 5, num)));
      found_at = at;  // the first id the cell cites, whichever way it is written
      break;
    }
  }
  return found;
}

TrainingMapping load_training_mapping(const std::string& path) {
  TrainingMapping m;
  m.path = path;
  YamlMap root = open_mapping(path, "training_validation_mapping");
  for (YamlMap& r : list(root, "systems", path)) {
    SystemRule s;
    s.gpu = read_rule_text(r, "gpu");
    s.intra = read_rule_text(r, "intra", true);
    s.inter = read_rule_text(r, "inter", true);
    s.system = r.str("system");
    // a rule no row uses is still checked: an unknown system names this line, not --system
    resolve_data_path("topologies/systems", "system", s.system, r.loc("system"));
    s.sets = r.strings("set");
    if (!s.sets.empty()) {  // checked here, so a bad one names its line even when no row uses the rule
      std::map<std::string, SourceLoc> written_at;
      const YAML::Node items = r.raw("set");
      for (std::size_t i = 0; i < s.sets.size(); ++i)
        written_at.emplace(s.sets[i], node_loc(items[i], r.file(), r.loc("set").key + "[" + std::to_string(i) + "]"));
      load_system(s.system, s.sets, written_at);
    }
    r.str_or("note", "");
    r.finish();
    m.systems.push_back(s);
  }
  for (YamlMap& r : list(root, "models", path)) {
    ModelRule mr;
    mr.match = read_rule_text(r, "match");
    if (r.has("sizes") == r.has("model")) r.fail("model", "a model rule gives either model or sizes");
    if (r.has("model")) {
      mr.model = r.str("model");
      resolve_data_path("configs/models", "model", mr.model, r.loc("model"));
    } else {
      mr.sizes = r.strings("sizes");
      if (mr.sizes.empty()) r.fail("sizes", "an empty list picks no model");
      for (std::string& name : mr.sizes) resolve_data_path("configs/models", "model", name, r.loc("sizes"));
    }
    r.str_or("note", "");
    m.models.push_back(mr);
    r.finish();
  }
  for (YamlMap& r : list(root, "stages", path)) {
    StageRule s;
    s.model = r.str("model");
    const std::vector<std::string> known = model_names();
    if (std::find(known.begin(), known.end(), s.model) == known.end())
      r.fail("model", "unknown model '" + s.model + "' (a built-in name: configs/models/)");
    s.pp = r.integer("pp", 2);
    s.first = static_cast<int>(r.integer("first_stage_layers"));
    s.last = static_cast<int>(r.integer("last_stage_layers"));
    r.str("note");
    r.finish();
    m.stages.push_back(s);
  }
  for (YamlMap& r : list(root, "before_arxiv", path)) {
    ArxivEra e;
    e.id_text = r.str("id");
    const std::optional<std::pair<int, long>> id = first_arxiv_id("arXiv:" + e.id_text);
    if (!id) r.fail("id", "'" + e.id_text + "' is not an arXiv identifier (YYMM.NNNNN)");
    e.id = *id;
    if (r.has("sequence_parallel")) e.sequence_parallel = r.boolean_or("sequence_parallel", false);
    if (r.has("flash_attention")) e.flash_attention = r.boolean_or("flash_attention", false);
    if (!e.sequence_parallel && !e.flash_attention) r.fail("id", "the rule sets nothing (sequence_parallel or flash_attention)");
    r.str("note");
    r.finish();
    m.eras.push_back(e);
  }
  for (YamlMap& r : list(root, "sources", path)) {
    SourceRule s;
    s.match = read_match(r);
    if (r.has("models")) {
      // one name or a list, as `match` takes (helper-179: "models: deepseek-v2" was refused)
      s.models = r.raw("models").IsSequence() ? r.strings("models") : std::vector<std::string>{r.str("models")};
      const std::vector<std::string> known = model_names();
      for (const std::string& name : s.models)
        if (std::find(known.begin(), known.end(), name) == known.end())
          r.fail("models", "unknown model '" + name + "' (a built-in name: configs/models/)");
      if (s.models.empty()) r.fail("models", "empty: leave the key out for every model");
    }
    if (r.has("micro_batch")) s.micro_batch = r.integer("micro_batch");
    if (r.has("pp_micro_batch")) s.pp_micro_batch = r.integer("pp_micro_batch");
    s.micro_batch_from_pp = r.boolean_or("micro_batch_from_pp", false);
    if (s.micro_batch_from_pp && s.pp_micro_batch) r.fail("micro_batch_from_pp", "give pp_micro_batch or micro_batch_from_pp, not both");
    if (r.has("recompute")) s.recompute = r.choice("recompute", {"none", "selective", "full"});
    s.recompute_by_model = read_recompute_by_model(r);
    if (r.has("sequence_parallel")) s.sequence_parallel = r.boolean_or("sequence_parallel", false);
    if (r.has("overlap_tp")) s.overlap_tp = r.boolean_or("overlap_tp", false);
    if (r.has("overlap_dp")) s.overlap_dp = r.boolean_or("overlap_dp", true);
    if (r.has("overlap_cp")) s.overlap_cp = r.boolean_or("overlap_cp", true);
    if (r.has("flash_attention")) s.flash_attention = r.boolean_or("flash_attention", true);
    if (r.has("moe_dispatcher")) s.moe_dispatcher = r.choice("moe_dispatcher", {"alltoall", "deepep", "hybridep"});
    if (r.has("overlap_ep")) s.overlap_ep = r.boolean_or("overlap_ep", false);
    if (r.has("overlap_shared_expert"))
      s.overlap_shared_expert = r.boolean_or("overlap_shared_expert", false);
    // As overlap.moe_shared_expert: beside the alltoall dispatcher only (helper-180)
    if (s.overlap_shared_expert.value_or(false) && s.moe_dispatcher.value_or("alltoall") != "alltoall")
      r.fail("overlap_shared_expert",
             "the shared experts overlap only the alltoall dispatcher's exchange, and the "
             "rule's moe_dispatcher is " +
                 *s.moe_dispatcher);
    if (r.has("attention_kernel")) s.sdpa_attention = r.choice("attention_kernel", {"cudnn", "sdpa"}) == "sdpa";
    if (r.has("compile")) s.compile = r.choice("compile", {"true", "false", "stated"});
    s.recompute_modules = read_recompute_modules(r, "recompute_modules");
    if (r.has("loss_bytes_per_logit")) s.loss_bytes_per_logit = r.ratio("loss_bytes_per_logit", 1.0, 64.0);
    if (r.has("fp8_activation_cache")) s.fp8_activation_cache = r.boolean_or("fp8_activation_cache", true);
    if (r.has("schedule")) s.schedule = parse_schedule(r.choice("schedule", {"1f1b", "interleaved", "zero-bubble", "dualpipe"}), "schedule");
    if (r.has("vpp")) s.vpp = static_cast<int>(r.integer("vpp", 1));
    if (r.has("zero")) {
      s.zero = static_cast<int>(r.integer("zero", 0));
      if (*s.zero > 3) r.fail("zero", "a ZeRO stage is 0 to 3");
    }
    s.fsdp_reshards_with_pp = r.boolean_or("fsdp_reshards_with_pp", true);
    if (r.has("fsdp_stage")) {
      s.fsdp_stage = static_cast<int>(r.integer("fsdp_stage", 2));
      if (*s.fsdp_stage > 3) r.fail("fsdp_stage", "FSDP is ZeRO stage 2 or 3");
    }
    if (r.has("etp")) s.etp = static_cast<int>(r.integer("etp", 1));
    if (r.has("fp8")) s.fp8 = parse_precision(r.choice("fp8", {"fp8", "fp8_block", "mxfp8"}), "fp8");
    s.moe_act_input_fp8 = r.boolean_or("moe_act_input_fp8", false);
    // Bytes per value of an optimizer tensor: 2 (bf16) or 4 (fp32), as the training keys of the same names.
    auto bf16_or_fp32 = [&r](const std::string& key) -> std::optional<int> {
      if (!r.has(key)) return std::nullopt;
      const int v = static_cast<int>(r.integer(key));
      if (v != 2 && v != 4) r.fail(key, "must be 2 (bf16) or 4 (fp32)");
      return v;
    };
    s.moment_bytes = bf16_or_fp32("moment_bytes");
    s.grad_bytes = bf16_or_fp32("grad_bytes");
    r.str_or("note", "");
    r.finish();
    m.sources.push_back(s);
  }
  for (YamlMap& r : list(root, "source_families", path)) {
    FamilyRule f;
    f.match = read_match(r);
    f.family = r.str("family");
    m.families.push_back(f);
    r.finish();
  }
  m.unsupported = mapping_unsupported(root, path);
  m.excluded = mapping_exclusions(root, path);
  root.finish();
  return m;
}

}  // namespace commsim
