// Output formats. The table row must be byte-identical to nccl-tests' (line taken from
// ../shared/validation/logs/gh200_2x1_all_reduce.log), so every existing parser reads commbench output.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "reporter.hpp"

using namespace commsim;
using namespace commsim::bench;

namespace {

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string s;
  for (int c; (c = std::fgetc(f)) != EOF;) s += static_cast<char>(c);
  return s;
}

Result row(bool in_place, double time_us, double bw) {
  Result r;
  r.op = Op::kAllReduce;
  r.type = DataType::kFloat;
  r.redop = RedOp::kSum;
  r.in_place = in_place;
  r.size_bytes = 1048576;
  r.count = 262144;
  r.time_us = time_us;
  r.algbw_GBps = bw;
  r.busbw_GBps = bw;
  r.wrong = 0;
  return r;
}

RunContext context(const Options& o) {
  RunContext ctx;
  ctx.version = "0.1.0";
  ctx.backend = "mpi";
  ctx.libraries = {{"mpi", "Open MPI v4.1.4"}};
  ctx.ranks = {{0, 15784, "nid007106", "cpu", "-", "AMD EPYC"}};
  ctx.nranks = 2;
  ctx.options = &o;
  return ctx;
}

}  // namespace

TEST_CASE("table: nccl-tests header, row and footer", "[commbench][report]") {
  Options o;
  o.min_bytes = 1048576;
  o.max_bytes = 134217728;
  o.step_factor = 2;
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  auto rep = make_table_reporter(f);
  rep->context(context(o));
  rep->begin_test(Op::kAllReduce);
  rep->result(row(false, 339.61, 3.09));
  rep->result(row(true, 335.85, 3.12));
  rep->end_test(TestSummary{Op::kAllReduce, 0, 14.9966, 2});
  const std::string out = read_all(f);
  std::fclose(f);
  CHECK(
      out.find(
          "# nThread 1 nGpus 1 minBytes 1048576 maxBytes 134217728 step: 2(factor) warmup iters: 1 iters: 20 "
          "agg iters: 1 validation: 1 graph: 0\n") != std::string::npos);
  CHECK(out.find("#  Rank  0 Group  0 Pid  15784 on  nid007106 device cpu [-] AMD EPYC\n") !=
        std::string::npos);
  CHECK(
      out.find(
          "     1048576        262144     float     sum      -1   339.61    3.09    3.09       0   335.85    "
          "3.12    3.12       0\n") != std::string::npos);
  CHECK(out.find("# Out of bounds values : 0 OK\n# Avg bus bandwidth    : 14.9966 \n#\n"
                 "# Collective test concluded: all_reduce\n") != std::string::npos);
}

TEST_CASE("table: #wrong is N/A without checking", "[commbench][report]") {
  Options o;
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  auto rep = make_table_reporter(f);
  Result r = row(false, 10, 1);
  r.wrong.reset();
  rep->result(r);
  const std::string out = read_all(f);
  std::fclose(f);
  CHECK(out.substr(out.size() - 8) == "     N/A");
}

TEST_CASE("csv: unchecked rows (-c 0) leave wrong empty", "[commbench][report]") {
  Options o;
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  REQUIRE(out);
  REQUIRE(err);
  auto rep = make_csv_reporter(out, err);
  rep->context(context(o));
  Result r = row(false, 10, 1);
  r.op = Op::kBroadcast;
  r.wrong.reset();
  rep->result(r);
  const std::string csv = read_all(out);
  std::fclose(out);
  std::fclose(err);
  CHECK(csv.substr(csv.find('\n') + 1) ==
        "broadcast,1048576,262144,float,none,0,2,0,10.000,1.0000,1.0000,,,,\n");
}

TEST_CASE("csv: header with units, one line per result", "[commbench][report]") {
  Options o;
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  REQUIRE(out);
  REQUIRE(err);
  auto rep = make_csv_reporter(out, err);
  rep->context(context(o));
  rep->result(row(true, 335.85, 3.12));
  const std::string csv = read_all(out);
  const std::string ctx = read_all(err);
  std::fclose(out);
  std::fclose(err);
  // The schema shared with commsim's predictions; a measurement has no algorithm, protocol or bottleneck.
  CHECK(csv ==
        "op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong,algorithm,"
        "protocol,bottleneck\n"
        "all_reduce,1048576,262144,float,sum,-1,2,1,335.850,3.1200,3.1200,0,,,\n");
  CHECK(ctx.rfind("# commbench version 0.1.0 backend mpi\n", 0) == 0);
}
