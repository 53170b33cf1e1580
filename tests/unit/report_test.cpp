#include <catch2/catch.hpp>
#include <sstream>

#include "report/charts.hpp"
#include "report/html_report.hpp"
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
