// Export-control view (hw/export_control.hpp): TPP, performance density and the ECCN 3A090 class, with
// hand-computed values from the shipped catalog and rules (topologies/export-control.yaml).
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/units.hpp"
#include "hw/catalog.hpp"
#include "hw/export_control.hpp"

using namespace commsim;

TEST_CASE("TPP is the highest dense rate times its bit length", "[export]") {
  const ExportRules rules = load_export_rules("");
  // H100 SXM: bf16 989.4 x 16 = 15,830.4; fp8 1978.9 x 8 = 15,831.2 (the highest); 15,831.2 / 814 = 19.449.
  const ExportView h100 = export_view(load_gpu("h100-sxm"), rules);
  CHECK(h100.tpp == Approx(15831.2));
  CHECK(h100.tpp_precision == "fp8");
  CHECK(*h100.die_area_mm2 == Approx(814.0));
  CHECK(*h100.density == Approx(19.449).epsilon(1e-4));
  CHECK(h100.classification == "3A090.a");
  // H20: 148 x 16 = 296 x 8 = 2,368 (< 2,400); density 2,368 / 814 = 2.909 (< 3.2): below every band.
  const ExportView h20 = export_view(load_gpu("h20"), rules);
  CHECK(h20.tpp == Approx(2368.0));
  CHECK(*h20.density == Approx(2.909).epsilon(1e-3));
  CHECK(h20.classification == "not 3A090");
  // A100 (no fp8): 312 x 16 = 4,992 >= 4,800.
  CHECK(export_view(load_gpu("a100-sxm-80gb"), rules).tpp == Approx(4992.0));
  CHECK(export_view(load_gpu("a100-sxm-80gb"), rules).classification == "3A090.a");
  // L20: 119.5 x 16 = 1,912; 1,912 / 608.5 = 3.142 < 3.2: not 3A090.
  const ExportView l20 = export_view(load_gpu("l20"), rules);
  CHECK(l20.tpp == Approx(1912.0));
  CHECK(l20.classification == "not 3A090");
  // RTX 4090: INT8 660.6 x 8 = 5,284.8 beats bf16 165.2 x 16 = 2,643.2.
  const ExportView rtx = export_view(load_gpu("rtx-4090"), rules);
  CHECK(rtx.tpp == Approx(5284.8));
  CHECK(rtx.tpp_precision == "int8");
  // MI300X: fp8 2614.9 x 8 = 20,919.2 over 8 x 115 + 1,480 = 2,400 mm^2 of logic dies: density 8.716.
  const ExportView mi = export_view(load_gpu("mi300x"), rules);
  CHECK(mi.tpp == Approx(20919.2));
  CHECK(*mi.die_area_mm2 == Approx(2400.0));
  CHECK(*mi.density == Approx(8.7163).epsilon(1e-4));
  // B300: FP4 13,500 x 4 = 54,000 beats FP8 4,500 x 8 = 36,000 (the FP8 rate alone gave 36,000).
  const ExportView b300 = export_view(load_gpu("b300"), rules);
  CHECK(b300.tpp == Approx(54000.0));
  CHECK(b300.tpp_precision == "fp4");
  // B200: FP4 9,000 x 4 = FP8 4,500 x 8 = 36,000; the tie keeps the first listed rate.
  CHECK(export_view(load_gpu("b200"), rules).tpp == Approx(36000.0));
  // MI355X: MXFP6 10,066.3 x 6 = 60,397.8 beats MXFP4 x 4 and FP8 5,033.2 x 8 = 40,265.6.
  const ExportView mi355 = export_view(load_gpu("mi355x"), rules);
  CHECK(mi355.tpp == Approx(60397.8));
  CHECK(mi355.tpp_precision == "fp6");
}

TEST_CASE("3A090 bands as in the rules file", "[export]") {
  const ExportRules r = load_export_rules("");
  CHECK(classify(r, 4800, 1.0) == "3A090.a");   // TPP >= 4800 alone
  CHECK(classify(r, 4799, 1.0) == "not 3A090");  // density 1.0 < 1.6
  CHECK(classify(r, 2000, 6.0) == "3A090.a");   // TPP >= 1600 and density >= 5.92
  CHECK(classify(r, 3000, 2.0) == "3A090.b");   // 2400 <= TPP < 4800, 1.6 <= density < 5.92
  CHECK(classify(r, 2000, 4.0) == "3A090.b");   // TPP >= 1600, 3.2 <= density < 5.92
  CHECK(classify(r, 2000, 2.0) == "not 3A090");
  CHECK(classify(r, 1599, 100.0) == "not 3A090");
  CHECK(classify(r, 5000, std::nullopt) == "3A090.a");  // no density needed
  CHECK(classify(r, 2000, std::nullopt) == "unknown (no die area)");
}

TEST_CASE("every catalog accelerator has a die area with a source", "[export]") {
  for (const std::string& n : gpu_names()) {
    const GpuSpec g = load_gpu(n);
    if (g.arch == GpuArch::kCpu) continue;  // host-cpu: MPI ranks on host cores, not a chip
    INFO(n);
    REQUIRE(g.die_area.has_value());
    CHECK(!g.die_area->per_die.provenance.source.empty());
    CHECK(!g.die_area->per_die.provenance.kind.empty());
    CHECK(g.die_area->total() > 100.0);
  }
}

TEST_CASE("a rate without a bit length names the rules key", "[export][errors]") {
  ExportRules r = load_export_rules("");
  r.bit_length.clear();
  CHECK_THROWS_WITH(export_view(load_gpu("h100-sxm"), r), Catch::Contains("bit_length.bf16"));
}

TEST_CASE("units for die areas, days, TOPS and currency multiples", "[export][units]") {
  CHECK(parse_quantity("814mm2", Dimension::kArea) == Approx(814.0));
  CHECK(parse_quantity("8cm2", Dimension::kArea) == Approx(800.0));
  CHECK(parse_quantity("660.6TOPS", Dimension::kFlopRate) == Approx(660.6e12));
  CHECK(parse_quantity("90d", Dimension::kTime) == Approx(90 * 86400.0));
  CHECK(parse_quantity("20MUSD", Dimension::kCurrency) == Approx(20e6));
  CHECK(parse_quantity("2.5kUSD", Dimension::kCurrency) == Approx(2500.0));
  CHECK_THROWS_WITH(parse_quantity("814", Dimension::kArea), Catch::Contains("has no unit"));
}
