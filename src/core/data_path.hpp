// Where the shipped data (topologies/, configs/) is found: $COMMSIM_DATA_DIR if set, else the source tree
// the binary was built from. Also the project version string.
#pragma once

#include <string>

namespace commsim {

std::string data_dir();                                // directory holding topologies/ and configs/
std::string data_file(const std::string& relative);    // data_dir() + "/" + relative
const char* commsim_version();
bool file_exists(const std::string& path);

}  // namespace commsim
