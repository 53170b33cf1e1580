// AtomicFile (core/atomic_file.hpp): the target is whole or absent, an existing file survives a failed run,
// write errors are RuntimeError (exit 1) and a bad directory is InputError (exit 2).
#include "core/atomic_file.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "scratch_dir.hpp"

using namespace commsim;
namespace fs = std::filesystem;

namespace {

// A scratch directory per test case; entries() counts what is in it (the target, temporaries).
struct Scratch : test::ScratchDir {
  Scratch() : ScratchDir("atomic") {}
  std::string file(const std::string& name) const { return path(name); }
  int entries() const { return static_cast<int>(std::distance(fs::directory_iterator(dir), fs::directory_iterator())); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const std::string& path, const std::string& content) { std::ofstream(path, std::ios::binary) << content; }

}  // namespace

TEST_CASE("AtomicFile: the target appears only at commit, whole", "[atomic_file]") {
  Scratch s;
  const std::string target = s.file("out.csv");
  {
    AtomicFile f(target);
    f.stream() << "a,b\n1,2\n";
    CHECK_FALSE(fs::exists(target));  // still in the temporary
    CHECK(s.entries() == 1);          // the temporary, beside the target (same directory: rename is atomic)
    f.commit();
  }
  CHECK(slurp(target) == "a,b\n1,2\n");
  CHECK(s.entries() == 1);  // no temporary left
}

TEST_CASE("AtomicFile: a run that fails before commit leaves the old file byte-identical", "[atomic_file]") {
  Scratch s;
  const std::string target = s.file("result.json");
  spit(target, "{\"old\": true}\n");
  try {
    AtomicFile f(target);
    f.stream() << "{\"new\": ";  // half a document, then the run fails
    throw RuntimeError("simulated failure mid-way");
  } catch (const RuntimeError&) {
  }
  CHECK(slurp(target) == "{\"old\": true}\n");
  CHECK(s.entries() == 1);  // the temporary was removed
}

TEST_CASE("AtomicFile: a failed run creates no new file", "[atomic_file]") {
  Scratch s;
  { AtomicFile f(s.file("new.csv")); f.stream() << "partial"; }
  CHECK(s.entries() == 0);
}

TEST_CASE("AtomicFile: commit replaces an existing file and keeps its permissions", "[atomic_file]") {
  Scratch s;
  const std::string target = s.file("sys.yaml");
  spit(target, "old\n");
  fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write);
  write_file_atomically(target, "new\n");
  CHECK(slurp(target) == "new\n");
  CHECK((fs::status(target).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
}

TEST_CASE("AtomicFile: writing through a symlink replaces the file it points to", "[atomic_file]") {
  Scratch s;
  spit(s.file("real.csv"), "old\n");
  fs::create_symlink(s.file("real.csv"), s.file("link.csv"));
  write_file_atomically(s.file("link.csv"), "new\n");
  CHECK(fs::is_symlink(s.file("link.csv")));
  CHECK(slurp(s.file("real.csv")) == "new\n");
}

TEST_CASE("AtomicFile: through a dangling symlink, the file it points to is created, the link stays",
          "[atomic_file]") {
  // The link's relative target is read from the link's directory (sub/), not the working directory.
  Scratch s;
  fs::create_directory(s.file("sub"));
  fs::create_symlink("real.html", s.file("sub/link.html"));
  fs::create_symlink(s.file("sub/link.html"), s.file("chain.html"));  // a chain of two links
  write_file_atomically(s.file("chain.html"), "report\n");
  CHECK(fs::is_symlink(s.file("chain.html")));
  CHECK(fs::is_symlink(s.file("sub/link.html")));
  CHECK(slurp(s.file("sub/real.html")) == "report\n");
  CHECK(s.entries() == 2);  // sub/ and chain.html: no temporary left beside the link
}

TEST_CASE("resolve_symlinks: follows a chain to its end, existing or not, and a loop is an InputError",
          "[atomic_file]") {
  Scratch s;
  CHECK(resolve_symlinks(s.file("plain.csv")) == s.file("plain.csv"));
  fs::create_symlink("a/../F.csv", s.file("L.csv"));
  CHECK(fs::path(resolve_symlinks(s.file("L.csv"))) == s.dir / "a/../F.csv");
  fs::create_symlink(s.file("loop2"), s.file("loop1"));
  fs::create_symlink(s.file("loop1"), s.file("loop2"));
  CHECK_THROWS_WITH(resolve_symlinks(s.file("loop1")), Catch::Contains("too many levels of symbolic links"));
  CHECK_THROWS_AS(AtomicFile(s.file("loop1")), InputError);
}

TEST_CASE("AtomicFile: a read of the target while it is written sees the old content", "[atomic_file]") {
  // calibrate --system F.yaml --out F.yaml reads F again while it writes the calibrated file.
  Scratch s;
  const std::string target = s.file("F.yaml");
  spit(target, "name: original\n");
  AtomicFile f(target);
  f.stream() << "# calibrated\n" << slurp(target);
  f.commit();
  CHECK(slurp(target) == "# calibrated\nname: original\n");
}

TEST_CASE("AtomicFile: a full device is a RuntimeError at commit (exit 1)", "[atomic_file][errors]") {
  if (!fs::exists("/dev/full")) return;  // no /dev/full on this system
  AtomicFile f("/dev/full");
  f.stream() << std::string(1 << 16, 'x');
  CHECK_THROWS_WITH(f.commit(), Catch::Contains("/dev/full: write failed"));
  try {
    write_file_atomically("/dev/full", "x");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.exit_code() == kExitRuntime);
  }
}

TEST_CASE("AtomicFile: a missing directory or a directory target is an InputError (exit 2)", "[atomic_file][errors]") {
  Scratch s;
  CHECK_THROWS_AS(AtomicFile(s.file("no/such/dir/x.csv")), InputError);
  CHECK_THROWS_WITH(AtomicFile(s.file("no/such/dir/x.csv")), Catch::Contains("cannot open output file"));
  CHECK_THROWS_WITH(AtomicFile(s.dir.string()), Catch::Contains("it is a directory"));
  CHECK(s.entries() == 0);
}

TEST_CASE("AtomicFile: two files for the same target in one process do not share a temporary", "[atomic_file]") {
  Scratch s;
  const std::string target = s.file("t.txt");
  AtomicFile a(target), b(target);
  a.stream() << "a\n";
  b.stream() << "b\n";
  CHECK(s.entries() == 2);
  a.commit();
  b.commit();  // the last commit wins, whole
  CHECK(slurp(target) == "b\n");
  CHECK(s.entries() == 1);
}

// An input that cannot be opened says why, as the system gives it (a mode-000 file said "cannot open file"
// alone).
TEST_CASE("an input that cannot be opened names the reason", "[files]") {
  Scratch d;
  CHECK_THROWS_WITH(
      read_input_file(d.file("absent.yaml")),
      Catch::Contains("absent.yaml") && Catch::Contains("cannot open file (No such file or directory)"));
}

TEST_CASE("atomic file: an input the run read is not replaced, unless it is the one allowed", "[files]") {
  Scratch d;
  const std::string in = d.file("in.yaml"), other = d.file("other.yaml");
  std::ofstream(in) << "a: 1\n";
  std::ofstream(other) << "b: 2\n";
  CHECK(input_file_at(in).empty());  // not read yet
  read_input_file(in);
  CHECK(input_file_at(in) == in);
  CHECK(input_file_at(d.file("./in.yaml")) == in);  // another spelling of the same file
  CHECK(input_file_at(other).empty());
  {
    AtomicFile f(in);
    f.stream() << "replaced\n";
    CHECK_THROWS_AS(f.commit(), InputError);
  }
  CHECK(slurp(in) == "a: 1\n");
  CHECK(d.entries() == 2);  // no temporary left
  AtomicFile f(in);
  f.may_replace(d.file("./in.yaml"));
  f.stream() << "replaced\n";
  f.commit();
  CHECK(slurp(in) == "replaced\n");
}

// An input deleted after it was read frees its inode; a file created later may get it. Taken for the old
// input, such a file could not be written: running the unit tests in one process, five AtomicFile cases
// failed on temporaries that reused the inode of an earlier case's mapping file. The same state, made
// deterministically: the input renamed (its inode now under another name, its own name leading nowhere).
TEST_CASE("atomic file: a file on the inode of a vanished input is not that input", "[files][regression]") {
  Scratch d;
  const std::string in = d.file("gone.yaml"), moved = d.file("moved.yaml");
  std::ofstream(in) << "a: 1\n";
  read_input_file(in);
  REQUIRE(input_file_at(in) == in);
  fs::rename(in, moved);
  CHECK(input_file_at(moved).empty());
  AtomicFile f(moved);
  f.stream() << "written\n";
  f.commit();
  CHECK(slurp(moved) == "written\n");
}

TEST_CASE("outputs stay out of the data directory's catalog, through a hard link too", "[atomic]") {
  test::ScratchDir d("catalog");
  fs::create_directories(d.path("data/topologies/gpus"));
  fs::create_directories(d.path("data/configs/studies"));
  std::ofstream(d.path("data/topologies/gpus/x.yaml")) << "name: x\n";
  std::ofstream(d.path("data/configs/studies/s.yaml")) << "name: s\n";
  const char* old = std::getenv("COMMSIM_DATA_DIR");
  const std::string saved = old ? old : "";
  setenv("COMMSIM_DATA_DIR", d.path("data").c_str(), 1);
  // In the catalog, at any depth, a new file too: refused (before anything is written).
  CHECK_THROWS_WITH(AtomicFile(d.path("data/topologies/gpus/x.yaml")),
                    Catch::Contains("data directory's topologies/"));
  CHECK_THROWS_WITH(check_outside_catalog(d.path("data/configs/new/out.csv")),
                    Catch::Contains("data directory's configs/"));
  CHECK(slurp(d.path("data/topologies/gpus/x.yaml")) == "name: x\n");
  // Beside it (the data directory's own top level, another folder): written as any file.
  CHECK_NOTHROW(check_outside_catalog(d.path("data/out.csv")));
  CHECK_NOTHROW(check_outside_catalog(d.path("out.csv")));
  // A second name of a catalog file (the sweep's streams write through the inode): refused, naming the file.
  fs::create_hard_link(d.path("data/configs/studies/s.yaml"), d.path("hl.csv"));
  CHECK_THROWS_WITH(check_outside_catalog(d.path("hl.csv")),
                    Catch::Contains("(a hard link) of") && Catch::Contains("s.yaml"));
  // A file of two names neither of which is in the catalog: written.
  std::ofstream(d.path("a.csv")) << "x\n";
  fs::create_hard_link(d.path("a.csv"), d.path("b.csv"));
  CHECK_NOTHROW(check_outside_catalog(d.path("b.csv")));
  AtomicFile f(d.path("out.csv"), AtomicFile::Into::kOutsideCatalog);
  f.stream() << "ok\n";
  f.commit();
  // calibrate's system, named as its file, is let in.
  AtomicFile sys(d.path("data/topologies/gpus/x.yaml"), AtomicFile::Into::kCatalogEntry);
  sys.stream() << "name: x\n";
  sys.commit();
  if (old)
    setenv("COMMSIM_DATA_DIR", saved.c_str(), 1);
  else
    unsetenv("COMMSIM_DATA_DIR");
}
