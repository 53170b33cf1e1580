#include "core/units.hpp"

#include <catch2/catch.hpp>
#include <cstdint>

#include "core/error.hpp"
#include "core/text.hpp"

using namespace commsim;

TEST_CASE("parse_quantity converts unit-suffixed values to SI", "[units]") {
  CHECK(parse_quantity("450GB/s", Dimension::kBandwidth) == Approx(450e9));
  CHECK(parse_quantity("400Gb/s", Dimension::kBandwidth) == Approx(50e9));  // bits: 400 / 8
  CHECK(parse_quantity("2us", Dimension::kTime) == Approx(2e-6));
  CHECK(parse_quantity("64MiB", Dimension::kBytes) == Approx(67108864.0));
  CHECK(parse_quantity("80GB", Dimension::kBytes) == Approx(80e9));
  CHECK(parse_quantity("989.4TFLOPS", Dimension::kFlopRate) == Approx(989.4e12));
  CHECK(parse_quantity("85%", Dimension::kRatio) == Approx(0.85));
  CHECK(parse_quantity(" 700 W ", Dimension::kPower) == Approx(700.0));
}

TEST_CASE("parse_quantity rejects missing or wrong units", "[units][errors]") {
  CHECK_THROWS_WITH(parse_quantity("450", Dimension::kBandwidth), Catch::Contains("has no unit"));
  CHECK_THROWS_WITH(parse_quantity("450us", Dimension::kBandwidth), Catch::Contains("not a bandwidth unit"));
  CHECK_THROWS_AS(parse_quantity("fast", Dimension::kBandwidth), InputError);
}

TEST_CASE("parse_size_arg reads nccl-tests sizes in binary units", "[units]") {
  CHECK(parse_size_arg("8") == 8);
  CHECK(parse_size_arg("64K") == 65536);
  CHECK(parse_size_arg("8G") == 8589934592ULL);
  CHECK(parse_size_arg("1M") == 1048576);
  CHECK_THROWS_AS(parse_size_arg("8X"), InputError);
  CHECK_THROWS_AS(parse_size_arg("-1"), InputError);
  CHECK_THROWS_AS(parse_size_arg("99999999999999999999"), InputError);
  CHECK_THROWS_AS(parse_size_arg("17179869184T"), InputError);
}

// Contract 2, one size convention for YAML and the command line: bare K/M/G/T binary (as nccl-tests),
// KiB.. binary, KB.. decimal, B or nothing bytes.
TEST_CASE("parse_size: bare suffixes binary, KiB binary, KB decimal", "[units]") {
  CHECK(parse_size("1K") == 1024);
  CHECK(parse_size("1KB") == 1000);
  CHECK(parse_size("1KiB") == 1024);
  CHECK(parse_size("1G") == 1073741824ULL);       // 2^30
  CHECK(parse_size("1GB") == 1000000000ULL);      // 1e9
  CHECK(parse_size("1GiB") == 1073741824ULL);
  CHECK(parse_size("8G") == 8589934592ULL);       // -e 8G: 8 * 2^30
  CHECK(parse_size("2TB") == 2000000000000ULL);
  CHECK(parse_size("1T") == 1099511627776ULL);    // 2^40
  CHECK(parse_size("512B") == 512);
  CHECK(parse_size("512") == 512);
  CHECK(parse_size("1.5G") == 1610612736ULL);     // 1.5 * 2^30
  CHECK(parse_size("2e3") == 2000);
  CHECK(parse_size("16m") == 16777216);           // nccl-tests accepts lower case
  CHECK(parse_size("18446744073709551615") == UINT64_MAX);
  // The same sizes through YAML quantities.
  CHECK(parse_quantity("1G", Dimension::kBytes) == 1073741824.0);
  CHECK(parse_quantity("1GB", Dimension::kBytes) == 1e9);
  CHECK(parse_quantity("1K", Dimension::kBytes) == 1024.0);
}

TEST_CASE("parse_quantity: magnitudes outside the plausible range are input errors, zero is the caller's", "[units][errors]") {
  CHECK_THROWS_WITH(parse_quantity("1e-300Gb/s", Dimension::kBandwidth),
                    Catch::Contains("outside the plausible range of a bandwidth (1KB/s to 100000TB/s)"));
  CHECK_THROWS_WITH(parse_quantity("1e6TB/s", Dimension::kBandwidth), Catch::Contains("plausible range"));
  CHECK(parse_quantity("1KB/s", Dimension::kBandwidth) == 1e3);      // the bounds are inside
  CHECK(parse_quantity("1e5TB/s", Dimension::kBandwidth) == 1e17);
  CHECK(parse_quantity("0GB/s", Dimension::kBandwidth) == 0);        // "must be positive" is the caller's
  CHECK(parse_quantity("-2us", Dimension::kTime) == Approx(-2e-6));  // so is the sign
  CHECK_THROWS_WITH(parse_quantity("1e-20s", Dimension::kTime), Catch::Contains("plausible range of a time"));
  CHECK_THROWS_WITH(parse_quantity("5e30W", Dimension::kPower), Catch::Contains("plausible range of a power"));
  CHECK_THROWS_WITH(parse_quantity("1e-9TFLOPS", Dimension::kFlopRate), Catch::Contains("plausible range"));
  CHECK(parse_quantity("1e-9", Dimension::kRatio) == 1e-9);          // ratios: no range here
}

TEST_CASE("parse_size: overflow, non-finite, negative, fractional and unknown suffixes are input errors", "[units][errors]") {
  CHECK_THROWS_WITH(parse_size("18446744073709551616"), Catch::Contains("too large"));  // 2^64
  CHECK_THROWS_WITH(parse_size("16777216T"), Catch::Contains("too large"));             // 2^24 * 2^40 = 2^64
  CHECK_THROWS_WITH(parse_size("1e23"), Catch::Contains("too large"));
  CHECK_THROWS_WITH(parse_size("1e30B"), Catch::Contains("too large"));
  CHECK_THROWS_WITH(parse_size("1e999"), Catch::Contains("too large"));
  CHECK_THROWS_AS(parse_size("nan"), InputError);
  CHECK_THROWS_AS(parse_size("inf"), InputError);
  CHECK_THROWS_AS(parse_size("-1K"), InputError);
  CHECK_THROWS_WITH(parse_size("0.3K"), Catch::Contains("whole number"));  // 307.2 bytes
  CHECK_THROWS_WITH(parse_size("1Gb"), Catch::Contains("bits"));
  CHECK_THROWS_WITH(parse_size("1X"), Catch::Contains("unknown suffix"));
  CHECK_THROWS_AS(parse_size(""), InputError);
  CHECK_THROWS_AS(parse_size("."), InputError);
  CHECK_THROWS_AS(parse_quantity("1e999GB", Dimension::kBytes), InputError);
  // A size read as a quantity (gpu.memory.capacity, calibration.cache_bytes) is below 2^64 too: 1e30B ran.
  CHECK_THROWS_WITH(parse_quantity("1e30B", Dimension::kBytes), Catch::Contains("too large"));
  CHECK_THROWS_AS(parse_quantity("2e7TB", Dimension::kBytes), InputError);
  CHECK(parse_quantity("1e7TB", Dimension::kBytes) == 1e19);
}

// The range in a message is one a user can paste back: "1MFLOPS to 1YFLOPS" named units the parser refuses.
TEST_CASE("plausible ranges are written in units the parser takes", "[units][errors]") {
  for (Dimension d : {Dimension::kBandwidth, Dimension::kTime, Dimension::kPower, Dimension::kFlopRate}) {
    const PlausibleRange r = plausible_range(d);
    const std::string text = r.text;
    const std::size_t to = text.find(" to ");
    REQUIRE(to != std::string::npos);
    const std::string lo = text.substr(0, to), rest = text.substr(to + 4), hi = rest.substr(0, rest.find(','));
    CHECK(parse_quantity(lo, d) == Approx(r.lo));
    CHECK(parse_quantity(hi, d) == Approx(r.hi));
  }
}

// core/text.hpp's without_denied: a negation right before a word, or "disabled"/"off" right after it,
// blanked.
TEST_CASE("without_denied blanks a word denied beside it", "[text]") {
  CHECK(without_denied("full (not selective)", {"selective"}) == "full (             )");
  CHECK(without_denied("non-FP8 bf16", {"fp8"}) == "        bf16");
  CHECK(without_denied("bf16, fp8 disabled", {"fp8"}) == "bf16,             ");
  CHECK(without_denied("fp8 OFF", {"fp8"}) == "       ");
  CHECK(without_denied("without fp8", {"fp8"}) == "           ");
  CHECK(without_denied("selective", {"selective"}) == "selective");
  CHECK(without_denied("none (without activation checkpointing)", {"selective", "full"}) ==
        "none (without activation checkpointing)");
  CHECK(without_denied("nonselective", {"selective"}) == "nonselective");  // one word: no negation
  // w/o, "not enabled" after, and a false value set to the word (helper-112, 2026-12-06: each read as fp8).
  CHECK(without_denied("bf16 w/o fp8", {"fp8"}) == "bf16        ");
  CHECK(without_denied("fp8 not enabled", {"fp8"}) == "               ");
  CHECK(without_denied("fp8=false", {"fp8"}) == "         ");
  CHECK(without_denied("fp8 = False", {"fp8"}) == "           ");
  CHECK(without_denied("fp8: no", {"fp8"}) == "       ");
  CHECK(without_denied("full=0", {"full"}) == "      ");
  // "no" after a word without '=' or ':' starts the next phrase: full stays, selective goes.
  CHECK(without_denied("full, no selective", {"full", "selective"}) == "full,             ");
  CHECK(without_denied("w/o", {"fp8"}) == "w/o");
  // "selective: no full" denies full (helper-113: both were blanked); "off-loaded" denies nothing.
  CHECK(without_denied("selective: no full", {"selective", "full"}) == "selective:        ");
  CHECK(without_denied("optimizer off-loaded", {"optimizer"}) == "optimizer off-loaded");
  CHECK(without_denied("optimizer off", {"optimizer"}) == "             ");
}
