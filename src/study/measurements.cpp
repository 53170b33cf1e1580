// Reading measured results: the dispatch on the file's content, and the commbench JSON reader.
#include "study/measurements.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "core/error.hpp"

namespace commsim {
namespace {

using Json = nlohmann::json;

const Json& need(const Json& obj, const char* key, const std::string& file, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null())
    throw InputError(SourceLoc{file, 0, 0, where + "." + key}, "missing value");
  return obj.at(key);
}

double num(const Json& obj, const char* key, const std::string& file, const std::string& where) {
  const Json& v = need(obj, key, file, where);
  if (!v.is_number() || v.get<double>() < 0) throw InputError(SourceLoc{file, 0, 0, where + "." + key}, "expected a number >= 0");
  return v.get<double>();
}

std::string str(const Json& obj, const char* key, const std::string& file, const std::string& where) {
  const Json& v = need(obj, key, file, where);
  if (!v.is_string()) throw InputError(SourceLoc{file, 0, 0, where + "." + key}, "expected a string");
  return v.get<std::string>();
}

}  // namespace

std::vector<Measurement> parse_commbench_json(const std::string& text, const std::string& file) {
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    int line = 1;
    for (std::size_t i = 0; i < e.byte && i < text.size(); ++i) line += text[i] == '\n';
    throw InputError(SourceLoc{file, line, 0, ""}, std::string("JSON syntax error: ") + e.what());
  }
  if (!doc.is_object() || !doc.contains("results") || !doc["results"].is_array())
    throw InputError(SourceLoc{file, 1, 0, ""}, "not a commbench JSON file (no \"results\" array)");
  int nranks = 0, nodes = 0;
  if (doc.contains("context") && doc["context"].is_object()) {
    const Json& c = doc["context"];
    if (c.contains("nranks") && c["nranks"].is_number_integer()) nranks = c["nranks"].get<int>();
    if (c.contains("hosts") && c["hosts"].is_array()) nodes = static_cast<int>(c["hosts"].size());
  }
  // Out-of-place and in-place results of one row are separate records; join them.
  std::vector<Measurement> rows;
  std::map<std::tuple<Op, DataType, std::uint64_t, std::string, long>, std::size_t> index;
  const Json& results = doc["results"];
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& r = results[i];
    const std::string at = "results[" + std::to_string(i) + "]";
    const std::string op_s = str(r, "op", file, at);
    const auto op = op_from_name(op_s);
    if (!op) throw InputError(SourceLoc{file, 0, 0, at + ".op"}, "collective '" + op_s + "' is not modelled by commsim");
    const std::string dt_s = str(r, "dtype", file, at);
    const auto dt = dtype_from_name(dt_s);
    if (!dt) throw InputError(SourceLoc{file, 0, 0, at + ".dtype"}, "unknown data type '" + dt_s + "'");
    const auto size = static_cast<std::uint64_t>(num(r, "size_bytes", file, at));
    const std::string redop = r.contains("redop") && r["redop"].is_string() ? r["redop"].get<std::string>() : "";
    const long root = r.contains("root") && r["root"].is_number_integer() ? r["root"].get<long>() : -1;
    const bool in_place = r.contains("in_place") && r["in_place"].is_boolean() && r["in_place"].get<bool>();
    const auto key = std::make_tuple(*op, *dt, size, redop, root);
    auto it = index.find(key);
    if (it == index.end()) {
      Measurement m;
      m.op = *op;
      m.dtype = *dt;
      m.size_bytes = size;
      m.count = r.contains("count") ? static_cast<std::uint64_t>(num(r, "count", file, at)) : 0;
      m.nranks = nranks;
      m.nodes = nodes;
      m.file = file;
      it = index.emplace(key, rows.size()).first;
      rows.push_back(m);
    }
    Measurement& m = rows[it->second];
    const double t = num(r, "time_us", file, at);
    const std::optional<double> bw = r.contains("busbw_GBps") ? std::optional<double>(num(r, "busbw_GBps", file, at))
                                                              : std::nullopt;
    (in_place ? m.time_in_place_us : m.time_us) = t;
    (in_place ? m.busbw_in_place_GBps : m.busbw_GBps) = bw;
  }
  if (rows.empty()) throw InputError(SourceLoc{file, 0, 0, "results"}, "no results in the file");
  return rows;
}

std::vector<Measurement> read_measurements(const std::string& path, std::optional<Op> fallback_op) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLoc{path, 0, 0, ""}, "cannot open measured file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') return parse_commbench_json(text, path);
  return parse_nccl_tests_log(text, path, fallback_op);
}

}  // namespace commsim
