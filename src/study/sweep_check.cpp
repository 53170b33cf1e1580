#include "study/sweep_check.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/yaml_override.hpp"
#include "core/yaml_reader.hpp"
#include "study/compare.hpp"
#include "study/prices.hpp"
#include "study/sweep_inputs.hpp"
#include "topo/system_loader.hpp"
#include "train/compute_model.hpp"
#include "train/train_config.hpp"

namespace commsim {
namespace {

bool given_on_command_line(const SweepSpec& spec, const std::string& key);

// cost.pricing needs a price for each system's GPU: every pair of a system and a pricing the study reaches
// (the values of their axes, zip groups moving together, or the base's) is priced before a point runs; a
// missing price was an invalid point and exit 0. InputError at the prices file's axis value, else the
// system's, else the pricing's.
// `where` filters are not applied: a pair they would remove is still checked.
void check_pricing(const SweepSpec& spec, const std::vector<std::string>& first) {
  auto priced_key = [](const std::string& k) {
    return k == "system" || k == "cluster.system" || k == "cost.pricing" || k == "cost.prices";
  };
  std::vector<std::vector<std::size_t>> units;  // each a lone axis or a zip group, with a system or pricing axis
  std::set<int> zips_seen;
  for (std::size_t i = 0; i < spec.axes.size(); ++i) {
    const SweepAxis& a = spec.axes[i];
    if (a.zip < 0) {
      if (priced_key(a.key)) units.push_back({i});
      continue;
    }
    const std::vector<std::size_t>& group = spec.zips[static_cast<std::size_t>(a.zip)];
    if (std::any_of(group.begin(), group.end(), [&](std::size_t k) { return priced_key(spec.axes[k].key); }) &&
        zips_seen.insert(a.zip).second)
      units.push_back(group);
  }
  std::vector<std::size_t> at(units.size(), 0);  // the value index of each unit (an odometer)
  std::map<std::string, Prices> prices;  // by file (cost.prices), each loaded where a point first needs it
  while (true) {
    std::vector<std::string> values = first;
    std::optional<SourceLoc> blame;
    int blame_rank = -1;
    for (std::size_t u = 0; u < units.size(); ++u)
      for (std::size_t k : units[u]) {
        values[k] = spec.axes[k].values[at[u]];
        // Blamed on the prices file's axis (a file the user wrote) before the system's, the pricing's last.
        const std::string& key = spec.axes[k].key;
        const int rank = key == "cost.prices" ? 2 : key == "cost.pricing" ? 0 : 1;
        if (!blame || rank > blame_rank) {
          blame_rank = rank;
          blame = spec.axes[k].value_locs[at[u]];
          blame->key = "axes." + spec.axes[k].key;
        }
      }
    const TrainInputs in = train_inputs(spec, values, std::vector<bool>(values.size(), true));
    TrainConfig cfg = load_train_config(YAML::Clone(spec.base), spec.base_file, in.sets);
    apply_flags(cfg, in.flags);
    if (!cfg.pricing.empty() && !cfg.system.empty()) {
      try {
        auto it = prices.find(cfg.prices);
        if (it == prices.end()) it = prices.emplace(cfg.prices, load_prices(cfg.prices)).first;
        price_training(cfg, load_system(cfg.system, cfg.sets, cfg.sets_written_at).gpu, it->second);
      } catch (const InputError& e) {
        if (!blame) throw;
        // The inner place too: a prices file's own line and key ("bad.yaml:71:22: key
        // 'gpus.zx1.server.price'").
        const bool inner = !cfg.prices.empty() && e.loc().file == cfg.prices;
        // A pricing the command line set is said to be one: the axis value blamed is half of the pair.
        const bool by_set = cfg.pricing_at.file == "--set" && given_on_command_line(spec, "cost.pricing");
        throw InputError(*blame, "cost.pricing " + cfg.pricing + (by_set ? " (given by --set)" : "") +
                                     " on " + cfg.system + ": " + (inner ? e.what() : e.message()));
      }
    }
    std::size_t u = 0;
    while (u < units.size() && ++at[u] == spec.axes[units[u].front()].values.size()) at[u++] = 0;
    if (u == units.size()) break;
  }
}

// Whether `key` is set by a --set of the command line (a base_sets entry not written in the study).
bool given_on_command_line(const SweepSpec& spec, const std::string& key) {
  return std::any_of(spec.base_sets.begin(), spec.base_sets.end(), [&](const std::string& t) {
    return t.substr(0, t.find('=')) == key && spec.base_sets_written_at.count(t) == 0;
  });
}

// The override ("KEY=VALUE") among `sets` that made or replaced `key`'s section: a sibling key
// ("node.chiplet.d2d_bandwidth=1TB/s" made the node.chiplet that lacks node.chiplet.dies) or the section, or
// one above it, given whole ("node.chiplet={d2d_bandwidth: 1TB/s}"); the last such, "" when none.
std::string set_of_section(const std::vector<std::string>& sets, const std::string& key) {
  const std::size_t dot = key.rfind('.');
  if (dot == std::string::npos) return "";
  const std::string section = key.substr(0, dot);
  for (auto it = sets.rbegin(); it != sets.rend(); ++it) {
    const std::string k = it->substr(0, it->find('='));
    if (k == section || k.rfind(section + ".", 0) == 0 || section.rfind(k + ".", 0) == 0) return *it;
  }
  return "";
}

// The base mapping's own place (its line in an inline base; the study, without one, for a base config file).
SourceLoc base_place(const SweepSpec& spec, const std::string& key) {
  if (spec.base_inline && !spec.base_from_set) return node_loc(spec.base_marked, spec.file, key);
  return SourceLoc{spec.file, 0, 0, key};
}

}  // namespace

SourceLoc place_base_loc(const SourceLoc& at, const SweepSpec& spec) {
  if (spec.base_file.empty() || at.file != spec.base_file) return at;
  const std::string prefix = spec.base_inline ? "base." : "";
  // Placed by the study's own checks: at the base, or at an axis value (a study whose base is inline is the
  // base's file too: "base.axes.system" named no key).
  if (at.key == "base" || at.key.rfind("base.", 0) == 0 || at.key.rfind("axes.", 0) == 0) return at;
  if (spec.base_from_set) return SourceLoc{"--set", 0, 0, prefix + at.key};
  if (at.key.empty()) return at.line > 1 || !spec.base_inline ? at : SourceLoc{at.file, 0, 0, "base"};
  // The deepest node of the key path that the base as written has: "cluster.set[1]", "training.precision".
  const YAML::Node& root = spec.base_marked;
  YAML::Node cur = root;
  bool found = false;
  for (std::size_t from = 0; cur.IsMap();) {
    const std::size_t dot = at.key.find('.', from);
    std::string part = at.key.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
    long index = -1;
    if (const std::size_t b = part.find('['); b != std::string::npos && part.back() == ']') {
      index = std::strtol(part.c_str() + b + 1, nullptr, 10);
      part.erase(b);
    }
    const YAML::Node& c = cur;
    const YAML::Node next = c[part];
    if (!next.IsDefined()) break;
    cur.reset(next);
    found = true;
    if (index >= 0 && next.IsSequence() && index < static_cast<long>(next.size())) cur.reset(next[static_cast<std::size_t>(index)]);
    if (dot == std::string::npos) break;
    from = dot + 1;
  }
  SourceLoc placed = found ? node_loc(cur, at.file, prefix + at.key) : SourceLoc{at.file, 0, 0, prefix + at.key};
  if (!found && at.line > 1) placed.line = at.line, placed.column = at.column;  // a real position, not a clone's
  return placed;
}

InputError place_base_error(const InputError& e, const SweepSpec& spec) {
  const SourceLoc& at = e.loc();
  if (at.file.empty() || at.file != spec.base_file) return e;
  if (!at.key.empty()) return InputError(place_base_loc(at, spec), e.message());
  // A layout check's message leads with its key ("training.seq_len: required", "cluster.gpus 8 does not
  // equal ..."), its place without one: the key is found at its line, and named base.KEY in an inline base.
  const std::string& m = e.message();
  std::size_t n = 0;
  while (n < m.size() && (std::isalnum(static_cast<unsigned char>(m[n])) || m[n] == '_' || m[n] == '.' || m[n] == '[' || m[n] == ']')) ++n;
  const std::string key = m.substr(0, n);
  if (key.empty() || n == m.size() || (m[n] != ':' && m[n] != ' ') || (m[n] == ' ' && key.find('.') == std::string::npos))
    return InputError(place_base_loc(at, spec), m);
  SourceLoc placed = place_base_loc(SourceLoc{at.file, at.line, at.column, key}, spec);
  const bool renamed = placed.key != key;  // base.KEY in an inline base (or --set for a base --set gave whole)
  placed.key.clear();
  return InputError(placed, (renamed && spec.base_inline ? "base." : "") + m);
}

void check_sweep_axes(const SweepSpec& spec) {
  // The base with the command line's --set first, alone: its own errors keep their origin (its file:line or
  // --set) instead of being blamed on the first axis checked below.
  // A base.set entry's error names its line in the study (rethrow_at_written), not "--set".
  auto axis_sets = [&spec](const std::string& key) {
    return std::any_of(spec.axes.begin(), spec.axes.end(), [&key](const SweepAxis& a) { return a.key == key; });
  };
  const bool system_axis = axis_sets("system") || axis_sets("cluster.system");
  try {
    if (spec.kind == SweepKind::kTrain) {
      const TrainConfig base =
          load_train_config(YAML::Clone(spec.base), spec.base_file, base_sets_beside(spec));
      // No system in the base and none from an axis: every point would be invalid (a system-key axis was
      // refused below, any other ran to a table of invalid rows and exit 0).
      if (base.system.empty() && !system_axis)
        throw InputError(base_place(spec, "base"), "the base names no cluster.system and no axis sets one");

      // The system key `nodes` (its default scale) where the base, with its overrides, or an axis without a null
      // sizes the cluster: every point's scale replaces it (each point was refused, after the run).
      const bool sizing_axis = std::any_of(spec.axes.begin(), spec.axes.end(), [](const SweepAxis& a) {
        return (a.key == "gpus" || a.key == "nodes" || a.key == "cluster.gpus" || a.key == "cluster.nodes") &&
               std::find(a.values.begin(), a.values.end(), std::string()) == a.values.end();
      });
      if (const std::string* text = default_nodes_override(base.sets);
          text && (base.gpus > 0 || base.nodes > 0 || sizing_axis)) {
        const auto w = spec.base_sets_written_at.find(*text);
        const auto c = base.sets_written_at.find(*text);  // a base config's cluster.set entry
        throw InputError(
            w != spec.base_sets_written_at.end() ? w->second
            : c != base.sets_written_at.end()    ? place_base_loc(c->second, spec)
                                                 : SourceLoc{"--set", 0, 0, "nodes"},
            default_nodes_refused("the sweep sizes the cluster (gpus or nodes, in the base or an axis)"));
      }
      // Likewise the model and the batch shape every point needs (they ran as points all invalid, exit 0).
      auto at = [&](const std::string& key) {  // --set (or its base.set line) when an override unset it
        const auto it = base.where.find(key);
        if (it != base.where.end()) return it->second.file == "--set" ? it->second : base_place(spec, "base." + key);
        for (auto o = base.overrides.rbegin(); o != base.overrides.rend(); ++o)
          if (o->origin == "--set" && (o->key == key || key.rfind(o->key + ".", 0) == 0)) {
            const auto w = spec.base_sets_written_at.find(o->key + "=" + o->value);
            return w != spec.base_sets_written_at.end() ? w->second : SourceLoc{"--set", 0, 0, key};
          }
        return base_place(spec, "base." + key);
      };
      if (!base.has_model && !axis_sets("model")) throw InputError(at("model"), "the base names no model and no axis sets one");
      // A sweep point is one row, its fastest layout: search.top asked for more and was read and dropped (an
      // axis of it ran identical points, "tied with search.top=3").
      for (const SweepAxis& a : spec.axes)
        if (a.key == "search.top")
          throw InputError(
              SourceLoc{a.loc.file, a.loc.line, a.loc.column, "axes." + a.key},
              "a sweep reports the fastest layout of each point: search.top is train --auto's (--top K)");
      if (base.search.top != 1) {
        const auto it = base.where.find("search.top");
        throw InputError(
            it == base.where.end() || it->second.file == "--set" ? at("search.top")
                                                                 : place_base_loc(it->second, spec),
            "a sweep reports the fastest layout of each point: search.top is train --auto's (--top K)");
      }
      for (const auto& [key, v] : {std::pair<std::string, long>{"training.seq_len", base.train.seq_len},
                                   {"training.global_batch", base.train.global_batch}})
        if (v <= 0 && !axis_sets(key)) {
          const SourceLoc loc = at(key);  // a base.set line names its entry, not the key: the message does
          throw InputError(loc, (loc.key == key || loc.key == "base." + key ? "" : key + ": ") +
                                    "required: the base gives none and no axis sets it");
        }
      // The base's system with its overrides, when no axis replaces it: its errors are every point's (they
      // ran as a table of invalid points and exit 0).
      if (!system_axis) {
        std::map<std::string, SourceLoc> written_at;
        for (const auto& [text, at] : base.sets_written_at) written_at.emplace(text, place_base_loc(at, spec));
        written_at.insert(spec.base_sets_written_at.begin(), spec.base_sets_written_at.end());
        check_compute_figures(load_system(base.system, base.sets, written_at).gpu);  // refused late, per point
      }
    } else if (spec.system.empty() && !system_axis) {
      // As a training base's: every point was run and written as an invalid row before exit 2.
      throw InputError(spec.base_loc.file.empty() ? base_place(spec, "base") : spec.base_loc,
                       "the base names no system and no axis sets one");
    } else if (!system_axis) {
      try {
        load_system(base_system_file(spec), spec.base_sets, spec.base_sets_written_at);
      } catch (const InputError& e) {
        // The study's base names the system, not a --system flag (its errors said "--system: ...").
        if (e.loc().file != "--system" || spec.system_loc.file.empty()) throw;
        throw InputError(spec.system_loc, e.message());
      }
    }
  } catch (const InputError& e) {
    rethrow_at_written(e, spec.base_sets, spec.base_sets_written_at);
    if (spec.kind == SweepKind::kTrain) throw place_base_error(e, spec);
    throw;
  }
  // The first value of each axis stands in for the others while one axis is checked (a system key needs a
  // system; gpus may be an axis).
  std::vector<std::string> first;
  for (const SweepAxis& a : spec.axes) first.push_back(a.values.front());
  for (std::size_t i = 0; i < spec.axes.size(); ++i) {
    const SweepAxis& a = spec.axes[i];
    std::set<std::string> seen;
    for (std::size_t j = 0; j < a.values.size(); ++j) {
      if (a.values[j].empty() || !seen.insert(a.values[j]).second) continue;
      std::vector<std::string> values = first;
      values[i] = a.values[j];
      std::vector<bool> use(values.size(), false);
      use[i] = true;
      auto names_system = [](const std::string& key) { return key == "system" || key == "cluster.system"; };
      for (std::size_t k = 0; k < values.size(); ++k) use[k] = use[k] || names_system(spec.axes[k].key);
      const SourceLoc& at = a.value_locs[j];
      // The system overrides tried, in order, and where the written ones are: an error about a base.set entry
      // (or a base config's cluster.set entry) that this axis value does not override names that entry.
      std::vector<std::string> tried;
      std::map<std::string, SourceLoc> written_at = spec.base_sets_written_at;
      try {
        if (spec.kind == SweepKind::kTrain) {
          const TrainInputs in = train_inputs(spec, values, use);
          tried = in.sets;
          TrainConfig cfg = load_train_config(YAML::Clone(spec.base), spec.base_file, in.sets);
          apply_flags(cfg, in.flags);
          if (is_system_key(a.key) || names_system(a.key)) {
            if (cfg.system.empty()) throw InputError(base_place(spec, "base"), "the base names no cluster.system");
            tried = cfg.sets;
            for (const auto& [text, at] : cfg.sets_written_at) written_at.emplace(text, place_base_loc(at, spec));
            check_compute_figures(load_system(cfg.system, cfg.sets).gpu);
          }
        } else {
          const CollectiveInputs in = collective_inputs(spec, values, use);
          tried = in.sets;
          if (a.key == "op") parse_op(in.op);
          if (a.key == "size") parse_size(in.size);
          if (a.key == "dtype") parse_dtype(in.dtype);
          if ((is_system_key(a.key) || a.key == "system") && !in.system.empty()) load_system(in.system, in.sets);
        }
      } catch (const InputError& e) {
        rethrow_at_written(e, tried, written_at);
        // A command-line --set of another key is the command line's, whichever axis value it broke on (the
        // older study form's systems are an axis, so its overrides are first checked here).
        if (e.loc().file == "--set" && e.loc().key != a.key && given_on_command_line(spec, e.loc().key)) throw;
        // An override that made a section this axis value's system lacks (`--set
        // node.chiplet.d2d_bandwidth=1TB/s` on a system without chiplets: "node.chiplet.dies: missing") was
        // blamed on the axis alone: the override is named, at its line when the study wrote it (base.set),
        // else as the command line's, with the axis value.
        if (e.loc().file == "--set" && e.loc().key != a.key) {
          // The study's own first: a command-line --set of the same section did not make it.
          std::vector<std::string> written, command;
          for (const std::string& t : spec.base_sets) (written_at.count(t) ? written : command).push_back(t);
          std::string cause = set_of_section(written, e.loc().key);
          if (cause.empty()) cause = set_of_section(command, e.loc().key);
          if (!cause.empty()) {
            const std::string why = "on " + a.values[j] + " (axes." + a.key + ", " + at.file + ":" +
                                    std::to_string(at.line) + "): key '" + e.loc().key + "': " + e.message();
            const auto w = written_at.find(cause);
            if (w != written_at.end()) throw InputError(w->second, "'" + cause + "': " + why);
            throw InputError(SourceLoc{"--set", 0, 0, cause.substr(0, cause.find('='))}, why);
          }
        }
        std::string what = e.what();
        // The value came from the study, not the command line: nor --set, nor the flag (--model, --system) that
        // carries an axis's value to the point's config.
        const std::string& via = e.loc().file;
        if (via.rfind("--", 0) == 0 && what.rfind(via + ": ", 0) == 0) what.erase(0, via.size() + 2);
        // The axis's own key once: "key 'axes.cluster.system': key 'cluster.system': ..." said it twice.
        if (const std::string same = "key '" + a.key + "': "; what.rfind(same, 0) == 0)
          what.erase(0, same.size());
        // A collective base's op and size are axes named at the base ("base.op": it said "axes.op").
        throw InputError(
            SourceLoc{at.file, at.line, at.column, at.key.rfind("base.", 0) == 0 ? at.key : "axes." + a.key},
            what);
      }
    }
  }
  if (spec.kind == SweepKind::kTrain) {
    try {
      check_pricing(spec, first);
    } catch (const InputError& e) {
      throw place_base_error(e, spec);
    }
  }
}

SweepSpec sweep_from_study(const StudySpec& study) {
  SweepSpec s;
  s.name = study.name;
  s.title = study.title;
  s.file = study.file;
  s.kind = SweepKind::kCollective;
  s.dtype = dtype_info(study.dtype).name;
  s.base_sets = study.overrides;
  auto axis = [&](const std::string& key, std::vector<std::string> values) {
    SweepAxis a;
    a.key = key;
    a.loc = SourceLoc{study.file, 0, 0, key};
    a.values = std::move(values);
    a.value_locs.assign(a.values.size(), a.loc);
    s.axes.push_back(a);
  };
  axis("system", study.systems);
  if (study.system_locs.size() == study.systems.size())
    s.axes.back().value_locs = study.system_locs;  // --set's from here
  std::vector<std::string> gpus, ops;
  for (int g : study.gpus) gpus.push_back(std::to_string(g));
  for (Op op : study.ops) ops.push_back(op_name(op));
  axis("gpus", gpus);
  axis("op", ops);
  axis("size", {std::to_string(study.size_bytes)});
  check_sweep_axes(s);  // an unknown system is bad input, as before
  return s;
}

}  // namespace commsim
