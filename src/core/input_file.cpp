#include "core/input_file.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
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
  return it == inputs_read().end() ? "" : it->second;
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
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLoc{path, 0, 0, ""}, "cannot open " + what);
  std::ostringstream ss;
  ss << in.rdbuf();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    const std::lock_guard<std::mutex> lock(inputs_mutex());
    inputs_read().emplace(FileId{st.st_dev, st.st_ino}, path);
  }
  return ss.str();
}

}  // namespace commsim
