// Strict reading of YAML mappings: every key read is marked as used, and finish() rejects the rest, naming
// file, line, column and the dotted key path. Values may be written plainly ("450GB/s") or with provenance:
//
//   bandwidth: {value: 450GB/s, kind: datasheet, source: "NVIDIA H100 datasheet"}
//
// kind is one of datasheet | measurement | claim | calibrated | derived | assumption.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"

namespace commsim {

struct Provenance {
  std::string kind;    // empty when the value was written plainly
  std::string source;
  std::string note;
};

// The kinds a value's provenance may name: datasheet, measurement, claim, calibrated, derived, assumption.
const std::vector<std::string>& provenance_kinds();

// A number with its unit already applied and where it came from.
struct Figure {
  double value = 0;
  Provenance provenance;
};

// Loads a YAML file; throws InputError naming the file on a missing file, a syntax error, an empty file, a
// second document (after '---'), a duplicate key (both lines named) or a key that is not a plain scalar.
YAML::Node load_yaml_file(const std::string& path);
YAML::Node load_yaml_string(const std::string& text, const std::string& name);
// Rejects a mapping key written twice and keys that are not plain scalars, anywhere under `node` (load_yaml_*
// do this): the message names `file` and the dotted key below `path`, and the lines where the file has them
// (`lines` false for a value given on a command line, whose lines are not the user's).
void check_yaml_keys(const YAML::Node& node, const std::string& file, const std::string& path,
                     bool lines = true);
// The 1-based line where a second document with content starts, 0 when there is none ("a: 1\n---\n" has one).
int second_document_line(const std::string& text);

// While one is alive, load_yaml_file keeps each file's tree (keyed by path, size and mtime) and returns a
// copy, so a sweep's thousands of points parse the same system, GPU and model files once. Copies carry no
// line numbers (yaml-cpp's Clone drops marks): errors name the file and key only, so enable it only after
// the inputs were checked once (commsim sweep does).
class YamlFileCache {
 public:
  YamlFileCache();
  ~YamlFileCache();
  YamlFileCache(const YamlFileCache&) = delete;
  YamlFileCache& operator=(const YamlFileCache&) = delete;
};

// While one is alive, load_yaml_file notes every file it reads: its path and a 64-bit hash of its text (the
// bytes: a comment edited counts as an edit). `sweep --resume` folds the files a sweep's setup read (the
// systems, GPUs, nodes, fabrics, models and prices its points use) into its base fingerprint: an edited file
// behind a resumed file's rows was taken for the same input.
class YamlReadLog {
 public:
  YamlReadLog();
  ~YamlReadLog();
  YamlReadLog(const YamlReadLog&) = delete;
  YamlReadLog& operator=(const YamlReadLog&) = delete;
  // path -> hash of the files read since this log began (of every log alive at once)
  std::map<std::string, std::uint64_t> files() const;
};
// FNV-1a, 64 bits.
std::uint64_t fnv1a64(const std::string& text, std::uint64_t h = 14695981039346656037ULL);

class YamlMap {
 public:
  // `node` must be a mapping; `path` is the dotted prefix for messages ("" at top level). `overridden`
  // lists dotted paths whose values came from --set, so messages about them name "--set" instead of a file.
  YamlMap(YAML::Node node, std::string file, std::string path = "",
          std::shared_ptr<const std::set<std::string>> overridden = nullptr);

  bool has(const std::string& key) const;
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  SourceLoc loc(const std::string& key) const;  // location of key (or of the mapping if absent)
  SourceLoc loc() const;                        // location of this mapping

  // Quantities with units. `min_exclusive`: values must be > 0 unless allow_zero.
  Figure figure(const std::string& key, Dimension dim, bool allow_zero = false);
  std::optional<Figure> optional_figure(const std::string& key, Dimension dim, bool allow_zero = false);
  double quantity(const std::string& key, Dimension dim, bool allow_zero = false) {
    return figure(key, dim, allow_zero).value;
  }
  double quantity_or(const std::string& key, Dimension dim, double fallback, bool allow_zero = false);
  // One figure or a list of them (`key: 1MiB` or `key: [1MiB, {value: 16MiB, kind: ...}]`); empty when absent.
  // An element's errors name `key[i]`.
  std::vector<Figure> figures(const std::string& key, Dimension dim, bool allow_zero = false);

  // A size in bytes (units.hpp: "1G" = 2^30, "1GB" = 1e9), bounded to uint64; zero allowed.
  std::uint64_t size(const std::string& key);

  // Plain counts: integers >= min_value.
  long integer(const std::string& key, long min_value = 1);
  long integer_or(const std::string& key, long fallback, long min_value = 1);
  Figure integer_figure(const std::string& key, long min_value = 1);

  // A ratio in [lo, hi] (plain number or percent).
  double ratio_or(const std::string& key, double fallback, double lo = 0.0, double hi = 1.0);
  double ratio(const std::string& key, double lo = 0.0, double hi = 1.0);

  std::string str(const std::string& key);
  std::string str_or(const std::string& key, const std::string& fallback);
  // One of `choices`; the message lists them.
  std::string choice(const std::string& key, const std::vector<std::string>& choices);
  std::string choice_or(const std::string& key, const std::vector<std::string>& choices, const std::string& fallback);
  bool boolean_or(const std::string& key, bool fallback);
  // A list of plain strings; empty when absent. A non-list or a non-scalar item is an error at the item.
  std::vector<std::string> strings(const std::string& key);

  YamlMap map(const std::string& key);
  std::optional<YamlMap> optional_map(const std::string& key);
  YAML::Node raw(const std::string& key);  // marks used; no checks
  std::vector<std::string> keys() const;

  // Throws InputError for the first key never read.
  void finish() const;

  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

 private:
  // A required key is missing: "missing required <what>", and where a key of the map not read yet is one or
  // two letters from it, that key and its line as the likely typo ("(is 'tdpp' at line 25 a misspelling of
  // it?)"; a misspelt required key was named only as missing, helper-134). A hint, not the error: the near
  // key may be a sibling not read yet (tile_n beside a missing tile_m).
  [[noreturn]] void missing(const std::string& key, const std::string& what) const;
  YAML::Node child(const std::string& key) const;
  std::string key_path(const std::string& key) const;
  Figure read_figure(const std::string& key, const YAML::Node& n, Dimension dim, bool allow_zero);

  SourceLoc loc_of(const YAML::Node& n, const std::string& key) const;

  YAML::Node node_;
  std::string file_;
  std::string path_;
  std::shared_ptr<const std::set<std::string>> overridden_;
  mutable std::set<std::string> used_;
};

// A check of two keys (`key` of `a`, `other` of `b`; one map or two) fails at the one --set changed when only
// that one came from --set, else at `key`: `--set model.moe.experts=1` below the file's top_k names --set.
[[noreturn]] void fail_at_set_one(const YamlMap& a, const std::string& key, const YamlMap& b, const std::string& other,
                                  const std::string& what);

// Location of a node for messages.
SourceLoc node_loc(const YAML::Node& node, const std::string& file, const std::string& key);

}  // namespace commsim
