#include "hw/catalog.hpp"

#include <algorithm>
#include <filesystem>

#include "core/atomic_file.hpp"
#include "core/data_path.hpp"

namespace commsim {

std::vector<std::string> data_names(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  // Files only: a directory or a dangling link named X.yaml was listed, then "unknown GPU 'X' (valid: ...,
  // X)".
  for (const auto& e : std::filesystem::directory_iterator(data_file(dir), ec)) {
    std::error_code fe;
    if (e.path().extension() == ".yaml" && std::filesystem::is_regular_file(e.path(), fe))
      out.push_back(e.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string sibling_path(const std::string& referrer, const std::string& relative) {
  if (referrer.empty() || relative.empty() || relative.front() == '/' || !file_exists(referrer)) return "";
  const std::filesystem::path dir = std::filesystem::path(referrer).parent_path();
  if (dir.empty()) return "";  // the referrer is in this directory: `relative` was looked up here already
  // Anything there, not only a file: a directory or FIFO beside the referrer is that file's error, not a
  // reason to read a file of that name from the current directory instead (helper-169).
  const std::string candidate = (dir / relative).string();
  std::error_code ec;
  return std::filesystem::symlink_status(candidate, ec).type() != std::filesystem::file_type::not_found
             ? candidate
             : "";
}

std::string landing_stem(const std::string& file) {
  return std::filesystem::path(landing_path(file)).stem().string();
}

std::string catalog_dir_of(const std::string& file) {
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(landing_path(file)).parent_path();
  if (parent.empty()) parent = ".";
  for (const char* dir : {"topologies/systems", "topologies/nodes", "topologies/fabrics", "topologies/gpus",
                          "configs/models", "configs/train", "configs/studies"})
    if (std::filesystem::equivalent(parent, data_file(dir), ec)) return dir;
  return "";
}

std::string catalog_stem(const std::string& file, const std::string& dir) {
  std::error_code ec;
  const std::filesystem::path p(file);
  return std::filesystem::equivalent(p.parent_path(), data_file(dir), ec) ? p.stem().string() : "";
}

void check_catalog_name(YamlMap& m, const std::string& file, const std::string& dir, const std::string& name,
                        const std::string& what) {
  if (!m.has("name") || m.loc("name").file == "--set") return;
  const std::string stem = catalog_stem(file, dir);
  if (!stem.empty() && stem != name)
    m.fail("name", "'" + name + "' is not the file's name: a catalog " + what + "'s name is its file's (" +
                       stem + ")");
}

bool names_a_file(const std::string& name_or_path) {
  const std::string ext = ".yaml";
  return name_or_path.find('/') != std::string::npos ||
         (name_or_path.size() > ext.size() &&
          name_or_path.compare(name_or_path.size() - ext.size(), ext.size(), ext) == 0);
}

std::string path_beside(const std::string& referrer, const std::string& name_or_path) {
  if (!names_a_file(name_or_path)) return name_or_path;
  const std::string beside = sibling_path(referrer, name_or_path);
  return beside.empty() ? name_or_path : beside;
}

std::string resolve_data_path(const std::string& dir, const std::string& what, const std::string& name_or_path,
                              const SourceLoc& where) {
  if (names_a_file(name_or_path)) {
    // A relative path written in a file is the one beside that file first (a system file's `gpu: h300.yaml`,
    // a training config's `model: my-model.yaml`): run from another directory it was "not found" until
    // 2026-12-05, and a file of that name in the current directory was taken before it (one system file,
    // two GPUs by where it ran from). Then as given (the current directory: the command line's paths), then
    // the data directory's (`configs/train/x.yaml` run from another directory, as the README writes them).
    std::string path = name_or_path;
    if (name_or_path.front() != '/') {
      const std::string beside = sibling_path(where.file, name_or_path);
      if (!beside.empty())
        path = beside;
      else if (!file_exists(name_or_path) && file_exists(data_file(name_or_path)))
        return data_file(name_or_path);
    }
    if (!file_exists(path)) {
      std::error_code ec;
      const bool dir = std::filesystem::is_directory(path, ec);
      const bool there = !dir && std::filesystem::exists(path, ec);  // a device, FIFO or socket (/dev/null)
      throw InputError(where, what + " file '" + path +
                                  (dir     ? "' is a directory, not a file"
                                   : there ? "' is not a regular file"
                                           : "' not found"));
    }
    return path;
  }
  const std::string path = data_file(dir + "/" + name_or_path + ".yaml");
  if (file_exists(path)) return path;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(where, what + " '" + name_or_path + "': " + path + " is a directory, not a file");
  if (std::filesystem::is_symlink(path, ec))
    throw InputError(where, what + " '" + name_or_path + "': " + path + " is a link to no file");
  if (std::filesystem::exists(path, ec))
    throw InputError(where, what + " '" + name_or_path + "': " + path + " is not a regular file");
  if (const std::string yml = data_file(dir + "/" + name_or_path + ".yml"); file_exists(yml))
    throw InputError(where, "unknown " + what + " '" + name_or_path +
                                "': the catalog reads .yaml files, and " + yml + " ends in .yml: rename it");
  std::string valid;
  for (const auto& n : data_names(dir)) valid += (valid.empty() ? "" : ", ") + n;
  throw InputError(where, "unknown " + what + " '" + name_or_path + "' (valid: " + valid + "; or a path to a .yaml file)");
}

std::vector<std::string> gpu_names() { return data_names("topologies/gpus"); }

std::string resolve_gpu_path(const std::string& name_or_path, const SourceLoc& where) {
  return resolve_data_path("topologies/gpus", "GPU", name_or_path, where);
}

GpuSpec load_gpu(const std::string& name_or_path, const SourceLoc& where) {
  const std::string path = resolve_gpu_path(name_or_path, where);
  YamlMap m(load_yaml_file(path), path);
  return parse_gpu(m);
}

}  // namespace commsim
