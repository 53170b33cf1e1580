#include "core/csv.hpp"

#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace commsim {

static std::vector<std::string> split_record(std::istream& in, int& line, bool& ok) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  ok = false;
  char c;
  bool any = false;
  while (in.get(c)) {
    any = true;
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          field += '"';
          in.get();
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(field);
      field.clear();
    } else if (c == '\n') {
      ++line;
      break;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (any) {
    out.push_back(field);
    ok = true;
  }
  return out;
}

std::vector<CsvRow> read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(SourceLoc{path, 0, 0, ""}, "cannot open file");
  int line = 0;
  bool ok = false;
  const std::vector<std::string> header = split_record(in, line, ok);
  if (!ok || header.empty()) throw InputError(SourceLoc{path, 0, 0, ""}, "file is empty");
  std::vector<CsvRow> rows;
  while (true) {
    const int start = line + 1;
    std::vector<std::string> rec = split_record(in, line, ok);
    if (!ok) break;
    if (rec.size() == 1 && rec[0].empty()) continue;
    if (rec.size() != header.size()) {
      throw InputError(SourceLoc{path, start, 0, ""}, "row has " + std::to_string(rec.size()) + " fields, header has " +
                                                          std::to_string(header.size()));
    }
    CsvRow r;
    r.line = start;
    for (std::size_t i = 0; i < header.size(); ++i) r.fields[header[i]] = rec[i];
    rows.push_back(std::move(r));
  }
  return rows;
}

const std::string& CsvRow::at(const std::string& key) const {
  auto it = fields.find(key);
  if (it == fields.end()) throw InputError("CSV row at line " + std::to_string(line) + " has no column '" + key + "'");
  return it->second;
}

}  // namespace commsim
