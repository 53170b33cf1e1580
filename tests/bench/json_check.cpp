// Checks a commbench -J file: it parses, its context explains the run, and it holds the expected results.
//   commbench_json_check FILE NRANKS NRESULTS    a finished run: "complete": true and exactly NRESULTS
//   results commbench_json_check FILE NRANKS --partial   an interrupted run: "complete": false and at least
//   one result
// Exit 0 when all checks pass, 1 otherwise (each failure printed).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "json check failed: %s\n", what.c_str());
  ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s FILE NRANKS NRESULTS\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  const int nranks = std::atoi(argv[2]);
  const bool partial = std::string(argv[3]) == "--partial";
  const std::size_t nresults = partial ? 0 : static_cast<std::size_t>(std::atoi(argv[3]));
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "%s does not parse: %s\n", argv[1], e.what());
    return 1;
  }
  expect(doc.contains("complete") && doc["complete"] == !partial,
         std::string("\"complete\": ") + (partial ? "false" : "true"));
  const auto& ctx = doc["context"];
  expect(ctx.is_object(), "context object");
  for (const char* key : {"tool", "version", "schema_version", "date", "command_line", "backend", "nranks",
                          "nprocs", "hosts", "libraries", "ranks", "options", "units"})
    expect(ctx.contains(key), std::string("context.") + key);
  if (failures) return 1;
  expect(ctx["tool"] == "commbench", "context.tool == commbench");
  expect(ctx["schema_version"] == 2, "context.schema_version == 2");
  expect(ctx["backend"] == "mpi", "context.backend == mpi");
  expect(ctx["nranks"] == nranks, "context.nranks");
  expect(ctx["ranks"].size() == static_cast<std::size_t>(nranks), "one context.ranks entry per rank");
  expect(ctx["hosts"].is_array() && !ctx["hosts"].empty(), "context.hosts");
  expect(ctx["libraries"].contains("mpi"), "context.libraries.mpi");
  expect(ctx["command_line"].get<std::string>().find("-J") != std::string::npos, "command line recorded");

  const auto& results = doc["results"];
  if (partial)
    expect(results.is_array() && !results.empty(), "results has at least one record");
  else
    expect(
        results.is_array() && results.size() == nresults,
        "results has " + std::to_string(nresults) + " records (has " + std::to_string(results.size()) + ")");
  for (const auto& r : results) {
    for (const char* key : {"op", "size_bytes", "count", "dtype", "redop", "root", "in_place", "time_us",
                            "algbw_GBps", "busbw_GBps", "wrong"})
      expect(r.contains(key), std::string("result.") + key);
    expect(r.value("wrong", -1) == 0, "result.wrong == 0");
    expect(r.value("time_us", 0.0) > 0, "result.time_us > 0");
  }
  if (!partial) expect(doc["summary"].is_array() && !doc["summary"].empty(), "summary");
  return failures ? 1 : 0;
}
