// A data file's parsed contents, read once per data directory: topologies/ files every estimate consults
// (memory overhead, EP overlap and dispatch, eager elementwise ratios). The header is checked (schema_version
// 1, the expected kind; file, line and key on error), `parse` reads the rest of the root map into a T, and
// the root is finished (an unknown key is an error). COMMSIM_DATA_DIR may change between calls (tests): the
// file is read again when it does. Thread-safe; each call site (its own `parse` type) has its own cache.
#pragma once

#include <mutex>
#include <string>
#include <utility>

#include "core/data_path.hpp"
#include "core/yaml_reader.hpp"

namespace commsim {

template <typename T, typename Parse>
const T& cached_data_file(const char* relative, const char* kind, Parse parse) {
  static std::mutex mu;
  static T cached;
  static std::string loaded_from;
  std::lock_guard<std::mutex> lock(mu);
  if (loaded_from != data_dir()) {
    const std::string path = data_file(relative);
    YamlMap root(load_yaml_file(path), path);
    if (root.integer("schema_version") != 1) root.fail("schema_version", "unsupported schema_version");
    if (root.str("kind") != kind) root.fail("kind", std::string("expected kind: ") + kind);
    T fresh = parse(root);
    root.finish();  // before the cache changes: a file that fails leaves the last good directory's values
    cached = std::move(fresh);
    loaded_from = data_dir();
  }
  return cached;
}

}  // namespace commsim
