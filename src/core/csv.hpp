// A small RFC 4180 CSV reader (quoted fields, embedded commas and quotes) returning rows as name->value maps.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace commsim {

struct CsvRow {
  int line = 0;  // 1-based line of the row in the file
  std::map<std::string, std::string> fields;
  const std::string& at(const std::string& key) const;  // throws InputError naming the column
};

std::vector<CsvRow> read_csv(const std::string& path);  // throws InputError on a missing file or ragged row

}  // namespace commsim
