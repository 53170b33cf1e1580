#include "topo/system_loader.hpp"

#include <memory>
#include <optional>
#include <set>

#include "coll/ops.hpp"
#include "core/data_path.hpp"
#include "core/text.hpp"
#include "core/yaml_override.hpp"
#include "hw/catalog.hpp"
#include "topo/system_cache.hpp"

namespace commsim {
namespace {

struct Part {
  YAML::Node tree;
  std::string file;
};

// A part given by name (a file in `dir`) or inline.
Part resolve_part(YamlMap& top, const std::string& key, const std::string& dir, const std::string& what) {
  const YAML::Node n = top.raw(key);
  if (!n.IsDefined() || n.IsNull()) top.fail(key, "missing required " + what + " (a name or an inline mapping)");
  if (n.IsScalar()) {
    const std::string path = resolve_data_path(dir, what, n.Scalar(), top.loc(key));
    return Part{load_yaml_file(path), path};
  }
  if (!n.IsMap()) top.fail(key, "expected a " + what + " name or an inline mapping");
  return Part{n, top.file()};
}

void apply_override(const std::string& text, YAML::Node& root, Part& gpu, Part& node, Part& fabric,
                    std::set<std::string>& overridden, std::vector<std::pair<std::string, std::string>>& log) {
  const KeyValue kv = split_override(text, "--set");
  const std::string& path = kv.key;
  const std::string& value = kv.value;
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const auto& p : parts)
    if (p.empty()) throw InputError(SourceLoc{"--set", 0, 0, path}, "empty component in key path");

  YAML::Node cur;
  std::size_t i = 0;
  if (parts[0] == "gpu" || parts[0] == "node" || parts[0] == "fabric") {
    if (parts.size() < 2) throw InputError(SourceLoc{"--set", 0, 0, path}, "name a key inside '" + parts[0] + "'");
    cur.reset(parts[0] == "gpu" ? gpu.tree : parts[0] == "node" ? node.tree : fabric.tree);
    i = 1;
  } else if ((parts[0] == "nodes" && parts.size() == 1) || (parts[0] == "calibration" && parts.size() > 1)) {
    cur.reset(root);
  } else {
    throw InputError(SourceLoc{"--set", 0, 0, path},
                     "unknown key path (it must start with gpu., node., fabric. or calibration., or be 'nodes'; see "
                     "docs/config.md)");
  }
  for (; i + 1 < parts.size(); ++i) {
    YAML::Node next = cur[parts[i]];
    if (!next.IsDefined() || next.IsNull()) {
      // A section --set creates is its own: an unknown key in it names --set, not the file that lacks it
      // (as train's overrides record it).
      std::string prefix;
      for (std::size_t j = 0; j <= i; ++j) prefix += (j ? "." : "") + parts[j];
      overridden.insert(prefix);
      cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
      next.reset(cur[parts[i]]);
    } else if (!next.IsMap() || (next["value"].IsDefined() && !next["value"].IsMap())) {
      throw InputError(SourceLoc{"--set", 0, 0, path}, "'" + parts[i] + "' is a value, not a section");
    }
    cur.reset(next);  // reset, not assignment: yaml-cpp's operator= would overwrite the node itself
  }
  cur[parts.back()] = parse_override_value(value, "--set", path);
  overridden.insert(path);
  log.emplace_back(path, value);
}

// The value of gpu.PATH.PREC (a rate) in a GPU tree, or none (absent, or not a rate: the GPU's own parse says so).
std::optional<double> rate_in(const YAML::Node& tree, const char* section, const char* prec, const std::string& file) {
  try {
    const YAML::Node sec = tree[section];
    if (!sec.IsDefined() || !sec.IsMap() || !sec[prec].IsDefined()) return std::nullopt;
    YamlMap m(sec, file, std::string("gpu.") + section);
    const std::optional<Figure> f = m.optional_figure(prec, Dimension::kFlopRate);
    if (f) return f->value;
  } catch (const InputError&) {
  }
  return std::nullopt;
}

// A measured matmul (gpu.matmul_achievable.PREC) belongs to the peak it was measured against: where the
// overrides change compute.PREC's value (a key, a whole compute map, the whole GPU) and leave the measurement
// as it was (no --set names it), the measurement follows the peak, keeping the part's measured share of it (a
// what-if peak, a power cap: the clock moves both). Until 2026-12-06 it was dropped, and the GEMMs ran at the
// arch's reference clock: a peak 0.01% above an A100's made its step 2.8% slower, GB200's 1% below 3.7%
// faster (helper-116). A peak the GPU did not have before drops it. `before`: the GPU's tree before the
// overrides.
void rescale_stale_measurements(Part& gpu, const YAML::Node& before,
                                const std::set<std::string>& overridden) {
  YAML::Node mm = gpu.tree["matmul_achievable"];
  if (!mm.IsDefined() || !mm.IsMap()) return;
  for (const char* prec : {"bf16", "fp8"}) {
    if (!mm[prec].IsDefined()) continue;
    const std::optional<double> peak0 = rate_in(before, "compute", prec, gpu.file), peak1 = rate_in(gpu.tree, "compute", prec, gpu.file);
    const std::optional<double> meas0 = rate_in(before, "matmul_achievable", prec, gpu.file);
    const std::optional<double> meas1 = rate_in(gpu.tree, "matmul_achievable", prec, gpu.file);
    // A measurement --set names is the one given, even at its old value (it was rescaled: a sweep axis over
    // it through the file's value jumped by 7.8%; helper-121).
    if (overridden.count("gpu.matmul_achievable") ||
        overridden.count(std::string("gpu.matmul_achievable.") + prec))
      continue;
    if (peak0 == peak1 || meas0 != meas1) continue;
    if (!peak0 || !peak1 || !meas0 || !(*peak0 > 0)) {
      mm.remove(prec);
      continue;
    }
    char value[64], source[160];
    std::snprintf(value, sizeof value, "%.17gTFLOPS", *meas0 * *peak1 / *peak0 / 1e12);
    std::snprintf(source, sizeof source,
                  "the measured %.6g TFLOPS scaled with compute.%s from %.6g to %.6g TFLOPS", *meas0 / 1e12,
                  prec, *peak0 / 1e12, *peak1 / 1e12);
    YAML::Node scaled;
    scaled["value"] = value;
    scaled["kind"] = "derived";
    scaled["source"] = source;
    mm[prec] = scaled;
  }
}

CalibrationScales parse_scales(YamlMap& c) {
  CalibrationScales s;
  s.latency_scale = c.quantity_or("latency_scale", Dimension::kRatio, 1.0);
  s.bandwidth_scale = c.quantity_or("bandwidth_scale", Dimension::kRatio, 1.0);
  // A scale outside [1e-6, 1e6] is a typo, not a measurement: 1e-310 made every time inf (printed with exit 0).
  auto in_range = [](double x) { return x >= 1e-6 && x <= 1e6; };
  if (!in_range(s.latency_scale)) c.fail("latency_scale", "latency_scale must be a ratio in [1e-6, 1e6]");
  if (!in_range(s.bandwidth_scale)) c.fail("bandwidth_scale", "bandwidth_scale must be a ratio in [1e-6, 1e6]");
  // The optional cache cliffs: both keys or neither, one value each or two lists of one length, sizes ascending.
  const bool has_cache = c.has("cache_bytes"), has_dram = c.has("dram_bandwidth_scale");
  if (has_cache != has_dram)
    c.fail(has_cache ? "cache_bytes" : "dram_bandwidth_scale", "cache_bytes and dram_bandwidth_scale go together");
  if (has_cache) {
    const std::vector<Figure> bytes = c.figures("cache_bytes", Dimension::kBytes);
    const std::vector<Figure> scales = c.figures("dram_bandwidth_scale", Dimension::kRatio);
    if (bytes.size() != scales.size())
      c.fail("dram_bandwidth_scale", "dram_bandwidth_scale has " + std::to_string(scales.size()) + " value(s), cache_bytes " +
                                         std::to_string(bytes.size()) + ": one scale per cache size");
    for (std::size_t k = 0; k < bytes.size(); ++k) {
      const std::string at = bytes.size() > 1 ? "[" + std::to_string(k) + "]" : "";
      if (k > 0 && !(bytes[k].value > bytes[k - 1].value))
        c.fail("cache_bytes", "cache_bytes must ascend (level " + std::to_string(k) + " is not above level " + std::to_string(k - 1) + ")");
      if (!in_range(scales[k].value))
        c.fail("dram_bandwidth_scale", "dram_bandwidth_scale" + at + " must be a ratio in [1e-6, 1e6]");
      s.cliffs.push_back(CacheCliff{bytes[k].value, scales[k].value});
    }
  }
  return s;
}

// calibration: {latency_scale: R, bandwidth_scale: R, [cache_bytes: B | [B...], dram_bandwidth_scale: R | [R...]],
// ops: {OP: {same}}, kind, source}.
Calibration parse_calibration(YamlMap& c) {
  Calibration cal;
  cal.system = parse_scales(c);
  if (auto ops = c.optional_map("ops")) {
    for (const std::string& name : ops->keys()) {
      const auto op = op_from_name(name);
      if (!op) ops->fail(name, "unknown operation '" + name + "' (valid: " + op_names() + ")");
      // Two spellings of one op (allreduce, all_reduce, ALL_REDUCE): one of them was dropped without a word.
      for (const std::string& other : ops->keys())
        if (other != name && op_from_name(other) == op && cal.ops.count(op_name(*op)))
          ops->fail(name, "'" + name + "' and '" + other + "' are one operation (" + op_name(*op) + "): give it once");
      YamlMap m = ops->map(name);
      cal.ops[op_name(*op)] = parse_scales(m);
      m.finish();
    }
    ops->finish();
  }
  cal.kind = c.choice_or("kind", {"calibrated", "measurement", "assumption", "derived"}, "calibrated");
  cal.source = c.str_or("source", "");
  c.finish();
  return cal;
}

}  // namespace

std::vector<std::string> system_names() { return data_names("topologies/systems"); }

static SystemSpec load_system_files(const std::string& name_or_path, const std::vector<std::string>& overrides) {
  const std::string path = resolve_data_path("topologies/systems", "system", name_or_path, SourceLoc{"--system", 0, 0, ""});
  YAML::Node root = load_yaml_file(path);
  auto overridden = std::make_shared<std::set<std::string>>();
  YamlMap top(root, path, "", overridden);
  SystemSpec s;
  s.file = path;
  if (top.integer("schema_version") != 1) top.fail("schema_version", "unsupported schema_version (this build reads 1)");
  if (top.str("kind") != "system") top.fail("kind", "expected kind: system");
  s.name = top.str("name");
  if (trim(s.name).empty()) top.fail("name", "empty: a system is named in outputs by it");
  check_catalog_name(top, path, "topologies/systems", s.name, "system");
  s.description = top.str_or("description", "");

  Part gpu = resolve_part(top, "gpu", "topologies/gpus", "GPU");
  Part node = resolve_part(top, "node", "topologies/nodes", "node");
  Part fabric = resolve_part(top, "fabric", "topologies/fabrics", "fabric");
  // Inline parts share the tree with `root`; file parts are separate trees. Overrides edit either in place.
  const YAML::Node gpu_before = YAML::Clone(gpu.tree);
  for (const std::string& o : overrides) apply_override(o, root, gpu, node, fabric, *overridden, s.overrides);
  rescale_stale_measurements(gpu, gpu_before, *overridden);

  s.default_nodes = static_cast<int>(top.integer_or("nodes", 1, 1));
  if (top.has("nodes")) s.default_nodes_at = top.loc("nodes");  // absent: the map's place, no key to name
  if (auto c = top.optional_map("calibration")) s.calibration = parse_calibration(*c);
  top.finish();

  YamlMap gm(gpu.tree, gpu.file, "gpu", overridden);
  s.gpu = parse_gpu(gm, gpu.file == path);
  YamlMap nm(node.tree, node.file, "node", overridden);
  s.node = parse_node(nm);
  YamlMap fm(fabric.tree, fabric.file, "fabric", overridden);
  s.fabric = parse_fabric(fm);
  // A full mesh joins every GPU of the node to every other: fewer links than peers is no mesh (the model gave
  // each of the 7 peers of an 8-GPU node a seventh of 3 links' bandwidth, as if 7 links existed).
  if (s.node.scale_up == ScaleUpType::kMesh && !s.node.scale_up_bandwidth && s.gpu.scale_up &&
      s.gpu.scale_up->links.value < s.node.gpus - 1) {
    // A node made bigger on the command line is the cause, not the GPU file's links.
    const bool node_set = std::any_of(s.overrides.begin(), s.overrides.end(), [](const auto& o) { return o.first == "node.gpus"; });
    const auto w = s.gpu.where.find("scale_up.links");
    throw InputError(node_set ? SourceLoc{"--set", 0, 0, "node.gpus"}
                     : w != s.gpu.where.end() ? w->second
                                              : SourceLoc{s.gpu.file, 0, 0, "scale_up.links"},
                     std::to_string(static_cast<long>(s.gpu.scale_up->links.value)) + " links per GPU cannot join a full mesh of " +
                         std::to_string(s.node.gpus) + " GPUs (node " + s.node.name + ", scale_up.type mesh): each needs " +
                         std::to_string(s.node.gpus - 1) + ", one per peer; give the node's own scale_up.bandwidth, or fewer GPUs");
  }
  return s;
}

SystemSpec load_system(const std::string& name_or_path, const std::vector<std::string>& overrides) {
  if (!system_cache_active()) return load_system_files(name_or_path, overrides);
  std::string key = data_dir() + "\n" + name_or_path;
  for (const std::string& o : overrides) key += "\n" + o;
  if (auto s = cached_system(key)) return *s;
  SystemSpec s = load_system_files(name_or_path, overrides);
  remember_system(key, s);
  return s;
}

SystemSpec load_system(const std::string& name_or_path, const std::vector<std::string>& overrides,
                       const std::map<std::string, SourceLoc>& written_at) {
  try {
    return load_system(name_or_path, overrides);
  } catch (const InputError& e) {
    rethrow_at_written(e, overrides, written_at);
    throw;
  }
}

YAML::Node system_document(const std::string& name_or_path, const std::vector<std::string>& overrides) {
  const std::string path = resolve_data_path("topologies/systems", "system", name_or_path, SourceLoc{"--system", 0, 0, ""});
  YAML::Node root = YAML::Clone(load_yaml_file(path));
  auto overridden = std::make_shared<std::set<std::string>>();
  YamlMap top(root, path, "", overridden);
  Part gpu = resolve_part(top, "gpu", "topologies/gpus", "GPU");
  Part node = resolve_part(top, "node", "topologies/nodes", "node");
  Part fabric = resolve_part(top, "fabric", "topologies/fabrics", "fabric");
  std::vector<std::pair<std::string, std::string>> log;
  const YAML::Node gpu_before = YAML::Clone(gpu.tree);
  for (const std::string& o : overrides) apply_override(o, root, gpu, node, fabric, *overridden, log);
  rescale_stale_measurements(gpu, gpu_before, *overridden);
  // A part named by catalog name stays a name unless --set changed it; paths and changed parts are inlined.
  const std::pair<const char*, Part*> parts[] = {{"gpu", &gpu}, {"node", &node}, {"fabric", &fabric}};
  for (const auto& [key, part] : parts) {
    const YAML::Node ref = root[key];
    bool changed = false;
    for (const auto& [p, v] : log) changed = changed || p.rfind(std::string(key) + ".", 0) == 0;
    const bool catalog_name = ref.IsScalar() && !names_a_file(ref.Scalar());
    if (!catalog_name || changed) root[key] = YAML::Clone(part->tree);
  }
  return root;
}

}  // namespace commsim
