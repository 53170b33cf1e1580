// -J files are whole or absent: nothing written before the first row, the whole document rewritten after each
// row with "complete": false, and "complete": true at the end.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "reporter.hpp"

using namespace commsim;
using namespace commsim::bench;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Result row(bool in_place) {
  Result r;
  r.in_place = in_place;
  r.size_bytes = 1024;
  r.count = 256;
  r.time_us = 10;
  r.algbw_GBps = r.busbw_GBps = 0.1024;
  r.wrong = 0;
  return r;
}

}  // namespace

TEST_CASE("json: an existing file survives start-up, and each row leaves a valid, incomplete document",
          "[commbench][report]") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("commbench_json_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "out.json";
  { std::ofstream(file) << "previous result\n"; }

  Options o;
  RunContext ctx;
  ctx.version = "0.1.0";
  ctx.backend = "mpi";
  ctx.nranks = 2;
  ctx.timeout_s = 13;
  ctx.options = &o;
  auto rep = make_json_reporter(file.string());
  rep->context(ctx);
  rep->begin_test(Op::kAllReduce);
  CHECK(slurp(file) == "previous result\n");  // not truncated before the first row

  rep->result(row(false));
  nlohmann::json doc = nlohmann::json::parse(slurp(file));
  CHECK(doc["complete"] == false);
  CHECK(doc["results"].size() == 1);
  CHECK(doc["context"]["options"]["timeout_s"] == 13);
  CHECK(doc["context"]["options"]["timeout_default"] == true);

  rep->result(row(true));
  rep->end_test(TestSummary{Op::kAllReduce, 0, 0.1024, 2});
  CHECK(nlohmann::json::parse(slurp(file))["results"].size() == 2);
  rep->finish();
  doc = nlohmann::json::parse(slurp(file));
  CHECK(doc["complete"] == true);
  CHECK(doc["summary"].size() == 1);
  CHECK(doc.begin().key() == "complete");  // first, so `head` shows it
  // No temporary left beside the target.
  CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("json: a row that cannot be written is an error, not a silent loss", "[commbench][report]") {
  Options o;
  RunContext ctx;
  ctx.options = &o;
  auto rep = make_json_reporter("/nonexistent-dir/out.json");
  rep->context(ctx);
  CHECK_THROWS_AS(rep->result(row(false)), Error);
}

// A -J path or host name that is not UTF-8 (a valid POSIX name) ended the run after measuring: nlohmann's dump
// threw type_error 316 and every rank was aborted with exit 1. The byte is written as U+FFFD.
TEST_CASE("json: a command line that is not UTF-8 is written, not an abort", "[commbench][report][regression]") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("commbench_json_utf8_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "out\xff.json";
  Options o;
  o.command_line = "commbench -J out\xff.json";
  RunContext ctx;
  ctx.options = &o;
  auto rep = make_json_reporter(file.string());
  rep->context(ctx);
  rep->result(row(false));
  rep->finish();
  const nlohmann::json doc = nlohmann::json::parse(slurp(file));
  CHECK(doc["context"]["command_line"] == "commbench -J out\xef\xbf\xbd.json");
  std::filesystem::remove_all(dir);
}
