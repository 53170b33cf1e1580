// The OSU micro-benchmark timing loop for MPI_Allreduce (osu_allreduce.c, OMB 7.x), restated so commbench's
// times can be compared with it where the OSU package is not available (Debian ships none):
//   for each size: MPI_Barrier; `skip` untimed calls; then `iters` calls, each timed with MPI_Wtime around
//   the single call and summed; latency = sum / iters; the reported value is the average over ranks.
// Usage: osu_reference SIZE_BYTES... ; prints "SIZE AVG_US" per size on rank 0 (float elements, MPI_SUM).
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int skip = 10, iters = 100;
  for (int a = 1; a < argc; ++a) {
    const long bytes = std::atol(argv[a]);
    const int count = static_cast<int>(bytes / sizeof(float));
    std::vector<float> send(count, 1.0f), recv(count, 0.0f);
    MPI_Barrier(MPI_COMM_WORLD);
    double total = 0;
    for (int i = 0; i < skip + iters; ++i) {
      const double t0 = MPI_Wtime();
      MPI_Allreduce(send.data(), recv.data(), count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
      const double t = MPI_Wtime() - t0;
      if (i >= skip) total += t;
    }
    double latency = total * 1e6 / iters, sum = 0;
    MPI_Reduce(&latency, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) std::printf("%ld %.2f\n", bytes, sum / size);
  }
  MPI_Finalize();
  return 0;
}
