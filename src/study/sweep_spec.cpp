#include "study/sweep_spec.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "coll/ops.hpp"
#include "core/data_path.hpp"
#include "core/units.hpp"
#include "core/yaml_override.hpp"
#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "study/compare.hpp"
#include "study/sweep_check.hpp"
#include "study/sweep_values.hpp"

namespace commsim {
namespace {

constexpr std::size_t kMaxPoints = 10'000'000;

bool is_study_key(const std::string& key) {
  for (const char* k : {"base", "axes", "zip", "where", "name", "title"})
    if (key == k || key.rfind(std::string(k) + ".", 0) == 0) return true;
  return false;
}

// A scalar list or one scalar, as strings with their locations.
// file "--set": the values came from the command line; their marks are in the --set text, not a file's lines.
std::vector<std::pair<std::string, SourceLoc>> scalars(const YAML::Node& n, const std::string& file, const std::string& key) {
  const bool cmdline = file == "--set";
  auto at = [&](const YAML::Node& x) { return cmdline ? SourceLoc{file, 0, 0, key} : node_loc(x, file, key); };
  std::vector<std::pair<std::string, SourceLoc>> out;
  if (n.IsScalar()) {
    if (n.Scalar().empty()) throw InputError(at(n), "an empty value ''; write ~ for the base's value");
    out.push_back({n.Scalar(), at(n)});
    return out;
  }
  if (!n.IsSequence()) throw InputError(at(n), "expected a value or a list of values");
  for (const auto& e : n) {
    if (e.IsNull()) {  // `~` or `null`: the key is not set at this point (the base's value stands), shown empty
      const YAML::Mark m = e.Mark();  // node_loc gives a null no line
      out.push_back({"", m.is_null() || cmdline ? SourceLoc{file, 0, 0, key} : SourceLoc{file, m.line + 1, m.column + 1, key}});
      continue;
    }
    if (!e.IsScalar()) throw InputError(at(e), "expected a list of plain values, got a nested list or mapping");
    // An empty string read as ~ (the base's value), a second point equal to another under its own key.
    if (e.Scalar().empty()) throw InputError(at(e), "an empty value ''; write ~ for the base's value");
    out.push_back({e.Scalar(), at(e)});
  }
  return out;
}

// base.set: the overrides, and where each was written (none when --set gave base.set itself).
void read_base_sets(SweepSpec& s, YamlMap& b) {
  const std::vector<std::string> sets = b.strings("set");
  const SourceLoc at = b.loc("set");
  const YAML::Node items = b.raw("set");
  for (std::size_t i = 0; i < sets.size(); ++i) {
    s.base_sets.push_back(sets[i]);
    // Keyed by the text: of two equal entries the later, which takes effect.
    if (at.file != "--set") s.base_sets_written_at.insert_or_assign(sets[i], node_loc(items[i], b.file(), "base.set[" + std::to_string(i) + "]"));
  }
}

void read_collective_base(SweepSpec& s, YamlMap& b) {
  s.kind = SweepKind::kCollective;
  s.base_loc = b.loc();
  s.system = b.str_or("system", "");
  if (b.has("system")) s.system_loc = b.loc("system");
  s.gpus = static_cast<int>(b.integer_or("gpus", 0, 1));
  s.nodes = static_cast<int>(b.integer_or("nodes", 0, 1));
  s.gpus_per_node = static_cast<int>(b.integer_or("gpus_per_node", 0, 1));
  s.dtype = b.str_or("dtype", "bf16");
  // Checked here, at its line: each point failed on it, and the study ended naming no file (exit 2).
  if (!dtype_from_name(s.dtype))
    b.fail("dtype", "unknown data type '" + s.dtype + "' (valid: " + dtype_names() + ")");
  read_base_sets(s, b);
  // op and size become axes (added after the study's own axes unless listed there).
  for (const char* k : {"op", "size"}) {
    if (!b.has(k)) b.fail(k, std::string("a collective base needs `") + k + "` (a value or a list)");
    SweepAxis a;
    a.key = k;
    a.loc = b.loc(k);
    const SourceLoc at = b.loc(k);  // "--set" when --set gave it: the marks are then in the --set text
    for (auto& [v, loc] : scalars(b.raw(k), at.file == "--set" ? at.file : b.file(), std::string("base.") + k)) {
      a.values.push_back(v);
      a.value_locs.push_back(loc);
    }
    if (a.values.empty()) b.fail(k, "expected a non-empty list");
    s.axes.push_back(a);
  }
}

void read_train_base(SweepSpec& s, YamlMap& b, const YAML::Node& node) {
  s.kind = SweepKind::kTrain;
  if (b.has("config")) {
    const std::string path = resolve_data_path("configs/train", "training config", b.str("config"), b.loc("config"));
    s.base_marked = load_yaml_file(path);
    s.base = YAML::Clone(s.base_marked);
    s.base_file = path;
    read_base_sets(s, b);
    b.finish();
    return;
  }
  s.base = YAML::Clone(node);  // an inline training config (its keys are checked by the training parse)
  s.base_inline = true;
  s.base_from_set = b.loc().file == "--set";
  s.base.remove("set");
  read_base_sets(s, b);
  if (!s.base["schema_version"].IsDefined()) s.base["schema_version"] = 1;
  s.base_file = b.file();
  s.base_marked = node;  // the study tree's own node: read for positions only, never changed
}

// The cluster axes (`system`, `gpus`, ...) become flags, which beat their cluster.* keys: the key they set.
std::string cluster_key(const std::string& k) {
  return k == "system" || k == "gpus" || k == "nodes" || k == "gpus_per_node" ? "cluster." + k : k;
}
bool sizes_cluster(const std::string& k) { return k == "cluster.gpus" || k == "cluster.nodes"; }

// The dotted keys an override "KEY=VALUE" sets: KEY, or each leaf of a mapping given whole
// ("cluster={system: dgx-h100, gpus: 64}" sets cluster.system and cluster.gpus).
std::vector<std::string> keys_set(const std::string& text) {
  const std::size_t eq = text.find('=');
  const std::string key = text.substr(0, eq);
  std::vector<std::string> out;
  YAML::Node v;
  try {
    if (eq != std::string::npos) v = YAML::Load(text.substr(eq + 1));
  } catch (const YAML::Exception&) {  // malformed: refused where it is applied
  }
  std::function<void(const YAML::Node&, const std::string&)> leaves = [&](const YAML::Node& n, const std::string& at) {
    if (!n.IsMap() || n.size() == 0) {
      out.push_back(at);
      return;
    }
    for (const auto& kv : n)
      if (kv.first.IsScalar()) leaves(kv.second, at + "." + kv.first.Scalar());
  };
  leaves(v, key);
  return out;
}

}  // namespace

std::vector<std::string> SweepSpec::axis_keys() const {
  std::vector<std::string> k;
  for (const SweepAxis& a : axes) k.push_back(a.key);
  return k;
}

namespace {
std::string hex16(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// FNV-1a (64 bits) of what the points share: the training base as parsed (a config it names included; its
// comments and spacing not), or the collective base's keys, and the --set overrides of the base, each ended
// by a NUL (the CSV's "; with --set a, --set b" line reads alike for ["a, --set b"] and ["a", "b"]). --resume
// compares it.
std::string base_fingerprint(const SweepSpec& s) {
  std::string text;
  if (s.kind == SweepKind::kTrain) {
    YAML::Emitter e;
    e << s.base;
    text = e.c_str();
  } else {
    text = s.system + "|" + s.dtype + "|" + std::to_string(s.gpus) + "|" + std::to_string(s.nodes) + "|" +
           std::to_string(s.gpus_per_node);
  }
  for (const std::string& set : s.base_sets) text.append(set).push_back('\0');
  return hex16(fnv1a64(text));
}

// The base fingerprint with the files the study's checks read folded in (the systems, GPUs, nodes, fabrics
// and models its base and axes name) and the data directory's model files (topologies/*.yaml: efficiencies,
// collective model, links, prices): an edit to any of them changes the rows. The hashes of their texts,
// sorted: not the paths, which depend on where the sweep runs from. The study file and its base config are
// left out: their base is in the fingerprint as parsed (comments aside), and the study's axes are checked row
// by row. An axis value naming another file (a system or model added to a resumed sweep) changes the
// fingerprint: such a sweep resumes into a new file.
std::string with_inputs(const std::string& fingerprint, const YamlReadLog& read, const std::string& study,
                        const std::string& base_config) {
  std::error_code ec;
  std::vector<std::string> model_files;
  for (const auto& e : std::filesystem::directory_iterator(data_file("topologies"), ec))
    if (e.path().extension() == ".yaml" && e.is_regular_file(ec)) model_files.push_back(e.path().string());
  for (const std::string& f : model_files) load_yaml_file(f);
  std::vector<std::uint64_t> hashes;
  for (const auto& [file, h] : read.files())
    if (file != study && file != base_config) hashes.push_back(h);
  std::sort(hashes.begin(), hashes.end());
  std::string text = fingerprint;
  for (std::uint64_t h : hashes) text += "|" + std::to_string(h);
  return hex16(fnv1a64(text));
}
}  // namespace

SweepSpec load_sweep(const std::string& name_or_path, const std::vector<std::string>& sets) {
  const YamlReadLog read;
  const std::string path = resolve_data_path("configs/studies", "study", name_or_path, SourceLoc{"study", 0, 0, ""});
  YAML::Node tree = load_yaml_file(path);
  SweepSpec s = tree["systems"].IsDefined() && !tree["base"].IsDefined()
                    ? sweep_from_study(load_study(path, sets))
                    : parse_sweep(tree, path, sets);
  s.base_fingerprint = with_inputs(s.base_fingerprint, read, path, s.base_file);
  return s;
}

SweepSpec parse_sweep(YAML::Node tree, const std::string& file, const std::vector<std::string>& sets) {
  auto overridden = std::make_shared<std::set<std::string>>();
  std::vector<std::string> base_sets;
  // A training base's own keys given as `--set base.KEY=V` are overrides of the base, as `--set KEY=V` is, so
  // their errors name --set (they named the study file's first line: the value had no place in it).
  bool collective_set = tree["base"].IsMap() && ((tree["base"]["op"].IsDefined() && !tree["base"]["op"].IsNull()) ||
                                              (tree["base"]["size"].IsDefined() && !tree["base"]["size"].IsNull()));
  for (const std::string& text : sets) {
    const std::string key = text.substr(0, text.find('='));
    collective_set = collective_set || key == "base.op" || key == "base.size";
  }
  for (const std::string& text : sets) {
    const KeyValue kv = split_override(text, "--set");
    if (!is_study_key(kv.key)) {
      base_sets.push_back(text);
      continue;
    }
    if (!collective_set && kv.key.rfind("base.", 0) == 0) {
      const std::string sub = kv.key.substr(5);
      if (sub != "config" && sub != "set" && sub.rfind("set.", 0) != 0) {
        base_sets.push_back(sub + "=" + kv.value);
        continue;
      }
    }
    // An axis key is a whole dotted key (axes.parallelism.tp), not sections.
    set_yaml_path(tree, kv.key, kv.value, "--set", kv.key.rfind("axes.", 0) == 0 ? 1 : std::string::npos);
    overridden->insert(kv.key);
  }
  YamlMap m(tree, file, "", overridden);
  SweepSpec s;
  s.file = file;
  if (m.integer("schema_version") != 1) m.fail("schema_version", "unsupported schema_version (this build reads 1)");
  if (m.str("kind") != "study") m.fail("kind", "expected kind: study");
  s.name = m.str("name");
  s.title = m.str_or("title", s.name);
  m.str_or("description", "");
  YamlMap b = m.map("base");
  // Probed on the node: has() would mark a null op/size known, and a training base would accept `op: ~`.
  const YAML::Node bn = m.raw("base");
  auto present = [&bn](const char* k) { return bn.IsMap() && bn[k].IsDefined() && !bn[k].IsNull(); };
  const bool collective = present("op") || present("size");
  std::vector<SweepAxis> implicit;
  if (collective) {
    read_collective_base(s, b);
    implicit.swap(s.axes);
    b.finish();
    for (const std::string& t : base_sets) {
      const KeyValue kv = split_override(t, "--set");
      if (!is_system_key(kv.key))
        throw InputError(SourceLoc{"--set", 0, 0, kv.key}, "a collective study takes system keys (gpu.*, node.*, fabric.*) "
                         "or study keys (base.*, axes.*); '" + kv.key + "' is neither");
    }
  } else {
    read_train_base(s, b, m.raw("base"));
  }
  s.base_sets.insert(s.base_sets.end(), base_sets.begin(), base_sets.end());
  for (const std::string& t : base_sets) s.base_sets_written_at.erase(t);  // the command line's, given after: its own

  const YAML::Node axes = m.raw("axes");
  if (!axes.IsDefined() || axes.IsNull()) {
    if (implicit.empty()) m.fail("axes", "a study needs `axes` (a map: key -> list of values)");
  } else if (!axes.IsMap()) {
    m.fail("axes", "expected a map: key -> list of values");
  }
  if (axes.IsMap()) {
    for (auto it = axes.begin(); it != axes.end(); ++it) {
      SweepAxis a;
      a.key = it->first.Scalar();
      a.loc = node_loc(it->first, file, "axes." + a.key);
      if (overridden->count("axes") || overridden->count("axes." + a.key)) a.loc = SourceLoc{"--set", 0, 0, "axes." + a.key};
      for (auto& [v, loc] : scalars(it->second, a.loc.file == "--set" ? a.loc.file : file, "axes." + a.key)) {
        a.values.push_back(v);
        a.value_locs.push_back(a.loc.file == "--set" ? a.loc : loc);
      }
      if (a.values.empty()) throw InputError(a.loc, "empty axis: give at least one value");
      // The cluster axes are flags for cluster.* keys, and a schedule has two spellings: two axes for one key
      // ran with one of them and reported both (system: [dgx-h100] beside cluster.system: [hgx-h200]).
      auto one_key = [](const std::string& k) {
        if (k == "system" || k == "gpus" || k == "nodes" || k == "gpus_per_node") return "cluster." + k;
        if (k == "pipeline.schedule") return std::string("parallelism.schedule");
        return k;
      };
      for (const SweepAxis& o : s.axes) {
        if (o.key == a.key) throw InputError(a.loc, "axis given twice");
        if (one_key(o.key) == one_key(a.key))
          throw InputError(a.loc, "'" + a.key + "' and the axis '" + o.key + "' set one key: give one of them");
      }
      s.axes.push_back(a);
    }
  }
  for (SweepAxis& a : implicit) {
    bool listed = false;
    for (SweepAxis& o : s.axes) {
      if (o.key != a.key) continue;
      listed = true;
      // A null in the study's op or size axis keeps the base's value: the base's one value, or none to keep
      // (a point needs an op and a size; it ran as an invalid point "size ''").
      for (std::size_t j = 0; j < o.values.size(); ++j) {
        if (!o.values[j].empty()) continue;
        if (a.values.size() != 1 || a.values[0].empty())
          throw InputError(o.value_locs[j], "a null keeps the base's " + a.key + ", and the base gives " +
                                                (a.values.size() > 1 ? "a list" : "none") + ": give a value");
        o.values[j] = a.values[0];
      }
    }
    if (!listed) s.axes.push_back(a);
  }

  // A --set (or base.set entry) of a key an axis sets was applied first and replaced at every point: the sweep
  // ran as if it were not given (2026-12-04).
  // The system key `nodes` is its default scale: a collective base or axis that sizes the cluster replaces it at
  // every point (it was ignored without a word); a training sweep's is checked on the base with its --set
  // applied (sweep_check.cpp).
  const bool sizing_axis = std::any_of(s.axes.begin(), s.axes.end(), [](const SweepAxis& a) {
    return sizes_cluster(cluster_key(a.key)) && std::find(a.values.begin(), a.values.end(), std::string()) == a.values.end();
  });
  for (const std::string& t : s.base_sets) {
    const std::string key = t.substr(0, t.find('='));  // a malformed entry is refused later, where it is applied
    const auto at = s.base_sets_written_at.find(t);
    const SourceLoc where = at != s.base_sets_written_at.end() ? at->second : SourceLoc{"--set", 0, 0, key};
    if (key == "nodes" && s.kind == SweepKind::kCollective && (s.gpus > 0 || s.nodes > 0 || sizing_axis))
      throw InputError(where, default_nodes_refused(
                                  "the sweep sizes the cluster (gpus or nodes, in the base or an axis)"));
    const std::vector<std::string> given = keys_set(t);
    for (const SweepAxis& a : s.axes) {
      // An axis with a null value leaves the key to the base there, so a set of it is used at those points.
      if (std::find(a.values.begin(), a.values.end(), std::string()) != a.values.end()) continue;
      const std::string axis_key = cluster_key(a.key);
      for (const std::string& g : given) {
        // `gpus` and `nodes` both size the cluster: an axis of one replaces a set of the other (the nodes axis
        // clears gpus at each point), so that set was ignored too.
        const bool size = sizes_cluster(axis_key) && sizes_cluster(g) && g != axis_key;
        if (size || g == axis_key || g.rfind(axis_key + ".", 0) == 0)
          throw InputError(where, "the axis '" + a.key + "' sets " + (size ? "the cluster's size" : g == axis_key ? "this key" : g) +
                                      " at every point; change the axis instead (--set axes." + a.key + "=[...])");
      }
    }
  }
  const std::vector<std::string> keys = s.axis_keys();
  if (m.has("zip")) {
    const std::string zfile = overridden->count("zip") ? "--set" : file;
    const YAML::Node z = m.raw("zip");
    if (!z.IsSequence()) m.fail("zip", "expected a list of groups, e.g. [[parallelism.tp, parallelism.pp]]");
    for (const auto& g : z) {
      std::vector<std::size_t> group;
      for (auto& [k, loc] : scalars(g, zfile, "zip")) {
        std::size_t i = 0;
        while (i < keys.size() && keys[i] != k) ++i;
        SourceLoc l = loc;
        l.key = "zip." + k;
        if (i == keys.size()) throw InputError(l, "'" + k + "' is not an axis");
        if (std::find(group.begin(), group.end(), i) != group.end()) throw InputError(l, "'" + k + "' is twice in one zip group");
        if (s.axes[i].zip >= 0) throw InputError(l, "'" + k + "' is in two zip groups");
        if (!group.empty() && s.axes[i].values.size() != s.axes[group.front()].values.size())
          throw InputError(l, "zip group lengths differ: '" + k + "' has " + std::to_string(s.axes[i].values.size()) +
                                  " values, '" + keys[group.front()] + "' has " +
                                  std::to_string(s.axes[group.front()].values.size()));
        s.axes[i].zip = static_cast<int>(s.zips.size());
        group.push_back(i);
      }
      if (group.size() < 2)
        throw InputError(zfile == "--set" ? SourceLoc{zfile, 0, 0, "zip"} : node_loc(g, file, "zip"), "a zip group needs at least two axes");
      s.zips.push_back(group);
    }
  }
  if (m.has("where")) {
    s.where_loc = m.loc("where");
    for (auto& [text, loc] : scalars(m.raw("where"), overridden->count("where") ? "--set" : file, "where"))
      s.where.emplace_back(text, loc, keys);
  }
  m.finish();
  check_sweep_axes(s);
  s.base_fingerprint = base_fingerprint(s);
  return s;
}

std::vector<SweepPoint> sweep_points(const SweepSpec& spec, std::size_t* total) {
  // Units: an axis alone, or a zip group at its first member's place.
  std::vector<std::vector<std::size_t>> units;
  for (std::size_t i = 0; i < spec.axes.size(); ++i) {
    const int z = spec.axes[i].zip;
    if (z < 0) units.push_back({i});
    else if (spec.zips[static_cast<std::size_t>(z)].front() == i) units.push_back(spec.zips[static_cast<std::size_t>(z)]);
  }
  for (const auto& u : units) check_distinct_values(spec, u);
  std::size_t n = 1;
  for (const auto& u : units) {
    const std::size_t len = spec.axes[u.front()].values.size();
    if (n > kMaxPoints / len) throw InputError(SourceLoc{spec.file, 0, 0, "axes"}, "more than 10,000,000 points; narrow the axes");
    n *= len;
  }
  if (total) *total = n;
  std::vector<SweepPoint> points;
  std::vector<std::size_t> digit(units.size(), 0);
  for (std::size_t p = 0; p < n; ++p) {
    SweepPoint pt;
    pt.values.resize(spec.axes.size());
    for (std::size_t u = 0; u < units.size(); ++u)
      for (std::size_t a : units[u]) pt.values[a] = spec.axes[a].values[digit[u]];
    bool keep = true;
    for (const SweepFilter& f : spec.where) keep = keep && f.keep(pt.values);
    if (keep) {
      pt.index = points.size();
      points.push_back(std::move(pt));
    }
    for (std::size_t u = units.size(); u-- > 0;) {  // the last unit varies fastest
      if (++digit[u] < spec.axes[units[u].front()].values.size()) break;
      digit[u] = 0;
    }
  }
  if (points.empty()) {
    std::string all;
    for (const SweepFilter& f : spec.where) all += (all.empty() ? "" : "; ") + f.text();
    throw InputError(spec.where_loc, "the filters remove every one of the " + std::to_string(n) + " points (" + all + ")");
  }
  return points;
}

std::string point_key(const SweepSpec& spec, const std::vector<std::string>& values) {
  // A value's backslash, ',' and '=' escaped with a backslash: two points whose values hold the separators
  // had one key
  // ('a,gpu.vendor=b' x 'c' and 'a' x 'b,gpu.vendor=c'), and --resume took the second as done.
  auto escaped = [](const std::string& v) {
    std::string e;
    for (char ch : v) {
      if (ch == '\\' || ch == ',' || ch == '=') e += '\\';
      e += ch;
    }
    return e;
  };
  std::string k;
  for (std::size_t i = 0; i < spec.axes.size(); ++i)
    k += (i ? "," : "") + spec.axes[i].key + "=" + escaped(values[i]);
  return k;
}

}  // namespace commsim
