// Bounded reading of measured JSON files (commbench -J, kernelbench -J): a syntax error names file:line, a
// missing or mistyped value names the JSON path ("results[3].time_us"), numbers go through
// measured_fields' bounds (finite, >= 0, <= max, whole when asked).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace commsim {

using Json = nlohmann::json;

Json parse_measured_json(const std::string& text, const std::string& file);
// obj[key], InputError naming where.key when absent or null.
const Json& json_need(const Json& obj, const char* key, const std::string& file, const std::string& where);
double json_number(const Json& obj, const char* key, double max, bool whole, const std::string& file, const std::string& where);
std::string json_string(const Json& obj, const char* key, const std::string& file, const std::string& where);

}  // namespace commsim
