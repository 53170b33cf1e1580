// A small RFC 4180 CSV reader (quoted fields, embedded commas and quotes) returning rows as name->value maps.
// Lines starting with '#' before the header are comments (context) and are skipped; a leading UTF-8 BOM too.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace commsim {

struct CsvRow {
  std::string file;  // for messages
  int line = 0;      // 1-based line of the row in the file
  int header_line = 0;  // the header's: where a missing column is reported
  std::map<std::string, std::string> fields;
  // Throws InputError naming file:line and the column; a column the header lacks, the header's line.
  const std::string& at(const std::string& key) const;
};

// Throws InputError on a missing or empty file, a header-only file is fine (no rows), a ragged row, an
// unterminated quote, a duplicate column name, or a line break (or another control character but tab) in a cell.
std::vector<CsvRow> read_csv(const std::string& path);
std::vector<CsvRow> parse_csv(const std::string& text, const std::string& name);

}  // namespace commsim
