// Issue 7's rules as unit tests: validation gates, the --op list, --set on YAML trees and training configs,
// model shape checks. Each case states the inputs and the expected outcome.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <set>

#include "coll/op_list.hpp"
#include "core/error.hpp"
#include "core/yaml_override.hpp"
#include "core/yaml_reader.hpp"
#include "study/gate.hpp"
#include "topo/system_loader.hpp"
#include "study/validate_collectives.hpp"
#include "train/train_config.hpp"

using namespace commsim;
using Catch::Matchers::Contains;

TEST_CASE("gates: median and worst |error| against a bound in percent", "[checks][gate]") {
  // errors {+10%, -20%, +5%}: |errors| sorted {5, 10, 20}: median 10%, worst 20%.
  const std::vector<double> e = {0.10, -0.20, 0.05};
  REQUIRE_NOTHROW(enforce_gate(Gate{"--m", "rows", GateStat::kMedian, 15.0}, e));
  REQUIRE_NOTHROW(enforce_gate(Gate{"--m", "rows", GateStat::kMedian, 10.0}, e));  // equal to the bound passes
  REQUIRE_THROWS_AS(enforce_gate(Gate{"--m", "rows", GateStat::kMedian, 9.9}, e), RuntimeError);
  REQUIRE_THROWS_WITH(enforce_gate(Gate{"--w", "rows", GateStat::kWorst, 15.0}, e),
                      Contains("worst |error| over 3 rows is 20.0%, above the bound 15.0% (--w)"));
  REQUIRE_NOTHROW(enforce_gate(Gate{"--w", "rows", GateStat::kWorst, 20.0}, e));
  // Even count: {6.25, 12.5, 25, 50}% -> median (12.5 + 25) / 2 = 18.75% (binary fractions: exact).
  REQUIRE_NOTHROW(enforce_gate(Gate{"--m", "rows", GateStat::kMedian, 18.75}, {0.0625, 0.125, 0.25, -0.5}));
  REQUIRE_THROWS(enforce_gate(Gate{"--m", "rows", GateStat::kMedian, 18.7}, {0.0625, 0.125, 0.25, -0.5}));
  // A statistic that rounds to the bound is shown with the digits that tell them apart (it read "0.0%, above
  // the bound 0.0%").
  REQUIRE_THROWS_WITH(enforce_gate(Gate{"--m", "rows", GateStat::kMedian, 0.0}, {0.00004, 0.00004, 0.00004}),
                      Contains("median |error| over 3 rows is 0.004%, above the bound 0.0% (--m)"));
}

TEST_CASE("gates fail on nothing and on non-finite values, and refuse bad bounds", "[checks][gate]") {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  REQUIRE_THROWS_WITH(enforce_gate(Gate{"--m", "rows >= 64 MiB", GateStat::kMedian, 15.0}, {}),
                      Contains("--m: no rows >= 64 MiB to check"));
  REQUIRE_THROWS_AS(enforce_gate(Gate{"--m", "rows", GateStat::kMedian, 15.0}, {0.01, nan}), RuntimeError);
  REQUIRE_THROWS_AS(enforce_gate(Gate{"--m", "rows", GateStat::kWorst, 15.0}, {inf}), RuntimeError);
  for (double bad : {-1.0, nan, inf, -inf}) {
    REQUIRE_THROWS_AS(check_gate_bound(Gate{"--m", "rows", GateStat::kMedian, bad}), InputError);
    REQUIRE_THROWS_AS(enforce_gate(Gate{"--m", "rows", GateStat::kMedian, bad}, {0.01}), InputError);
  }
  // Unset: no gate, whatever the data.
  REQUIRE_NOTHROW(enforce_gate(Gate{"--m", "rows", GateStat::kMedian, std::nullopt}, {}));
  REQUIRE_NOTHROW(check_gate_bound(Gate{"--m", "rows", GateStat::kMedian, 0.0}));
}

TEST_CASE("qualifying errors: rows at least the size with a measured busbw", "[checks][gate]") {
  std::vector<ValidationRow> rows(3);
  rows[0].size_bytes = 1048576, rows[0].measured_busbw = 10, rows[0].error = 0.1;
  rows[1].size_bytes = 1048575, rows[1].measured_busbw = 10, rows[1].error = 0.2;  // below 1 MiB
  rows[2].size_bytes = 2e9, rows[2].measured_busbw = 0, rows[2].error = 0.3;       // nothing measured
  REQUIRE(qualifying_errors(rows, 1048576) == std::vector<double>{0.1});
  const ErrorSummary s = summarize(rows, 0);
  REQUIRE(s.rows == 2);
  REQUIRE(s.median_abs == Approx(0.15));
  REQUIRE(s.worst_abs == Approx(0.2));
}

TEST_CASE("op lists: --op takes a comma-separated list or all", "[checks][vocabulary]") {
  REQUIRE(parse_op_list("all_reduce", "--op") == std::vector<Op>{Op::kAllReduce});
  REQUIRE(parse_op_list("all_reduce,allgather,all_reduce", "--op") == std::vector<Op>{Op::kAllReduce, Op::kAllGather});
  REQUIRE(parse_op_list("all", "--op") == all_ops());
  REQUIRE_THROWS_WITH(parse_op_list("all_reduce,", "--op"), Contains("--op: empty operation name"));
  REQUIRE_THROWS_WITH(parse_op_list("", "--op"), Contains("--op: empty operation name"));
  REQUIRE_THROWS_WITH(parse_op_list("all_reduce,warp", "--op"), Contains("unknown operation 'warp'"));
  // `all` stands alone: in a list it was "unknown operation 'all' (valid: ..., all)".
  REQUIRE_THROWS_WITH(parse_op_list("all,all_reduce", "--op"), Contains("'all' is every operation and stands alone"));
}

TEST_CASE("overrides: --set on a YAML tree: sections created, provenance kept, values refused as sections", "[checks][set]") {
  YAML::Node root = load_yaml_string("a: {b: 1}\nc: {value: 2, source: x}\n", "t.yaml");
  set_yaml_path(root, "a.b", "3", "--set");
  set_yaml_path(root, "d.e.f", "[1, 2]", "--set");
  set_yaml_path(root, "c", "5", "--set");
  REQUIRE(root["a"]["b"].Scalar() == "3");
  REQUIRE(root["d"]["e"]["f"].IsSequence());
  REQUIRE(root["d"]["e"]["f"].size() == 2);
  REQUIRE(root["c"]["value"].Scalar() == "5");
  REQUIRE(root["c"]["source"].Scalar() == "x");
  REQUIRE_THROWS_WITH(set_yaml_path(root, "a.b.x", "1", "--set"), Contains("'b' is a value, not a section"));
  set_yaml_path(root, "axes.parallelism.tp", "[2, 4]", "--set", 1);  // one section, then one dotted key
  REQUIRE(root["axes"]["parallelism.tp"].size() == 2);
  REQUIRE(!root["axes"]["parallelism"].IsDefined());
  const KeyValue kv = split_override("parallelism.pp=4", "--set");
  REQUIRE(kv.key == "parallelism.pp");
  REQUIRE(kv.value == "4");
  for (const char* bad : {"novalue", "=4", "a.b=", "a..b=1", ".a=1"}) REQUIRE_THROWS_AS(split_override(bad, "--set"), InputError);
  // yaml-cpp read the first node and dropped the rest: '4096' 8192 was 4096, [1,2] [4] was [1, 2].
  for (const char* cut : {"'4096' 8192", "[1,2] [4]", "[1,2],[3]", "'a',b", "{a: 1} b", "\"x\" y"})
    REQUIRE_THROWS_WITH(set_yaml_path(root, "a.b", cut, "--set"), Contains("text after its quoted or bracketed part"));
  set_yaml_path(root, "a.b", "'it''s'", "--set");
  REQUIRE(root["a"]["b"].Scalar() == "it's");
  set_yaml_path(root, "a.b", "a,b", "--set");  // a plain scalar with a comma stays one value
  REQUIRE(root["a"]["b"].Scalar() == "a,b");
  // A tag is refused, before a value, alone (it loaded as an untagged null: the key unset without a word),
  // after an anchor, or inside a mapping value; "!" inside text and a quoted "!fp8" are values.
  for (const char* tagged : {"!!int 8", "!fp8", "!!null", "&a !fp8", "{k: !!float 2}"})
    REQUIRE_THROWS_WITH(set_yaml_path(root, "a.b", tagged, "--set"),
                        Contains("is not read; write the value without it"));
  REQUIRE_THROWS_WITH(set_yaml_path(root, "a.b", "!fp8", "--set"), Contains("key 'a.b': YAML tag '!fp8'"));
  set_yaml_path(root, "a.b", "'!fp8'", "--set");
  REQUIRE(root["a"]["b"].Scalar() == "!fp8");
  set_yaml_path(root, "a.b", "wow!", "--set");
  REQUIRE(root["a"]["b"].Scalar() == "wow!");
}

TEST_CASE("overrides: --set reaches training keys and is blamed for bad values", "[checks][set][train]") {
  // llama3-8b: 32 layers, hidden 4096, 32 heads; the config file is not needed.
  const TrainConfig c = load_train_config("", {"model=llama3-8b", "model.layers=16", "parallelism.pp=4",
                                               "training.global_batch=512", "training.seq_len=4096",
                                               "overlap.tp=true", "cost.gpu_hour_usd=2.5", "fabric.nic_speed=200Gb/s"});
  REQUIRE(c.has_model);
  REQUIRE(c.model.layers == 16);
  REQUIRE(c.model.hidden == 4096);
  REQUIRE(c.par.pp == 4);
  REQUIRE(c.train.global_batch == 512);
  REQUIRE(c.train.seq_len == 4096);
  REQUIRE(c.overlap.tp);
  REQUIRE(c.gpu_hour_usd == Approx(2.5));
  REQUIRE(c.sets == std::vector<std::string>{"fabric.nic_speed=200Gb/s"});
  REQUIRE(c.overrides.size() == 8);
  REQUIRE(c.overrides[2].key == "parallelism.pp");
  REQUIRE(c.overrides[2].origin == "--set");
  REQUIRE_THROWS_WITH(load_train_config("", {"parallelism.pp=0"}), Contains("--set: key 'parallelism.pp'"));
  REQUIRE_THROWS_WITH(load_train_config("", {"training.precision=fp4"}), Contains("--set: key 'training.precision'"));
  REQUIRE_THROWS_WITH(load_train_config("", {"model=llama3-8b", "model.heads=0"}), Contains("--set: key 'model.heads'"));
}

TEST_CASE("overrides: a section --set created misses its other keys on the command line", "[checks][set]") {
  // hgx-8-nvswitch has no chiplet or host_link section: the missing partner key is the command line's.
  REQUIRE_THROWS_WITH(load_system("dgx-h100", {"node.chiplet.dies=2"}),
                      Contains("--set: key 'node.chiplet.d2d_bandwidth': missing required bandwidth"));
  // System keys go through the system loader's own override path: the same whole-value parse.
  REQUIRE_THROWS_WITH(load_system("dgx-h100", {"fabric.nic_speed='200Gb/s' 400Gb/s"}),
                      Contains("--set: key 'fabric.nic_speed'") && Contains("text after its quoted or bracketed part"));
  // A section --set created is --set's when a key inside it is wrong (unknown or missing, at any depth); two
  // spellings of one op are one op.
  REQUIRE_THROWS_WITH(load_system("dgx-h100", {"gpu.bogus.x=1"}), Contains("--set: key 'gpu.bogus': unknown key 'bogus'"));
  REQUIRE_THROWS_WITH(load_system("dgx-h100", {"calibration.bogus.x=2"}), Contains("--set: key 'calibration.bogus': unknown key"));
  REQUIRE_THROWS_WITH(load_system("dgx-h100", {"calibration.ops.bogus.bandwidth_scale=2"}),
                      Contains("--set: key 'calibration.ops.bogus': unknown operation 'bogus'"));
  REQUIRE_THROWS_WITH(load_system("dgx-h100", {"calibration.ops.allreduce.bandwidth_scale=2", "calibration.ops.all_reduce.bandwidth_scale=0.5"}),
                      Contains("--set: key 'calibration.ops.all_reduce': 'all_reduce' and 'allreduce' are one operation"));
  REQUIRE_THROWS_WITH(load_system("dgx-h100", {"node.host_link.type=c2c"}),
                      Contains("--set: key 'node.host_link.bandwidth': missing required bandwidth"));
  // A file's section missing a key is still the file's.
  YAML::Node root = load_yaml_string("a: {b: 1}\n", "t.yaml");
  set_yaml_path(root, "a.c", "2", "--set");
  YamlMap m(root, "t.yaml", "", std::make_shared<const std::set<std::string>>(std::set<std::string>{"a.c"}));
  REQUIRE_THROWS_WITH(m.map("a").integer("d"), Contains("t.yaml:1:4: key 'a.d'"));
}

TEST_CASE("layout errors name the flag that set the value", "[checks][train]") {
  // llama3-8b has 32 layers: pp 24 divides neither them nor 34, and 2 per middle stage are 44.
  TrainConfig c = load_train_config("", {"model=llama3-8b", "training.seq_len=2048", "training.global_batch=8"});
  TrainFlags f;
  f.pp = 24;
  apply_flags(c, f);
  REQUIRE(c.overrides.back().origin == "--pp");
  REQUIRE_THROWS_WITH(check_layout(c, 24), Contains("--pp: parallelism.pp: 24 does not divide layers (32)"));
}

TEST_CASE("model shapes: heads divide hidden unless head_dim is given, and kv_heads divide heads", "[checks][train]") {
  auto model = [](const std::string& extra) {
    YamlMap m(load_yaml_string("name: x\nlayers: 2\nhidden: 4000\nheads: 48\nffn_hidden: 64\nvocab: 10\n" + extra, "m.yaml"), "m.yaml");
    return parse_model(m);
  };
  // 4000 / 48 = 83.3: no silent head_dim of 83.
  REQUIRE_THROWS_WITH(model(""),
                      Contains("m.yaml:4:8: key 'heads': heads (48) does not divide hidden (4000)"));
  REQUIRE(model("head_dim: 128\n").head_dim == 128);
  REQUIRE_THROWS_WITH(model("head_dim: 128\nkv_heads: 7\n"),
                      Contains("kv_heads (7) does not divide heads (48)"));
  REQUIRE(model("head_dim: 128\nkv_heads: 8\n").kv_heads == 8);
}
