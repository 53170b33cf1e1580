// read_input_file: the whole content of an input file (a config, study, mapping, CSV), or InputError (exit 2)
// naming the path: "is a directory, not a file" for a directory (reading one gives no bytes, which the
// parsers would report as an empty file), "cannot open <what>" otherwise.
//
//   read_input_file("/tmp")                     // InputError "/tmp: is a directory, not a file"
//   read_input_file("x.log", "measured file")   // InputError "x.log: cannot open measured file" when absent
#pragma once

#include <string>

namespace commsim {

std::string read_input_file(const std::string& path, const std::string& what = "file");

}  // namespace commsim
