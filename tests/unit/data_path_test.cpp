// The data directory lookup (core/data_path.hpp): COMMSIM_DATA_DIR alone when set; else next to the binary
// (<exe>/../share/commsim); else the source tree, only for a binary inside its build tree. A candidate needs
// a non-empty topologies/gpus/; when none qualifies, one InputError lists every path tried.
#include "core/data_path.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "scratch_dir.hpp"

using namespace commsim;
namespace fs = std::filesystem;

namespace {

// A scratch tree: prefix/bin/commsim (a path only), prefix/share/commsim, src/ (a source tree), build/.
struct Tree : test::ScratchDir {
  Tree() : ScratchDir("datapath") {
    fs::create_directories(dir / "prefix/bin");
    fs::create_directories(dir / "build/src");
  }
  std::string p(const std::string& rel) const { return path(rel); }
  void data(const std::string& rel, bool with_gpu = true) const {
    fs::create_directories(dir / rel / "topologies/gpus");
    if (with_gpu) std::ofstream(dir / rel / "topologies/gpus/h100-sxm.yaml") << "name: h100-sxm\n";
  }
};

}  // namespace

TEST_CASE("data dir: an installed binary reads <exe>/../share/commsim", "[data_path]") {
  Tree t;
  t.data("prefix/share/commsim");
  t.data("src");
  const auto c = data_dir_candidates(nullptr, t.p("prefix/bin/commsim"), t.p("build"), t.p("src"));
  REQUIRE(c.size() == 1);  // outside the build tree: the source tree is not a candidate
  CHECK(c[0].origin == "next to the binary");
  CHECK(pick_data_dir(c) == t.p("prefix/share/commsim"));
}

TEST_CASE("data dir: COMMSIM_DATA_DIR wins and is the only path tried", "[data_path]") {
  Tree t;
  t.data("prefix/share/commsim");
  t.data("mine");
  const std::string env = t.p("mine");
  auto c = data_dir_candidates(env.c_str(), t.p("prefix/bin/commsim"), t.p("build"), t.p("src"));
  REQUIRE(c.size() == 1);
  CHECK(pick_data_dir(c) == env);
  // A wrong value is an error, not a fall-back to the installed data.
  const std::string wrong = t.p("nowhere");
  c = data_dir_candidates(wrong.c_str(), t.p("prefix/bin/commsim"), t.p("build"), t.p("src"));
  CHECK_THROWS_AS(pick_data_dir(c), InputError);
  CHECK_THROWS_WITH(pick_data_dir(c), Catch::Contains(wrong + " (COMMSIM_DATA_DIR): does not exist"));
  // An empty value counts as unset.
  c = data_dir_candidates("", t.p("prefix/bin/commsim"), t.p("build"), t.p("src"));
  CHECK(pick_data_dir(c) == t.p("prefix/share/commsim"));
}

TEST_CASE("data dir: a build-tree binary falls back to its source tree", "[data_path]") {
  Tree t;
  t.data("src");
  const auto c = data_dir_candidates(nullptr, t.p("build/src/commsim"), t.p("build"), t.p("src"));
  REQUIRE(c.size() == 2);
  CHECK(c[0].path == t.p("build/share/commsim"));
  CHECK(c[0].refused == "does not exist");
  CHECK(c[1].origin == "build tree");
  CHECK(pick_data_dir(c) == t.p("src"));
  // "build-other" only shares a prefix with "build": not inside it.
  fs::create_directories(t.dir / "build-other");
  CHECK(data_dir_candidates(nullptr, t.p("build-other/commsim"), t.p("build"), t.p("src")).size() == 1);
}

TEST_CASE("data dir: an empty or incomplete directory is refused, and the error lists every path", "[data_path]") {
  Tree t;
  fs::create_directories(t.dir / "prefix/share/commsim");  // no topologies/gpus
  t.data("src", false);                                     // topologies/gpus with no .yaml
  const auto c = data_dir_candidates(nullptr, t.p("prefix/bin/commsim"), t.p("build"), t.p("src"));
  REQUIRE(c.size() == 1);
  CHECK(c[0].refused == "has no topologies/gpus/");
  const auto b = data_dir_candidates(nullptr, t.p("build/src/commsim"), t.p("build"), t.p("src"));
  REQUIRE(b.size() == 2);
  CHECK(b[1].refused == "topologies/gpus/ holds no .yaml file");
  try {
    pick_data_dir(b);
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string m = e.what();
    CHECK(m.find(t.p("build/share/commsim") + " (next to the binary): does not exist") != std::string::npos);
    CHECK(m.find(t.p("src") + " (build tree): topologies/gpus/ holds no .yaml file") != std::string::npos);
    CHECK(m.find("COMMSIM_DATA_DIR") != std::string::npos);
    CHECK(e.exit_code() == kExitInput);
  }
}

// COMMSIM_DATA_DIR=/data/ named every file /data//topologies/... in messages (helper-170).
TEST_CASE("data dir: a trailing slash in COMMSIM_DATA_DIR is not doubled in file names", "[data_path]") {
  const char* was = std::getenv("COMMSIM_DATA_DIR");
  const std::string keep = was ? was : "";
  const std::string dir = data_dir();
  ::setenv("COMMSIM_DATA_DIR", (dir + "/").c_str(), 1);
  const std::string f = data_file("topologies/links.yaml");
  if (was)
    ::setenv("COMMSIM_DATA_DIR", keep.c_str(), 1);
  else
    ::unsetenv("COMMSIM_DATA_DIR");
  CHECK(f == dir + "/topologies/links.yaml");
}
