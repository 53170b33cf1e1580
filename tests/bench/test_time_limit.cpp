// The watchdog's default limit (time_limit.hpp): 10 s + 0.1 s per rank + for every row,
// (w + 1 + n*m + 1 + 3c) units x (0.05 s + size / 1e8 B/s), rounded up.
#include <catch2/catch.hpp>

#include "options.hpp"
#include "time_limit.hpp"

using namespace commsim;
using namespace commsim::bench;

namespace {

Options one_size(std::uint64_t bytes) {
  Options o;  // all_reduce, float, sum, -n 20 -w 1 -c 1 -m 1
  o.min_bytes = o.max_bytes = bytes;
  return o;
}

}  // namespace

TEST_CASE("default -T for one 1 MiB all_reduce row on 2 ranks", "[commbench][time_limit]") {
  // units = 1 + 1 + 20 + 1 + 3 = 26; 2 placements x 26 x (0.05 + 1048576 / 1e8) = 3.14526 s;
  // + 10 + 0.2 = 13.345 s -> 14 s.
  CHECK(default_timeout_s(one_size(1 << 20), 2) == 14);
}

TEST_CASE("default -T grows with the sweep, the cases and the ranks", "[commbench][time_limit]") {
  Options o = one_size(1024);
  // 2 x 26 x (0.05 + 1.024e-5) = 2.60053 s; + 10.2 s = 12.8 -> 13 s.
  CHECK(default_timeout_s(o, 2) == 13);
  // 1000 ranks: + 100 s of start-up -> 112.6 -> 113 s.
  CHECK(default_timeout_s(o, 1000) == 113);
  // all_reduce with 2 redops (x2) and broadcast (redop-free, x1): 3 cases x 2.60053 + 10.2 = 18.0 -> 19 s.
  o.ops = {Op::kAllReduce, Op::kBroadcast};
  o.redops = {RedOp::kSum, RedOp::kMax};
  CHECK(default_timeout_s(o, 2) == 19);
  // -n 100 -m 2 -c 0 -w 0: units = 0 + 1 + 200 + 1 + 0 = 202; 3 x 2 x 202 x 0.05001024 = 60.61 + 10.2 -> 71
  // s.
  o.iters = 100;
  o.agg_iters = 2;
  o.check = 0;
  o.warmup_iters = 0;
  CHECK(default_timeout_s(o, 2) == 71);
}

TEST_CASE("an explicit -T wins, 0 included, and the default is capped at 7 days", "[commbench][time_limit]") {
  Options o = one_size(1024);
  o.timeout_s = 0;
  CHECK(effective_timeout_s(o, 2) == 0);
  o.timeout_s = 5;
  CHECK(effective_timeout_s(o, 2) == 5);
  o.timeout_s.reset();
  CHECK(effective_timeout_s(o, 2) == 13);
  Options big = one_size(1ull << 44);  // 16 TiB: 2 x 26 x 175922 s = 9.1e6 s, far beyond a week
  CHECK(default_timeout_s(big, 2) == 7 * 24 * 3600);
}
