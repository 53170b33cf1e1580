// A build without MPI: every run is a single process (sweep_mpi.hpp).
#include "cli/sweep_mpi.hpp"

namespace commsim::cli {

bool mpi_built() { return false; }
MpiWorld mpi_start() { return {}; }
std::string mpi_gather(const std::string& mine) { return mine; }
std::string mpi_broadcast(const std::string& root) { return root; }
MpiVerdict mpi_agree(const std::string& mine) {
  return mine.empty() ? MpiVerdict{} : MpiVerdict{0, mine};
}
void mpi_stop() {}

}  // namespace commsim::cli
