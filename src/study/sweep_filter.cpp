#include "study/sweep_filter.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "core/text.hpp"

namespace commsim {
namespace {

using Node = SweepFilter::Node;

struct Value {
  bool is_num = true;
  double num = 0;
  std::string str;
};

Value value_of(const std::string& s) {
  Value v;
  char* end = nullptr;
  const double d = s.empty() ? 0 : std::strtod(s.c_str(), &end);
  if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(d) && !std::isspace(static_cast<unsigned char>(s[0]))) {
    v.num = d;
  } else {
    v.is_num = false;
    v.str = s;
  }
  return v;
}

class Parser {
 public:
  Parser(const std::string& text, const SourceLoc& loc, const std::vector<std::string>& axes, std::vector<Node>& nodes)
      : s_(text), loc_(loc), axes_(axes), nodes_(nodes) {}

  int parse() {
    const int n = expr(0);
    skip();
    if (i_ != s_.size()) fail("unexpected '" + s_.substr(i_, 12) + "'");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(loc_, "where '" + s_ + "': " + what);
  }
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool word_at(const char* w) const {  // a keyword (and, or, not) followed by a non-identifier character
    const std::string k(w);
    if (s_.compare(i_, k.size(), k) != 0) return false;
    const std::size_t e = i_ + k.size();
    return e >= s_.size() || !(std::isalnum(static_cast<unsigned char>(s_[e])) || s_[e] == '_' || s_[e] == '.');
  }
  bool eat(const char* tok) {
    skip();
    const std::string t(tok);
    if (std::isalpha(static_cast<unsigned char>(t[0]))) {
      if (!word_at(tok)) return false;
    } else if (s_.compare(i_, t.size(), t) != 0) {
      return false;
    }
    i_ += t.size();
    return true;
  }
  int add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size()) - 1;
  }
  int bin(Node::Kind k, int a, int b) {
    Node n;
    n.kind = k;
    n.a = a;
    n.b = b;
    return add(n);
  }
  void deeper(int depth) const {
    if (depth > 64) fail("nested more than 64 levels");
  }
  int expr(int d) {
    deeper(d);
    int a = conj(d + 1);
    while (eat("||") || eat("or")) a = bin(Node::kOr, a, conj(d + 1));
    return a;
  }
  int conj(int d) {
    int a = neg(d + 1);
    while (eat("&&") || eat("and")) a = bin(Node::kAnd, a, neg(d + 1));
    return a;
  }
  int neg(int d) {
    deeper(d);
    skip();
    if (!(i_ + 1 < s_.size() && s_[i_] == '!' && s_[i_ + 1] == '=') && (eat("!") || eat("not")))
      return bin(Node::kNot, neg(d + 1), -1);
    return cmp(d + 1);
  }
  int cmp(int d) {
    const int a = sum(d + 1);
    static const std::pair<const char*, Node::Kind> ops[] = {{"==", Node::kEq}, {"!=", Node::kNe}, {"<=", Node::kLe},
                                                             {">=", Node::kGe}, {"<", Node::kLt},  {">", Node::kGt}};
    for (const auto& [tok, kind] : ops)
      if (eat(tok)) return bin(kind, a, sum(d + 1));
    return a;
  }
  int sum(int d) {
    int a = term(d + 1);
    for (;;) {
      if (eat("+")) a = bin(Node::kAdd, a, term(d + 1));
      else if (eat("-")) a = bin(Node::kSub, a, term(d + 1));
      else return a;
    }
  }
  int term(int d) {
    int a = unary(d + 1);
    for (;;) {
      if (eat("*")) a = bin(Node::kMul, a, unary(d + 1));
      else if (eat("/")) a = bin(Node::kDiv, a, unary(d + 1));
      else if (eat("%")) a = bin(Node::kMod, a, unary(d + 1));
      else return a;
    }
  }
  int unary(int d) {
    deeper(d);
    if (eat("-")) return bin(Node::kNeg, unary(d + 1), -1);
    return atom(d + 1);
  }
  int atom(int d) {
    skip();
    if (i_ >= s_.size()) fail("expression ends early");
    const char c = s_[i_];
    if (c == '(') {
      ++i_;
      const int n = expr(d + 1);
      if (!eat(")")) fail("missing ')'");
      return n;
    }
    if (c == '\'' || c == '"') {
      const std::size_t end = s_.find(c, i_ + 1);
      if (end == std::string::npos) fail("unterminated quote");
      Node n;
      n.kind = Node::kStr;
      n.str = s_.substr(i_ + 1, end - i_ - 1);
      i_ = end + 1;
      return add(n);
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const char* start = s_.c_str() + i_;
      char* end = nullptr;
      const double v = std::strtod(start, &end);
      if (end == start || !std::isfinite(v) ||
          !plain_decimal(std::string_view(start, static_cast<std::size_t>(end - start))))
        fail("bad number at '" + s_.substr(i_, 12) + "'");  // not hex: "0x40" was 64
      i_ += static_cast<std::size_t>(end - start);
      Node n;
      n.num = v;
      return add(n);
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t e = i_;
      while (e < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[e])) || s_[e] == '_' || s_[e] == '.')) ++e;
      const std::string name = s_.substr(i_, e - i_);
      i_ = e;
      for (std::size_t k = 0; k < axes_.size(); ++k)
        if (axes_[k] == name) {
          Node n;
          n.kind = Node::kVar;
          n.var = static_cast<int>(k);
          return add(n);
        }
      std::string valid;
      for (const std::string& a : axes_) valid += (valid.empty() ? "" : ", ") + a;
      fail("unknown axis '" + name + "' (axes: " + valid + ")");
    }
    fail("unexpected '" + s_.substr(i_, 12) + "'");
  }

  const std::string& s_;
  const SourceLoc& loc_;
  const std::vector<std::string>& axes_;
  std::vector<Node>& nodes_;
  std::size_t i_ = 0;
};

struct Eval {
  const std::vector<Node>& nodes;
  const std::vector<std::string>& values;
  const std::string& text;
  const SourceLoc& loc;

  [[noreturn]] void fail(const std::string& what) const { throw InputError(loc, "where '" + text + "': " + what); }
  double num(int i) const {
    const Value v = at(i);
    if (!v.is_num) fail("'" + v.str + "' is text, not a number");
    return v.num;
  }
  // Arithmetic past the doubles (1e308 * 1e308) gave inf or NaN, which every comparison then used silently.
  double finite(double v) const {
    if (!std::isfinite(v)) fail("arithmetic overflows (the result is not a finite number)");
    return v;
  }
  Value at(int i) const {
    const Node& n = nodes[static_cast<std::size_t>(i)];
    Value r;
    switch (n.kind) {
      case Node::kNum: r.num = n.num; return r;
      case Node::kStr: r.is_num = false; r.str = n.str; return r;
      case Node::kVar: return value_of(values[static_cast<std::size_t>(n.var)]);
      case Node::kNeg: r.num = -num(n.a); return r;
      case Node::kNot: r.num = num(n.a) == 0 ? 1 : 0; return r;
      case Node::kAdd: r.num = finite(num(n.a) + num(n.b)); return r;
      case Node::kSub: r.num = finite(num(n.a) - num(n.b)); return r;
      case Node::kMul: r.num = finite(num(n.a) * num(n.b)); return r;
      case Node::kDiv:
      case Node::kMod: {
        const double a = num(n.a), b = num(n.b);
        if (b == 0) fail("division by zero");
        r.num = finite(n.kind == Node::kDiv ? a / b : std::fmod(a, b));
        return r;
      }
      case Node::kAnd: r.num = (num(n.a) != 0 && num(n.b) != 0) ? 1 : 0; return r;
      case Node::kOr: r.num = (num(n.a) != 0 || num(n.b) != 0) ? 1 : 0; return r;
      case Node::kEq:
      case Node::kNe: {
        const Value a = at(n.a), b = at(n.b);
        const bool eq = a.is_num == b.is_num && (a.is_num ? a.num == b.num : a.str == b.str);
        r.num = (eq == (n.kind == Node::kEq)) ? 1 : 0;
        return r;
      }
      default: {
        const double a = num(n.a), b = num(n.b);
        const bool t = n.kind == Node::kLt ? a < b : n.kind == Node::kLe ? a <= b : n.kind == Node::kGt ? a > b : a >= b;
        r.num = t ? 1 : 0;
        return r;
      }
    }
  }
};

}  // namespace

SweepFilter::SweepFilter(const std::string& text, SourceLoc loc, const std::vector<std::string>& axes)
    : text_(text), loc_(std::move(loc)) {
  if (text.size() > 1000) throw InputError(loc_, "where: expression longer than 1,000 characters");
  root_ = Parser(text_, loc_, axes, nodes_).parse();
  // The whole expression and each operand of and, or and not is a condition (a comparison or a logical
  // operator): "dp == 0 or 1" kept every point (1 is true), and so did a bare "0.5" or "parallelism.dp".
  const auto condition = [this](int i) {
    const Node::Kind k = nodes_[static_cast<std::size_t>(i)].kind;
    return k == Node::kNot || k >= Node::kLt;
  };
  std::vector<int> todo = {root_};
  if (!condition(root_))
    throw InputError(loc_,
                     "where '" + text_ +
                         "': the expression is a value, not a condition: compare it (==, !=, <, <=, >, >=)");
  while (!todo.empty()) {
    const Node& n = nodes_[static_cast<std::size_t>(todo.back())];
    todo.pop_back();
    if (n.kind != Node::kAnd && n.kind != Node::kOr && n.kind != Node::kNot) continue;
    for (int operand : {n.a, n.b}) {
      if (operand < 0) continue;
      if (!condition(operand))
        throw InputError(loc_, "where '" + text_ + "': an operand of " +
                                   (n.kind == Node::kAnd  ? "and"
                                    : n.kind == Node::kOr ? "or"
                                                          : "not") +
                                   " is a value, not a condition: compare it (==, !=, <, <=, >, >=)");
      todo.push_back(operand);
    }
  }
}

bool SweepFilter::keep(const std::vector<std::string>& values) const {
  const Eval e{nodes_, values, text_, loc_};
  return e.num(root_) != 0;
}

}  // namespace commsim
