// read_input_file: the whole content of an input file (a config, study, mapping, CSV), or InputError (exit 2)
// naming the path: "is a directory, not a file" for a directory (reading one gives no bytes, which the
// parsers would report as an empty file), "cannot open <what>" otherwise, "is larger than 256 MiB" for an
// input past kMaxInputBytes (an endless stream such as /dev/zero; a pipe is read like a file).
//
//   read_input_file("/tmp")                     // InputError "/tmp: is a directory, not a file"
//   read_input_file("x.log", "measured file")   // InputError "x.log: cannot open measured file" when absent
//
// Each regular file it reads is remembered (device and inode, for the life of the process), so an output
// about to replace an input can refuse: input_file_at(path) names the input that `path` is, through links
// ("" when it is none; also when the input's own path no longer leads to that file: deleted, its inode
// reused). AtomicFile::commit() and the sweep's streams ask it before they change a file.
//
//   read_input_file("run.yaml"); input_file_at("./run.yaml")   // "run.yaml"
#pragma once

#include <cstddef>
#include <string>

namespace commsim {

inline constexpr std::size_t kMaxInputBytes = std::size_t{256} << 20;

std::string read_input_file(const std::string& path, const std::string& what = "file");
std::string input_file_at(const std::string& path);
// InputError (exit 2) naming `shown` when `target` is an input of this run, unless it is `allowed` (a path to the
// same file; "" for none).
void check_not_an_input(const std::string& target, const std::string& shown, const std::string& allowed = "");

}  // namespace commsim
