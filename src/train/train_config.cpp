#include "train/train_config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "core/data_path.hpp"
#include "core/error.hpp"
#include "hw/catalog.hpp"
#include "train/read_recompute_modules.hpp"

namespace commsim {

const char* precision_name(Precision p) {
  switch (p) {
    case Precision::kBf16: return "bf16";
    case Precision::kFp16: return "fp16";
    case Precision::kFp8: return "fp8";
    case Precision::kFp8Block: return "fp8_block";
    case Precision::kMxfp8: return "mxfp8";
    case Precision::kNvfp4:
      return "nvfp4";
  }
  return "?";
}

const char* recompute_name(Recompute r) {
  switch (r) {
    case Recompute::kNone: return "none";
    case Recompute::kSelective: return "selective";
    case Recompute::kFull: return "full";
  }
  return "?";
}

Precision parse_precision(const std::string& s, const std::string& key) {
  if (s == "bf16") return Precision::kBf16;
  if (s == "fp16") return Precision::kFp16;
  if (s == "fp8") return Precision::kFp8;
  if (s == "fp8_block") return Precision::kFp8Block;
  if (s == "mxfp8") return Precision::kMxfp8;
  if (s == "nvfp4") return Precision::kNvfp4;
  throw InputError(key + ": unknown precision '" + s + "' (valid: bf16, fp16, fp8, fp8_block, mxfp8, nvfp4)");
}

Recompute parse_recompute(const std::string& s, const std::string& key) {
  if (s == "none") return Recompute::kNone;
  if (s == "selective") return Recompute::kSelective;
  if (s == "full") return Recompute::kFull;
  throw InputError(key + ": unknown recompute policy '" + s + "' (valid: none, selective, full)");
}

double parse_count(const std::string& given, const std::string& key) {
  const auto first = given.find_first_not_of(" \t"), last = given.find_last_not_of(" \t");
  const std::string text = first == std::string::npos ? std::string() : given.substr(first, last - first + 1);  // " 15T"
  if (text.empty()) throw InputError(key + ": empty count");
  // A plain decimal number: strtod also reads hex (0x10 as 16, 0x1p40 as 1.1T), inf and nan.
  if (text.find_first_not_of("0123456789.eE+-KMBGTP") != std::string::npos || text.find_first_of("0123456789") == std::string::npos)
    throw InputError(key + ": '" + text +
                     "' is not a count (a decimal number with an optional K, M, B or G, T or P suffix)");
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  const std::string suffix(end);
  double mult = 1;
  if (suffix == "K") mult = 1e3;
  else if (suffix == "M") mult = 1e6;
  else if (suffix == "B" || suffix == "G") mult = 1e9;
  else if (suffix == "T") mult = 1e12;
  else if (suffix == "P") mult = 1e15;
  else if (!suffix.empty() || end == text.c_str())
    throw InputError(key + ": '" + text +
                     "' is not a count (a number with an optional K, M, B or G, T or P suffix)");
  v *= mult;
  if (!std::isfinite(v) || v < 0) throw InputError(key + ": '" + text + "' must be a non-negative count");
  // 1e21 (a zetta-count): far past any training run's tokens or any bucket, and still exact enough to print
  if (v > 1e21) throw InputError(key + ": '" + text + "' is past the largest count (1e21, 1000000000T)");
  // Whole, up to the product's rounding (4.1M is 4099999.9999999995 in doubles): "1.5" tokens printed 0.000T.
  const double whole = std::round(v);
  // A positive value that rounds to 0 is no count either (1e-10 tokens read as none).
  if (v != whole && (whole == 0 || std::fabs(v - whole) > 1e-9 * whole)) throw InputError(key + ": '" + text + "' is not a whole count");
  return whole;
}

namespace {

// parse(text of key), with a parse error (which names the key) placed where the key was given: file:line:col
// or --set. The text is read outside the try: a non-scalar is already an error with its location.
template <class Parse>
auto parse_at(YamlMap& m, const std::string& key, Parse parse) {
  const std::string text = m.str(key);
  try {
    return parse(text);
  } catch (const InputError& e) {
    SourceLoc where = m.loc(key);
    where.key.clear();
    throw InputError(where, e.what());
  }
}

int small_int(YamlMap& m, const std::string& key, int fallback, int min_value = 1) {
  return static_cast<int>(m.integer_or(key, fallback, min_value));
}

std::vector<std::string> parse_order(const std::string& text, const std::string& key) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text + "-") {
    if (c == '-' || c == ',' || c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  std::vector<std::string> sorted = out;
  std::sort(sorted.begin(), sorted.end());
  if (sorted != std::vector<std::string>{"cp", "dp", "ep", "pp", "tp"})
    throw InputError(key + ": '" + text + "' must order all of tp, cp, ep, dp, pp (innermost first), e.g. tp-cp-ep-dp-pp");
  // "ep" is kept for Megatron's spelling; it has no dense extent (experts fold over TP x CP x DP, rank_map.hpp).
  return out;
}

}  // namespace

TrainConfig parse_train_config(const YAML::Node& tree, const std::string& path,
                               std::shared_ptr<const std::set<std::string>> overridden, const std::string& model_file) {
  TrainConfig c;
  c.file = path;
  YamlMap root(tree, path, "", overridden);
  if (root.integer("schema_version") != 1) root.fail("schema_version", "unsupported schema_version");
  if (root.has("kind") && root.str("kind") != "train") root.fail("kind", "expected kind: train");
  root.str_or("description", "");
  // model: a built-in name or an inline mapping
  const YAML::Node mn = root.raw("model");
  if (!mn.IsDefined() || mn.IsNull()) {
    // no model here: a flag may give it (check_layout says so otherwise)
  } else if (mn.IsScalar()) {
    c.model = load_model(mn.Scalar(), root.loc("model"));
    c.has_model = true;
  } else if (mn.IsMap()) {
    YamlMap mm(mn, model_file.empty() ? path : model_file, "model", overridden);
    c.model = parse_model(mm);
    mm.finish();
    c.has_model = true;
    // for check_layout's blame: --set model.layers=7 against the file's pp named the pp line
    for (const char* k : {"layers", "heads", "kv_heads", "ffn_hidden"})
      if (mm.has(k)) c.where[std::string("model.") + k] = mm.loc(k);
  } else {
    root.fail("model", "expected a model name or an inline mapping");
  }
  c.where["model"] = root.loc("model");
  if (auto cl = root.optional_map("cluster")) {
    c.system = cl->str_or("system", "");
    // an unknown name is blamed here (file:line or --set), not on --system when the system is loaded
    if (!c.system.empty()) {
      // A system file beside this config (`system: my-system.yaml`) is loaded from there later too.
      c.system = path_beside(cl->loc("system").file, c.system);
      resolve_data_path("topologies/systems", "system", c.system, cl->loc("system"));
    }
    c.gpus = small_int(*cl, "gpus", 0, 1);
    c.nodes = small_int(*cl, "nodes", 0, 1);
    c.gpus_per_node = small_int(*cl, "gpus_per_node", 0, 1);
    for (const char* k : {"gpus", "nodes", "gpus_per_node"})
      if (cl->has(k)) c.where[std::string("cluster.") + k] = cl->loc(k);
    c.sets = cl->strings("set");  // key.path=value
    if (cl->loc("set").file != "--set") {  // errors in them name their line (load_system's written_at)
      const YAML::Node items = cl->raw("set");
      for (std::size_t i = 0; i < c.sets.size(); ++i)
        c.sets_written_at.emplace(c.sets[i], node_loc(items[i], cl->file(), "cluster.set[" + std::to_string(i) + "]"));
    }
    cl->finish();
  }
  const YAML::Node pn = root.has("parallelism") ? root.raw("parallelism") : YAML::Node();
  if (pn.IsDefined() && pn.IsScalar()) {
    if (root.str("parallelism") != "auto") root.fail("parallelism", "expected a mapping of sizes or 'auto'");
    c.auto_layout = true;
  } else if (auto p = root.optional_map("parallelism")) {
    c.par.tp = small_int(*p, "tp", 1);
    c.par.pp = small_int(*p, "pp", 1);
    c.par.dp = small_int(*p, "dp", 0, 1);
    c.par.cp = small_int(*p, "cp", 1);
    c.par.ep = small_int(*p, "ep", 1);
    c.par.etp = small_int(*p, "etp", 0, 1);
    if (p->has("schedule"))
      c.par.schedule = parse_schedule(p->choice("schedule", {"1f1b", "interleaved", "zero-bubble", "dualpipe"}), "parallelism.schedule");
    c.par.vpp = small_int(*p, "vpp", 1);
    c.par.zero = small_int(*p, "zero", 1, 0);
    if (c.par.zero > 3) p->fail("zero", "must be 0, 1, 2 or 3, got " + std::to_string(c.par.zero));
    c.par.dp_shard = small_int(*p, "dp_shard", 0, 0);  // 0: all of dp, as dp itself
    if (p->has("sequence_parallel")) c.par.sequence_parallel = p->boolean_or("sequence_parallel", false);
    c.par.first_stage_layers = small_int(*p, "first_stage_layers", 0, 1);
    c.par.last_stage_layers = small_int(*p, "last_stage_layers", 0, 1);
    if (p->has("order"))
      c.par.order = parse_at(*p, "order", [](const std::string& t) { return parse_order(t, "parallelism.order"); });
    // An absent key is placed at its section (for messages), but not in a section --set made: every key of
    // it would read as given on the command line (search_options).
    for (const char* k : {"tp", "pp", "dp", "cp", "ep", "etp", "vpp", "zero", "dp_shard", "schedule",
                          "first_stage_layers", "last_stage_layers"})
      if (p->has(k) || p->loc(k).file != "--set") c.where[std::string("parallelism.") + k] = p->loc(k);
    p->finish();
  }
  // `pipeline.schedule`, the spelling, is the same key as `parallelism.schedule`; giving both with
  // different values is an error.
  if (auto pl = root.optional_map("pipeline")) {
    if (pl->has("schedule")) {
      const Schedule s = parse_schedule(pl->choice("schedule", {"1f1b", "interleaved", "zero-bubble", "dualpipe"}), "pipeline.schedule");
      if (c.par.schedule && *c.par.schedule != s)
        pl->fail("schedule", "conflicts with parallelism.schedule (the same key; give one)");
      c.par.schedule = s;
      c.where["pipeline.schedule"] = pl->loc("schedule");
    }
    pl->finish();
  }
  if (auto sr = root.optional_map("search")) {
    c.search.top = small_int(*sr, "top", 1);
    if (sr->has("top")) c.where["search.top"] = sr->loc("top");
    c.search.max_tp = small_int(*sr, "max_tp", 0, 1);
    c.search.max_pp = small_int(*sr, "max_pp", 0, 1);
    c.search.max_cp = small_int(*sr, "max_cp", 0, 1);
    c.search.max_ep = small_int(*sr, "max_ep", 0, 1);
    c.search.max_vpp = small_int(*sr, "max_vpp", 0, 1);
    c.search.max_micro_batch = sr->integer_or("max_micro_batch", 0, 1);
    if (sr->has("memory_headroom")) c.search.memory_headroom = sr->ratio("memory_headroom", 0.0, 0.5);
    c.search.hybrid_sharding = sr->boolean_or("hybrid_sharding", false);
    if (sr->has("hybrid_sharding")) c.where["search.hybrid_sharding"] = sr->loc("hybrid_sharding");
    sr->finish();
  }
  if (auto t = root.optional_map("training")) {
    c.train.seq_len = t->integer_or("seq_len", 0);
    c.train.global_batch = t->integer_or("global_batch", 0);
    c.train.micro_batch = t->integer_or("micro_batch", 1);
    if (t->has("precision"))
      c.train.precision =
          parse_precision(t->choice("precision", {"bf16", "fp16", "fp8", "fp8_block", "mxfp8", "nvfp4"}),
                          "training.precision");
    if (t->has("recompute")) c.train.recompute = parse_recompute(t->choice("recompute", {"none", "selective", "full"}), "training.recompute");
    if (t->has("tokens"))
      c.train.tokens = parse_at(*t, "tokens", [](const std::string& x) { return parse_count(x, "training.tokens"); });
    for (const char* k : {"seq_len", "global_batch", "micro_batch", "recompute", "precision",
                          "recompute_modules", "moe_imbalance", "tokens"})
      if (t->has(k) || t->loc(k).file != "--set") c.where[std::string("training.") + k] = t->loc(k);
    c.train.flash_attention = t->boolean_or("flash_attention", true);
    c.train.compile = t->boolean_or("compile", true);
    if (t->has("attention_kernel")) c.train.sdpa_attention = t->choice("attention_kernel", {"cudnn", "sdpa"}) == "sdpa";
    c.train.grad_bytes = static_cast<int>(t->integer_or("grad_bytes", 4));
    if (c.train.grad_bytes != 2 && c.train.grad_bytes != 4) t->fail("grad_bytes", "must be 2 (bf16) or 4 (fp32)");
    c.train.moment_bytes = static_cast<int>(t->integer_or("moment_bytes", 4));
    if (c.train.moment_bytes != 2 && c.train.moment_bytes != 4) t->fail("moment_bytes", "must be 2 (bf16) or 4 (fp32)");
    if (t->has("recompute_modules")) {
      c.train.recompute_modules = read_recompute_modules(*t, "recompute_modules");
      if (c.train.recompute != Recompute::kSelective) t->fail("recompute_modules", "needs recompute: selective (as Megatron's --recompute-modules)");
    }
    if (t->has("recompute_num_layers")) {
      c.train.recompute_layers = static_cast<int>(t->integer_or("recompute_num_layers", 0, 1));
      c.where["training.recompute_num_layers"] = t->loc("recompute_num_layers");
    }
    if (t->has("fp8_activation_cache")) c.train.fp8_activation_cache = t->boolean_or("fp8_activation_cache", true);
    c.train.moe_act_input_fp8 = t->boolean_or("moe_act_input_fp8", false);
    if (t->has("mtp")) c.train.mtp = t->boolean_or("mtp", true);
    c.where["training.mtp"] = t->loc("mtp");
    if (t->has("moe_dispatcher")) {
      c.train.moe_dispatcher = t->choice("moe_dispatcher", {"alltoall", "deepep", "hybridep"});
      c.where["training.moe_dispatcher"] = t->loc("moe_dispatcher");  // a dispatcher the system cannot run names it
    }
    if (t->has("moe_imbalance")) c.train.moe_imbalance = t->ratio("moe_imbalance", 1.0, 64.0);
    if (t->has("loss_bytes_per_logit")) c.train.loss_bytes_per_logit = t->ratio("loss_bytes_per_logit", 1.0, 64.0);
    t->finish();
  }
  if (auto o = root.optional_map("overlap")) {
    c.overlap.dp_grad_reduce = o->boolean_or("dp_grad_reduce", true);
    c.overlap.dp_param_gather = o->boolean_or("dp_param_gather", true);
    c.overlap.tp = o->boolean_or("tp", false);
    if (o->has("ep")) c.overlap.ep = o->boolean_or("ep", false);
    c.overlap.moe_shared_expert = o->boolean_or("moe_shared_expert", false);
    // Megatron runs the shared experts beside its all-to-all dispatcher only (TransformerConfig: "only works
    // with alltoall token dispatcher"; helper-179: it was accepted with DeepEP and Hybrid-EP).
    if (c.overlap.moe_shared_expert && c.train.moe_dispatcher != "alltoall")
      o->fail("moe_shared_expert", "the shared experts overlap only the alltoall dispatcher's exchange (Megatron's "
                                   "--moe-shared-expert-overlap), and training.moe_dispatcher is " +
                                       c.train.moe_dispatcher);
    c.overlap.cp = o->boolean_or("cp", true);
    c.overlap.pp = o->boolean_or("pp", true);
    c.overlap.fsdp_prefetch = o->boolean_or("fsdp_prefetch", true);
    if (o->has("dp_bucket_params"))
      c.dp_bucket_params = parse_at(*o, "dp_bucket_params", [](const std::string& x) { return parse_count(x, "overlap.dp_bucket_params"); });
    o->finish();
  }
  if (auto k = root.optional_map("cost")) {
    c.gpu_hour_usd = k->quantity_or("gpu_hour_usd", Dimension::kCurrency,
                                    0.0);  // a price: 1e-6 to 1e15; 0 ran unpriced, silently
    // A GPU-hour, as a prices file's rent: 299 for 2.99 cost 1.6 billion USD, exit 0 (helper-170).
    if (k->has("gpu_hour_usd") && (c.gpu_hour_usd < 0.01 || c.gpu_hour_usd > 100))
      k->fail("gpu_hour_usd", "a GPU-hour costs 0.01 to 100 USD (a unit slip?)");
    if (k->has("pricing")) {
      c.pricing = k->choice("pricing", {"rent", "purchase"});
      c.pricing_at = k->loc("pricing");
      // One price: a --set of either key replaces the file's other one; both in one place is ambiguous.
      const bool set_pricing = overridden && overridden->count("cost.pricing"), set_usd = overridden && overridden->count("cost.gpu_hour_usd");
      if (k->has("gpu_hour_usd") && set_pricing == set_usd)
        throw InputError(c.pricing_at, "give cost.gpu_hour_usd or cost.pricing, not both");
      // A --set cost.gpu_hour_usd=~ unsets the file's price and keeps its pricing (it dropped both).
      if (set_usd && k->has("gpu_hour_usd")) c.pricing.clear();
      else c.gpu_hour_usd = 0;
    }
    if (k->has("prices")) {
      // A prices file of the user's (a GPU of their own, their own rents): read only by cost.pricing, so
      // without one it would price nothing without a word.
      // (A --set cost.pricing=~ that unsets the file's pricing keeps the file's prices key, unread.)
      const bool unset_by_set = overridden && overridden->count("cost.pricing");
      if (!k->has("pricing") && !unset_by_set)
        k->fail("prices", "a prices file is read by cost.pricing (rent | purchase): give it too");
      // One given on the command line (or a sweep's axis) where the pricing is unset, or replaced by a
      // --set cost.gpu_hour_usd, would be read by nothing: every point of a prices axis came out alike.
      if (c.pricing.empty() && overridden && overridden->count("cost.prices"))
        k->fail("prices", std::string("a prices file is read by cost.pricing (rent | purchase), which ") +
                              (c.gpu_hour_usd > 0 ? "cost.gpu_hour_usd replaced" : "is unset") +
                              ": this file would price nothing");
      const std::string v = k->str("prices");
      if (!names_a_file(v))
        k->fail("prices",
                "'" + v + "' is not a path to a prices file (a .yaml file, as topologies/prices.yaml)");
      c.prices = resolve_data_path("", "prices", v, k->loc("prices"));
    }
    k->finish();
  }
  root.finish();
  return c;
}

void apply_flags(TrainConfig& c, const TrainFlags& f) {
  // Records where a flag's value went: the key it sets, for the outputs' context and check_layout's messages.
  auto note = [&c](const char* flag, const std::string& key, const std::string& value) {
    c.overrides.push_back({key, value, flag});
    c.where[key] = SourceLoc{flag, 0, 0, ""};
  };
  auto pos = [](const std::optional<int>& v, const char* flag, int min_value = 1) {
    if (v && *v < min_value) throw InputError(std::string(flag) + ": must be at least " + std::to_string(min_value));
  };
  pos(f.tp, "--tp"), pos(f.pp, "--pp"), pos(f.dp, "--dp"), pos(f.cp, "--cp"), pos(f.ep, "--ep"), pos(f.vpp, "--vpp");
  pos(f.gpus, "--gpus"), pos(f.nodes, "--nodes"), pos(f.gpus_per_node, "--gpus-per-node"), pos(f.zero, "--zero", 0);
  if (f.zero && *f.zero > 3) throw InputError("--zero: must be 0, 1, 2 or 3");
  if (f.model) {
    c.model = load_model(*f.model, SourceLoc{"--model", 0, 0, ""});
    c.has_model = true;
    note("--model", "model", *f.model);
  }
  if (f.system) c.system = *f.system, note("--system", "cluster.system", *f.system);
  if (f.gpus) {
    c.gpus = *f.gpus;
    if (!f.nodes) c.nodes = 0;
    note("--gpus", "cluster.gpus", std::to_string(*f.gpus));
  }
  if (f.nodes) {
    c.nodes = *f.nodes;
    if (!f.gpus) c.gpus = 0;
    note("--nodes", "cluster.nodes", std::to_string(*f.nodes));
  }
  if (f.gpus_per_node) c.gpus_per_node = *f.gpus_per_node, note("--gpus-per-node", "cluster.gpus_per_node", std::to_string(*f.gpus_per_node));
  const int pp_before = c.par.pp;
  const std::pair<const char*, std::pair<const std::optional<int>*, int*>> ints[] = {
      {"tp", {&f.tp, &c.par.tp}}, {"pp", {&f.pp, &c.par.pp}}, {"dp", {&f.dp, &c.par.dp}}, {"cp", {&f.cp, &c.par.cp}},
      {"ep", {&f.ep, &c.par.ep}}, {"vpp", {&f.vpp, &c.par.vpp}}, {"zero", {&f.zero, &c.par.zero}}};
  for (const auto& [name, v] : ints) {
    if (!*v.first) continue;
    *v.second = **v.first;
    note(("--" + std::string(name)).c_str(), std::string("parallelism.") + name, std::to_string(**v.first));
  }
  // A new --pp drops the config file's uneven split (made for its pp), not one given by --set; the same pp keeps it.
  if (f.pp && *f.pp != pp_before) {
    if (!given_on_command_line(c, "parallelism.first_stage_layers")) c.par.first_stage_layers = 0;
    if (!given_on_command_line(c, "parallelism.last_stage_layers")) c.par.last_stage_layers = 0;
  }
  // dp is what the GPUs leave of tp x pp x cp: a flag that changes one of them (or the system, whose default
  // scale may be the GPUs) drops the file's dp (made for its layout) unless dp is given on the command line
  // (`--tp 4` on a file with dp: 2 was refused, blamed on --tp).
  if ((f.system || f.gpus || f.nodes || f.gpus_per_node || f.tp || f.pp || f.cp) && !c.auto_layout &&
      !given_on_command_line(c, "parallelism.dp") && c.par.dp > 0) {
    // Said in the overrides (the header, JSON context): `--gpus 128` turned the file's dp 2 into 4 unsaid.
    const char* by = f.system          ? "--system"
                     : f.gpus          ? "--gpus"
                     : f.nodes         ? "--nodes"
                     : f.gpus_per_node ? "--gpus-per-node"
                     : f.tp            ? "--tp"
                     : f.pp            ? "--pp"
                                       : "--cp";
    c.overrides.push_back(
        {"parallelism.dp", "~", "the file's " + std::to_string(c.par.dp) + ", dropped: " + by});
    c.par.dp = 0;
  }
  if (f.seq_len) c.train.seq_len = *f.seq_len, note("--seq-len", "training.seq_len", std::to_string(*f.seq_len));
  if (f.global_batch) c.train.global_batch = *f.global_batch, note("--global-batch", "training.global_batch", std::to_string(*f.global_batch));
  if (f.micro_batch) c.train.micro_batch = *f.micro_batch, note("--micro-batch", "training.micro_batch", std::to_string(*f.micro_batch));
  if (f.precision) {
    c.train.precision = parse_precision(*f.precision, "--precision");
    note("--precision", "training.precision", *f.precision);
  }
  if (f.recompute) {
    c.train.recompute = parse_recompute(*f.recompute, "--recompute");
    note("--recompute", "training.recompute", *f.recompute);
    // A recompute other than full drops the file's block recompute (its layers only mean something under
    // full), as a new --pp drops the file's stage split; one given on the command line stays (and is
    // refused).
    // A --set training.recompute before it dropped the file's layers: full again gets them back, and the
    // overrides no longer say they were dropped.
    if (c.train.recompute == Recompute::kFull && c.dropped_recompute_layers > 0) {
      c.train.recompute_layers = c.dropped_recompute_layers;
      c.dropped_recompute_layers = 0;
      std::erase_if(c.overrides, [](const TrainOverride& o) {
        return o.key == "training.recompute_num_layers" && o.value == "~";
      });
    }
    if (c.train.recompute != Recompute::kFull && !given_on_command_line(c, "training.recompute_num_layers") &&
        c.train.recompute_layers > 0) {
      c.overrides.push_back({"training.recompute_num_layers", "~",
                             "the file's " + std::to_string(c.train.recompute_layers) +
                                 ", dropped: --recompute " + *f.recompute});
      c.train.recompute_layers = 0;
    }
  }
}

bool given_on_command_line(const TrainConfig& c, const std::string& key) {
  const auto it = c.where.find(key);
  if (it != c.where.end()) return it->second.line == 0 && it->second.file != c.file;  // a flag or --set
  // Emptied on the command line (--set parallelism.pp=~, or its section): the file was blamed for the
  // default that took its place (2026-12-06).
  for (const auto& o : c.overrides)
    if ((o.value == "~" || o.value == "null" || o.value.empty()) &&
        (o.key == key || key.rfind(o.key + ".", 0) == 0))
      return true;
  return false;
}

SourceLoc origin_loc(const TrainConfig& c, const std::string& key) {
  auto it = c.where.find(key);
  SourceLoc loc = it != c.where.end() ? it->second : SourceLoc{c.file, 0, 0, ""};
  // A key emptied on the command line (--set training.global_batch=~, or its section) has no place of its
  // own: the --set that emptied it (the config file was named).
  if (it == c.where.end())
    for (auto o = c.overrides.rbegin(); o != c.overrides.rend(); ++o)
      if (o->key == key || key.rfind(o->key + ".", 0) == 0) {
        loc = SourceLoc{o->origin, 0, 0, ""};
        break;
      }
  loc.key.clear();
  return loc;
}

}  // namespace commsim
