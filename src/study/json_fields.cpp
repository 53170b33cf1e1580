#include "study/json_fields.hpp"

#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "study/measured_fields.hpp"

namespace commsim {

namespace {

// "results[0].M", or "results" at the top level (not ".results")
std::string key_at(const std::string& where, const char* key) { return where.empty() ? key : where + "." + key; }

// Where the parser is: one level per object or array it is inside, for the path of a key given twice.
struct Level {
  bool array = false;
  std::size_t items = 0;  // array: the elements begun
  std::string key;        // object: the key being read
  std::set<std::string> keys;
};

// Deeper than this a measured file is not (commbench's and kernelbench's are 4 levels deep): a file nested
// 100,000 deep took minutes and 15 GB, each value's path as long as its depth.
constexpr std::size_t kMaxDepth = 64;

std::string path_of(const std::vector<Level>& levels) {
  std::string p;
  for (const Level& l : levels) {
    if (l.array) {
      p += '[';
      p += std::to_string(l.items - 1);
      p += ']';
    } else {
      if (!p.empty()) p += '.';
      p += l.key;  // appended piecewise: GCC 12 -Wrestrict misreads "lit" + std::string chains at -O3
    }
  }
  return p;
}

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
  // A line break or escape in a name is printed into one line of a table (a case_id "x\ny" made a fake row).
  if (has_control_char(v.get_ref<const std::string&>()))
    throw InputError(SourceLoc{file, 0, 0, key_at(where, key)}, "a line break or control character in the text (one line is expected)");
  return v.get<std::string>();
}

// Every value's path in `text` with the line it begins on (an object member's: its key's), by one pass over
// JSON that parsed: strings (with escapes), containers, and bare numbers and literals.
std::map<std::string, int> json_value_lines(const std::string& text) {
  std::vector<Level> stack;  // as the duplicate-key check tracks it: path_of() names the value being read
  std::vector<bool> want_key;  // per level: an object whose next string is a key
  std::map<std::string, int> lines;
  int line = 1;
  auto value_begins = [&] {
    if (!stack.empty() && stack.back().array) ++stack.back().items;
    if (!stack.empty() && stack.size() <= kMaxDepth) lines.emplace(path_of(stack), line);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == '"') {
      std::string str;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        str += text[i];
      }
      if (!stack.empty() && !stack.back().array && want_key.back()) {
        stack.back().key = str;
        want_key.back() = false;
        if (stack.size() <= kMaxDepth) lines[path_of(stack)] = line;  // a key given twice: the second, which parse_measured_json refuses
      } else {
        value_begins();
      }
    } else if (c == '{' || c == '[') {
      value_begins();
      stack.push_back(Level{c == '[', 0, "", {}});
      want_key.push_back(c == '{');
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) {
        stack.pop_back();
        want_key.pop_back();
      }
    } else if (c == ',') {
      if (!stack.empty() && !stack.back().array) want_key.back() = true;
    } else if (c != ':' && c != ' ' && c != '\t' && c != '\r') {
      value_begins();  // a number, true, false or null: skip to its end
      while (i + 1 < text.size() && std::string_view(",]} \t\r\n").find(text[i + 1]) == std::string_view::npos) ++i;
    }
  }
  return lines;
}


int json_line_of(const std::string& text, const std::string& path) { return json_line_in(json_value_lines(text), path); }

int json_line_in(const std::map<std::string, int>& lines, const std::string& path) {
  for (std::string p = path; !p.empty();) {
    if (const auto it = lines.find(p); it != lines.end()) return it->second;
    const std::size_t cut = p.find_last_of(".[");
    p.resize(cut == std::string::npos ? 0 : cut);
  }
  return 0;
}

InputError json_error_at_line(const InputError& e, const std::string& text, const std::string& file) {
  if (e.loc().file != file || e.loc().line != 0 || e.loc().key.empty()) return e;
  SourceLoc at = e.loc();
  at.line = json_line_of(text, at.key);
  return at.line > 0 ? InputError(at, e.message()) : e;
}

Json parse_measured_json(const std::string& text, const std::string& file) {
  // nlohmann keeps the last of a key given twice in one object, silently: the parser's callback sees each key
  // and refuses a second one, naming its path ("results[3].root").
  std::vector<Level> levels;
  const Json::parser_callback_t unique_keys = [&](int, Json::parse_event_t event, Json& parsed) {
    using Event = Json::parse_event_t;
    const bool in_array = !levels.empty() && levels.back().array;
    if (event == Event::object_start || event == Event::array_start) {
      if (in_array) ++levels.back().items;
      if (levels.size() >= kMaxDepth)
        throw InputError(SourceLoc{file, 0, 0, ""}, "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels (a measured file has 4)");
      levels.push_back(Level{event == Event::array_start, 0, "", {}});
    } else if (event == Event::object_end || event == Event::array_end) {
      levels.pop_back();
    } else if (event == Event::value && in_array) {
      ++levels.back().items;
    } else if (event == Event::key && !levels.empty()) {
      Level& object = levels.back();
      object.key = parsed.get<std::string>();
      if (!object.keys.insert(object.key).second)
        throw InputError(SourceLoc{file, 0, 0, path_of(levels)}, "the key is given twice in one object (a JSON reader keeps one of them)");
    }
    return true;
  };
  try {
    return Json::parse(text, unique_keys);
  } catch (const Json::parse_error& e) {
    // Placed by line and column; the JSON library's own text ("[json.exception.parse_error.101] parse error
    // at line 300, column 24: syntax error while parsing value - invalid literal; ...") is not the message.
    int line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i)
      text[i] == '\n' ? (++line, column = 1) : ++column;
    if (text.find_first_not_of(" \t\r\n", bom_length(text)) == std::string::npos)
      throw InputError(SourceLoc{file, 0, 0, ""}, "no JSON value: the file is empty");
    throw InputError(SourceLoc{file, line, column, ""},
                     e.byte > text.size()
                         ? "JSON syntax error: the text ends inside a value (cut short?)"
                         : "JSON syntax error (not a value, or a value ending early, at this column)");
  } catch (const Json::exception&) {  // out_of_range: a number such as 1e999, in the value being read
    const std::string at = path_of(levels);
    throw InputError(SourceLoc{file, at.empty() ? 0 : json_line_of(text, at), 0, at},
                     "a number out of a double's range");
  }
}

}  // namespace commsim
