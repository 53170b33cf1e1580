// The text of a JSON document that commsim, commbench or kernelbench writes. Strings in it come from file
// names, arguments, host and GPU names, which need not be UTF-8: nlohmann's plain dump() throws type_error 316
// on such a byte (an "internal error" after the work was done, or a benchmark aborted after measuring), so
// every writer dumps through here, where an invalid byte becomes U+FFFD.
#pragma once

#include <string>

namespace commsim {

template <class Json>
std::string json_text(const Json& doc, int indent = 2) {
  return doc.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace commsim
