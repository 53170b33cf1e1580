#include "study/compare.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <set>

#include "study/sweep_check.hpp"
#include "study/sweep_run.hpp"
#include "core/data_path.hpp"
#include "core/yaml_override.hpp"
#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "topo/system_loader.hpp"

namespace commsim {

StudySpec load_study(const std::string& name_or_path, const std::vector<std::string>& sets) {
  const std::string path = resolve_data_path("configs/studies", "study", name_or_path, SourceLoc{"study", 0, 0, ""});
  YAML::Node tree = load_yaml_file(path);
  auto overridden = std::make_shared<std::set<std::string>>();
  StudySpec s;
  for (const std::string& text : sets) {
    const KeyValue kv = split_override(text, "--set");
    if (kv.key == "nodes")  // the systems' default scale: the study's gpus list replaces it (it was ignored)
      throw InputError(SourceLoc{"--set", 0, 0, kv.key},
                       default_nodes_refused("the study sizes the cluster (gpus)"));
    if (is_system_key(kv.key)) {
      s.overrides.push_back(text);
      continue;
    }
    set_yaml_path(tree, kv.key, kv.value, "--set");
    overridden->insert(kv.key);
    overridden->insert(kv.key.substr(0, kv.key.find('.')));
  }
  YamlMap m(tree, path, "", overridden);
  s.file = path;
  if (m.integer("schema_version") != 1) m.fail("schema_version", "unsupported schema_version (this build reads 1)");
  if (m.str("kind") != "study") m.fail("kind", "expected kind: study");
  s.name = m.str("name");
  s.title = m.str_or("title", s.name);
  auto list = [&](const std::string& key) {
    YAML::Node n = m.raw(key);
    if (!n.IsSequence() || n.size() == 0) m.fail(key, "expected a non-empty list");
    std::vector<std::string> out;
    for (const auto& e : n) {
      // A null has no reliable place of its own (yaml-cpp marks an empty entry at the next token): the list's.
      if (e.IsNull()) m.fail(key, "entry " + std::to_string(out.size() + 1) + " is empty (~ or null): give a value");
      if (!e.IsScalar())  // a --set value's marks are in its own text, not the study's lines
        throw InputError(m.loc(key).file == "--set" ? m.loc(key) : node_loc(e, path, key),
                         "expected a list of plain values, got a nested list or mapping");
      // Here, where the list was written (the file or --set), not later as the sweep's axis (the study file's).
      if (std::find(out.begin(), out.end(), e.Scalar()) != out.end())
        m.fail(key, "'" + e.Scalar() + "' is given twice: each value once");
      out.push_back(e.Scalar());
    }
    return out;
  };
  s.systems = list("systems");
  // Each system resolved here, where the list was written (its line, or --set), not later as the sweep's axis
  // (which named the study file without a line, whatever gave the list).
  const YAML::Node systems = tree["systems"];
  std::vector<std::string> files;
  for (std::size_t i = 0; i < systems.size(); ++i) {
    SourceLoc at = m.loc("systems");
    if (at.file != "--set") at = node_loc(systems[i], path, "systems[" + std::to_string(i) + "]");
    s.system_locs.push_back(at);
    // a relative path is found beside the study too (sweep_inputs.hpp)
    const std::string file = resolve_data_path("topologies/systems", "system", s.systems[i], at);
    files.push_back(canonical_file(file));
    // one system by its name and by its path: the rows repeated
    if (std::find(files.begin(), files.end() - 1, files.back()) != files.end() - 1)
      throw InputError(at.file == "--set" ? at : SourceLoc{at.file, at.line, at.column, "systems"},
                       "'" + s.systems[i] + "' is a system already listed (by another name or path): each system once");
    load_system(file);  // a system file with a bad value: that file's line (it was the study's axes.system)
  }
  for (const std::string& g : list("gpus")) {
    // The whole value, digits only: std::stoi read '8.9' as 8, '16GPUs' as 16, '1e3' as 1 and '0x10' as 0.
    int n = 0;
    const auto [end, ec] = std::from_chars(g.data(), g.data() + g.size(), n);
    if (ec == std::errc::result_out_of_range && end == g.data() + g.size() && !g.empty() &&
        g.front() != '-' && g.front() != '+')
      m.fail("gpus", "'" + g + "' is more than 100,000,000 GPUs");
    if (ec != std::errc() || end != g.data() + g.size() || g.empty() || g.front() == '-' || g.front() == '+')
      m.fail("gpus", "'" + g + "' is not a whole number of GPUs");
    s.gpus.push_back(n);
    if (s.gpus.back() < 2) m.fail("gpus", "GPU counts must be at least 2");
    // Bounded here, where the list was written (its line, or --set): the sweep's bound blamed the study file.
    if (s.gpus.back() > 100'000'000) m.fail("gpus", "'" + g + "' is more than 100,000,000 GPUs");
    if (std::count(s.gpus.begin(), s.gpus.end(), s.gpus.back()) > 1)  // '08' and '8'
      m.fail("gpus", std::to_string(s.gpus.back()) + " is given twice: each value once");
  }
  for (const std::string& o : list("ops")) {
    const auto op = op_from_name(o);
    if (!op) m.fail("ops", "unknown operation '" + o + "' (valid: " + op_names() + ")");
    // one operation in two spellings (all_reduce, allreduce) was refused later as the sweep's axis `op`, no line
    if (std::find(s.ops.begin(), s.ops.end(), *op) != s.ops.end())
      m.fail("ops", "'" + o + "' is " + op_name(*op) + ", given twice: each operation once");
    s.ops.push_back(*op);
  }
  s.size_bytes = m.size("size");
  if (s.size_bytes == 0) m.fail("size", "must be positive");
  const auto dt = dtype_from_name(m.str_or("dtype", "bf16"));
  if (!dt) m.fail("dtype", "unknown data type (valid: " + dtype_names() + ")");
  s.dtype = *dt;
  m.finish();
  return s;
}

// The same engine as `commsim sweep` (study/sweep_run.hpp): the study is a collective sweep over system x gpus x op.
std::vector<StudyCell> run_study(const StudySpec& spec) {
  const SweepSpec sweep = sweep_from_study(spec);
  const SweepRunner runner(sweep);
  std::vector<StudyCell> cells;
  for (const SweepPoint& p : sweep_points(sweep)) {
    const SweepRow r = runner.run(p);
    StudyCell c;
    c.system = p.values[0];
    c.gpus = std::stoi(p.values[1]);
    c.op = *op_from_name(p.values[2]);
    c.gpu = r.labels[0];
    if (r.status != "ok") {
      c.skipped = r.reason;
    } else {
      c.nodes = static_cast<int>(r.numbers[1]);
      c.time_us = r.numbers[2];
      c.busbw_GBps = r.numbers[4];
      c.algorithm = r.labels[1];
      c.proto = r.labels[2];
    }
    cells.push_back(c);
  }
  return cells;
}

}  // namespace commsim
