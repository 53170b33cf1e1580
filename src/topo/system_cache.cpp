#include "topo/system_cache.hpp"

#include <map>
#include <mutex>

namespace commsim {
namespace {

std::mutex mu;
int scopes = 0;
std::map<std::string, SystemSpec> cache;

}  // namespace

SystemCache::SystemCache() {
  std::lock_guard<std::mutex> lock(mu);
  ++scopes;
}

SystemCache::~SystemCache() {
  std::lock_guard<std::mutex> lock(mu);
  if (--scopes == 0) cache.clear();
}

bool system_cache_active() {
  std::lock_guard<std::mutex> lock(mu);
  return scopes > 0;
}

std::optional<SystemSpec> cached_system(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu);
  if (scopes == 0) return std::nullopt;
  auto it = cache.find(key);
  if (it == cache.end()) return std::nullopt;
  return it->second;
}

void remember_system(const std::string& key, const SystemSpec& spec) {
  std::lock_guard<std::mutex> lock(mu);
  if (scopes > 0) cache.emplace(key, spec);
}

}  // namespace commsim
