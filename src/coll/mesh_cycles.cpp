#include "coll/mesh_cycles.hpp"

#include <map>
#include <mutex>

namespace commsim {

namespace {

constexpr long kStepBudget = 2'000'000;  // a few tens of ms; g = 12 takes 31,673

struct Search {
  int g;
  long steps = 0;
  std::vector<std::vector<char>> used;  // directed link u -> v taken by a cycle
  std::vector<std::vector<int>> cycles;

  explicit Search(int n)
      : g(n), used(static_cast<std::size_t>(n), std::vector<char>(static_cast<std::size_t>(n), 0)) {
    for (int i = 0; i < g; ++i) used[i][i] = 1;
  }

  // Extends `path` (from rank 0) into a Hamiltonian cycle over unused links, then finds the remaining cycles;
  // false when no completion exists (or the budget is spent: `steps` says which).
  bool extend(std::vector<int>& path, std::vector<char>& seen) {
    if (++steps > kStepBudget) return false;
    const int u = path.back();
    if (static_cast<int>(path.size()) == g) {
      if (used[u][0]) return false;
      used[u][0] = 1;
      cycles.push_back(path);
      if (static_cast<int>(cycles.size()) == g - 1 || next_cycle()) return true;
      cycles.pop_back();
      used[u][0] = 0;
      return false;
    }
    for (int v = 1; v < g; ++v) {
      if (seen[v] || used[u][v]) continue;
      used[u][v] = seen[v] = 1;
      path.push_back(v);
      if (extend(path, seen)) return true;
      path.pop_back();
      used[u][v] = seen[v] = 0;
    }
    return false;
  }

  bool next_cycle() {
    std::vector<int> path{0};
    std::vector<char> seen(static_cast<std::size_t>(g), 0);
    seen[0] = 1;
    return extend(path, seen);
  }
};

}  // namespace

const std::vector<std::vector<int>>& mesh_hamiltonian_cycles(int g) {
  static std::mutex mu;
  static std::map<int, std::vector<std::vector<int>>> memo;
  const std::lock_guard<std::mutex> lock(mu);
  auto it = memo.find(g);
  if (it != memo.end()) return it->second;
  std::vector<std::vector<int>> cycles;
  if (g >= 3 && g != 4 && g != 6) {
    Search s(g);
    if (s.next_cycle()) cycles = std::move(s.cycles);
  }
  return memo.emplace(g, std::move(cycles)).first->second;
}

}  // namespace commsim
