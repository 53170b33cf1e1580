#include "report/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/text.hpp"

namespace commsim {

void Table::print(std::ostream& out, const std::string& prefix) const {
  std::vector<std::size_t> w(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) w[c] = display_width(columns_[c]);
  for (const auto& r : rows_)
    for (std::size_t c = 0; c < r.size() && c < w.size(); ++c) w[c] = std::max(w[c], display_width(r[c]));
  auto line = [&](const std::vector<std::string>& cells, const std::string& lead) {
    std::string s = lead;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const std::string& v = c < cells.size() ? cells[c] : std::string();
      if (c > 0 || !lead.empty()) s += "  ";
      s += std::string(w[c] - std::min(w[c], display_width(v)), ' ') + v;
    }
    out << s << "\n";
  };
  line(columns_, prefix);
  for (const auto& r : rows_) line(r, prefix.empty() ? "" : std::string(prefix.size(), ' '));
}

std::string csv_escape(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void Table::print_csv(std::ostream& out) const {
  for (std::size_t c = 0; c < columns_.size(); ++c) out << (c ? "," : "") << csv_escape(columns_[c]);
  out << "\n";
  for (const auto& r : rows_) {
    for (std::size_t c = 0; c < r.size(); ++c) out << (c ? "," : "") << csv_escape(r[c]);
    out << "\n";
  }
}

std::string fmt(double v, int precision) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", precision, v);
  return buf;
}

std::string fmt_pct(double fraction) {
  return std::isfinite(fraction) ? fmt(100.0 * fraction, 1) + "%" : "-";
}

std::string fmt_musd(double usd) {
  const double m = usd / 1e6;
  if (!(m > 0) || m >= 1) return fmt(m, 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", m);
  return buf;
}

std::string fmt_small(double v, int decimals) {
  if (!(v > 0) || v >= std::pow(10.0, -decimals)) return fmt(v, decimals);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", v);
  return buf;
}

}  // namespace commsim
