#include "core/error.hpp"

namespace commsim {

std::string SourceLoc::str() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  if (!key.empty()) {
    if (!out.empty()) out += ": ";
    out += "key '";
    out += key;
    out += "'";
  }
  return out;
}

InputError::InputError(const SourceLoc& loc, const std::string& what)
    : Error(loc.str().empty() ? what : loc.str() + ": " + what, kExitInput), loc_(loc), message_(what) {}

}  // namespace commsim
