#include "cli/sweep_mpi.hpp"

#include <mpi.h>

#include <cstdlib>

#include "core/error.hpp"

namespace commsim::cli {
namespace {
bool g_started = false;
}

bool mpi_built() { return true; }

MpiWorld mpi_start() {
  MpiWorld w;
  if (!std::getenv("OMPI_COMM_WORLD_SIZE") && !std::getenv("PMI_SIZE")) return w;
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited && MPI_Init(nullptr, nullptr) != MPI_SUCCESS) throw RuntimeError("MPI_Init failed");
  g_started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &w.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &w.size);
  w.active = w.size > 1;
  return w;
}

std::string mpi_gather(const std::string& mine) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const long long len = static_cast<long long>(mine.size());
  if (len > 2000000000LL) throw RuntimeError("MPI gather: more than 2 GB of rows on one rank");
  int n = static_cast<int>(len);
  std::vector<int> counts(static_cast<std::size_t>(size)), displs(static_cast<std::size_t>(size));
  if (MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
    throw RuntimeError("MPI_Gather failed");
  long long total = 0;
  for (int r = 0; r < size; ++r) {
    displs[static_cast<std::size_t>(r)] = static_cast<int>(total);
    total += counts[static_cast<std::size_t>(r)];
  }
  if (rank == 0 && total > 2000000000LL) throw RuntimeError("MPI gather: more than 2 GB of rows");
  std::string all(rank == 0 ? static_cast<std::size_t>(total) : 0, '\0');
  if (MPI_Gatherv(mine.data(), n, MPI_CHAR, all.data(), counts.data(), displs.data(), MPI_CHAR, 0, MPI_COMM_WORLD) !=
      MPI_SUCCESS)
    throw RuntimeError("MPI_Gatherv failed");
  return all;
}

std::string mpi_broadcast(const std::string& root) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (root.size() > 2000000000ULL) throw RuntimeError("MPI broadcast: more than 2 GB");
  int n = static_cast<int>(root.size());
  if (MPI_Bcast(&n, 1, MPI_INT, 0, MPI_COMM_WORLD) != MPI_SUCCESS) throw RuntimeError("MPI_Bcast failed");
  std::string out = rank == 0 ? root : std::string(static_cast<std::size_t>(n), '\0');
  if (MPI_Bcast(out.data(), n, MPI_CHAR, 0, MPI_COMM_WORLD) != MPI_SUCCESS) throw RuntimeError("MPI_Bcast failed");
  return out;
}

MpiVerdict mpi_agree(const std::string& mine) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  // Each rank's text ends with a NUL (an error message holds none); the verdict is "RANK:text" or "".
  const std::string all = mpi_gather(mine + '\0');
  std::string verdict;
  if (rank == 0)
    for (std::size_t pos = 0, r = 0; pos < all.size(); ++r) {
      const std::size_t end = all.find('\0', pos);
      if (end > pos) {
        verdict = std::to_string(r) + ":" + all.substr(pos, end - pos);
        break;
      }
      pos = end + 1;
    }
  verdict = mpi_broadcast(verdict);
  if (verdict.empty()) return {};
  const std::size_t colon = verdict.find(':');
  return {std::atoi(verdict.substr(0, colon).c_str()), verdict.substr(colon + 1)};
}

void mpi_stop() {
  if (!g_started) return;
  g_started = false;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

}  // namespace commsim::cli
