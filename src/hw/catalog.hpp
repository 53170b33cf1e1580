// The shipped accelerator catalog: topologies/gpus/<name>.yaml, looked up by name or loaded by path.
#pragma once

#include <string>
#include <vector>

#include "core/yaml_reader.hpp"
#include "hw/gpu_spec.hpp"

namespace commsim {

// Names of the shipped GPUs (file stems under topologies/gpus/), sorted.
std::vector<std::string> gpu_names();
// Path of a GPU by catalog name or file path; throws InputError listing valid names.
std::string resolve_gpu_path(const std::string& name_or_path, const SourceLoc& where);
GpuSpec load_gpu(const std::string& name_or_path, const SourceLoc& where = {});

// Whether a name in a data file or flag is a file path (it holds '/' or ends in .yaml), not a catalog name.
bool names_a_file(const std::string& name_or_path);
// `name_or_path` beside the file `referrer` when it is a relative path and a file of that name is there (a
// study's `system: [mybox.yaml]`, a config's `cluster.system`): a path written in a file means the file
// beside it, from whatever directory the command runs; `name_or_path` unchanged otherwise.
std::string path_beside(const std::string& referrer, const std::string& name_or_path);
// `relative` beside the file `referrer` (a YAML file naming another by a relative path), when anything of
// that name is there (a directory or FIFO too: the caller reports it, rather than reading a file of that name
// from the current directory); "" otherwise (also for an absolute path, a referrer that is no file: "--set").
std::string sibling_path(const std::string& referrer, const std::string& relative);
// Same for other named data directories (systems, nodes, fabrics, models): `dir` relative to the data dir. A
// path (with '/' or ending in .yaml) is looked up beside the file `where` names, then as given (the current
// directory), then in the data directory.
std::vector<std::string> data_names(const std::string& dir);
// The catalog directory (relative to the data directory: "topologies/systems", ...) that holds `file`, "" for
// none. `file` need not exist; its directory is compared, links resolved (a link to a catalog file is in it).
// The stem of the file `file` lands on, links resolved (a link's own name is not the catalog entry's).
std::string landing_stem(const std::string& file);
std::string catalog_dir_of(const std::string& file);
// The file's stem when `file` is in the data directory's `dir` (its catalog name), else "".
std::string catalog_stem(const std::string& file, const std::string& dir);
// Fails at the `name` key of `m` (a data file's mapping, `file` its path) when the file is in the data
// directory's `dir` and `name` is not its stem: a catalog entry is found by its file's name, and outputs,
// prices and calibrations know it by `name` (two names for one file listed one system twice, or one that
// --system could not find). Files elsewhere (given by path) may take any name; a name given with --set, or
// none given, is not checked.
void check_catalog_name(YamlMap& m, const std::string& file, const std::string& dir, const std::string& name,
                        const std::string& what);
std::string resolve_data_path(const std::string& dir, const std::string& what, const std::string& name_or_path,
                              const SourceLoc& where);

}  // namespace commsim
