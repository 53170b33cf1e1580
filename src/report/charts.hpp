// Vega-Lite specifications for the charts a study report draws (report/html_report). Each takes the rows as a
// JSON array of flat objects and names the fields to plot; the data travels inside the spec.
//
//   line_chart     y against x, one line per `color` value (busbw vs message size; tokens/s vs GPU count)
//   bar_chart      y per category x, bars grouped by `color` (xOffset)
//   stacked_bar    y per category x, stacked by `color` (step-time breakdown)
//   scatter_chart  y against x with a text label per point where it does not cover another label or point
//                  (report/label_layout; time-to-train vs cost), log axes where asked and every value is
//                  positive
//   capacity_bars  y per category x with a rule at each bar's `limit` (memory per GPU against capacity)
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace commsim::charts {

struct Axis {
  std::string field, title;
  bool log = false;         // logarithmic scale (quantitative fields only)
  bool quantitative = true; // false: nominal (categories)
  bool zero = true;         // false: the scale fits the data instead of starting at zero
};

nlohmann::json line_chart(const nlohmann::json& values, const Axis& x, const Axis& y, const std::string& color);
nlohmann::json bar_chart(const nlohmann::json& values, const Axis& x, const Axis& y, const std::string& color);
nlohmann::json stacked_bar(const nlohmann::json& values, const Axis& x, const Axis& y, const std::string& color);
nlohmann::json scatter_chart(const nlohmann::json& values, const Axis& x, const Axis& y, const std::string& color,
                             const std::string& label);
nlohmann::json capacity_bars(const nlohmann::json& values, const Axis& x, const Axis& y, const std::string& limit);

}  // namespace commsim::charts
