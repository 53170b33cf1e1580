#include "report/charts.hpp"

namespace commsim::charts {
namespace {

using nlohmann::json;

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
          {"width", 640},
          {"height", 320},
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
  json s = base(values);
  json enc = {{"x", encode(x)}, {"y", encode(y)}};
  json points = {{"mark", {{"type", "point"}, {"filled", true}, {"size", 80}}},
                 {"encoding",
                  {{"color", color_channel(color)},
                   {"tooltip", json::array({encode(x), encode(y), tooltip_channel(label)})}}}};
  json labels = {{"mark", {{"type", "text"}, {"align", "left"}, {"dx", 6}, {"dy", -6}}},
                 {"encoding", {{"text", {{"field", label}, {"type", "nominal"}}}}}};
  s["encoding"] = enc;
  s["layer"] = json::array({points, labels});
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
