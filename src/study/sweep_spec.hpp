// A sweep (configs/studies/*.yaml, `commsim sweep`): a base run plus axes over any key that `--set` reaches,
// as a cartesian product, with `zip` groups that vary together and `where` filters (study/sweep_filter.hpp).
//
//   schema_version: 1
//   kind: study
//   name: nic-405b
//   base: {config: configs/train/llama3-405b-h100.yaml}      # or an inline training config, or a collective:
//   # base: {system: dgx-h100, gpus: 64, op: [all_reduce], size: [1MiB, 1GiB], dtype: bf16}
//   axes:
//     fabric.nic_speed: [200Gb/s, 400Gb/s, 800Gb/s]
//     fabric.oversubscription: [1, 2]
//   zip: [[parallelism.tp, parallelism.pp]]                  # optional: axes of equal length, varied together
//   where: ["gpus % parallelism.tp == 0"]                     # optional: every entry must hold
//
// Points are numbered in order: the first axis varies slowest (a zip group sits at its first member's place).
// Every axis value is checked when the study is loaded (alone, on the base), so an unknown key or a bad value
// is one InputError naming the study file, the value's line and the key `axes.KEY`; what only fails in
// combination (a layout that does not divide, a scale a system cannot have) becomes that point's row.
// The older form (systems/gpus/ops/size/dtype at the top level, study/compare.hpp) loads as a collective sweep
// over system x gpus x op.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "study/sweep_filter.hpp"

namespace commsim {

enum class SweepKind { kTrain, kCollective };

struct SweepAxis {
  std::string key;                  // as written: "fabric.nic_speed", "gpus", "parallelism.tp"
  std::vector<std::string> values;  // YAML scalars as written
  SourceLoc loc;                    // the key in the study file
  std::vector<SourceLoc> value_locs;
  int zip = -1;                     // index into SweepSpec::zips, -1 when the axis varies alone
};

struct SweepPoint {
  std::size_t index = 0;            // position among the points that passed the filters
  std::vector<std::string> values;  // aligned to SweepSpec::axes
};

struct SweepSpec {
  std::string name, title, file;
  SweepKind kind = SweepKind::kTrain;
  // Training base: the config tree (cloned per point), the file its marks refer to, and base.set entries.
  YAML::Node base;
  std::string base_file;
  bool base_inline = false;  // the base is the study's own `base:` mapping (its keys are named base.KEY), not a config file
  bool base_from_set = false;  // the whole base was given by --set base={...}: its errors are --set's
  // The base as parsed, its nodes at their lines in the study (or base config) file: a clone has none, and errors
  // in one were named FILE:1:1; place_base_error (sweep_check.hpp) finds a key's line here. Never changed.
  YAML::Node base_marked;
  std::vector<std::string> base_sets;  // base.set, then command-line --set
  std::string base_fingerprint;        // 16 hex digits of the base the points share (--resume checks it)
  std::map<std::string, SourceLoc> base_sets_written_at;  // base.set entries written in the file: their places
  // Collective base (any of these may be an axis instead): op and size are always axes (implicit when only
  // in the base), so every collective row names them.
  std::string system, dtype = "bf16";
  SourceLoc system_loc;  // where the base's system is written
  SourceLoc base_loc;    // where the collective base is written (its messages' place)
  int gpus = 0, nodes = 0, gpus_per_node = 0;
  std::vector<SweepAxis> axes;
  std::vector<std::vector<std::size_t>> zips;  // axis indices of each zip group
  std::vector<SweepFilter> where;
  SourceLoc where_loc;

  std::vector<std::string> axis_keys() const;
};

// Loads a study by name (configs/studies/NAME.yaml) or path; `sets` (--set) apply to the base of every point.
SweepSpec load_sweep(const std::string& name_or_path, const std::vector<std::string>& sets = {});
// Parses a study that is already a YAML tree (tests, the legacy form).
SweepSpec parse_sweep(YAML::Node tree, const std::string& file, const std::vector<std::string>& sets = {});

// The points in order, filtered. `total` (optional) receives the count before the filters. InputError when
// an axis (or a zip group) gives a value twice (two points with one key), the product exceeds 10 million
// points or the filters remove every point (naming the `where` key).
std::vector<SweepPoint> sweep_points(const SweepSpec& spec, std::size_t* total = nullptr);

// "fabric.nic_speed=400Gb/s,gpus=64": the point's identity in output files (--resume skips points by it); a
// backslash, ',' or '=' in a value is escaped with a backslash, so two points never share a key.
std::string point_key(const SweepSpec& spec, const std::vector<std::string>& values);

}  // namespace commsim
