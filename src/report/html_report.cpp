#include "report/html_report.hpp"

#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/json_text.hpp"

namespace commsim {
namespace {

std::string read_asset(const std::string& relative) {
  const std::string path = data_file(relative);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw RuntimeError("--html: the charting library " + path +
                       " is missing; install it with `bash scripts/setup.sh` (npm ci in web/), or write CSV/JSON instead");
  std::ostringstream s;
  s << in.rdbuf();
  if (s.str().empty()) throw RuntimeError("--html: the charting library " + path + " is empty; re-run `bash scripts/setup.sh`");
  return s.str();
}

// A script body must not contain "</script": the minified libraries never do, but a check costs nothing.
std::string inline_script(const std::string& code, const std::string& name) {
  if (code.find("</script") != std::string::npos) throw RuntimeError("--html: " + name + " contains '</script' and cannot be inlined");
  return code;
}

// Vega's scenegraph: marks have a marktype, a role and items; group items hold marks. The count is of the
// items of data marks (role "mark"), i.e. bars, points, line segments and rules, not axes or legends.
const char* kPageScript = R"JS(
(function () {
  function countMarks(node) {
    var n = 0;
    if (node.marktype && node.marktype !== 'group' && node.role === 'mark') n += (node.items || []).length;
    (node.items || []).forEach(function (child) { if (child.items) n += countMarks(child); });
    return n;
  }
  var status = {};
  var charts = JSON.parse(document.getElementById('chart-specs').textContent);
  Promise.all(charts.map(function (c) {
    return vegaEmbed('#' + c.id, c.spec, {renderer: 'svg', actions: false}).then(function (r) {
      status[c.id] = countMarks(r.view.scenegraph().root);
    }).catch(function (e) { status[c.id] = 'error: ' + e; });
  })).then(function () {
    document.getElementById('render-status').textContent = JSON.stringify(status);
    document.body.setAttribute('data-rendered', '1');
  });
})();
)JS";

const char* kStyle = R"CSS(
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; white-space: nowrap; } th { background: #f4f4f4; }
td:first-child, th:first-child { text-align: left; }
.context { color: #555; font-size: 0.9em; } .chart { margin: 1em 0; } #render-status { display: none; }
)CSS";

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string script_json(const nlohmann::json& value) {
  const std::string s = json_text(value, -1);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else if (s.compare(i, 3, "\xE2\x80\xA8") == 0) {
      out += "\\u2028";
      i += 2;
    } else if (s.compare(i, 3, "\xE2\x80\xA9") == 0) {
      out += "\\u2029";
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

HtmlAssets load_html_assets() {
  HtmlAssets a;
  a.vega = read_asset("web/node_modules/vega/build/vega.min.js");
  a.vega_lite = read_asset("web/node_modules/vega-lite/build/vega-lite.min.js");
  a.vega_embed = read_asset("web/node_modules/vega-embed/build/vega-embed.min.js");
  return a;
}

std::string render_html_report(const HtmlReport& report, const HtmlAssets& assets) {
  std::ostringstream o;
  nlohmann::json charts = nlohmann::json::array();
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    // Offline by construction: the page may not load anything (no connect, no external script, style or image).
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
       "style-src 'unsafe-inline'; img-src data: blob:; font-src data:\">\n<title>" << html_escape(report.title)
    << "</title>\n<style>" << kStyle << "</style>\n"
    << "<script>" << inline_script(assets.vega, "vega.min.js") << "</script>\n"
    << "<script>" << inline_script(assets.vega_lite, "vega-lite.min.js") << "</script>\n"
    << "<script>" << inline_script(assets.vega_embed, "vega-embed.min.js") << "</script>\n"
    << "</head>\n<body>\n<h1>" << html_escape(report.title) << "</h1>\n";
  if (!report.context.empty()) {
    o << "<p class=\"context\">";
    for (std::size_t i = 0; i < report.context.size(); ++i)
      o << (i ? " &middot; " : "") << html_escape(report.context[i].first) << ": " << html_escape(report.context[i].second);
    o << "</p>\n";
  }
  for (const HtmlSection& s : report.sections) {
    o << "<h2>" << html_escape(s.heading) << "</h2>\n";
    if (!s.text.empty()) o << "<p>" << html_escape(s.text) << "</p>\n";
    for (const HtmlChart& c : s.charts) {
      const std::string id = "chart" + std::to_string(charts.size());
      nlohmann::json spec = c.spec;
      if (!c.title.empty() && !spec.contains("title")) spec["title"] = c.title;
      charts.push_back({{"id", id}, {"spec", spec}});
      o << "<div class=\"chart\" id=\"" << id << "\"></div>\n";
    }
    for (const HtmlTable& t : s.tables) {
      o << "<table>\n<tr>";
      for (const std::string& c : t.columns) o << "<th>" << html_escape(c) << "</th>";
      o << "</tr>\n";
      for (const auto& row : t.rows) {
        o << "<tr>";
        for (const std::string& v : row) o << "<td>" << html_escape(v) << "</td>";
        o << "</tr>\n";
      }
      o << "</table>\n";
    }
  }
  o << "<pre id=\"render-status\"></pre>\n<script type=\"application/json\" id=\"chart-specs\">" << script_json(charts)
    << "</script>\n<script>" << kPageScript << "</script>\n</body>\n</html>\n";
  return o.str();
}

HtmlReportFile::HtmlReportFile(const std::string& path) : assets_(load_html_assets()), file_(path) {
  check_not_an_input(resolve_symlinks(path), path);  // (commit() would refuse it too, but after the work)
}

void HtmlReportFile::write(const HtmlReport& report) {
  file_.stream() << render_html_report(report, assets_);
  file_.commit();
}

}  // namespace commsim
