// Parsers of measured results: the two real nccl-tests logs in tests/data/logs (copied untouched from
// ../shared/validation/logs), a commbench JSON document, and the error messages (file:line).
#include "study/measurements.hpp"

#include <catch2/catch.hpp>

#include "core/data_path.hpp"
#include "core/error.hpp"
#include "study/json_fields.hpp"
#include "study/measured_device.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

TEST_CASE("clean nccl-tests log, new header with root and version line (GH200, 2 nodes)", "[measurements]") {
  const auto rows = read_measurements(data_file("tests/data/logs/gh200_2x1_all_reduce.log"));
  REQUIRE(rows.size() == 8);  // 1M .. 128M by 2
  const Measurement& a = rows.front();
  CHECK(a.op == Op::kAllReduce);  // from "# Collective test starting: all_reduce_perf"
  CHECK(a.dtype == DataType::kFloat);
  CHECK(a.size_bytes == 1048576);
  CHECK(a.count == 262144);
  CHECK(*a.time_us == Approx(339.61));
  CHECK(*a.time_in_place_us == Approx(335.85));
  CHECK(*a.busbw_GBps == Approx(3.09));
  CHECK(a.nranks == 2);
  CHECK(a.nodes == 2);  // nid007106, nid007109
  CHECK(a.line == 13);
  CHECK(rows.back().size_bytes == 134217728);
  CHECK(*rows.back().time_us == Approx(5871.07));
  CHECK(*rows.back().busbw_in_place_GBps == Approx(22.88));
}

TEST_CASE("nccl-tests log with NCCL INFO lines and the old header (A100, -g 2)", "[measurements]") {
  const auto rows = read_measurements(data_file("tests/data/logs/a100_1x2_all_reduce_debug.log"));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].op == Op::kAllReduce);  // from the command line: all_reduce_perf
  CHECK(rows[0].size_bytes == 134217728);
  CHECK(*rows[0].time_us == Approx(857.6));
  CHECK(*rows[0].time_in_place_us == Approx(819.6));
  CHECK(*rows[2].busbw_GBps == Approx(192.43));
  CHECK(rows[0].nranks == 2);  // two "#  Rank" lines, one process
  CHECK(rows[0].nodes == 1);
}

TEST_CASE("text tables: the collective from --op, an old header without root, errors with file:line", "[measurements]") {
  const std::string old_header =
      "# nThread 1 nGpus 4 minBytes 8 maxBytes 16 step: 2(factor) warmup iters: 5 iters: 20 validation: 1\n"
      "#                                                     out-of-place                       in-place\n"
      "#       size         count    type   redop     time   algbw   busbw  error     time   algbw   busbw  error\n"
      "#        (B)    (elements)                     (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)\n"
      "           8             2   float     sum    12.50    0.00    0.00  0e+00    12.00    0.00    0.00  0e+00\n"
      "  16             4   float     sum    13.00    0.00    0.00  0e+00    12.90    0.00    0.00  0e+00\n";
  CHECK_THROWS_WITH(parse_nccl_tests_log(old_header, "x.log"), Catch::Contains("x.log:5") && Catch::Contains("--op"));
  const auto rows = parse_nccl_tests_log(old_header, "x.log", Op::kBroadcast);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].op == Op::kBroadcast);
  CHECK(*rows[1].time_us == Approx(13.0));
  CHECK(*rows[1].time_in_place_us == Approx(12.9));
  CHECK(rows[0].nranks == 4);  // no Rank lines: nThread x nGpus

  const std::string bad = "# Collective test starting: all_gather_perf\n" + old_header.substr(old_header.find("#       size")) +
                          "          32             8   float     sum    oops    0.00    0.00  0e+00    12.00    0.00    0.00  0e+00\n";
  CHECK_THROWS_WITH(parse_nccl_tests_log(bad, "b.log"), Catch::Contains("b.log:6") && Catch::Contains("'oops'"));
  CHECK_THROWS_WITH(parse_nccl_tests_log("# Collective test starting: gather_perf\n", "g.log"),
                    Catch::Contains("g.log:1") && Catch::Contains("not modelled"));
  CHECK_THROWS_WITH(parse_nccl_tests_log("hello\nworld\n", "e.log"), Catch::Contains("no result rows"));
  CHECK_THROWS_WITH(parse_nccl_tests_log("# Collective test starting: all_reduce\n   1024  256  float\n", "h.log"),
                    Catch::Contains("h.log:2") && Catch::Contains("before any column header"));
  CHECK_THROWS_AS(read_measurements("/nonexistent/m.json"), InputError);
}

TEST_CASE("commbench JSON: out-of-place and in-place records joined, ranks and hosts from the context", "[measurements]") {
  const std::string json = R"({
    "context": {"tool": "commbench", "schema_version": 1, "nranks": 4, "hosts": ["a", "b"]},
    "results": [
      {"op": "all_gather", "size_bytes": 65536, "count": 4096, "dtype": "float", "redop": "none", "root": -1,
       "in_place": false, "time_us": 24.36, "algbw_GBps": 2.69, "busbw_GBps": 2.02, "wrong": 0},
      {"op": "all_gather", "size_bytes": 65536, "count": 4096, "dtype": "float", "redop": "none", "root": -1,
       "in_place": true, "time_us": 23.9, "algbw_GBps": 2.74, "busbw_GBps": 2.06, "wrong": null},
      {"op": "broadcast", "size_bytes": 1024, "count": 256, "dtype": "float", "redop": "none", "root": 0,
       "in_place": false, "time_us": 5.26, "algbw_GBps": 0.19, "busbw_GBps": 0.19, "wrong": 0}
    ]})";
  const auto rows = parse_commbench_json(json, "r.json");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].op == Op::kAllGather);
  CHECK(*rows[0].time_us == Approx(24.36));
  CHECK(*rows[0].time_in_place_us == Approx(23.9));
  CHECK(*rows[0].busbw_in_place_GBps == Approx(2.06));
  CHECK(rows[0].nranks == 4);
  CHECK(rows[0].nodes == 2);
  CHECK(rows[1].op == Op::kBroadcast);
  CHECK_FALSE(rows[1].time_in_place_us.has_value());
  CHECK(rows[1].measured_time_us() == Approx(5.26));

  // The ranks' hosts (helper-120, 2026-12-06: 3 ranks on one host and 1 on another, or a host context.hosts
  // does not list, were read as the hosts' count of equal nodes).
  auto with_ranks = [&json](const std::string& ranks, const std::string& hosts) {
    std::string j = json;
    j.replace(j.find(R"("hosts": ["a", "b"])"), std::string(R"("hosts": ["a", "b"])").size(),
              "\"hosts\": " + hosts + ", \"ranks\": " + ranks);
    return parse_commbench_json(j, "h.json");
  };
  auto rank = [](int n, const char* h) {
    return "{\"rank\": " + std::to_string(n) + ", \"host\": \"" + h + "\"}";
  };
  CHECK(with_ranks("[" + rank(0, "a") + "," + rank(1, "a") + "," + rank(2, "b") + "," + rank(3, "b") + "]",
                   R"(["a", "b"])")
            .front()
            .nodes == 2);
  CHECK_THROWS_WITH(
      with_ranks("[" + rank(0, "a") + "," + rank(1, "a") + "," + rank(2, "a") + "," + rank(3, "b") + "]",
                 R"(["a", "b"])"),
      Catch::Contains("key 'context.ranks': ranks spread unevenly over hosts (a 3, b 1)"));
  CHECK_THROWS_WITH(
      with_ranks("[" + rank(0, "a") + "," + rank(1, "a") + "," + rank(2, "c") + "," + rank(3, "c") + "]",
                 R"(["a", "b"])"),
      Catch::Contains("a rank on host 'c', which context.hosts does not list"));
  CHECK_THROWS_WITH(
      with_ranks("[" + rank(0, "a") + "," + rank(1, "a") + "," + rank(2, "a") + "," + rank(3, "a") + "]",
                 R"(["a", "b"])"),
      Catch::Contains("2 hosts listed, the ranks ran on 1"));
  // helper-121: a rank listed twice is said, not counted twice
  CHECK_THROWS_WITH(
      with_ranks("[" + rank(0, "a") + "," + rank(0, "a") + "," + rank(1, "b") + "]", R"(["a", "b"])"),
      Catch::Contains("rank 0 is listed twice"));

  CHECK_THROWS_WITH(parse_commbench_json("{\n \"results\": [\n  {\"op\": }\n]}", "s.json"), Catch::Contains("s.json:3"));
  CHECK_THROWS_WITH(parse_commbench_json(R"({"results": [{"op": "all_reduce", "dtype": "float"}]})", "k.json"),
                    Catch::Contains("results[0].size_bytes"));
  CHECK_THROWS_WITH(parse_commbench_json(R"({"results": [{"op": "gather", "dtype": "float"}]})", "o.json"),
                    Catch::Contains("not modelled"));
}

TEST_CASE("rows of 0 bytes move nothing and are left out (nccl-tests prints several)", "[measurements]") {
  // all_gather -b 8 on 8 ranks: 8 B and 16 B both round to no element, two "0 B" rows; they were "a second
  // out-of-place result" and the log did not load.
  const std::string log =
      "# Collective test starting: all_gather_perf\n"
      "# nThread 1 nGpus 8 minBytes 8 maxBytes 64 step: 2(factor) warmup iters: 5 iters: 20 validation: 1\n"
      "#       size         count    type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong\n"
      "           0             0   float    none      -1     0.20    0.00    0.00       0     0.20    0.00    0.00       0\n"
      "           0             0   float    none      -1     0.21    0.00    0.00       0     0.20    0.00    0.00       0\n"
      "          32             1   float    none      -1    12.00    0.00    0.00       0    12.00    0.00    0.00       0\n"
      "          64             2   float    none      -1    12.50    0.01    0.00       0    12.40    0.01    0.00       0\n";
  const auto rows = parse_nccl_tests_log(log, "ag.log");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].size_bytes == 32);
  CHECK(rows[1].size_bytes == 64);
}

TEST_CASE("JSON errors name the line of the value their path names", "[measurements]") {
  const std::string text = "{\n"                                         // 1
                           " \"context\": {\"nranks\": 2,\n"            // 2
                           "   \"gpu\": {\"name\": \"a\\\"b\", \"sms\": 0}},\n"  // 3: an escaped quote in a string
                           " \"results\": [\n"                            // 4
                           "  {\"op\": \"all_reduce\", \"size_bytes\": 8},\n"  // 5
                           "  [1, 2,\n"                                   // 6
                           "   3],\n"                                     // 7
                           "  {\"op\": \"x\",\n"                          // 8
                           "   \"time_us\": -1}\n"                        // 9
                           " ]\n}\n";
  CHECK(json_line_of(text, "context") == 2);
  CHECK(json_line_of(text, "context.nranks") == 2);
  CHECK(json_line_of(text, "context.gpu.sms") == 3);
  CHECK(json_line_of(text, "results") == 4);
  CHECK(json_line_of(text, "results[0].size_bytes") == 5);
  CHECK(json_line_of(text, "results[1]") == 6);
  CHECK(json_line_of(text, "results[2].time_us") == 9);
  CHECK(json_line_of(text, "results[2].count") == 8);  // missing: its object's line
  CHECK(json_line_of(text, "nothing") == 0);
  // A key given twice: the second, which the reader refuses.
  CHECK(json_line_of("{\"a\": 1,\n \"a\": 2}", "a") == 2);
  // Through the commbench reader: the value's line, beside the path.
  CHECK_THROWS_WITH(parse_commbench_json("{\"results\": [\n{\"op\": \"all_reduce\",\n \"dtype\": \"float\"}]}", "k.json"),
                    Catch::Contains("k.json:2: key 'results[0].size_bytes'"));
}

TEST_CASE("measured JSON nested past 64 levels is refused at once", "[measurements]") {
  // 100,000 levels took minutes and 15 GB (each value's path as long as its depth); now an error at level 64,
  // and the line finder records no path below it.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_THROWS_WITH(parse_measured_json(deep, "deep.json"), Catch::Contains("deep.json") && Catch::Contains("nested deeper than 64 levels"));
  CHECK(json_value_lines(deep).size() == 64);
  CHECK_NOTHROW(parse_measured_json(std::string(64, '[') + std::string(64, ']'), "ok.json"));
}

TEST_CASE("a log that stops short of its maxBytes with no closing line is read, and says so",
          "[measurements]") {
  const std::string head =
      "# Collective test starting: all_reduce_perf\n"
      "# nThread 1 nGpus 4 minBytes 1024 maxBytes 16384 step: 4(factor) warmup iters: 5 iters: 20 "
      "validation: 1\n"
      "#       size         count    type   redop    root     time   algbw   busbw  #wrong     time   algbw  "
      " busbw  #wrong\n"
      "        1024           256   float     sum      -1    12.30    0.08    0.12       0    12.11    0.08  "
      "  0.13       0\n"
      "        4096          1024   float     sum      -1    12.84    0.32    0.48       0    12.70    0.32  "
      "  0.48       0\n";
  const std::string last =
      "       16384          4096   float     sum      -1    14.95    1.10    1.64       0    14.80    1.11  "
      "  1.66       0\n";
  const std::string footer = "# Out of bounds values : 0 OK\n";

  // Cut after 4 KiB (4 x 4 KiB <= 16 KiB asked for, and no footer): both rows read, each marked.
  const auto cut = parse_nccl_tests_log(head, "cut.log");
  REQUIRE(cut.size() == 2);
  CHECK_THAT(cut[1].unfinished, Catch::Contains("stops at 4 KiB of its maxBytes 16 KiB"));
  CHECK_THAT(unfinished_run_note(cut),
             Catch::StartsWith("note: cut.log: from a log that stops at 4 KiB") &&
                 Catch::Contains("its rows are what it measured before it stopped"));
  // Complete without the footer (older nccl-tests, hand-kept logs): the last size reached maxBytes.
  CHECK(unfinished_run_note(parse_nccl_tests_log(head + last, "full.log")).empty());
  // A footer closes the run, wherever the sizes stopped (nccl-tests rounds some down to whole elements).
  CHECK(unfinished_run_note(parse_nccl_tests_log(head + footer, "closed.log")).empty());
  // A fixed step in bytes: 4096 + 1024 <= 16384 is short.
  std::string bytes_step = head;
  bytes_step.replace(bytes_step.find("4(factor)"), 9, "1024(bytes)");
  CHECK_FALSE(unfinished_run_note(parse_nccl_tests_log(bytes_step, "step.log")).empty());
  // No sizes asked for in the header (or not read): no note.
  std::string no_header = head;
  no_header.replace(no_header.find("maxBytes 16384"), 14, "maxBytes ?");
  CHECK(unfinished_run_note(parse_nccl_tests_log(no_header, "odd.log")).empty());
  // Two runs in one log: only the one cut short is marked.
  const auto two = parse_nccl_tests_log(head + last + footer + head, "two.log");
  REQUIRE(two.size() == 5);
  CHECK(two[2].unfinished.empty());
  CHECK_FALSE(two[4].unfinished.empty());
  // One header, a table per collective (commbench --op all): the last table, cut at 1 KiB, decides.
  const std::size_t columns = head.find("#       size");
  const std::string table2 = "# Collective test starting: all_gather_perf\n" +
                             head.substr(columns, head.find('\n', columns) + 1 - columns) +
                             "        1024            64   float    none      -1    12.30    0.08    0.06    "
                             "   0    12.11    0.08    0.06       0\n";
  CHECK_THAT(unfinished_run_note(parse_nccl_tests_log(head + last + footer + table2, "all.log")),
             Catch::Contains("stops at 1 KiB"));
  CHECK(unfinished_run_note(parse_nccl_tests_log(head + last + footer + table2 + footer, "all.log")).empty());
}

TEST_CASE("a log's NCCL INFO settings belong to their run, and one naming no value is left to NCCL",
          "[measurements]") {
  const std::string table =
      "#       size         count    type   redop    root     time   algbw   busbw  #wrong     time   algbw  "
      " busbw  #wrong\n"
      "     1048576        262144   float     sum      -1   339.61    3.09    5.41       0   335.85    3.12  "
      "  5.46       0\n";
  auto run = [&](const std::string& env) {
    return "# Collective test starting: all_reduce_perf\n"
           "# nThread 1 nGpus 8 minBytes 1048576 maxBytes 1048576 step: 2(factor) warmup iters: 5 iters: "
           "20\n" +
           env + table + "# Out of bounds values : 0 OK\n";
  };
  const auto rows =
      parse_nccl_tests_log(run("node:1:1 [0] NCCL INFO NCCL_ALGO set by environment to Ring\n") +
                               run("node:1:1 [0] NCCL INFO NCCL_ALGO set by environment to Tree\n"
                                   "node:1:1 [0] NCCL INFO NCCL_PROTO set by environment to LL128\n"),
                           "two.log");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].nccl.algo == "ring");  // every row was the last run's tree (helper-113)
  CHECK_FALSE(rows[0].nccl.proto.has_value());
  CHECK(rows[1].nccl.algo == "tree");
  CHECK(rows[1].nccl.proto == Proto::kLL128);
  // An exclusion or a list names no one setting: NCCL's choice, not a refused log.
  const auto excl =
      parse_nccl_tests_log(run("node:1:1 [0] NCCL INFO NCCL_PROTO set by environment to ^LL128\n"
                               "node:1:1 [0] NCCL INFO NCCL_ALGO set by environment to Ring,Tree\n"),
                           "excl.log");
  CHECK_FALSE(excl[0].nccl.any());
  // ... with a note naming them (they were dropped without a word until 2026-12-06)
  CHECK_THAT(
      nccl_settings_note(excl),
      Catch::Contains("excl.log: the run set NCCL_ALGO=Ring,Tree, NCCL_PROTO=^LL128, which names no one") &&
          !Catch::Contains("predicted with it"));
  CHECK_THAT(nccl_settings_note(rows), Catch::Contains("two.log: the run set NCCL_ALGO=ring"));
  // A later value wins, read or not (helper-118: a forced ring stayed forced after ^Ring, and ^LL was lost
  // after ^LL128 as a substring of it).
  const auto later =
      parse_nccl_tests_log(run("node:1:1 [0] NCCL INFO NCCL_ALGO set by environment to Ring\n"
                               "node:1:1 [0] NCCL INFO NCCL_ALGO set by environment to ^Ring\n"
                               "node:1:1 [0] NCCL INFO NCCL_PROTO set by environment to ^LL128\n"
                               "node:1:1 [0] NCCL INFO NCCL_PROTO set by environment to ^LL\n"),
                           "later.log");
  CHECK(later[0].nccl.algo.empty());
  CHECK(later[0].nccl.unread.at("NCCL_ALGO") == "^Ring");
  CHECK(later[0].nccl.unread.at("NCCL_PROTO") == "^LL");
}

TEST_CASE("a commsim prediction CSV states its nodes, a commbench CSV none", "[measurements]") {
  const std::string header =
      "op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong,algorithm,"
      "protocol,bottleneck\n";
  const std::string row = "all_reduce,1048576,262144,float,sum,-1,2,0,134.79,7.78,7.78,0,,,\n";
  const auto pred = parse_measurements(
      "# commsim 0.1.0 prediction; system: dgx-h100  nodes: 2  gpus per node: 1  ranks: 2\n" + header + row,
      "p.csv", {});
  CHECK(pred.front().nodes == 2);
  const auto bench = parse_measurements(header + row, "b.csv", {});
  CHECK(bench.front().nodes == 0);
  CHECK_THAT(unknown_hosts_note(bench, false), Catch::Contains("b.csv: names no hosts"));
  CHECK(unknown_hosts_note(bench, true).empty());  // --nodes or --gpus given
  CHECK(unknown_hosts_note(pred, false).empty());
}

TEST_CASE("the GPU a run names, and a note where --system has another (2026-12-06, session 41)",
          "[measurements]") {
  // nccl-tests' Rank lines: "device  0 [0xa4] NVIDIA A100-SXM4-80GB" (the bus id skipped).
  const auto a100 = read_measurements(data_file("tests/data/logs/a100_1x2_all_reduce_debug.log"));
  CHECK(a100.front().device == "NVIDIA A100-SXM4-80GB");
  CHECK(read_measurements(data_file("tests/data/logs/gh200_2x1_all_reduce.log")).front().device ==
        "NVIDIA GH200 120GB");
  // commbench: context.ranks[].name, one GPU for every rank; two names are both, one per line (sorted).
  auto json = [](const std::string& names) {
    return std::string(R"({"context": {"tool": "commbench", "nranks": 2, "hosts": ["a"], "ranks": [)") +
           names +
           R"(]}, "results": [{"op": "all_reduce", "size_bytes": 1024, "count": 256, "dtype": "float",
           "redop": "sum", "root": -1, "in_place": false, "time_us": 10, "algbw_GBps": 0.1024, "busbw_GBps": 0.1024,
           "wrong": 0}]})";
  };
  CHECK(parse_commbench_json(json(R"({"rank": 0, "host": "a", "name": "NVIDIA H100 80GB HBM3"},
                                     {"rank": 1, "host": "a", "name": "NVIDIA H100 80GB HBM3"})"),
                             "j.json")
            .front()
            .device == "NVIDIA H100 80GB HBM3");
  CHECK(parse_commbench_json(json(R"({"rank": 0, "host": "a", "name": "NVIDIA H100 80GB HBM3"},
                                     {"rank": 1, "host": "a", "name": "NVIDIA H200"})"),
                             "j.json")
            .front()
            .device == "NVIDIA H100 80GB HBM3\nNVIDIA H200");
  // The A100 log against an H100 system: named (the catalog GPU by the kernel mapping's rules); against an
  // A100 system nothing; a device no rule names (a V100, a CPU) and a run naming several are named as such
  // (2026-12-07: they were not compared), a CPU on the host system not.
  const std::string note = device_mismatch_note(a100, load_system("dgx-h100"));
  CHECK_THAT(
      note,
      Catch::Contains(
          "a100_1x2_all_reduce_debug.log ran on 'NVIDIA A100-SXM4-80GB' (a100-sxm-80gb in the catalog)") &&
          Catch::Contains("--system dgx-h100 has h100-sxm"));
  CHECK(device_mismatch_note(a100, load_system("dgx-a100")).empty());
  std::vector<Measurement> v100 = a100;
  for (Measurement& m : v100) m.device = "Tesla V100-SXM2-16GB";
  CHECK_THAT(
      device_mismatch_note(v100, load_system("dgx-h100")),
      Catch::Contains(
          "ran on 'Tesla V100-SXM2-16GB', which is no GPU of the catalog "
          "(configs/validation/kernel-benchmarks.yaml's rules name none); --system dgx-h100 has h100-sxm"));
  std::vector<Measurement> cpu = a100;
  for (Measurement& m : cpu) m.device = "AMD EPYC";
  CHECK_THAT(device_mismatch_note(cpu, load_system("dgx-h100")),
             Catch::Contains("ran on 'AMD EPYC', which is no GPU"));
  CHECK(device_mismatch_note(cpu, load_system("localhost")).empty());
  // npu-smi's name of a 910B bin is the catalog's ascend-910b (a rule since 2026-12-07): no note on its
  // system.
  std::vector<Measurement> npu = a100;
  for (Measurement& m : npu) m.device = "Ascend910B3";
  CHECK(device_mismatch_note(npu, load_system("ascend-910b-8")).empty());
  CHECK_THAT(device_mismatch_note(npu, load_system("dgx-h100")),
             Catch::Contains("(ascend-910b in the catalog)"));
  std::vector<Measurement> mixed = a100;
  for (Measurement& m : mixed) m.device = "NVIDIA A100-SXM4-80GB\nNVIDIA H100 80GB HBM3";
  CHECK_THAT(device_mismatch_note(mixed, load_system("dgx-h100")),
             Catch::Contains("ran on several devices ('NVIDIA A100-SXM4-80GB', 'NVIDIA H100 80GB HBM3')"));
}
