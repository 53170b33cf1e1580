// commsim sweep: the `where` grammar, point enumeration (cartesian product, zip, filters), the ordered
// thread pool, and the JSON Lines round trip that MPI gathering relies on.
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/ordered_pool.hpp"
#include "core/yaml_reader.hpp"
#include "report/sweep_report.hpp"
#include "study/sweep_filter.hpp"
#include "study/sweep_inputs.hpp"
#include "study/sweep_run.hpp"
#include "study/sweep_spec.hpp"

using namespace commsim;
using Catch::Matchers::Contains;

namespace {

SweepSpec spec_of(const std::string& yaml) { return parse_sweep(load_yaml_string(yaml, "t.yaml"), "t.yaml"); }

const char* kCollective = R"(schema_version: 1
kind: study
name: t
base: {system: dgx-h100, op: [all_reduce, all_gather], size: 1MiB}
axes:
  gpus: [8, 16, 24]
  fabric.nic_speed: [200Gb/s, 400Gb/s]
)";

}  // namespace

TEST_CASE("where: arithmetic, comparison and logic over axis values", "[sweep]") {
  const std::vector<std::string> axes = {"gpus", "parallelism.tp", "system"};
  const SourceLoc loc{"s.yaml", 9, 3, "where"};
  // 64 % 8 = 0; 12 % 8 = 4
  CHECK(SweepFilter("gpus % parallelism.tp == 0", loc, axes).keep({"64", "8", "a"}));
  CHECK_FALSE(SweepFilter("gpus % parallelism.tp == 0", loc, axes).keep({"12", "8", "a"}));
  // precedence: 2 + 3 * 4 = 14, not 20
  CHECK(SweepFilter("2 + 3 * 4 == 14", loc, axes).keep({"1", "1", "a"}));
  CHECK(SweepFilter("-(2 - 5) >= 3 and not (1 > 2)", loc, axes).keep({"1", "1", "a"}));
  CHECK(SweepFilter("system != 'dgx-h100' || parallelism.tp <= 8", loc, axes).keep({"1", "8", "dgx-h100"}));
  CHECK_FALSE(SweepFilter("system == \"dgx-h100\" && parallelism.tp > 8", loc, axes).keep({"1", "16", "hgx-h20"}));
  // text and numbers are never equal; "400Gb/s" is text
  CHECK(SweepFilter("system != 8", loc, axes).keep({"1", "1", "400Gb/s"}));
}

TEST_CASE("where: bad expressions name the file, line and key", "[sweep]") {
  const std::vector<std::string> axes = {"gpus", "parallelism.tp"};
  const SourceLoc loc{"s.yaml", 9, 3, "where"};
  CHECK_THROWS_WITH(SweepFilter("parallelism.tpp <= 8", loc, axes),
                    Contains("s.yaml:9:3") && Contains("unknown axis 'parallelism.tpp'"));
  CHECK_THROWS_AS(SweepFilter("gpus <", loc, axes), InputError);
  CHECK_THROWS_AS(SweepFilter("(gpus", loc, axes), InputError);
  CHECK_THROWS_AS(SweepFilter("gpus == 'x", loc, axes), InputError);
  CHECK_THROWS_AS(SweepFilter("gpus 8", loc, axes), InputError);
  CHECK_THROWS_WITH(SweepFilter(std::string(200, '(') + "1" + std::string(200, ')'), loc, axes), Contains("64 levels"));
  CHECK_THROWS_WITH(SweepFilter(std::string(1001, '1'), loc, axes), Contains("1,000"));
  const SweepFilter div("gpus / (parallelism.tp - 8) > 1", loc, axes);
  CHECK_THROWS_WITH(div.keep({"64", "8"}), Contains("division by zero"));
  // Past the doubles: inf - inf is NaN, and NaN != 1 kept every point.
  const SweepFilter big("(1e308 * gpus) - (1e308 * gpus) != 1", loc, axes);
  CHECK_THROWS_WITH(big.keep({"64", "8"}), Contains("s.yaml:9:3") && Contains("arithmetic overflows"));
  CHECK(SweepFilter("1e300 * gpus > 1", loc, axes).keep({"64", "8"}));  // large and finite is fine
  // A value where a condition is due kept every point ("tp == 0 or 1": 1 is true); hex numbers were read.
  for (const char* value : {"0.5", "gpus", "gpus == 0 or 1", "not gpus", "(gpus > 1) and 2", "gpus + 1"})
    CHECK_THROWS_WITH(SweepFilter(value, loc, axes),
                      Contains("s.yaml:9:3") && Contains("a value, not a condition"));
  CHECK_THROWS_WITH(SweepFilter("gpus == 0x40", loc, axes), Contains("bad number at '0x40'"));
  const SweepFilter text("gpus < 8", loc, axes);
  CHECK_THROWS_WITH(text.keep({"many", "8"}), Contains("text, not a number"));
}

TEST_CASE("sweep points: cartesian product, first axis slowest, op and size as implicit axes", "[sweep]") {
  const SweepSpec s = spec_of(kCollective);
  REQUIRE(s.kind == SweepKind::kCollective);
  REQUIRE(s.axis_keys() == std::vector<std::string>{"gpus", "fabric.nic_speed", "op", "size"});
  std::size_t total = 0;
  const std::vector<SweepPoint> p = sweep_points(s, &total);
  CHECK(total == 3 * 2 * 2 * 1);
  REQUIRE(p.size() == 12);
  CHECK(p[0].values == std::vector<std::string>{"8", "200Gb/s", "all_reduce", "1MiB"});
  CHECK(p[1].values == std::vector<std::string>{"8", "200Gb/s", "all_gather", "1MiB"});
  CHECK(p[2].values == std::vector<std::string>{"8", "400Gb/s", "all_reduce", "1MiB"});
  CHECK(p[11].values == std::vector<std::string>{"24", "400Gb/s", "all_gather", "1MiB"});
  CHECK(point_key(s, p[2].values) == "gpus=8,fabric.nic_speed=400Gb/s,op=all_reduce,size=1MiB");
}

TEST_CASE("point keys: separators in values are escaped, so two points never share a key", "[sweep]") {
  // 'a,gpu.vendor=b' x 'c' and 'a' x 'b,gpu.vendor=c' were one key: --resume took the second point as done.
  const SweepSpec s = spec_of(R"(schema_version: 1
kind: study
name: t
base: {system: dgx-h100, op: all_reduce, size: 1MiB}
axes:
  gpu.display_name: ['a,gpu.vendor=b', 'a']
  gpu.vendor: ['c', 'b,gpu.vendor=c']
)");
  const std::vector<SweepPoint> p = sweep_points(s);
  REQUIRE(p.size() == 4);
  std::set<std::string> keys;
  for (const SweepPoint& q : p) keys.insert(point_key(s, q.values));
  CHECK(keys.size() == 4);
  CHECK(point_key(s, p[0].values) ==
        "gpu.display_name=a\\,gpu.vendor\\=b,gpu.vendor=c,op=all_reduce,size=1MiB");
  CHECK(point_key(s, {"x\\y", "z", "all_reduce", "1MiB"}) ==
        "gpu.display_name=x\\\\y,gpu.vendor=z,op=all_reduce,size=1MiB");
}

TEST_CASE("collective points: axes of gpus and of nodes both size the cluster, a base's sizing gives way",
          "[sweep]") {
  // The later axis replaced the earlier: gpus 8 x nodes 2 ran 16 ranks labelled gpus=8 (exit 0).
  const SweepSpec s = spec_of(R"(schema_version: 1
kind: study
name: t
base: {system: dgx-h100, op: all_reduce, size: 1MiB, gpus: 16}
axes:
  gpus: [8, ~]
  nodes: [2, ~]
)");
  const std::vector<bool> all(4, true);
  const CollectiveInputs both = collective_inputs(s, {"8", "2", "all_reduce", "1MiB"}, all);
  CHECK(both.gpus == 8);
  CHECK(both.nodes == 2);  // resolve_scale then refuses 8 != 2 x 8: the point is invalid
  const CollectiveInputs nodes_only = collective_inputs(s, {"", "2", "all_reduce", "1MiB"}, all);
  CHECK(nodes_only.gpus == 0);  // the base's gpus: 16 gives way to the axis's nodes
  CHECK(nodes_only.nodes == 2);
  const CollectiveInputs base = collective_inputs(s, {"", "", "all_reduce", "1MiB"}, all);
  CHECK(base.gpus == 16);  // nulls: the base's sizing
  CHECK(base.nodes == 0);
}

TEST_CASE("sweep points: zip groups vary together, where filters, indices count kept points", "[sweep]") {
  const SweepSpec s = spec_of(std::string(kCollective) + "  gpus_per_node: [8, 4]\nzip: [[fabric.nic_speed, gpus_per_node]]\n"
                                                          "where: ['gpus != 16']\n");
  std::size_t total = 0;
  const std::vector<SweepPoint> p = sweep_points(s, &total);
  CHECK(total == 3 * 2 * 2);  // gpus x (nic_speed, gpus_per_node) x op
  REQUIRE(p.size() == 8);     // gpus 16 removed
  CHECK(p[2].values == std::vector<std::string>{"8", "400Gb/s", "4", "all_reduce", "1MiB"});  // op, size: after the axes
  CHECK(p[4].values[0] == "24");
  CHECK(p[4].index == 4);
}

TEST_CASE("sweep spec: bad studies name file, line and key", "[sweep]") {
  CHECK_THROWS_WITH(spec_of(std::string(kCollective) + "  colour: [red]\n"),
                    Contains("t.yaml:8:12: key 'axes.colour'") && Contains("not a key of a collective study"));
  CHECK_THROWS_WITH(spec_of(std::string(kCollective) + "  fabric.nic_sped: [1Gb/s]\n"),
                    Contains("t.yaml:8:21: key 'axes.fabric.nic_sped'") && Contains("unknown key"));
  CHECK_THROWS_WITH(spec_of(std::string(kCollective) + "  dtype: []\n"), Contains("empty axis"));
  CHECK_THROWS_WITH(spec_of(std::string(kCollective) + "zip: [[gpus, fabric.nic_speed]]\n"),
                    Contains("t.yaml:8:14: key 'zip.fabric.nic_speed'") && Contains("lengths differ"));
  const SweepSpec none = spec_of(std::string(kCollective) + "where: ['gpus > 100']\n");
  CHECK_THROWS_WITH(sweep_points(none), Contains("t.yaml:8:8: key 'where'") && Contains("remove every one of the 12"));
}

TEST_CASE("sweep rows: a JSON Lines record reads back exactly (MPI gathering)", "[sweep]") {
  const SweepSpec s = spec_of(kCollective);
  const SweepRunner runner(s);
  const SweepRow r = runner.run(sweep_points(s)[3]);
  CHECK(r.status == "ok");
  CHECK(r.numbers[0] == 8);  // ranks
  const SweepRow back = row_from_jsonl(s, sweep_jsonl_line(s, r), "test");
  CHECK(back.key == r.key);
  CHECK(back.axes == r.axes);
  CHECK(back.labels == r.labels);
  for (std::size_t i = 0; i < r.numbers.size(); ++i) CHECK(back.numbers[i] == r.numbers[i]);
  CHECK(sweep_csv_line(s, back) == sweep_csv_line(s, r));
  // 24 GPUs is 3 nodes: fine; an invalid scale is a row, not an exception
  const SweepSpec bad = spec_of(std::string(kCollective).replace(std::string(kCollective).find("[8, 16, 24]"), 11, "[12]"));
  const SweepRow inv = SweepRunner(bad).run(sweep_points(bad)[0]);
  CHECK(inv.status == "invalid");
  CHECK_THAT(inv.reason, Contains("not a multiple"));
  CHECK(std::isnan(inv.numbers[2]));
}

TEST_CASE("run_ordered: results in index order from many threads, and stop keeps the in-order prefix", "[sweep]") {
  std::vector<std::size_t> seen;
  const std::size_t n = run_ordered<std::size_t>(
      200, 4, [](std::size_t i) { return i * i; }, [&](std::size_t i, std::size_t&& v) {
        CHECK(v == i * i);
        seen.push_back(i);
      });
  CHECK(n == 200);
  REQUIRE(seen.size() == 200);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i);
  std::atomic<bool> stop{false};
  std::vector<std::size_t> some;
  const std::size_t m = run_ordered<int>(
      1000, 2, [&](std::size_t i) {
        if (i == 10) stop = true;
        return 0;
      },
      [&](std::size_t i, int&&) { some.push_back(i); }, &stop);
  CHECK(m == some.size());
  CHECK(m < 1000);
  for (std::size_t i = 0; i < some.size(); ++i) CHECK(some[i] == i);
  CHECK_THROWS_WITH(run_ordered<int>(
                        10, 2, [](std::size_t i) -> int { if (i == 3) throw InputError("bad point"); return 0; },
                        [](std::size_t, int&&) {}),
                    "bad point");
}

TEST_CASE("run_ordered: more workers than items start one per item, in order, and none for no items",
          "[sweep][ordered_pool]") {
  // -j 2147483647 tried to start 2^31-1 threads: the system refused one and the started ones were destroyed
  // unjoined (std::terminate). Now at most n threads start, and a refused one leaves the pool on the others.
  std::vector<std::size_t> seen;
  std::set<std::thread::id> threads;
  std::mutex mu;
  const std::size_t n = run_ordered<std::size_t>(
      3, 2147483647,
      [&](std::size_t i) {
        const std::lock_guard<std::mutex> lock(mu);
        threads.insert(std::this_thread::get_id());
        return i + 10;
      },
      [&](std::size_t i, std::size_t&& v) {
        CHECK(v == i + 10);
        seen.push_back(i);
      });
  CHECK(n == 3);
  CHECK(seen == std::vector<std::size_t>{0, 1, 2});
  CHECK(threads.size() <= 3);
  const auto none = [](std::size_t, int&&) { FAIL("no item"); };
  CHECK(run_ordered<int>(0, 2147483647, [](std::size_t) { return 0; }, none) == 0);
  const auto same = [](std::size_t i, int&& v) { CHECK(v == int(i)); };
  CHECK(run_ordered<int>(5, 0, [](std::size_t i) { return int(i); }, same) == 5);  // jobs < 1: one worker
}

TEST_CASE("sweep: a null axis value leaves the key unset at that point", "[sweep]") {
  const SweepSpec s = spec_of(R"(schema_version: 1
kind: study
name: t
base: {system: dgx-h100, gpus: 16, op: all_reduce, size: 1GiB}
axes:
  fabric.nic_speed: [100Gb/s, ~]
)");
  const std::vector<SweepPoint> pts = sweep_points(s);
  REQUIRE(pts.size() == 2);
  CHECK(pts[1].values[0].empty());
  const SweepRunner runner(s);
  const SweepRow slow = runner.run(pts[0]), base = runner.run(pts[1]);
  REQUIRE(slow.status == "ok");
  REQUIRE(base.status == "ok");
  // dgx-h100's own NICs are 400 Gb/s: the unset point is faster than the 100 Gb/s one across 2 nodes
  CHECK(base.numbers[2] < slow.numbers[2]);
  // and is the base: the same as an axis value of the system's own speed
  const SweepSpec own = spec_of(R"(schema_version: 1
kind: study
name: t
base: {system: dgx-h100, gpus: 16, op: all_reduce, size: 1GiB}
axes:
  fabric.nic_speed: [400Gb/s]
)");
  CHECK(SweepRunner(own).run(sweep_points(own)[0]).numbers[2] == base.numbers[2]);
}
