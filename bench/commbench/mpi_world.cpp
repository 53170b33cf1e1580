#include "mpi_world.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"

namespace commsim::bench {
namespace {

void check_mpi(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw RuntimeError(std::string(what) + " failed: " + std::string(text, static_cast<std::size_t>(len)));
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

}  // namespace

MpiWorld::MpiWorld(int* argc, char*** argv) {
  MPI_Init(argc, argv);
  // Errors come back as codes, so a failing call becomes an exception with a message, not a silent abort.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  MPI_Comm_rank(node, &local_rank_);
  MPI_Comm_free(&node);
}

MpiWorld::~MpiWorld() {
  MPI_Finalize();
}

void MpiWorld::barrier() const {
  check_mpi(MPI_Barrier(comm()), "MPI_Barrier");
}

double MpiWorld::combine_time(double seconds, TimeAverage how) const {
  double out = seconds;
  switch (how) {
    case TimeAverage::kRank0:
      check_mpi(MPI_Bcast(&out, 1, MPI_DOUBLE, 0, comm()), "MPI_Bcast");
      break;
    case TimeAverage::kMean:
      check_mpi(MPI_Allreduce(&seconds, &out, 1, MPI_DOUBLE, MPI_SUM, comm()), "MPI_Allreduce");
      out /= size_;
      break;
    case TimeAverage::kMin:
      check_mpi(MPI_Allreduce(&seconds, &out, 1, MPI_DOUBLE, MPI_MIN, comm()), "MPI_Allreduce");
      break;
    case TimeAverage::kMax:
      check_mpi(MPI_Allreduce(&seconds, &out, 1, MPI_DOUBLE, MPI_MAX, comm()), "MPI_Allreduce");
      break;
  }
  return out;
}

std::int64_t MpiWorld::sum(std::int64_t v) const {
  std::int64_t out = 0;
  check_mpi(MPI_Allreduce(&v, &out, 1, MPI_INT64_T, MPI_SUM, comm()), "MPI_Allreduce");
  return out;
}

int MpiWorld::max(int v) const {
  int out = 0;
  check_mpi(MPI_Allreduce(&v, &out, 1, MPI_INT, MPI_MAX, comm()), "MPI_Allreduce");
  return out;
}

int MpiWorld::min(int v) const {
  int out = 0;
  check_mpi(MPI_Allreduce(&v, &out, 1, MPI_INT, MPI_MIN, comm()), "MPI_Allreduce");
  return out;
}

void MpiWorld::broadcast(void* data, int bytes, int root) const {
  check_mpi(MPI_Bcast(data, bytes, MPI_BYTE, root, comm()), "MPI_Bcast");
}

std::vector<std::string> MpiWorld::gather_strings(const std::string& s) const {
  int len = static_cast<int>(s.size());
  std::vector<int> lens(rank_ == 0 ? size_ : 0), displs(lens.size());
  check_mpi(MPI_Gather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, 0, comm()), "MPI_Gather");
  std::string all;
  for (std::size_t i = 0; i < lens.size(); ++i) {
    displs[i] = static_cast<int>(all.size());
    all.resize(all.size() + static_cast<std::size_t>(lens[i]));
  }
  check_mpi(MPI_Gatherv(s.data(), len, MPI_CHAR, all.data(), lens.data(), displs.data(), MPI_CHAR, 0, comm()),
            "MPI_Gatherv");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lens.size(); ++i)
    out.push_back(all.substr(static_cast<std::size_t>(displs[i]), static_cast<std::size_t>(lens[i])));
  return out;
}

std::string MpiWorld::library_version() const {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int len = 0;
  MPI_Get_library_version(text, &len);
  std::string s(text, static_cast<std::size_t>(len));
  s = s.substr(0, s.find('\n'));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  int major = 0, minor = 0;
  MPI_Get_version(&major, &minor);
  return s + " (MPI " + std::to_string(major) + "." + std::to_string(minor) + ")";
}

void MpiWorld::abort(int code) const {
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Abort(comm(), code);
  std::_Exit(code);  // not reached: MPI_Abort does not return
}

int agree_on_verdict(const MpiWorld& world, int code, const std::string& message) {
  const int worst = world.max(code);
  if (worst < 0) return worst;
  const int printer = world.min(code == worst ? world.rank() : world.size());
  if (world.rank() == printer) {
    std::FILE* out = worst == 0 ? stdout : stderr;
    std::fputs(message.c_str(), out);
    std::fflush(out);
  }
  return worst;
}

bool ranks_agree_on_args(const MpiWorld& world, const std::string& canonical) {
  const std::uint64_t h = fnv1a(canonical);
  std::uint64_t lo = 0, hi = 0;
  check_mpi(MPI_Allreduce(&h, &lo, 1, MPI_UINT64_T, MPI_MIN, world.comm()), "MPI_Allreduce");
  check_mpi(MPI_Allreduce(&h, &hi, 1, MPI_UINT64_T, MPI_MAX, world.comm()), "MPI_Allreduce");
  if (lo == hi) return true;
  const std::vector<std::string> all = world.gather_strings(canonical);
  if (world.rank() == 0) {
    std::fprintf(
        stderr,
        "commbench: error: ranks were launched with different arguments; every rank must run the same "
        "command line and COMMBENCH_* environment\n  rank 0: %s\n",
        all[0].c_str());
    int shown = 0;
    for (std::size_t r = 1; r < all.size() && shown < 8; ++r) {
      if (all[r] == all[0]) continue;
      std::fprintf(stderr, "  rank %zu: %s\n", r, all[r].c_str());
      ++shown;
    }
    std::fflush(stderr);
  }
  return false;
}

}  // namespace commsim::bench
