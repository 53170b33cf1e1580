// A scope in which load_system() (topo/system_loader.hpp) remembers the systems it has parsed: while a
// SystemCache is alive, a load with the same data directory, name and --set list returns a copy of the first
// result instead of reading and parsing the YAML files again. For loops that estimate the same few systems
// thousands of times (`commsim validate training --fit`: ~2/3 of an estimate is parsing the system files).
// Files changed while the scope is alive are not re-read. Scopes nest; the cache empties when the outermost
// one ends. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "topo/system_spec.hpp"

namespace commsim {

class SystemCache {
 public:
  SystemCache();
  ~SystemCache();
  SystemCache(const SystemCache&) = delete;
  SystemCache& operator=(const SystemCache&) = delete;
};

// For load_system(): whether a scope is alive; the remembered system for `key` (nullopt when no scope is alive or not yet loaded),
// and remembering one (a no-op when no scope is alive).
bool system_cache_active();
std::optional<SystemSpec> cached_system(const std::string& key);
void remember_system(const std::string& key, const SystemSpec& spec);

}  // namespace commsim
