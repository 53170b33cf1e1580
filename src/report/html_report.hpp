// One self-contained HTML page per study: a title, the run's context, and sections of text, charts and
// tables. Charts are Vega-Lite specifications with their data inlined; the page inlines the Vega, Vega-Lite and
// vega-embed builds (web/package.json, installed by scripts/setup.sh with npm), so it opens offline and
// fetches nothing. docs/report.md says why Vega-Lite and how the page is checked (headless Chromium).
//
// The record + reporter split of google/benchmark: a study fills an HtmlReport (records), and
// HtmlReportFile renders and writes it; nothing here knows what a sweep or a plan is.
//
// In the page, every chart renders with the SVG renderer; when all have rendered (or failed), the element
// #render-status holds a JSON object {chart id: number of marks drawn, or "error: ..."} and <body> gets
// data-rendered="1". The ctest report.render reads it through `chromium --dump-dom`.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"

namespace commsim {

struct HtmlTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

struct HtmlChart {
  std::string title;
  nlohmann::json spec;  // a Vega-Lite spec with data.values inlined
};

struct HtmlSection {
  std::string heading;
  std::string text;  // one paragraph, plain text (escaped)
  std::vector<HtmlChart> charts;
  std::vector<HtmlTable> tables;
};

struct HtmlReport {
  std::string title;
  std::vector<std::pair<std::string, std::string>> context;  // key, value (tool, version, study file, ...)
  std::vector<HtmlSection> sections;
};

// The three libraries' code, read from the data directory (web/node_modules/<pkg>/build/<file>.min.js).
struct HtmlAssets {
  std::string vega, vega_lite, vega_embed;
};
// Throws RuntimeError naming the missing file and the command that installs it.
HtmlAssets load_html_assets();

std::string render_html_report(const HtmlReport& report, const HtmlAssets& assets);

// A page's output, opened before the work that fills it: the constructor reads the libraries and opens the
// temporary beside the target (core/atomic_file), so a missing library, an unwritable directory or a target
// that is an input read so far fails (exit 2) before a long search or sweep, not after it. write() renders the page and replaces the target
// whole; a run that ends without write() leaves the target as it was.
//
//   HtmlReportFile page(flag_value);   // RuntimeError / InputError now
//   ... the search ...
//   page.write(report);
class HtmlReportFile {
 public:
  explicit HtmlReportFile(const std::string& path);
  void write(const HtmlReport& report);

 private:
  HtmlAssets assets_;
  AtomicFile file_;
};

// Text made safe inside HTML element content and attribute values.
std::string html_escape(const std::string& text);
// JSON made safe inside a <script> element ("</" and U+2028/2029 escaped).
std::string script_json(const nlohmann::json& value);

}  // namespace commsim
