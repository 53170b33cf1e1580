#include "report/label_layout.hpp"

#include <array>

namespace commsim::labels {
namespace {

struct Box {
  double x0, y0, x1, y1;
  bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

// The columns a label takes: a wide character (CJK, Hangul, fullwidth forms, U+3000 up, and 4-byte ones such
// as emoji) two, others one.
double columns(const std::string& text) {
  double n = 0;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    n += c >= 0xE3 ? 2 : 1;
  }
  return n;
}

Box text_box(double ax, double ay, Align a, double w, double h) {
  const double x0 = a == Align::kLeft ? ax : a == Align::kRight ? ax - w : ax - w / 2;
  return {x0, ay - h / 2, x0 + w, ay + h / 2};
}

}  // namespace

std::vector<Placement> place(const std::vector<Point>& points, const std::vector<size_t>& order,
                             const Style& s) {
  // The diagonal places sit a pixel clear of a label beside the point (their boxes met by 1 px, and a point
  // on another's spot lost its label: helper-170).
  const double r = s.radius, gap = 3, diag = r + s.line_height / 2 + 1;
  struct Candidate {
    double dx, dy;
    Align align;
  };
  const std::array<Candidate, 8> candidates{{{r + gap, 0, Align::kLeft},
                                             {-(r + gap), 0, Align::kRight},
                                             {r, -diag, Align::kLeft},
                                             {r, diag, Align::kLeft},
                                             {-r, -diag, Align::kRight},
                                             {-r, diag, Align::kRight},
                                             {0, -(r + gap + s.line_height / 2), Align::kCenter},
                                             {0, r + gap + s.line_height / 2, Align::kCenter}}};
  std::vector<Box> discs;
  discs.reserve(points.size());
  for (const Point& p : points) discs.push_back({p.x - r, p.y - r, p.x + r, p.y + r});

  std::vector<Placement> out(points.size());
  std::vector<Box> taken;
  for (size_t i : order) {
    const Point& p = points.at(i);
    const double w = s.glyph_width * columns(p.text);
    for (const Candidate& c : candidates) {
      const Box b = text_box(p.x + c.dx, p.y + c.dy, c.align, w, s.line_height);
      if (b.x0 < 0 || b.y0 < 0 || b.x1 > s.width || b.y1 > s.height) continue;
      bool clear = true;
      for (size_t j = 0; j < discs.size() && clear; ++j) clear = j == i || !b.overlaps(discs[j]);
      for (size_t k = 0; k < taken.size() && clear; ++k) clear = !b.overlaps(taken[k]);
      if (!clear) continue;
      out[i] = {true, p.x + c.dx, p.y + c.dy, c.align};
      taken.push_back(b);
      break;
    }
  }
  return out;
}

}  // namespace commsim::labels
