// The OSU micro-benchmark timing loop for MPI_Allreduce (osu_allreduce.c, OMB 7.x), restated so commbench's
// times can be compared with it where the OSU package is not available (Debian ships none):
//   buffers for the largest size allocated once, page-aligned (OMB's allocate_memory_coll: posix_memalign to
//   the page size), and reused for every size; for each size: MPI_Barrier; `skip` untimed calls; then `iters`
//   calls, each timed with MPI_Wtime around the single call and summed; latency = sum / iters; the reported
//   value is the average over ranks.
// Usage: osu_reference SIZE_BYTES... ; prints "SIZE AVG_US" per size on rank 0 (float elements, MPI_SUM).
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int skip = 10, iters = 100;
  long max_bytes = sizeof(float);
  for (int a = 1; a < argc; ++a) max_bytes = std::max(max_bytes, std::atol(argv[a]));
  const long page = sysconf(_SC_PAGESIZE);
  void* send_mem = nullptr;
  void* recv_mem = nullptr;
  if (posix_memalign(&send_mem, page, max_bytes) != 0 || posix_memalign(&recv_mem, page, max_bytes) != 0)
    MPI_Abort(MPI_COMM_WORLD, 1);
  float* send = static_cast<float*>(send_mem);
  float* recv = static_cast<float*>(recv_mem);
  std::fill(send, send + max_bytes / sizeof(float), 1.0f);
  std::fill(recv, recv + max_bytes / sizeof(float), 0.0f);
  // OMB reaches 16 KiB only after every smaller size (200 untimed calls each); a first untimed pass of `skip`
  // calls per size stands in for them, so the first size is not timed in the process's start-up transient.
  for (int a = 1; a < argc; ++a)
    for (int i = 0; i < skip; ++i)
      MPI_Allreduce(send, recv, static_cast<int>(std::atol(argv[a]) / sizeof(float)), MPI_FLOAT, MPI_SUM,
                    MPI_COMM_WORLD);
  for (int a = 1; a < argc; ++a) {
    const long bytes = std::atol(argv[a]);
    const int count = static_cast<int>(bytes / sizeof(float));
    MPI_Barrier(MPI_COMM_WORLD);
    double total = 0;
    for (int i = 0; i < skip + iters; ++i) {
      const double t0 = MPI_Wtime();
      MPI_Allreduce(send, recv, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
      const double t = MPI_Wtime() - t0;
      if (i >= skip) total += t;
    }
    double latency = total * 1e6 / iters, sum = 0;
    MPI_Reduce(&latency, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) std::printf("%ld %.2f\n", bytes, sum / size);
  }
  std::free(send_mem);
  std::free(recv_mem);
  MPI_Finalize();
  return 0;
}
