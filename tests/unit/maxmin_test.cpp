#include <catch2/catch.hpp>

#include "net/maxmin.hpp"

using namespace commsim;

TEST_CASE("max-min: the worked example of maxmin.hpp", "[maxmin]") {
  // Links A = 10, B = 4. Flow 1 on A, flow 2 on A and B, flow 3 on B, weights 1.
  // B saturates at lambda = 2 (flows 2, 3 get 2); A has 8 left for flow 1.
  FlowSet f;
  f.add({0}, 1.0);
  f.add({0, 1}, 1.0);
  f.add({1}, 1.0);
  const MaxMinResult r = solve_max_min({10.0, 4.0}, f);
  CHECK(r.rate[0] == Approx(8.0));
  CHECK(r.rate[1] == Approx(2.0));
  CHECK(r.rate[2] == Approx(2.0));
  CHECK(r.first_level == Approx(2.0));
  CHECK(r.bottleneck_link == 1);
}

TEST_CASE("max-min: weights share a link in proportion", "[maxmin]") {
  // One link of 9 GB/s; flow weights 1 and 2 -> rates 3 and 6; level 3.
  FlowSet f;
  f.add({0}, 1.0);
  f.add({0}, 2.0);
  const MaxMinResult r = solve_max_min({9.0}, f);
  CHECK(r.rate[0] == Approx(3.0));
  CHECK(r.rate[1] == Approx(6.0));
  CHECK(r.first_level == Approx(3.0));
}

TEST_CASE("max-min: local flows are unconstrained", "[maxmin]") {
  FlowSet f;
  f.add({}, 1.0);
  const MaxMinResult r = solve_max_min({1.0}, f);
  CHECK(std::isinf(r.rate[0]));
  CHECK(std::isinf(r.first_level));
}

TEST_CASE("max-min: stopping at the first level gives the same bottleneck", "[maxmin]") {
  FlowSet f;
  f.add({0}, 1.0);
  f.add({0, 1}, 1.0);
  f.add({1}, 1.0);
  const MaxMinResult r = solve_max_min({10.0, 4.0}, f, true);
  CHECK(r.first_level == Approx(2.0));
  CHECK(r.bottleneck_link == 1);
  CHECK(r.rate[1] == Approx(2.0));
  CHECK(std::isinf(r.rate[0]));
}
