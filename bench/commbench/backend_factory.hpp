// --backend: which implementation runs, decided the same way on every rank.
#pragma once

#include <memory>
#include <string>

#include "backend.hpp"
#include "mpi_world.hpp"
#include "options.hpp"

namespace commsim::bench {

bool nccl_compiled();

// Resolves `auto` (nccl when every rank sees the CUDA devices it needs, else mpi) and checks that the
// requested backend can run here. Returns -1 to carry on, or the exit code every rank must return (77 when
// NCCL is not built in or a rank sees no CUDA device, 2 for an impossible layout); the message is already
// printed.
int choose_backend(const MpiWorld& world, const Options& opts, BackendKind& chosen);

std::unique_ptr<Backend> make_backend(BackendKind kind, const MpiWorld& world, const Options& opts);

}  // namespace commsim::bench
