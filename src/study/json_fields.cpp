#include "study/json_fields.hpp"

#include "core/error.hpp"
#include "study/measured_fields.hpp"

namespace commsim {

namespace {

// "results[0].M", or "results" at the top level (not ".results")
std::string key_at(const std::string& where, const char* key) { return where.empty() ? key : where + "." + key; }

}  // namespace

const Json& json_need(const Json& obj, const char* key, const std::string& file, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null())
    throw InputError(SourceLoc{file, 0, 0, key_at(where, key)}, "missing value");
  return obj.at(key);
}

double json_number(const Json& obj, const char* key, double max, bool whole, const std::string& file, const std::string& where) {
  const Json& v = json_need(obj, key, file, where);
  const SourceLoc loc{file, 0, 0, key_at(where, key)};
  if (!v.is_number()) throw InputError(loc, "expected a number >= 0");
  return bounded_number(v.get<double>(), key, max, whole, loc);
}

std::string json_string(const Json& obj, const char* key, const std::string& file, const std::string& where) {
  const Json& v = json_need(obj, key, file, where);
  if (!v.is_string()) throw InputError(SourceLoc{file, 0, 0, key_at(where, key)}, "expected a string");
  return v.get<std::string>();
}

Json parse_measured_json(const std::string& text, const std::string& file) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    int line = 1;
    for (std::size_t i = 0; i < e.byte && i < text.size(); ++i) line += text[i] == '\n';
    throw InputError(SourceLoc{file, line, 0, ""}, std::string("JSON syntax error: ") + e.what());
  } catch (const Json::exception& e) {  // out_of_range: a number such as 1e999
    throw InputError(SourceLoc{file, 0, 0, ""}, std::string("JSON value out of range: ") + e.what());
  }
}

}  // namespace commsim
