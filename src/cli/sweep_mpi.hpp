// A sweep's points split across MPI ranks (mpirun -np N commsim sweep ...): every rank runs every N-th point
// and rank 0 gathers the rows. MPI is initialised only when a launcher says so (OMPI_COMM_WORLD_SIZE or
// PMI_SIZE in the environment), so plain runs stay MPI-free; a build without MPI always runs alone.
#pragma once

#include <string>
#include <vector>

namespace commsim::cli {

struct MpiWorld {
  int rank = 0, size = 1;
  bool active = false;
};

MpiWorld mpi_start();                            // MPI_Init under a launcher; {0, 1, false} otherwise
std::string mpi_gather(const std::string& mine);  // rank 0: every rank's text, rank order; others: ""
std::string mpi_broadcast(const std::string& root);  // every rank: rank 0's text
// Every rank's outcome of a step ("" or its error) to rank 0, and rank 0's verdict to every rank: rank -1
// when all succeeded, else the lowest failed rank and its text. The ranks then stop together (no rank left
// waiting in a collective) and rank 0 alone prints it.
struct MpiVerdict {
  int rank = -1;
  std::string text;
};
MpiVerdict mpi_agree(const std::string& mine);
void mpi_stop();                                  // MPI_Finalize when started
bool mpi_built();

}  // namespace commsim::cli
