#include "train/dp_overlap.hpp"

#include <algorithm>
#include <limits>

namespace commsim {

double dp_overlap_exposed(double G, double bucket, double window, int chunks, double round) {
  const int v = std::max(1, chunks);
  const double per_chunk = window / v, comm = G / v;
  double free = -std::numeric_limits<double>::infinity();
  for (int c = v - 1; c >= 0; --c) {
    const double end = -c * round * per_chunk;
    const double start = std::max(free, end - per_chunk);
    free = std::max(start + comm, end + bucket);
  }
  return std::max(0.0, free);
}

}  // namespace commsim
