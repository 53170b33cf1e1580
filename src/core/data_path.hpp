// Where the shipped data (topologies/, configs/) is found, and the project version string.
//
// Lookup order (docs/cli.md, "Data directory"):
//   1. $COMMSIM_DATA_DIR when it is set and not empty. An explicit choice wins and is the only one tried: a
//      wrong value is an error, never a silent fall-back to other data.
//   2. <directory of the running binary>/../share/commsim, found through /proc/self/exe: an installed
//      `bin/commsim` next to its `share/commsim` (cmake --install, the .deb).
//   3. The source tree the binary was built from, only while the binary runs from inside its build tree
//      (so an installed or moved binary never reads a build tree by accident).
// A candidate counts when it holds a non-empty topologies/gpus/. When none does, data_dir() throws
// InputError listing every path tried and why each was refused.
#pragma once

#include <string>
#include <vector>

namespace commsim {

std::string data_dir();                                // directory holding topologies/ and configs/
std::string data_file(const std::string& relative);    // data_dir() + "/" + relative (one slash)
const char* commsim_version();
bool file_exists(const std::string& path);
// One spelling of a file's path (absolute, links and "..", "." resolved); the path as given when it cannot be.
std::string canonical_file(const std::string& path);
// The file a write to `file` lands on: links resolved (a link named anywhere to a catalog file is that file,
// a dangling one the file the write would create, as AtomicFile follows them), absolute, "." and ".." gone.
std::string landing_path(const std::string& file);
// The part of the data directory ("topologies", "configs") that holds `file` at any depth (prices.yaml,
// compute-efficiency.yaml, a new subdirectory), links resolved; "" for none, and where no data directory is
// found. Outputs are refused there (AtomicFile): the catalog every later run reads.
std::string data_part_of(const std::string& file);

// The lookup itself, for tests: the candidates in order (env, then exe-relative, then the source tree when
// the binary lives in build_dir), each with the reason it was refused or empty when it is usable.
struct DataDirCandidate {
  std::string path;
  std::string origin;   // "COMMSIM_DATA_DIR", "next to the binary", "build tree"
  std::string refused;  // empty when usable
};
std::vector<DataDirCandidate> data_dir_candidates(const char* env, const std::string& exe_path,
                                                  const std::string& build_dir, const std::string& source_dir);
std::string pick_data_dir(const std::vector<DataDirCandidate>& candidates);  // first usable; InputError if none

}  // namespace commsim
