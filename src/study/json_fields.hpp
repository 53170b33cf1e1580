// Bounded reading of measured JSON files (commbench -J, kernelbench -J): a syntax error names file:line, a
// missing or mistyped value names the JSON path ("results[3].time_us"), numbers go through
// measured_fields' bounds (finite, >= 0, <= max, whole when asked).
#pragma once

#include <nlohmann/json.hpp>
#include <map>
#include <string>

#include "core/error.hpp"

namespace commsim {

using Json = nlohmann::json;

Json parse_measured_json(const std::string& text, const std::string& file);
// obj[key], InputError naming where.key when absent or null.
const Json& json_need(const Json& obj, const char* key, const std::string& file, const std::string& where);
double json_number(const Json& obj, const char* key, double max, bool whole, const std::string& file, const std::string& where);
std::string json_string(const Json& obj, const char* key, const std::string& file, const std::string& where);

// Every value's path in `text` with the line it begins on (an object member's: its key's), in one pass over
// JSON that parsed with parse_measured_json.
std::map<std::string, int> json_value_lines(const std::string& text);
// The line where the value at `path` ("results[3].time_us", "context.gpu") begins in the JSON `text` (its
// key's line in an object), or, when the path is not in the text (a missing key), the line of the nearest
// enclosing value that is; 0 for the document itself. The text parsed with parse_measured_json.
int json_line_of(const std::string& text, const std::string& path);
// The same, in the lines of json_value_lines (one pass over the text for many paths).
int json_line_in(const std::map<std::string, int>& lines, const std::string& path);
// `e` placed on its line: an error naming `file` and a JSON path but no line gets the path's line in `text`;
// any other error is returned as it is.
InputError json_error_at_line(const InputError& e, const std::string& text, const std::string& file);

}  // namespace commsim
