#include "backend_factory.hpp"

#include "core/error.hpp"
#include "mpi_backend.hpp"
#include "system_info.hpp"
#ifdef COMMBENCH_WITH_NCCL
#include "nccl_backend.hpp"
#endif

namespace commsim::bench {
namespace {

// -1 when this rank sees the CUDA devices it needs (see first_cuda_device), else 77 (none) or 2 (too few, or
// two ranks would drive the same GPU). Collective: every rank must call it.
int probe_gpus(const MpiWorld& world, int ngpus, std::string& message) {
#ifdef COMMBENCH_WITH_NCCL
  std::string why;
  const int count = visible_cuda_devices(why);
  const std::string where = "rank " + std::to_string(world.rank()) + " on " + host_name();
  int verdict = -1;
  int first = -1;
  if (count == 0) {
    message = "commbench: skipped: the nccl backend needs a CUDA device, but " + where + " sees none (" +
              why + "). Use --backend mpi to benchmark MPI on the host.\n";
    verdict = kExitSkipped;
  } else if ((first = first_cuda_device(world.local_rank(), ngpus, count)) < 0) {
    message = "commbench: error: " + where + " (local rank " + std::to_string(world.local_rank()) + ", -g " +
              std::to_string(ngpus) + ") needs CUDA devices " + std::to_string(world.local_rank() * ngpus) +
              ".." + std::to_string((world.local_rank() + 1) * ngpus - 1) + " but sees " +
              std::to_string(count) + "; run one process per GPU, or fewer processes per node.\n";
    verdict = kExitInput;
  }
  // NCCL refuses two ranks on one GPU ("Duplicate GPU detected"): find them first and say so.
  std::string key;
  if (verdict < 0)
    for (int i = 0; i < ngpus; ++i) key += host_name() + "/" + cuda_bus_id(first + i) + " ";
  const std::vector<std::string> keys = world.gather_strings(key);
  std::string duplicate;
  for (std::size_t a = 0; a < keys.size() && duplicate.empty(); ++a)
    for (std::size_t b = a + 1; b < keys.size() && duplicate.empty(); ++b)
      if (!keys[a].empty() && keys[a] == keys[b])
        duplicate = "commbench: error: ranks " + std::to_string(a) + " and " + std::to_string(b) +
                    " would drive the same GPU (" + keys[a] + "); NCCL needs one rank per GPU: launch at most " +
                    "as many processes per node as GPUs (or use --backend mpi).\n";
  if (world.max(duplicate.empty() ? 0 : 1) == 1 && verdict < 0) {
    verdict = kExitInput;
    message = duplicate;  // rank 0 has the text; agree_on_verdict prints it from rank 0
  }
  return verdict;
#else
  (void)world;
  (void)ngpus;
  message =
      "commbench: skipped: this commbench was built without the nccl backend (CUDA toolkit or NCCL not "
      "found at configure time, or COMMSIM_WITH_NCCL=OFF). Use --backend mpi.\n";
  return kExitSkipped;
#endif
}

}  // namespace

bool nccl_compiled() {
#ifdef COMMBENCH_WITH_NCCL
  return true;
#else
  return false;
#endif
}

int choose_backend(const MpiWorld& world, const Options& opts, BackendKind& chosen) {
  chosen = opts.backend;
  std::string message;
  int verdict = -1;
  if (chosen == BackendKind::kAuto) {
    const bool usable = nccl_compiled() && probe_gpus(world, opts.ngpus, message) < 0;
    chosen = world.min(usable ? 1 : 0) == 1 ? BackendKind::kNccl : BackendKind::kMpi;
    message.clear();
  } else if (chosen == BackendKind::kNccl) {
    verdict = probe_gpus(world, opts.ngpus, message);
  }
  if (verdict < 0 && chosen == BackendKind::kMpi && opts.ngpus != 1) {
    verdict = kExitInput;
    message = "commbench: error: " + flag_named(opts, "-g/--ngpus") +
              " applies to the nccl backend; the mpi backend runs one rank per process (launch more "
              "processes instead).\n";
  }
  return agree_on_verdict(world, verdict, message);
}

std::unique_ptr<Backend> make_backend(BackendKind kind, const MpiWorld& world, const Options& opts) {
#ifdef COMMBENCH_WITH_NCCL
  if (kind == BackendKind::kNccl) return make_nccl_backend(world, opts.ngpus);
#else
  (void)opts;
#endif
  if (kind != BackendKind::kMpi) throw RuntimeError("backend not available in this build");
  return std::make_unique<MpiBackend>(world);
}

}  // namespace commsim::bench
