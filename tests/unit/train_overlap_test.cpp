// Overlap mechanisms of the training estimator added for issue 8's worst rows (dp_overlap): every expected
// value is computed by hand in the comment above it.
#include <catch2/catch.hpp>

#include "train/dp_overlap.hpp"

using namespace commsim;

TEST_CASE("dp overlap: without interleaving the last micro-batch's backward hides the reduction", "[train][dp]") {
  // v 1, G 5 s, B 2 s, last bucket 0.5 s: max(last, G - B) = 3 s.
  CHECK(dp_overlap_exposed(5.0, 0.5, 2.0, 1, 8.0) == Approx(3.0));
  // G 1 s < B: only the last bucket, 0.5 s.
  CHECK(dp_overlap_exposed(1.0, 0.5, 2.0, 1, 8.0) == Approx(0.5));
}

TEST_CASE("dp overlap: interleaved chunks reduce during the cool-down", "[train][dp]") {
  // v 4, n 4, G 8, B 4, last 0.5: chunk c final at -c*n*B/v = -12, -8, -4, 0; each chunk's 2 s start 1 s
  // before its end: the DP stream is free at -11, -7, -3, 1 -> 1 s exposed (4 s without interleaving).
  CHECK(dp_overlap_exposed(8.0, 0.5, 4.0, 4, 4.0) == Approx(1.0));
  // A reduction longer than the cool-down queues up: G 40 -> chunks of 10 s from -13: free -3, 7, 17, 27.
  CHECK(dp_overlap_exposed(40.0, 0.5, 4.0, 4, 4.0) == Approx(27.0));
  // Nothing to reduce: nothing exposed beyond the (zero) bucket.
  CHECK(dp_overlap_exposed(0.0, 0.0, 4.0, 4, 4.0) == Approx(0.0));
}
