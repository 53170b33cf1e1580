#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/units.hpp"

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
