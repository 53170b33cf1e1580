// Where to put the text label of each point of a scatter chart so that no label covers another label or
// another point, or leaves the plot (report/charts' time-to-train vs cost chart). Positions are in pixels, y
// downwards.
//
// Greedy point-feature label placement over the eight candidate positions of the cartographers' problem
// (Imhof 1975; Christensen, Marks and Shieber 1995): points in priority order, each label tried around its
// point in the order
//
//   right, left, upper right, lower right, upper left, lower left, above, below
//
// and the first whose box (w = glyph_width · columns, h = line_height) is inside the plot and clear of
// every label placed so far and of every other point's disc (as its bounding square) wins. A label with no
// free position is not drawn: its point keeps its tooltip. The result depends only on the input (no
// randomness), so a report is reproducible.
#pragma once

#include <string>
#include <vector>

namespace commsim::labels {

enum class Align { kLeft, kRight, kCenter };  // the text's anchor: its left end, right end or middle

struct Point {
  double x = 0, y = 0;  // pixels from the plot's top-left corner
  std::string text;
};

struct Style {
  double width = 640, height = 320;  // the plot area
  double radius = 5;                 // a point's disc
  // A character's advance at the label's font size (11 px sans-serif; DejaVu Sans draws lower case 6.3-6.5
  // px, capitals 6.8: helper-170 measured Vega's text bounds), twice it for a wide (CJK) character.
  double glyph_width = 6.8;
  double line_height = 12;
};

struct Placement {
  bool shown = false;
  double x = 0, y = 0;  // the text's anchor, vertically its middle
  Align align = Align::kLeft;
};

// One placement per point, in the points' order; `order` lists the point indices from the most to the least
// important (each index once).
std::vector<Placement> place(const std::vector<Point>& points, const std::vector<size_t>& order,
                             const Style& style);

}  // namespace commsim::labels
