#include "core/data_path.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace commsim {
namespace fs = std::filesystem;

namespace {

// Why `dir` cannot serve as the data directory, or "" when it can.
std::string refusal(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fs::exists(dir, ec) ? "not a directory" : "does not exist";
  const fs::path gpus = fs::path(dir) / "topologies" / "gpus";
  if (!fs::is_directory(gpus, ec)) return "has no topologies/gpus/";
  for (const auto& e : fs::directory_iterator(gpus, ec))
    if (e.path().extension() == ".yaml") return "";
  return "topologies/gpus/ holds no .yaml file";
}

std::string self_exe() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

bool inside(const std::string& path, const std::string& dir) {
  if (path.empty() || dir.empty()) return false;
  std::error_code ec;
  const std::string p = fs::weakly_canonical(path, ec).string();
  if (ec) return false;
  std::string d = fs::weakly_canonical(dir, ec).string();
  if (ec || d.empty()) return false;
  if (d.back() != '/') d += '/';
  return p.compare(0, d.size(), d) == 0;
}

}  // namespace

std::vector<DataDirCandidate> data_dir_candidates(const char* env, const std::string& exe_path,
                                                  const std::string& build_dir, const std::string& source_dir) {
  std::vector<DataDirCandidate> out;
  if (env != nullptr && *env != '\0') {
    out.push_back({env, "COMMSIM_DATA_DIR", refusal(env)});
    return out;
  }
  if (!exe_path.empty()) {
    const std::string d = (fs::path(exe_path).parent_path() / ".." / "share" / "commsim").lexically_normal().string();
    out.push_back({d, "next to the binary", refusal(d)});
  }
  if (inside(exe_path, build_dir)) out.push_back({source_dir, "build tree", refusal(source_dir)});
  return out;
}

std::string pick_data_dir(const std::vector<DataDirCandidate>& candidates) {
  for (const DataDirCandidate& c : candidates)
    if (c.refused.empty()) return c.path;
  std::string tried;
  for (const DataDirCandidate& c : candidates) tried += "\n  " + c.path + " (" + c.origin + "): " + c.refused;
  if (tried.empty()) tried = "\n  (none: the binary's own path is unknown and COMMSIM_DATA_DIR is not set)";
  throw InputError("cannot find commsim's data directory (topologies/, configs/); tried:" + tried +
                   "\nset COMMSIM_DATA_DIR to the directory that holds topologies/ and configs/");
}

std::string data_dir() {
  // Cached per value of COMMSIM_DATA_DIR (tests change it at run time); the lookup touches the disk.
  static std::mutex mu;
  static std::string cached_env, cached_dir;
  static bool cached = false;
  const char* env = std::getenv("COMMSIM_DATA_DIR");
  const std::string env_value = env ? env : "";
  std::lock_guard<std::mutex> lock(mu);
  if (cached && env_value == cached_env) return cached_dir;
  cached_dir = pick_data_dir(data_dir_candidates(env, self_exe(), COMMSIM_BUILD_DIR, COMMSIM_SOURCE_DATA_DIR));
  cached_env = env_value;
  cached = true;
  return cached_dir;
}

std::string data_file(const std::string& relative) {
  // COMMSIM_DATA_DIR=/data/ named files /data//topologies/... in every message (helper-170).
  const std::string dir = data_dir();
  return dir + (!dir.empty() && dir.back() == '/' ? "" : "/") + relative;
}

const char* commsim_version() { return COMMSIM_VERSION; }

bool file_exists(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string canonical_file(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

std::string landing_path(const std::string& file) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(resolve_symlinks(file), ec), ec);
  return ec ? file : p.string();
}

std::string data_part_of(const std::string& file) {
  std::string root;
  try {
    root = data_dir();
  } catch (const InputError&) {
    return "";  // no catalog to keep
  }
  const fs::path p = landing_path(file);
  for (const char* part : {"topologies", "configs"}) {
    const fs::path base = landing_path(root + "/" + part);
    auto b = base.begin(), q = p.begin();
    while (b != base.end() && q != p.end() && *b == *q) ++b, ++q;
    if (b == base.end() && q != p.end()) return part;
  }
  return "";
}

}  // namespace commsim
