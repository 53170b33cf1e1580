#include <catch2/catch.hpp>
#include <sstream>

#include "report/charts.hpp"
#include "report/html_report.hpp"
#include "report/label_layout.hpp"
#include "report/table.hpp"

using namespace commsim;

TEST_CASE("html_escape escapes the five HTML metacharacters") {
  CHECK(html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(html_escape("plain 1.5 GB/s") == "plain 1.5 GB/s");
}

TEST_CASE("script_json cannot close its script element") {
  const nlohmann::json j = {{"name", "</script><script>alert(1)</script>"}, {"sep", "a\xE2\x80\xA8" "b"}};
  const std::string s = script_json(j);
  CHECK(s.find("</") == std::string::npos);
  CHECK(s.find("<\\/script>") != std::string::npos);
  CHECK(s.find("\\u2028") != std::string::npos);
  CHECK(nlohmann::json::parse(s) == j);  // still the same JSON
}

TEST_CASE("render_html_report inlines the libraries, one div per chart, tables escaped") {
  HtmlReport r;
  r.title = "T <1>";
  r.context = {{"tool", "commsim"}};
  HtmlSection s;
  s.heading = "busbw";
  nlohmann::json values = {{{"system", "a"}, {"op", "all_reduce"}, {"bw", 1.5}}, {{"system", "b"}, {"op", "all_reduce"}, {"bw", 2.5}}};
  s.charts.push_back({"c1", charts::bar_chart(values, {"system", "", false, false}, {"bw", "GB/s"}, "op")});
  s.charts.push_back({"c2", charts::line_chart(values, {"bw", "", true}, {"bw", "bw"}, "op")});
  s.tables.push_back({{"x", "y"}, {{"1", "<b>"}}});
  r.sections.push_back(s);
  const std::string page = render_html_report(r, {"/*VEGA*/", "/*VL*/", "/*EMBED*/"});
  CHECK(page.find("<script>/*VEGA*/</script>") != std::string::npos);
  CHECK(page.find("<script>/*VL*/</script>") != std::string::npos);
  CHECK(page.find("<script>/*EMBED*/</script>") != std::string::npos);
  CHECK(page.find("<div class=\"chart\" id=\"chart0\">") != std::string::npos);
  CHECK(page.find("<div class=\"chart\" id=\"chart1\">") != std::string::npos);
  CHECK(page.find("id=\"chart2\"") == std::string::npos);
  CHECK(page.find("<td>&lt;b&gt;</td>") != std::string::npos);
  CHECK(page.find("<title>T &lt;1&gt;</title>") != std::string::npos);
  CHECK(page.find("Content-Security-Policy") != std::string::npos);
  CHECK_THROWS(render_html_report(r, {"x</script>", "", ""}));
}

TEST_CASE("chart specs carry their data and encodings") {
  nlohmann::json values = {{{"g", 8}, {"t", 1.0}, {"part", "compute"}}, {{"g", 8}, {"t", 0.5}, {"part", "tp"}}};
  const auto st = charts::stacked_bar(values, {"g", "GPUs", false, false}, {"t", "s"}, "part");
  CHECK(st["data"]["values"].size() == 2);
  CHECK(st["encoding"]["y"]["stack"] == "zero");
  CHECK(st["encoding"]["x"]["type"] == "nominal");
  const auto ln = charts::line_chart(values, {"g", "GPUs", true}, {"t", "s"}, "part");
  CHECK(ln["encoding"]["x"]["scale"]["type"] == "log");
  CHECK(ln["mark"]["type"] == "line");
  const auto cap = charts::capacity_bars(values, {"part", "", false, false}, {"t", "GiB"}, "g");
  CHECK(cap["layer"].size() == 2);
  CHECK(cap["layer"][1]["encoding"]["y"]["field"] == "g");
  const auto sc = charts::scatter_chart(values, {"g", "g"}, {"t", "t"}, "part", "part");
  CHECK(sc["layer"][1]["encoding"]["text"]["field"] == "part");
}

// Label placement (report/label_layout), by hand: a 3-character label is 20.4 px wide (6.8 a character) and
// 12 high beside a disc of radius 5, 3 px away.
TEST_CASE("a scatter label takes the first free place around its point", "[report]") {
  using commsim::labels::Align;
  const commsim::labels::Style style;  // 640 x 320
  SECTION("alone: to the right, its left end 8 px from the point") {
    const auto p = commsim::labels::place({{100, 100, "abc"}}, {0}, style);
    REQUIRE(p[0].shown);
    CHECK(p[0].x == Approx(108));
    CHECK(p[0].y == Approx(100));
    CHECK(p[0].align == Align::kLeft);
  }
  SECTION("at the right edge: to the left (the right box would end at 640.4)") {
    const auto p = commsim::labels::place({{612, 100, "abc"}}, {0}, style);
    REQUIRE(p[0].shown);
    CHECK(p[0].x == Approx(604));
    CHECK(p[0].align == Align::kRight);
    CHECK(commsim::labels::place({{611, 100, "abc"}}, {0}, style)[0].align == Align::kLeft);
  }
  SECTION("two points on one spot: the first in the order takes the right, the other the left") {
    const auto p = commsim::labels::place({{100, 100, "abc"}, {100, 100, "xyz"}}, {1, 0}, style);
    REQUIRE(p[0].shown);
    REQUIRE(p[1].shown);
    CHECK(p[1].align == Align::kLeft);
    CHECK(p[0].align == Align::kRight);
    CHECK(p[0].x == Approx(92));
  }
  SECTION("a neighbour's disc in the way: the label moves above it, right") {
    // The right box [108, 128.4] x [94, 106] meets the disc [110, 120] x [95, 105]; the left box [71.6, 92]
    // meets the disc at (85, 100); upper right, its middle 12 px up, [105, 125.4] x [82, 94] touches neither.
    const auto p =
        commsim::labels::place({{100, 100, "abc"}, {115, 100, ""}, {85, 100, ""}}, {0, 1, 2}, style);
    REQUIRE(p[0].shown);
    CHECK(p[0].align == Align::kLeft);
    CHECK(p[0].x == Approx(105));
    CHECK(p[0].y == Approx(88));
  }
  SECTION("two points on one spot at the left edge: the second label goes upper right, clear of the first") {
    // Left leaves the plot; the upper-right box [9, 29.4] x [2, 14] ends where the first label's
    // [12, 32.4] x [14, 26] begins (they overlapped by a pixel, and the label was dropped: helper-170).
    const auto p = commsim::labels::place({{4, 20, "abc"}, {4, 20, "xyz"}}, {0, 1}, style);
    REQUIRE(p[1].shown);
    CHECK(p[1].align == Align::kLeft);
    CHECK(p[1].y == Approx(8));
  }
  SECTION("wider than the plot: not drawn") {
    const auto p = commsim::labels::place({{320, 160, std::string(110, 'x')}}, {0}, style);
    CHECK_FALSE(p[0].shown);
  }
  SECTION("UTF-8 counts characters, a wide one twice: 94 Greek or 47 CJK characters fit in 640 px") {
    std::string greek, cjk;
    for (int i = 0; i < 94; ++i) greek += "\xce\x9c";    // 639.2 px of text, 188 bytes
    for (int i = 0; i < 47; ++i) cjk += "\xe4\xb8\xad";  // 47 x 2 x 6.8 = 639.2 px
    CHECK(commsim::labels::place({{-8, 160, greek}}, {0}, style)[0].shown);
    CHECK(commsim::labels::place({{-8, 160, cjk}}, {0}, style)[0].shown);
    CHECK_FALSE(commsim::labels::place({{-8, 160, cjk + "\xe4\xb8\xad"}}, {0}, style)[0].shown);
  }
}

TEST_CASE("a scatter chart fixes its scales and carries each shown label's anchor", "[report]") {
  nlohmann::json values = {{{"c", 1.0}, {"d", 10.0}, {"name", "a"}},
                           {{"c", 100.0}, {"d", 1000.0}, {"name", "b"}}};
  const auto sc = charts::scatter_chart(values, {"c", "cost", true}, {"d", "days", true}, "name", "name");
  // log10 spans 0..2 and 1..3, padded by 6% of 2 each side
  const auto& xs = sc["encoding"]["x"]["scale"];
  CHECK(xs["type"] == "log");
  CHECK(xs["nice"] == false);
  CHECK(xs["domain"][0].get<double>() == Approx(std::pow(10.0, -0.12)));
  CHECK(xs["domain"][1].get<double>() == Approx(std::pow(10.0, 2.12)));
  // Point a at x = 0.12 / 2.24 of 640 px = 34.29 px: its label's left end 8 px further, back in data units.
  const auto& a = sc["data"]["values"][0];
  CHECK(a["label_align"] == "left");
  CHECK(a["label_x"].get<double>() ==
        Approx(std::pow(10.0, -0.12 + (34.2857 + 8) / 640 * 2.24)).epsilon(1e-4));
  CHECK(a["label_y"].get<double>() == Approx(10.0));
  REQUIRE(sc["layer"].size() == 4);  // the points, then a text layer per alignment
  CHECK(sc["layer"][1]["mark"]["align"] == "left");
  CHECK(sc["layer"][1]["encoding"]["x"]["field"] == "label_x");
  // A value at or below zero, or a span under a factor of 3, keeps the axis linear.
  values[0]["c"] = 34.0;
  CHECK(charts::scatter_chart(values, {"c", "cost", true}, {"d", "days", true}, "name",
                              "name")["encoding"]["x"]["scale"]["type"] == "linear");
  values[0]["c"] = 0.0;
  CHECK(charts::scatter_chart(values, {"c", "cost", true}, {"d", "days", true}, "name",
                              "name")["encoding"]["x"]["scale"]["type"] == "linear");
  values[0]["c"] = 33.3;
  CHECK(charts::scatter_chart(values, {"c", "cost", true}, {"d", "days", true}, "name",
                              "name")["encoding"]["x"]["scale"]["type"] == "log");
  // One point: its scale is the value ±10% (+6% of that), not a floor of 1 (a 0.044 MUSD cost ran from
  // -0.56).
  const auto one = charts::scatter_chart(nlohmann::json::array({{{"c", 0.044}, {"d", 10.0}, {"name", "a"}}}),
                                         {"c", "cost", true}, {"d", "days", true}, "name", "name");
  CHECK(one["encoding"]["x"]["scale"]["domain"][0].get<double>() == Approx(0.044 - 0.0044 - 0.000528));
  CHECK(one["encoding"]["x"]["scale"]["domain"][1].get<double>() == Approx(0.044 + 0.0044 + 0.000528));
}

// A text table pads each cell to the column's widest in characters, not bytes: "ΜΕΓ-1☃" is 6 columns wide.
TEST_CASE("a table aligns UTF-8 cells by their characters", "[report]") {
  commsim::Table t({"id", "n"});
  t.add({"\xce\x9c\xce\x95\xce\x93-1\xe2\x98\x83", "1"});
  t.add({"abc", "22"});
  std::ostringstream out;
  t.print(out);
  CHECK(out.str() ==
        "    id   n\n"
        "\xce\x9c\xce\x95\xce\x93-1\xe2\x98\x83   1\n"
        "   abc  22\n");
}
