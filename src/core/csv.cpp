#include "core/csv.hpp"

#include <set>
#include <string_view>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/text.hpp"

namespace commsim {
namespace {

// One record from text[pos...]: advances pos past its end and line past its newlines. Returns false at the
// end of the text.
bool split_record(std::string_view text, std::size_t& pos, int& line, std::vector<std::string>& out,
                  const std::string& name) {
  out.clear();
  if (pos >= text.size()) return false;
  const int start = line + 1;
  std::string field;
  bool quoted = false;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          field += '"';
          ++pos;
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
      out.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      ++line;
      out.push_back(std::move(field));
      return true;
    } else if (c != '\r' || (pos < text.size() && text[pos] != '\n' && text[pos] != '\r')) {
      // A CR is dropped before a LF or a CR (CR LF line ends; stray CRs at a line's end) and at the end;
      // elsewhere it stays, for the cell check to refuse (a case_id "A\rB" was printed "AB").
      field += c;
    }
  }
  if (quoted) throw InputError(SourceLoc{name, start, 0, ""}, "a quoted field is not closed before the end of the file");
  ++line;
  out.push_back(std::move(field));
  return true;
}

}  // namespace

std::vector<CsvRow> parse_csv(const std::string& input, const std::string& name) {
  // Lines ended by CR alone (classic Mac OS; some spreadsheet exports) were one line: "column '1' appears twice".
  std::string cr_only;
  if (input.find('\n') == std::string::npos && input.find('\r') != std::string::npos) {
    cr_only = input;
    for (char& c : cr_only)
      if (c == '\r') c = '\n';
  }
  const std::string& text = cr_only.empty() ? input : cr_only;
  // A UTF-8 byte order mark (spreadsheets write one) is not part of the first column's name.
  std::size_t pos = bom_length(text);
  int line = 0;
  // Comment lines before the header.
  while (pos < text.size() && text[pos] == '#') {
    const std::size_t end = text.find('\n', pos);
    pos = end == std::string::npos ? text.size() : end + 1;
    ++line;
  }
  std::vector<std::string> header;
  if (!split_record(text, pos, line, header, name) || (header.size() == 1 && header[0].empty()))
    throw InputError(SourceLoc{name, 0, 0, ""}, "file is empty");
  std::set<std::string> seen;
  for (const std::string& h : header) {
    if (has_control_char(h)) throw InputError(SourceLoc{name, line, 0, ""}, "a line break or control character in a column name");
    if (!seen.insert(h).second) throw InputError(SourceLoc{name, line, 0, ""}, "column '" + h.substr(0, 64) + "' appears twice");
  }
  const int header_line = line;
  std::vector<CsvRow> rows;
  std::vector<std::string> rec;
  while (true) {
    const int start = line + 1;
    if (!split_record(text, pos, line, rec, name)) break;
    if (rec.size() == 1 && rec[0].empty()) continue;
    // Two files joined (`cat a.csv b.csv`): the second header was read as a row of column names.
    if (rec == header)
      throw InputError(SourceLoc{name, start, 0, ""},
                       "the header again (two CSV files joined?); keep one header");
    if (rec.size() != header.size()) {
      throw InputError(SourceLoc{name, start, 0, ""}, "row has " + std::to_string(rec.size()) + " fields, header has " +
                                                          std::to_string(header.size()));
    }
    CsvRow r;
    r.file = name;
    r.line = start;
    r.header_line = header_line;
    for (std::size_t i = 0; i < header.size(); ++i) {
      // A quoted line break is RFC 4180, but every reader here prints cells as one line of a table or CSV: a
      // case_id with one printed a fake row (and counted a case "X" of its own).
      if (has_control_char(rec[i]))
        throw InputError(SourceLoc{name, start, 0, header[i]}, "a line break or control character in the cell (one line of text is expected)");
      r.fields[header[i]] = std::move(rec[i]);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<CsvRow> read_csv(const std::string& path) {
  return parse_csv(read_input_file(path), path);
}

const std::string& CsvRow::at(const std::string& key) const {
  auto it = fields.find(key);
  if (it == fields.end()) throw InputError(SourceLoc{file, header_line, 0, key}, "the CSV has no column '" + key + "'");
  return it->second;
}

}  // namespace commsim
