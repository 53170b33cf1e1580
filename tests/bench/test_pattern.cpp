// The data pattern: reduced() must equal the reduction of input() over ranks, computed here by brute force,
// for every redop, several rank counts and integer wrap-around.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "dtype_codec.hpp"
#include "pattern.hpp"

using namespace commsim;
using namespace commsim::bench;

namespace {

double brute_force(const Pattern& p, int n, RedOp op, DataType t, std::uint64_t j) {
  double acc = p.input(0, j);
  for (int r = 1; r < n; ++r) {
    const double x = p.input(r, j);
    switch (op) {
      case RedOp::kSum:
      case RedOp::kAvg:
        acc += x;
        break;
      case RedOp::kProd:
        acc *= x;
        break;
      case RedOp::kMin:
        acc = std::min(acc, x);
        break;
      case RedOp::kMax:
        acc = std::max(acc, x);
        break;
    }
  }
  if (op == RedOp::kSum) return wrap_to_type(t, acc);
  if (op == RedOp::kAvg) return is_integer_type(t) ? std::trunc(wrap_to_type(t, acc) / n) : acc / n;
  return acc;
}

}  // namespace

TEST_CASE("worked example from pattern.hpp: n = 4, h(j) = 1, j mod 3 = 0", "[commbench][pattern]") {
  const Pattern sum(4, DataType::kFloat, RedOp::kSum);
  std::uint64_t j = 0;
  while (!(j % 3 == 0 && sum.input(0, j) == 1)) ++j;  // input(0, j) = h(j) + 0
  CHECK(sum.input(0, j) == 1);
  CHECK(sum.input(1, j) == 2);
  CHECK(sum.input(2, j) == 3);
  CHECK(sum.input(3, j) == 1);
  CHECK(sum.reduced(j) == 7);
  CHECK(Pattern(4, DataType::kFloat, RedOp::kMin).reduced(j) == 1);
  CHECK(Pattern(4, DataType::kFloat, RedOp::kMax).reduced(j) == 3);
}

TEST_CASE("reduced() is the reduction of input() over all ranks", "[commbench][pattern]") {
  for (DataType t :
       {DataType::kFloat, DataType::kInt8, DataType::kUint8, DataType::kHalf, DataType::kInt64}) {
    for (RedOp op : {RedOp::kSum, RedOp::kProd, RedOp::kMin, RedOp::kMax, RedOp::kAvg}) {
      for (int n : {1, 2, 3, 4, 7, 64}) {
        const Pattern p(n, t, op);
        for (std::uint64_t j = 0; j < 500; ++j) {
          INFO("type " << dtype_info(t).name << " op " << redop_name(op) << " n " << n << " j " << j);
          REQUIRE(p.reduced(j) == brute_force(p, n, op, t, j));
        }
      }
    }
  }
}

TEST_CASE("inputs are small integers, exact in every type, and products never overflow",
          "[commbench][pattern]") {
  const Pattern sum(8, DataType::kF8e5m2, RedOp::kSum);
  const Pattern prod(8, DataType::kF8e5m2, RedOp::kProd);
  for (std::uint64_t j = 0; j < 1000; ++j) {
    for (int r = 0; r < 8; ++r) {
      REQUIRE(sum.input(r, j) >= 0);
      REQUIRE(sum.input(r, j) <= 4);
      REQUIRE(Pattern::payload(r, j) >= 0);
      REQUIRE(Pattern::payload(r, j) <= 4);
    }
    REQUIRE(prod.reduced(j) >= 1);
    REQUIRE(prod.reduced(j) <= 3);
  }
}

TEST_CASE("int8 sums over 64 ranks wrap like the hardware", "[commbench][pattern]") {
  const Pattern p(64, DataType::kInt8, RedOp::kSum);
  bool wrapped = false;
  for (std::uint64_t j = 0; j < 100; ++j) {
    double exact = 0;
    for (int r = 0; r < 64; ++r) exact += p.input(r, j);
    wrapped = wrapped || exact > 127;
    REQUIRE(p.reduced(j) == static_cast<std::int8_t>(static_cast<int>(exact)));
  }
  CHECK(wrapped);
}

TEST_CASE("payload tells ranks and offsets apart", "[commbench][pattern]") {
  int differ_rank = 0, differ_offset = 0;
  for (std::uint64_t j = 0; j < 1000; ++j) {
    differ_rank += Pattern::payload(0, j) != Pattern::payload(5, j);
    differ_offset += Pattern::payload(0, j) != Pattern::payload(0, j + 256);
  }
  CHECK(differ_rank > 700);  // 4/5 expected for independent values
  CHECK(differ_offset > 700);
}

TEST_CASE("tolerance: exact for integers and min/max/prod, eps*(n-1)*|x| for floating sums",
          "[commbench][pattern]") {
  CHECK(Pattern(8, DataType::kInt32, RedOp::kSum).tolerance(100) == 0);
  CHECK(Pattern(8, DataType::kHalf, RedOp::kMax).tolerance(100) == 0);
  CHECK(Pattern(8, DataType::kHalf, RedOp::kSum).tolerance(100) == Approx(7 * 100 / 1024.0));
  CHECK(Pattern(2, DataType::kBfloat16, RedOp::kAvg).tolerance(0.5) == Approx(1 / 128.0));
}
