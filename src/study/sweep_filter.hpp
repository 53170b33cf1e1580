// `where:` filters of a sweep: a small expression language over the point's axis values.
//
//   expr    := or
//   or      := and  (("or" | "||") and)*
//   and     := not  (("and" | "&&") not)*
//   not     := ("not" | "!") not | cmp
//   cmp     := sum  (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
//   sum     := term (("+" | "-") term)*
//   term    := unary (("*" | "/" | "%") unary)*
//   unary   := "-" unary | atom
//   atom    := NUMBER | 'text' | "text" | AXIS | "(" expr ")"
//
// AXIS is an axis key of the study (dotted: parallelism.tp). An axis value that reads wholly as a number
// (8, 0.5, 1e3) is a number, anything else (dgx-h100, 400Gb/s) is text; text compares only with == and !=.
// The expression, and each operand of and/or/not, is a condition (a comparison or a logical operator; a bare
// value was true when non-zero, so "dp == 0 or 1" kept every point); numbers are decimal (no hex).
// Expressions are at most 1,000 characters and 64 levels deep (fuzz-safe); an unknown axis, a syntax error,
// text in arithmetic, or a division by zero is an InputError naming the `where` entry's file, line and key.
//
//   SweepFilter f("gpus % parallelism.tp == 0", loc, {"gpus", "parallelism.tp"});
//   f.keep({"64", "8"}) == true;  f.keep({"12", "8"}) == false
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"

namespace commsim {

class SweepFilter {
 public:
  SweepFilter(const std::string& text, SourceLoc loc, const std::vector<std::string>& axes);
  // True when the point (values aligned to the axes given to the constructor) passes.
  bool keep(const std::vector<std::string>& values) const;
  const std::string& text() const { return text_; }
  const SourceLoc& loc() const { return loc_; }

  struct Node {
    enum Kind {
      kNum,
      kStr,
      kVar,
      kNeg,
      kNot,
      kAdd,
      kSub,
      kMul,
      kDiv,
      kMod,
      kLt,
      kLe,
      kGt,
      kGe,
      kEq,
      kNe,
      kAnd,
      kOr
    };  // conditions: kNot and kLt on
    Kind kind = kNum;
    double num = 0;
    std::string str;
    int var = -1, a = -1, b = -1;
  };

 private:
  std::string text_;
  SourceLoc loc_;
  std::vector<Node> nodes_;
  int root_ = -1;
};

}  // namespace commsim
