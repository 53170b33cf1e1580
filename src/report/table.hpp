// A plain table sink: aligned text or CSV. Data only; headers and context are the caller's.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace commsim {

class Table {
 public:
  explicit Table(std::vector<std::string> columns) : columns_(std::move(columns)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::size_t size() const { return rows_.size(); }
  // Columns right-aligned to their widest cell, two spaces apart; `prefix` starts the header line.
  void print(std::ostream& out, const std::string& prefix = "") const;
  void print_csv(std::ostream& out) const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

std::string fmt(double v, int precision = 2);
// A fraction as a percentage with one decimal (0.123 -> "12.3%"); "-" where it is not finite.
std::string fmt_pct(double fraction);
// A figure with `decimals` digits after the point, or two significant digits where those would print a
// positive figure as 0 (a $5,000 run printed "cost M USD 0.00", a one-hour run "days 0.0").
std::string fmt_small(double v, int decimals);
// Dollars in millions: two decimals from 1 M USD, three significant digits below (0.0314: runs of $31,441
// and $34,400 both printed 0.03, one on the frontier and one not).
std::string fmt_musd(double usd);
std::string csv_escape(const std::string& s);

}  // namespace commsim
