#include "core/input_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <utility>

#include "core/error.hpp"

namespace commsim {
namespace {

using FileId = std::pair<dev_t, ino_t>;

std::mutex& inputs_mutex() {
  static std::mutex m;
  return m;
}

std::map<FileId, std::string>& inputs_read() {
  static std::map<FileId, std::string> files;
  return files;
}

}  // namespace

std::string input_file_at(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  const std::lock_guard<std::mutex> lock(inputs_mutex());
  const auto it = inputs_read().find(FileId{st.st_dev, st.st_ino});
  if (it == inputs_read().end()) return "";
  // The input's name must still lead to this file: one deleted since it was read frees its inode for a new
  // file (an output created later, another test's temporary), which is not that input.
  struct stat was {};
  if (::stat(it->second.c_str(), &was) != 0 || was.st_dev != st.st_dev || was.st_ino != st.st_ino) {
    inputs_read().erase(it);
    return "";
  }
  return it->second;
}

void check_not_an_input(const std::string& target, const std::string& shown, const std::string& allowed) {
  const std::string input = input_file_at(target);
  std::error_code ec;
  if (input.empty() || (!allowed.empty() && std::filesystem::equivalent(input, allowed, ec))) return;
  throw InputError(SourceLoc{shown, 0, 0, ""},
                   "is an input of this run (read as '" + input + "'); the output would replace it: write it to another file");
}

std::string read_input_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(SourceLoc{path, 0, 0, ""}, "is a directory, not a file");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  // The reason as the system gives it: "cannot open file" alone left a mode-000 file to be guessed at.
  if (!in)
    throw InputError(SourceLoc{path, 0, 0, ""},
                     "cannot open " + what +
                         (errno != 0 ? std::string(" (") + std::strerror(errno) + ")" : std::string()));
  // Read in blocks up to a bound: an endless stream (/dev/zero, a pipe that never closes its end of data)
  // fails here instead of growing without limit. Pipes and process substitution (<(cat f.csv)) still read.
  std::string text;
  char block[1 << 16];
  while (in.read(block, sizeof block) || in.gcount() > 0) {
    if (text.size() + static_cast<std::size_t>(in.gcount()) > kMaxInputBytes)
      throw InputError(SourceLoc{path, 0, 0, ""}, "is larger than " + std::to_string(kMaxInputBytes >> 20) +
                                                      " MiB: not a " + what +
                                                      " commsim reads (an endless stream?)");
    text.append(block, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw InputError(SourceLoc{path, 0, 0, ""}, "cannot read " + what);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    const std::lock_guard<std::mutex> lock(inputs_mutex());
    inputs_read().insert_or_assign(FileId{st.st_dev, st.st_ino}, path);  // the newest name (an inode may be reused)
  }
  return text;
}

}  // namespace commsim
