// Parsers that cannot crash (issue 7): the log formats clusters produce, bounded numbers, the shared CSV
// schema, rows with wrong data, and the inputs that crashed or misread before (each a regression case).
#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/csv.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/yaml_reader.hpp"
#include "study/measurements.hpp"

using namespace commsim;

namespace {
const std::string kHeader =
    "# Collective test starting: all_reduce_perf\n"
    "#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong\n";
// The algbw nccl-tests prints for a size and a time (size / time, two decimals); "1.00" where either is not
// a number the row can hold (the row is refused for that first).
std::string algbw_of(const std::string& size, const std::string& time) {
  try {
    const double s = std::stod(size), t = std::stod(time);
    if (s >= 0 && t > 0 && s / t / 1e3 <= 1e6) {  // within the bandwidth bound, which is checked first
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f", s / t / 1e3);
      return buf;
    }
  } catch (const std::exception&) {
  }
  return "1.00";
}
// A row of an all_reduce on ranks the log does not say; busbw as the algbw when not given (within any rank
// count's: below 2 x algbw).
// The count is the size's in floats where the size is a whole number of them (a row's count is checked).
std::string count_of(const std::string& size) {
  if (size.empty() || size.find_first_not_of("0123456789") != std::string::npos || size.size() > 18)
    return "256";
  return std::to_string(std::stoull(size) / 4);
}
std::string one_row(const std::string& size, const std::string& time, const std::string& busbw = "") {
  return kHeader + "  " + size + "  " + count_of(size) + "  float  sum  -1  " + time + "  " +
         algbw_of(size, time) + "  " + (busbw.empty() ? algbw_of(size, time) : busbw) + "  0  10.0  " +
         algbw_of(size, "10.0") + "  " + algbw_of(size, "10.0") + "  0\n";
}
}  // namespace

TEST_CASE("srun --label prefixes, NCCL INFO and an MPI warning between the rows (2 x 4 H100, all_gather)", "[parse]") {
  const auto rows = read_measurements(data_file("tests/data/logs/srun_label_2x4_all_gather.log"));
  REQUIRE(rows.size() == 4);  // 1M .. 64M by 4
  CHECK(rows[0].op == Op::kAllGather);  // from the srun command line: ./build/all_gather_perf
  CHECK(rows[0].size_bytes == 1048576);
  CHECK(rows[0].count == 32768);  // 1 MiB / 4 B / 8 ranks
  CHECK(*rows[0].time_us == Approx(41.20));
  CHECK(*rows[3].busbw_in_place_GBps == Approx(51.14));
  CHECK(rows[0].nranks == 8);  // "#  Rank 0..7"
  CHECK(rows[0].nodes == 2);   // gpu-a01, gpu-a02
  CHECK(rows[1].line == 27);   // after the NCCL INFO line of rank 2
  CHECK(*rows[1].wrong == 0);
}

TEST_CASE("mpirun --tag-output prefixes and a stderr line (1 x 4 A100, reduce_scatter)", "[parse]") {
  const auto rows = read_measurements(data_file("tests/data/logs/mpirun_tag_output_1x4_reduce_scatter.log"));
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].op == Op::kReduceScatter);
  CHECK(rows[0].size_bytes == 8388608);
  CHECK(*rows[4].time_us == Approx(1196.3));
  CHECK(rows[0].nranks == 4);
  CHECK(rows[0].nodes == 1);
}

TEST_CASE("launcher and build variants: NAME_SUFFIX, [N] prefixes, trimmed Rank lines, fp8_e4m3",
          "[parse][regression]") {
  // helper-125 (2026-12-06): each was refused (exit 2) or read as a run of 1 rank.
  const auto suffix = read_measurements(data_file("tests/data/logs/name_suffix_mpi_2x8_all_reduce.log"));
  REQUIRE(!suffix.empty());
  CHECK(suffix[0].op == Op::kAllReduce);  // all_reduce_perf_mpi
  CHECK(suffix[0].nranks == 16);
  const auto impi = read_measurements(data_file("tests/data/logs/impi_prepend_rank_2x8_reduce_scatter.log"));
  REQUIRE(impi.size() == 5);  // "[0] " before every line
  CHECK(impi[0].op == Op::kReduceScatter);
  CHECK(impi[0].nodes == 2);
  CHECK(*impi[4].time_us == Approx(780.0));
  // nThread 1 nGpus 1 without Rank lines is one process of an MPI run: its ranks are not known (0), not 1.
  const auto trimmed =
      read_measurements(data_file("tests/data/logs/mpi_no_rank_lines_broadcast.log"), Op::kBroadcast);
  REQUIRE(!trimmed.empty());
  CHECK(trimmed[0].nranks == 0);
  // A job name with "_perf" in it is no test binary (helper-126: "collective 'nccl' is not modelled")
  std::string body = one_row("1024", "10.0");
  body.replace(body.find(" sum "), 5, " none ");  // all_gather prints no operator
  const std::string job = "$ srun -J nccl_perf_2n -N 1 /opt/nccl-tests/build/all_gather_perf -b 1K\n" +
                          body.substr(body.find('\n') + 1);  // no "Collective test starting" line
  REQUIRE(parse_nccl_tests_log(job, "job.log").size() == 1);
  CHECK(parse_nccl_tests_log(job, "job.log")[0].op == Op::kAllGather);
  const auto fp8 = read_measurements(data_file("tests/data/logs/rccl_fp8_e4m3_1x8_all_reduce.log"));
  REQUIRE(!fp8.empty());
  CHECK(fp8.back().dtype == DataType::kF8e4m3);
}

TEST_CASE("old nccl-tests: an 'error' column and no root column (1 x 8 V100)", "[parse]") {
  const auto rows = parse_nccl_tests_log(
      [] {
        std::ifstream in(data_file("tests/data/logs/old_error_column_1x8_all_reduce.log"));
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
      }(),
      "old.log", Op::kAllReduce);
  REQUIRE(rows.size() == 6);
  CHECK(rows[0].size_bytes == 8);
  CHECK(*rows[5].time_in_place_us == Approx(78.40));
  CHECK(rows[0].nranks == 8);
  CHECK_FALSE(rows[0].wrong.has_value());  // 'error' is a max deviation, not a count of wrong elements
}

TEST_CASE("older nccl-tests: header and context without '#', no redop or root column", "[parse]") {
  const auto rows = read_measurements(data_file("tests/data/logs/no_hash_header_1x4_all_gather.log"));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].op == Op::kAllGather);
  CHECK(rows[2].size_bytes == 16384);
  CHECK(*rows[2].busbw_GBps == Approx(0.82));
  CHECK(rows[0].nranks == 4);  // nThread 1 x nGpus 4
}

TEST_CASE("rccl-tests output (1 x 8 MI300X, all_reduce)", "[parse]") {
  const auto rows = read_measurements(data_file("tests/data/logs/rccl_tests_1x8_all_reduce.log"));
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].op == Op::kAllReduce);
  CHECK(rows[4].size_bytes == 268435456);
  CHECK(*rows[4].time_us == Approx(2095.4));
  CHECK(rows[0].nranks == 8);
  CHECK(rows[0].nodes == 1);
}

TEST_CASE("rows with #wrong > 0 are flagged and set aside with a note", "[parse]") {
  auto rows = read_measurements(data_file("tests/data/logs/wrong_rows_2x1_all_reduce.log"));
  REQUIRE(rows.size() == 5);
  CHECK(rows[2].wrong_data());  // 12 wrong out-of-place
  CHECK(*rows[3].wrong == 3);   // 3 wrong in-place
  CHECK_FALSE(rows[0].wrong_data());
  const std::string note = set_aside_wrong_rows(rows);
  CHECK(rows.size() == 3);
  CHECK_THAT(note, Catch::Contains("2 of 5 measured rows report wrong data") &&
                       Catch::Contains("wrong_rows_2x1_all_reduce.log:13") && Catch::Contains(".log:14"));
  CHECK(rows[2].size_bytes == 16777216);  // the kept rows are intact
  CHECK_THAT(rows[2].file, Catch::Contains("wrong_rows_2x1_all_reduce.log"));
  CHECK(set_aside_wrong_rows(rows).empty());
  CHECK_THAT(rows[0].file, Catch::Contains("wrong_rows_2x1_all_reduce.log"));  // untouched when none is wrong
  std::vector<Measurement> all_wrong(1);
  all_wrong[0].wrong = 1;
  CHECK_THROWS_WITH(set_aside_wrong_rows(all_wrong), Catch::Contains("nothing left"));
}

TEST_CASE("lines that crashed the regex parser are skipped: only VT, only CR, 26 KB", "[parse][regression]") {
  CHECK_THROWS_WITH(parse_nccl_tests_log("\v\n\r\n\f\n#\n##  \n", "v.log"), Catch::Contains("no result rows"));
  const std::string long_line = "all_reduce_perf " + std::string(26 * 1024, 'a') + "\n";
  CHECK_THROWS_WITH(parse_nccl_tests_log(long_line, "l.log"), Catch::Contains("no result rows"));
  const std::string long_word(26 * 1024, 'x');
  CHECK_THROWS_WITH(parse_nccl_tests_log(kHeader + long_word + "\n", "w.log"), Catch::Contains("no result rows"));
  CHECK(parse_nccl_tests_log("\v\r\n" + one_row("1024", "10.0") + "\r\n", "ok.log").size() == 1);
}

TEST_CASE("numbers in logs are bounded: NaN, inf, negative, overflow, fractions are file:line errors", "[parse][regression]") {
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("1024", "nan"), "n.log"), Catch::Contains("n.log:3") && Catch::Contains("'nan'"));
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("1024", "inf"), "i.log"), Catch::Contains("i.log:3"));
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("1024", "-5.0"), "m.log"), Catch::Contains("m.log:3") && Catch::Contains("negative"));
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("1024", "1e999"), "o.log"), Catch::Contains("o.log:3") && Catch::Contains("out of range"));
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("1024", "1e13"), "t.log"), Catch::Contains("larger than 1e+12"));
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("100000000000000000000000", "1.0"), "s.log"),
                    Catch::Contains("s.log:3") && Catch::Contains("size is larger"));
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("1024", "1.0", "0x10"), "h.log"), Catch::Contains("'0x10'"));
  CHECK_THROWS_WITH(parse_nccl_tests_log("# nThread 99999 nGpus 99999\n" + one_row("8", "1.0"), "r.log"),
                    Catch::Contains("r.log:1") && Catch::Contains("more ranks"));
  const auto rows = parse_nccl_tests_log(one_row("1024", "1.5e+02"), "e.log");  // nccl-tests prints wide values so
  CHECK(*rows[0].time_us == Approx(150.0));
  // Long times print whole (nccl-tests' %7.0f from 10 ms; commsim's and commbench's tables from 10 s): 4 GiB in
  // 20123 us, algbw and busbw 213.44 as printed.
  const auto wide = parse_nccl_tests_log(one_row("4294967296", "20123"), "w.log");
  CHECK(*wide[0].time_us == 20123.0);
  CHECK(*wide[0].busbw_GBps == Approx(213.44));
}

TEST_CASE("a result row with a bad size is an error, not a log line, and other lines are still skipped", "[parse][regression]") {
  // A row is the header's fields with a data type where the header has it: "0x100000" as its size was skipped.
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("0x100000", "1.0"), "x.log"), Catch::Contains("x.log:3") && Catch::Contains("size"));
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("-2097152", "1.0"), "n.log"), Catch::Contains("n.log:3") && Catch::Contains("negative"));
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("1024", "1e-320"), "t.log"),
                    Catch::Contains("t.log:3") && Catch::Contains("below 0.001 us"));
  CHECK_THROWS_WITH(parse_nccl_tests_log(one_row("1024", "1.0", "1e-320"), "b.log"), Catch::Contains("b.log:3") && Catch::Contains("below 1e-12 GB/s"));
  CHECK(parse_nccl_tests_log(one_row("1024", "1.0", "0.00"), "z.log")[0].busbw_GBps == 0.0);  // printed for tiny sizes
  // nccl-tests' own lines after a table, and a 13-word line of another kind, are not rows.
  const auto rows = parse_nccl_tests_log(one_row("1024", "1.0") +
                                             "# Out of bounds values : 0 OK\n# Avg bus bandwidth    : 1.00\n"
                                             "Out of bounds values : 0 OK\nAvg bus bandwidth : 1.00\n"
                                             "a b c d e f g h i j k l m\n",
                                         "ok.log");
  CHECK(rows.size() == 1);
}

TEST_CASE("commbench JSON: numbers out of range are input errors", "[parse][regression]") {
  const auto doc = [](const std::string& size, const std::string& time) {
    return R"({"results": [{"op": "all_reduce", "dtype": "float", "size_bytes": )" + size + R"(, "time_us": )" + time + "}]}";
  };
  CHECK_THROWS_AS(parse_commbench_json(doc("1024", "1e999"), "a.json"), InputError);
  CHECK_THROWS_WITH(parse_commbench_json(doc("1e23", "1.0"), "b.json"), Catch::Contains("results[0].size_bytes"));
  CHECK_THROWS_WITH(parse_commbench_json(doc("1e30", "1.0"), "c.json"), Catch::Contains("larger than"));
  CHECK_THROWS_WITH(parse_commbench_json(doc("1024.5", "1.0"), "d.json"), Catch::Contains("not a whole number"));
  CHECK_THROWS_WITH(parse_commbench_json(doc("1024", "-1"), "e.json"), Catch::Contains("negative"));
  CHECK_THROWS_WITH(parse_commbench_json(R"({"context": {"nranks": 1e300}, "results": []})", "f.json"),
                    Catch::Contains("context.nranks"));
  CHECK(parse_commbench_json(doc("1024", "2.5"), "g.json")[0].size_bytes == 1024);
  // A key given twice is named with its path, at any depth; the same key in two objects is no repetition.
  CHECK_THROWS_WITH(parse_commbench_json(R"({"context": {"nranks": 2, "nranks": 4}, "results": []})", "k.json"),
                    Catch::Contains("key 'context.nranks'") && Catch::Contains("given twice"));
  CHECK_THROWS_WITH(parse_commbench_json(R"({"results": [1, [2], {"op": "a"}, {"op": "a", "op": "b"}]})", "l.json"),
                    Catch::Contains("key 'results[3].op'"));
  CHECK(parse_commbench_json(R"({"results": [{"op": "all_reduce", "dtype": "float", "size_bytes": 8, "time_us": 2},
                                              {"op": "all_reduce", "dtype": "float", "size_bytes": 16, "time_us": 2}]})",
                             "m.json").size() == 2);
}

TEST_CASE("commbench JSON: another tool's or schema's file is refused, a row is named by its line",
          "[parse][regression]") {
  const std::string row =
      R"({"op": "all_reduce", "dtype": "float", "size_bytes": 1024, "time_us": 10.0, "wrong": 3})";
  const auto doc = [&](const std::string& context) {
    return "{\"context\": " + context + ",\n \"results\": [\n  " + row + "\n ]}";
  };
  // Read as commbench's until 2026-12-05: kernelbench's context, a schema_version from the future or a
  // string.
  CHECK_THROWS_WITH(parse_commbench_json(doc(R"({"tool": "kernelbench"})"), "k.json"),
                    Catch::Contains("k.json:1: key 'context.tool': not a commbench file"));
  CHECK_THROWS_WITH(
      parse_commbench_json(doc(R"({"schema_version": 99})"), "s.json"),
      Catch::Contains("key 'context.schema_version': unsupported schema_version (expected 1 or 2)"));
  CHECK_THROWS_WITH(parse_commbench_json(doc(R"({"schema_version": "abc"})"), "t.json"),
                    Catch::Contains("context.schema_version"));
  CHECK(parse_commbench_json(doc(R"({"tool": "commbench", "schema_version": 2})"), "ok.json").size() == 1);
  // The wrong-data note named "f.json, f.json": a JSON row is on its results[i] object's line.
  std::vector<Measurement> rows = parse_commbench_json(doc("{}"), "f.json");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].line == 3);
  CHECK_THROWS_WITH(set_aside_wrong_rows(rows), Catch::Contains("f.json:3"));
  // The JSON library's texts are not the message: a number past a double's range, a syntax error, an empty
  // file.
  CHECK_THROWS_WITH(parse_commbench_json(doc("{\"nranks\": 1e999}"), "r.json"),
                    Catch::Equals("r.json:1: key 'context.nranks': a number out of a double's range"));
  CHECK_THROWS_WITH(
      parse_commbench_json("{\"results\": [nan]}", "n.json"),
      Catch::Equals("n.json:1:15: JSON syntax error (not a value, or a value ending early, at this column)"));
  CHECK_THROWS_WITH(parse_commbench_json("{\"results\": [", "c.json"),
                    Catch::Contains("the text ends inside a value"));
  CHECK_THROWS_WITH(parse_commbench_json(" \n", "e.json"),
                    Catch::Equals("e.json: no JSON value: the file is empty"));
  CHECK_THROWS_WITH(parse_commbench_json("\xEF\xBB\xBF\n", "b.json"),
                    Catch::Equals("b.json: no JSON value: the file is empty"));
}

TEST_CASE("the agreed CSV: commbench rows (# context, in_place 0 then 1, wrong) and commsim predictions", "[parse]") {
  const std::string header = "op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong,"
                             "algorithm,protocol,bottleneck\n";
  const std::string commbench = "# tool: commbench, nranks: 4\n# hosts: a\n" + header +
                                "all_reduce,1048576,262144,float,sum,-1,4,0,40.5,25.89,38.84,0,,,\n"
                                "all_reduce,1048576,262144,float,sum,-1,4,1,39.5,26.55,39.82,0,,,\n"
                                "all_reduce,2097152,524288,float,sum,-1,4,0,70.0,29.96,44.94,7,,,\n"
                                "all_reduce,2097152,524288,float,sum,-1,4,1,69.0,30.39,45.59,,,,\n";
  const auto rows = parse_measurement_csv(commbench, "m.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].line == 4);
  CHECK(*rows[0].time_us == Approx(40.5));
  CHECK(*rows[0].time_in_place_us == Approx(39.5));
  CHECK(*rows[0].busbw_in_place_GBps == Approx(39.82));
  CHECK(rows[0].nranks == 4);
  CHECK(*rows[0].wrong == 0);
  CHECK(rows[1].wrong_data());  // 7 wrong out-of-place, in-place not checked
  const std::string prediction =
      header + "alltoall,1073741824,16777216,float,none,-1,16,0,20480.3,52.43,49.15,,ring,Simple,nic0-leaf\n";
  const auto pred = parse_measurement_csv(prediction, "p.csv");
  REQUIRE(pred.size() == 1);
  CHECK(pred[0].op == Op::kAllToAll);
  CHECK(pred[0].nranks == 16);
  CHECK_FALSE(pred[0].wrong.has_value());
  CHECK_THROWS_WITH(parse_measurement_csv(header, "h.csv"), Catch::Contains("header only"));
  CHECK_THROWS_WITH(parse_measurement_csv(header + "all_reduce,nan,1,float,sum,-1,4,0,1,1,1,,,,\n", "n.csv"),
                    Catch::Contains("n.csv:2") && Catch::Contains("size_bytes"));
  CHECK_THROWS_WITH(parse_measurement_csv(header + "all_reduce,8,2,float,sum,-1,4,2,1,1,1,,,,\n", "p2.csv"),
                    Catch::Contains("key 'in_place': must be 0 or 1, not '2'"));
  // A column the header lacks is the header's line, not the first row's.
  CHECK_THROWS_WITH(parse_measurement_csv("op,size_bytes,count\nall_reduce,8,2\n", "c.csv"),
                    Catch::Contains("c.csv:1") && Catch::Contains("no column 'dtype'"));
  // The prediction-only columns (algorithm, protocol, bottleneck) may be left out of a measurement (refused
  // before).
  const std::string measured_only =
      "op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong\n"
      "all_reduce,1048576,262144,float,sum,-1,4,0,40.5,25.89,38.84,0\n";
  REQUIRE(parse_measurement_csv(measured_only, "m2.csv").size() == 1);
  CHECK(*parse_measurement_csv(measured_only, "m2.csv")[0].time_us == Approx(40.5));
  // An upper-cased header is read as the CSV it is (it fell through to the nccl-tests parser: "no result rows
  // found"), its columns named at the header's line.
  std::string upper = header;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK_THROWS_WITH(
      parse_measurements(upper + "all_reduce,8,2,float,sum,-1,4,0,1,1,1,,,,\n", "u.csv", std::nullopt),
      Catch::Contains("u.csv:1") && Catch::Contains("no column 'op'"));
  CHECK_THROWS_WITH(parse_csv("a,b\n\"1,2\n", "q.csv"), Catch::Contains("q.csv:2") && Catch::Contains("not closed"));
  CHECK_THROWS_WITH(parse_csv("a,a\n1,2\n", "d.csv"), Catch::Contains("appears twice"));
  // A quoted line break printed a fake table row: refused at the row's first line, naming the column.
  CHECK_THROWS_WITH(parse_csv("a,b\n1,\"x\ny\"\n", "nl.csv"), Catch::Contains("nl.csv:2: key 'b'") && Catch::Contains("line break"));
  CHECK_THROWS_WITH(parse_csv("a,\"b\rc\"\n1,2\n", "h.csv"), Catch::Contains("h.csv:1") && Catch::Contains("column name"));
  CHECK(parse_csv("a,b\n1,\"x\ty, \"\"z\"\"\"\n", "t.csv").at(0).at("b") == "x\ty, \"z\"");  // tab and quotes stay
}

TEST_CASE("CSV: a UTF-8 byte order mark is not part of the first column's name", "[parse][regression]") {
  const std::vector<CsvRow> rows = parse_csv("\xEF\xBB\xBF" "case_id,x\nA,1\n", "bom.csv");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("case_id") == "A");
  CHECK(rows[0].line == 2);
}

TEST_CASE("CSV: lines ended by CR alone are lines", "[parse][regression]") {
  // It was read as one line: "column '1' appears twice".
  const std::vector<CsvRow> rows = parse_csv("case_id,x\rA,1\rB,1\r", "cr.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].at("case_id") == "B");
  CHECK(rows[1].line == 3);
  // CRLF stays one line ending each.
  CHECK(parse_csv("case_id,x\r\nA,1\r\n", "crlf.csv").at(0).at("x") == "1");
  CHECK(parse_csv("case_id,x\r\nA,1\r", "crlf_end.csv").at(0).at("x") == "1");
  CHECK(parse_csv("case_id,x\nA,1\r\r", "crcr_end.csv").at(0).at("x") == "1");  // stray CRs at the end
  // A CR inside an unquoted cell of a LF file was dropped ("A\rB" read as "AB"): the cell check refuses it.
  CHECK_THROWS_WITH(parse_csv("case_id,x\nA\rB,1\n", "cr_cell.csv"),
                    Catch::Contains("cr_cell.csv:2: key 'case_id'") && Catch::Contains("control character"));
}

TEST_CASE("CSV: a second header (two files joined) is an error", "[parse][regression]") {
  CHECK_THROWS_WITH(parse_csv("case_id,x\nA,1\ncase_id,x\nB,2\n", "joined.csv"),
                    Catch::Contains("joined.csv:3") && Catch::Contains("the header again"));
}

TEST_CASE("YAML: duplicate keys with both lines, non-scalar keys, provenance without value", "[parse][yaml][regression]") {
  CHECK_THROWS_WITH(load_yaml_string("a: 1\nb:\n  c: 2\n  c: 3\n", "dup.yaml"),
                    Catch::Contains("dup.yaml:4:3") && Catch::Contains("duplicate key 'c'") &&
                        Catch::Contains("first at line 3, again at line 4"));
  CHECK_THROWS_WITH(load_yaml_string("a: 1\na: 2\n", "top.yaml"), Catch::Contains("duplicate key 'a'"));
  CHECK_THROWS_WITH(load_yaml_string("a: 1\n? [x, y]\n: 2\n", "k.yaml"), Catch::Contains("k.yaml:2") && Catch::Contains("plain name"));
  // A tag was dropped without a word (the value read as if untagged): named at its key, on values and keys;
  // the non-specific tags of untagged plain and quoted values pass.
  CHECK_THROWS_WITH(load_yaml_string("a: 1\nb: {c: !custom 16}\n", "t.yaml"),
                    Catch::Contains("t.yaml:2:8") && Catch::Contains("key 'b.c'") &&
                        Catch::Contains("YAML tag '!custom' is not read"));
  CHECK_THROWS_WITH(load_yaml_string("a: !!str 08\n", "t.yaml"), Catch::Contains("YAML tag '!!str'"));
  CHECK_THROWS_WITH(load_yaml_string("a: !!map {b: 1}\n", "t.yaml"), Catch::Contains("YAML tag '!!map'"));
  CHECK_THROWS_WITH(load_yaml_string("!!str a: 1\n", "t.yaml"),
                    Catch::Contains("key 'a'") && Catch::Contains("YAML tag '!!str'"));
  CHECK_NOTHROW(load_yaml_string("a: '08'\nb: \"x\"\nc: [1, {d: 2}]\n", "t.yaml"));
  // The same mapping reached through aliases many times is checked once (no blow-up).
  CHECK_NOTHROW(load_yaml_string("a: &x {p: 1, q: 2}\nb: [*x, *x, *x]\nc: {r: *x}\n", "alias.yaml"));
  YamlMap m(load_yaml_string("bw: {kind: datasheet}\nsz: [1, 2]\nsize: 1e30B\nok: 1G\nokd: 1GB\n", "p.yaml"), "p.yaml");
  CHECK_THROWS_WITH(m.figure("bw", Dimension::kBandwidth), Catch::Contains("p.yaml:1") && Catch::Contains("missing 'value'"));
  CHECK_THROWS_WITH(m.figure("sz", Dimension::kBytes), Catch::Contains("p.yaml:2") && Catch::Contains("key 'sz'"));
  CHECK_THROWS_WITH(m.size("size"), Catch::Contains("p.yaml:3") && Catch::Contains("too large"));
  CHECK(m.size("ok") == 1073741824ULL);
  CHECK(m.size("okd") == 1000000000ULL);
}
