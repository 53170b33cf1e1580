#include "coll/mesh_cycles.hpp"

#include <map>
#include <mutex>

namespace commsim {

namespace {

// The search's limits: g <= 18 finishes in under 15 ms (g = 6, every link twice: 12,429 steps); from g = 19
// it runs out of the budget, a safety net.
constexpr long kStepBudget = 2'000'000;
constexpr int kMaxSearched = 18;

// Odd g = 2m + 1: Walecki's m undirected Hamiltonian cycles of K_g, each walked both ways. Rank 0 is the hub;
// cycle k visits 0, then 1 + (k, k+1, k-1, k+2, k-2, ..., k+m) mod 2m (a zigzag over every nonzero
// difference mod 2m once, so the m rotations share no edge) and returns to 0.
std::vector<std::vector<int>> walecki_cycles(int g) {
  const int n = g - 1, m = n / 2;
  std::vector<std::vector<int>> out;
  for (int k = 0; k < m; ++k) {
    std::vector<int> c{0};
    for (int i = 0; i < n; ++i) {
      const int offset = i % 2 == 1 ? (i + 1) / 2 : n - i / 2;  // 0, 1, -1, 2, -2, ... (mod n)
      c.push_back(1 + (k + offset) % n);
    }
    std::vector<int> back{0};
    back.insert(back.end(), c.rbegin(), c.rend() - 1);
    out.push_back(std::move(c));
    out.push_back(std::move(back));
  }
  return out;
}

struct Search {
  int g;
  long steps = 0;
  std::vector<std::vector<char>> used;  // how many cycles take directed link u -> v
  int times;                            // each directed link in exactly `times` cycles
  std::vector<std::vector<int>> cycles;

  Search(int n, int lambda)
      : g(n),
        used(static_cast<std::size_t>(n), std::vector<char>(static_cast<std::size_t>(n), 0)),
        times(lambda) {
    for (int i = 0; i < g; ++i) used[i][i] = static_cast<char>(times);
  }

  // Extends `path` (from rank 0) into a Hamiltonian cycle over links used fewer than `times` times, then
  // finds the remaining cycles; false when no completion exists (or the budget is spent: `steps` says which).
  bool extend(std::vector<int>& path, std::vector<char>& seen) {
    if (++steps > kStepBudget) return false;
    const int u = path.back();
    if (static_cast<int>(path.size()) == g) {
      if (used[u][0] == times) return false;
      ++used[u][0];
      cycles.push_back(path);
      if (static_cast<int>(cycles.size()) == times * (g - 1) || next_cycle()) return true;
      cycles.pop_back();
      --used[u][0];
      return false;
    }
    for (int v = 1; v < g; ++v) {
      if (seen[v] || used[u][v] == times) continue;
      ++used[u][v];
      seen[v] = 1;
      path.push_back(v);
      if (extend(path, seen)) return true;
      path.pop_back();
      --used[u][v];
      seen[v] = 0;
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
  if (g >= 3 && g % 2 == 1) {
    cycles = walecki_cycles(g);
  } else if (g >= 4 && g <= kMaxSearched) {
    Search s(g, g == 4 || g == 6 ? 2 : 1);  // no single cover exists at 4 and 6: every link twice
    if (s.next_cycle()) cycles = std::move(s.cycles);
  }
  return memo.emplace(g, std::move(cycles)).first->second;
}

}  // namespace commsim
