#include "core/yaml_reader.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "scratch_dir.hpp"

using namespace commsim;

TEST_CASE("unknown keys are named with file, line and path", "[yaml][errors]") {
  YamlMap m(load_yaml_string("a: 1\nb:\n  c: 2GB/s\n  typo: 3\n", "x.yaml"), "x.yaml");
  CHECK(m.integer("a") == 1);
  YamlMap b = m.map("b");
  CHECK(b.quantity("c", Dimension::kBandwidth) == Approx(2e9));
  CHECK_THROWS_WITH(b.finish(), Catch::Contains("x.yaml:4:3") && Catch::Contains("b.typo"));
}

TEST_CASE("a required key misspelt: the missing key, and the likely typo with its line", "[yaml][errors]") {
  // helper-134: "tdpp:" for "tdp:" in a GPU file was "x.yaml:1:1: key 'tdp': missing required power", the
  // typo's line never named
  YamlMap m(
      load_yaml_string("name: g\nmemory_gb: 80\ntdpp: {value: 400W, kind: claim, source: s}\n", "x.yaml"),
      "x.yaml");
  CHECK_THROWS_WITH(m.figure("tdp", Dimension::kPower),
                    Catch::Contains("missing required power (is 'tdpp' at line 3 a misspelling of it?)"));
  // nothing close: the key is missing, named at the map
  YamlMap far(load_yaml_string("name: g\npower_draw: 400W\n", "y.yaml"), "y.yaml");
  CHECK_THROWS_WITH(far.figure("tdp", Dimension::kPower), Catch::Contains("missing required power"));
  YamlMap n(load_yaml_string("expert_ffn_hiden: 2048\n", "z.yaml"), "z.yaml");
  CHECK_THROWS_WITH(n.integer("expert_ffn_hidden"),
                    Catch::Contains("is 'expert_ffn_hiden' at line 1 a misspelling"));
}

TEST_CASE("values with provenance keep their source", "[yaml]") {
  YamlMap m(load_yaml_string("bw: {value: 450GB/s, kind: datasheet, source: \"NVIDIA\"}\n", "y.yaml"), "y.yaml");
  const Figure f = m.figure("bw", Dimension::kBandwidth);
  CHECK(f.value == Approx(450e9));
  CHECK(f.provenance.kind == "datasheet");
  CHECK(f.provenance.source == "NVIDIA");
}

TEST_CASE("malformed, empty and unit-less inputs are input errors", "[yaml][errors]") {
  CHECK_THROWS_WITH(load_yaml_string("a: [1, 2\n", "bad.yaml"), Catch::Contains("bad.yaml") && Catch::Contains("syntax"));
  CHECK_THROWS_WITH(load_yaml_string("", "empty.yaml"), Catch::Contains("empty"));
  // A second document was ignored; now it is an error at its line. A bare trailing '---' is no document.
  CHECK_THROWS_WITH(load_yaml_string("a: 1\n---\nb: 2\n", "two.yaml"),
                    Catch::Contains("two.yaml:3:1") && Catch::Contains("a second YAML document"));
  CHECK(load_yaml_string("a: 1\n---\n", "one.yaml")["a"].as<int>() == 1);
  CHECK(second_document_line("--- # one\na: 1\n...\n# a comment\n---\n\n") == 0);
  CHECK(second_document_line("a: 1\n... \n--- {b: 2}\n") == 3);
  CHECK(second_document_line("a: ---\nb: '---'\n----: 3\n") == 0);  // not markers: mid-line, or no blank after
  CHECK(second_document_line(",csc") == 0);  // YAML::LoadAll looped forever on it (fuzz_system_yaml, timeout)
  // A directive before the document is no content: one document (it was refused as a second).
  CHECK(second_document_line("%YAML 1.2\n---\na: 1\n") == 0);
  CHECK(second_document_line("a: 1\n...\n%YAML 1.2\n---\nb: 2\n") == 5);
  CHECK(load_yaml_string("%YAML 1.2\n---\na: 1\n", "d.yaml")["a"].as<int>() == 1);
  CHECK_THROWS_WITH(load_yaml_string(",csc", "f.yaml"), Catch::Contains("f.yaml") && Catch::Contains("expected a YAML mapping"));
  CHECK_THROWS_WITH(load_yaml_string("# only a comment\n---\n", "c.yaml"), Catch::Contains("file is empty"));
  YamlMap m(load_yaml_string("bw: 450\nz: 0GB/s\nk: {value: 1GB/s, kind: rumour}\n", "u.yaml"), "u.yaml");
  CHECK_THROWS_WITH(m.quantity("bw", Dimension::kBandwidth), Catch::Contains("u.yaml:1") && Catch::Contains("no unit"));
  CHECK_THROWS_WITH(m.quantity("z", Dimension::kBandwidth), Catch::Contains("positive"));
  CHECK_THROWS_WITH(m.quantity("k", Dimension::kBandwidth), Catch::Contains("rumour"));
  CHECK_THROWS_WITH(load_yaml_file("/nonexistent.yaml"), Catch::Contains("cannot open"));
  // A directory opened and read as no bytes, reported as "file is empty".
  const std::string dir = std::filesystem::temp_directory_path().string();
  CHECK_THROWS_WITH(load_yaml_file(dir), Catch::Equals(dir + ": is a directory, not a file"));
  CHECK_THROWS_WITH(read_csv(dir), Catch::Equals(dir + ": is a directory, not a file"));
}

TEST_CASE("integer counts that do not fit an int are rejected, not wrapped", "[yaml][errors]") {
  YamlMap m(load_yaml_string("gpus: 4294967304\n", "big.yaml"), "big.yaml");
  CHECK_THROWS_WITH(m.integer("gpus"), Catch::Contains("big.yaml:1") && Catch::Contains("too large"));
}

TEST_CASE("a key written with no value is named at its own line", "[yaml][errors]") {
  // `model:` left empty (or a price entry `h20:`) named the file alone: a null value has no place of its own.
  YamlMap m(load_yaml_string("a: 1\nmodel:\ngpus:\n  h20:\n", "t.yaml"), "t.yaml");
  CHECK(m.loc("model").line == 2);
  CHECK(m.loc("model").column == 1);
  YamlMap g = m.map("gpus");
  CHECK(g.loc("h20").line == 4);
  CHECK_THROWS_WITH(g.map("h20"), Catch::Contains("t.yaml:4:3"));
  CHECK(m.loc("absent").line == 1);  // a missing key: the mapping's place, as before
}

TEST_CASE("a read log notes each file read while it lives, by its text", "[yaml]") {
  const test::ScratchDir d("readlog");
  const std::string f = d.path("a.yaml");
  auto write = [&f](const std::string& text) { std::ofstream(f) << text; };
  write("a: 1\nb: [2, 3]\n");
  load_yaml_file(f);  // no log alive: nothing noted
  std::uint64_t first = 0;
  {
    const YamlReadLog log;
    CHECK(log.files().empty());
    load_yaml_file(f);
    REQUIRE(log.files().count(f) == 1);
    first = log.files().at(f);
    write("a: 1\nb: [2, 3]\n");  // the same text
    load_yaml_file(f);
    CHECK(log.files().at(f) == first);
    CHECK(first == fnv1a64("a: 1\nb: [2, 3]\n"));
    write("a: 1\nb: [2, 4]\n");
    load_yaml_file(f);
    CHECK(log.files().at(f) != first);
    {
      const YamlFileCache cache;  // a file the cache returns is noted too
      load_yaml_file(f);
      const YamlReadLog inner;
      load_yaml_file(f);
      CHECK(inner.files().at(f) == log.files().at(f));
    }
  }
  const YamlReadLog later;
  CHECK(later.files().empty());  // cleared when the last log ended
  CHECK(fnv1a64("") == 14695981039346656037ULL);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);  // FNV-1a 64 of "a", the published test vector
}
