#include "report/charts.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "report/label_layout.hpp"

namespace commsim::charts {
namespace {

using nlohmann::json;

constexpr double kWidth = 640, kHeight = 320;
constexpr double kPointArea = 80;  // px², a disc of radius 5 (label_layout's Style::radius)

json encode(const Axis& a) {
  json e = {{"field", a.field}, {"type", a.quantitative ? "quantitative" : "nominal"}, {"title", a.title.empty() ? a.field : a.title}};
  // A log axis spans the data (Vega-Lite's nice domain ran a 1,152-4,608 GPU axis out to 10,000), its ticks
  // in SI form (2k, 100M: the full digits of 100,000,000 and 200,000,000 ran into each other).
  if (a.log) {
    e["scale"] = {{"type", "log"}, {"nice", false}};
    e["axis"] = {{"format", "~s"}};
  } else if (!a.zero && a.quantitative)
    e["scale"] = {{"zero", false}};
  if (!a.quantitative) e["sort"] = nullptr;  // keep the rows' order
  return e;
}

json base(const json& values) {
  return {{"$schema", "https://vega.github.io/schema/vega-lite/v6.json"},
          {"width", kWidth},
          {"height", kHeight},
          {"data", {{"values", values}}}};
}

// A series' whole name in the legend: Vega-Lite cuts labels at 160 px, and "system=cloudmatrix-384, gpus=64"
// and "..., gpus=256" both read "system=cloudmatrix-384, gp..." (helper-124).
json color_channel(const std::string& field) {
  return {{"field", field}, {"type", "nominal"}, {"sort", nullptr}, {"legend", {{"labelLimit", 1000}}}};
}
// The same field in a tooltip or as a bar's offset (no legend there).
json tooltip_channel(const std::string& field) {
  return {{"field", field}, {"type", "nominal"}};
}
json offset_channel(const std::string& field) {
  return {{"field", field}, {"type", "nominal"}, {"sort", nullptr}};
}

double number_at(const json& v, const std::string& field) {
  const auto it = v.find(field);
  return it != v.end() && it->is_number() ? it->get<double>() : std::nan("");
}

// A scatter's scale, fixed so that the pixels label placement computes are the ones Vega-Lite draws: the
// data's span padded by 6% each side (in log10 on a log axis), no nice rounding, no zero. An axis asked to be
// log is linear where a value is at or below zero, or where its values span less than a factor of 3 (a log
// axis over 68-88 days labels two of its ticks).
struct ScatterScale {
  bool log = false;
  double lo = 0, hi = 1;  // in log10 units on a log axis
  bool holds(double v) const { return std::isfinite(v) && (!log || v > 0); }
  double unit(double v) const { return log ? std::log10(v) : v; }
  double to_unit(double v) const { return (unit(v) - lo) / (hi - lo); }
  double from_unit(double t) const {
    const double u = lo + t * (hi - lo);
    return log ? std::pow(10.0, u) : u;
  }
};

ScatterScale fit_scale(const json& values, const Axis& a) {
  ScatterScale s;
  double lo = INFINITY, hi = -INFINITY;
  for (const json& v : values) {
    const double x = number_at(v, a.field);
    if (!std::isfinite(x)) continue;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  if (!(lo <= hi)) return s;
  s.log = a.log && lo > 0 && hi >= 3 * lo;
  lo = s.unit(lo);
  hi = s.unit(hi);
  // One value: ±10% around it (a floor of 1 ran a cost of 0.044 MUSD from -0.56).
  const double span = hi > lo ? hi - lo : hi != 0 ? std::abs(hi) * 0.2 : 1.0;
  s.lo = (hi > lo ? lo : lo - span / 2) - 0.06 * span;
  s.hi = (hi > lo ? hi : hi + span / 2) + 0.06 * span;
  return s;
}

json scatter_encode(const Axis& a, const ScatterScale& s) {
  json e = {{"field", a.field}, {"type", "quantitative"}, {"title", a.title.empty() ? a.field : a.title}};
  e["scale"] = {{"type", s.log ? "log" : "linear"},
                {"domain", {s.from_unit(0), s.from_unit(1)}},
                {"nice", false},
                {"zero", false}};
  // A log axis's ticks as plain numbers: "~s" would print 0.5 (million USD) as "500m".
  if (s.log) e["axis"] = {{"format", "~g"}};
  return e;
}

const char* align_name(labels::Align a) {
  return a == labels::Align::kLeft ? "left" : a == labels::Align::kRight ? "right" : "center";
}
}  // namespace

json line_chart(const json& values, const Axis& x, const Axis& y, const std::string& color) {
  json s = base(values);
  s["mark"] = {{"type", "line"}, {"point", true}};
  s["encoding"] = {{"x", encode(x)},
                   {"y", encode(y)},
                   {"color", color_channel(color)},
                   {"tooltip", json::array({encode(x), encode(y), tooltip_channel(color)})}};
  return s;
}

json bar_chart(const json& values, const Axis& x, const Axis& y, const std::string& color) {
  json s = base(values);
  s["mark"] = "bar";
  s["encoding"] = {{"x", encode(x)},
                   {"y", encode(y)},
                   {"xOffset", offset_channel(color)},
                   {"color", color_channel(color)},
                   {"tooltip", json::array({encode(x), encode(y), tooltip_channel(color)})}};
  return s;
}

json stacked_bar(const json& values, const Axis& x, const Axis& y, const std::string& color) {
  json s = base(values);
  s["mark"] = "bar";
  json ye = encode(y);
  ye["stack"] = "zero";
  s["encoding"] = {{"x", encode(x)},
                   {"y", ye},
                   {"color", color_channel(color)},
                   {"tooltip", json::array({encode(x), encode(y), tooltip_channel(color)})}};
  return s;
}

json scatter_chart(const json& values, const Axis& x, const Axis& y, const std::string& color, const std::string& label) {
  const ScatterScale sx = fit_scale(values, x), sy = fit_scale(values, y);
  const labels::Style style{kWidth, kHeight};

  // Each point in pixels, its label text, and the order labels are placed in: the points fewest others beat
  // on both axes first (lower left is better: the Pareto frontier before what it dominates), then by x.
  std::vector<labels::Point> px(values.size());
  std::vector<bool> finite(values.size(), false);
  for (size_t i = 0; i < values.size(); ++i) {
    const json& v = values[i];
    const json& t = v.contains(label) ? v[label] : json();
    px[i].text = t.is_string() ? t.get<std::string>() : t.is_null() ? "" : t.dump();
    const double vx = number_at(v, x.field), vy = number_at(v, y.field);
    finite[i] = sx.holds(vx) && sy.holds(vy);
    if (finite[i]) px[i] = {sx.to_unit(vx) * style.width, (1 - sy.to_unit(vy)) * style.height, px[i].text};
  }
  std::vector<size_t> beaten_by(values.size(), 0), order;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!finite[i]) continue;
    order.push_back(i);
    for (size_t j = 0; j < values.size(); ++j)
      if (j != i && finite[j] && px[j].x <= px[i].x && px[j].y >= px[i].y &&
          (px[j].x < px[i].x || px[j].y > px[i].y))
        ++beaten_by[i];
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return beaten_by[a] != beaten_by[b] ? beaten_by[a] < beaten_by[b] : px[a].x < px[b].x;
  });
  const std::vector<labels::Placement> placed = labels::place(px, order, style);

  // The labels travel as data: each shown one's anchor in data units, drawn by one text layer per alignment.
  json rows = values;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!placed[i].shown) continue;
    rows[i]["label_x"] = sx.from_unit(placed[i].x / style.width);
    rows[i]["label_y"] = sy.from_unit(1 - placed[i].y / style.height);
    rows[i]["label_align"] = align_name(placed[i].align);
  }
  json s = base(rows);
  s["encoding"] = {{"x", scatter_encode(x, sx)}, {"y", scatter_encode(y, sy)}};
  json layers = json::array({{{"mark", {{"type", "point"}, {"filled", true}, {"size", kPointArea}}},
                              {"encoding",
                               {{"color", color_channel(color)},
                                {"tooltip", json::array({encode(x), encode(y), tooltip_channel(label)})}}}}});
  for (labels::Align a : {labels::Align::kLeft, labels::Align::kRight, labels::Align::kCenter}) {
    const std::string name = align_name(a);
    json ex = scatter_encode(x, sx), ey = scatter_encode(y, sy);
    ex["field"] = "label_x";
    ey["field"] = "label_y";
    layers.push_back(
        {{"transform", json::array({{{"filter", "datum.label_align === '" + name + "'"}}})},
         {"mark", {{"type", "text"}, {"align", name}, {"baseline", "middle"}}},
         {"encoding", {{"x", ex}, {"y", ey}, {"text", {{"field", label}, {"type", "nominal"}}}}}});
  }
  s["layer"] = layers;
  return s;
}

json capacity_bars(const json& values, const Axis& x, const Axis& y, const std::string& limit) {
  json s = base(values);
  json bars = {{"mark", "bar"}, {"encoding", {{"y", encode(y)}, {"tooltip", json::array({encode(x), encode(y)})}}}};
  json rule = {{"mark", {{"type", "tick"}, {"color", "#d62728"}, {"thickness", 3}}},
               {"encoding", {{"y", {{"field", limit}, {"type", "quantitative"}}}}}};
  s["encoding"] = {{"x", encode(x)}};
  s["layer"] = json::array({bars, rule});
  return s;
}

}  // namespace commsim::charts
