// The training validation mapping's reader (study/training_mapping.hpp): each source-rule key reaches its
// field, the schedule takes the training key's spellings, and a bad value names file, line and key.
#include "study/training_mapping.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "core/error.hpp"
#include "scratch_dir.hpp"
#include "study/source_recompute.hpp"

using namespace commsim;

namespace {
std::string write(const test::ScratchDir& d, const std::string& body) {
  const std::string p = d.path("mapping.yaml");
  std::ofstream(p) << "schema_version: 1\nkind: training_validation_mapping\n" << body;
  return p;
}
}  // namespace

TEST_CASE("training mapping: a source rule's keys reach its fields", "[validate][mapping]") {
  test::ScratchDir d("mapping");
  const TrainingMapping m = load_training_mapping(write(d,
      "systems:\n  - {gpu: H100, system: dgx-h100}\n"
      "sources:\n"
      "  - {match: [\"A\", \"B\"], schedule: zero-bubble, vpp: 2, zero: 1, grad_bytes: 2, moment_bytes: 4, fp8: fp8_block,\n"
      "     moe_dispatcher: deepep, overlap_ep: true, overlap_cp: false, attention_kernel: sdpa}\n"
      "  - {match: \"\", schedule: dualpipe}\n"
      "exclude:\n  - {case_id: X1, reason: \"why\"}\n"));
  REQUIRE(m.systems.size() == 1);
  CHECK(m.systems[0].system == "dgx-h100");
  REQUIRE(m.sources.size() == 2);
  const SourceRule& s = m.sources[0];
  CHECK(s.match == std::vector<std::string>{"A", "B"});
  CHECK(s.schedule == Schedule::kZeroBubble);
  CHECK(s.vpp == 2);
  CHECK(s.zero == 1);
  CHECK(s.grad_bytes == 2);
  CHECK(s.moment_bytes == 4);
  CHECK(s.fp8 == Precision::kFp8Block);
  CHECK(s.moe_dispatcher == std::string("deepep"));
  CHECK(s.overlap_ep == true);
  CHECK(s.overlap_cp == false);
  CHECK(!m.sources[1].overlap_cp);  // unstated: the training key's default (hidden)
  CHECK(s.sdpa_attention == true);
  CHECK(m.sources[1].schedule == Schedule::kDualPipe);
  CHECK(m.excluded.at("X1") == "why");
}

TEST_CASE("training mapping: FSDP under PP and pipeline micro-batches", "[validate][mapping]") {
  test::ScratchDir d("mapping");
  const TrainingMapping m = load_training_mapping(write(d,
      "sources:\n  - {match: T, fsdp_reshards_with_pp: false, micro_batch_from_pp: true}\n  - {match: \"\", pp_micro_batch: 1}\n"));
  CHECK(!m.sources.at(0).fsdp_reshards_with_pp);
  CHECK(m.sources.at(0).micro_batch_from_pp);
  CHECK(m.sources.at(1).fsdp_reshards_with_pp);  // unstated: FSDP reshards (ZeRO-3 stays ZeRO-3)
  CHECK(!m.sources.at(1).micro_batch_from_pp);
  CHECK_THROWS_WITH(load_training_mapping(write(d, "sources:\n  - {match: T, pp_micro_batch: 1, micro_batch_from_pp: true}\n")),
                    Catch::Contains("mapping.yaml:4:") && Catch::Contains("sources[0].micro_batch_from_pp") &&
                        Catch::Contains("not both"));
}

TEST_CASE("training mapping: arXiv ids order reports against the software they predate", "[validate][mapping]") {
  using Id = std::pair<int, long>;
  CHECK(first_arxiv_id("Narayanan et al. SC'21 arXiv:2104.04473 Table 1") == Id{2104, 4473});
  CHECK(first_arxiv_id("https://arxiv.org/abs/2205.01068v4") == Id{2205, 1068});
  CHECK(first_arxiv_id("ArXiv 2407.21783 and arXiv:2104.04473") == Id{2407, 21783});  // the first one cited
  CHECK(!first_arxiv_id("NeMo 25.04 performance summary"));
  CHECK(!first_arxiv_id("arXiv:2213.00001"));  // no month 13
  CHECK(!first_arxiv_id("commit 2104.04473"));  // a number without arXiv's name is not an id
  CHECK(Id{2205, 1068} < Id{2205, 14135});      // OPT predates FlashAttention, by number within the month
  test::ScratchDir d("mapping");
  const TrainingMapping m = load_training_mapping(write(d,
      "before_arxiv:\n  - {id: \"2205.14135\", flash_attention: false, note: FlashAttention}\n"));
  REQUIRE(m.eras.size() == 1);
  CHECK(m.eras[0].id == Id{2205, 14135});
  CHECK(m.eras[0].flash_attention == false);
  CHECK(!m.eras[0].sequence_parallel);
  CHECK_THROWS_WITH(load_training_mapping(write(d, "before_arxiv:\n  - {id: \"22.5\", flash_attention: false, note: x}\n")),
                    Catch::Contains("mapping.yaml:4:") && Catch::Contains("before_arxiv[0].id") && Catch::Contains("not an arXiv identifier"));
  CHECK_THROWS_WITH(load_training_mapping(write(d, "before_arxiv:\n  - {id: \"2205.14135\", note: x}\n")),
                    Catch::Contains("sets nothing"));
}

TEST_CASE("training mapping: a bad schedule names file, line and key", "[validate][mapping]") {
  test::ScratchDir d("mapping");
  // zero_bubble is not the training key's spelling (zero-bubble): rejected where it is written, line 4.
  const std::string p = write(d, "sources:\n  - {match: \"NeMo\", schedule: zero_bubble}\n");
  CHECK_THROWS_WITH(load_training_mapping(p),
                    Catch::Contains("mapping.yaml:4:") && Catch::Contains("sources[0].schedule") &&
                        Catch::Contains("unknown value 'zero_bubble'"));
}

TEST_CASE("training mapping: a rule's system override is checked where it is written", "[validate][mapping]") {
  test::ScratchDir d("mapping");
  // Line 4 holds the rule; its second override's value is not a speed. No row uses the rule: still checked.
  const std::string rule = "systems:\n  - {gpu: H100, system: dgx-h100, set: [fabric.nic_speed=200Gb/s";
  CHECK_THROWS_WITH(load_training_mapping(write(d, rule + ", fabric.nic_speed=x]}\n")),
                    Catch::Contains("mapping.yaml:4:") && Catch::Contains("systems[0].set[1]") &&
                        Catch::Contains("'fabric.nic_speed=x': 'x' does not start with a number") &&
                        !Catch::Contains("--set"));
  const TrainingMapping ok = load_training_mapping(write(d, rule + "]}\n"));
  CHECK(ok.systems.at(0).sets == std::vector<std::string>{"fabric.nic_speed=200Gb/s"});
}

TEST_CASE("unsupported rules: `except` names the models a rule does not cover (a built-in hybrid)", "[validate][mapping]") {
  UnsupportedRule u;
  u.match = {"Mamba"};
  u.except = {"Nemotron 3 Nano"};
  u.reason = "hybrid";
  const std::vector<UnsupportedRule> rules = {u};
  // The public file's Nano row: its arch says Mamba, its model is built in.
  CHECK(unsupported_hit(rules, {{"model", "Nemotron 3 Nano 30B-A3B"}, {"arch", "hybrid Mamba-2/attention MoE"}}).reason == nullptr);
  CHECK(unsupported_hit(rules, {{"model", "nemotron-3-nano"}, {"arch", "hybrid Mamba-2"}}).reason == nullptr);  // loosely
  const UnsupportedHit hit = unsupported_hit(rules, {{"model", "Nemotron-H 56B"}, {"arch", "hybrid Mamba-2/attention"}});
  REQUIRE(hit.reason != nullptr);
  CHECK(hit.column == "arch");
  CHECK(*hit.reason == "hybrid");
}

TEST_CASE("training mapping: a source's recompute by model (torchtitan's 70B and 405B tomls run full AC)",
          "[validate][mapping]") {
  test::ScratchDir d("mapping-rbm");
  const TrainingMapping m =
      load_training_mapping(write(d,
                                  "systems:\n  - {gpu: H100, system: dgx-h100}\n"
                                  "sources:\n"
                                  "  - {match: torchtitan, recompute: selective, recompute_by_model: "
                                  "{llama3-70b: full, llama3-405b: full}}\n"));
  const SourceRule& s = m.sources.at(0);
  CHECK(source_recompute(s.recompute_by_model, s.recompute, "llama3-70b") == std::string("full"));
  CHECK(source_recompute(s.recompute_by_model, s.recompute, "llama3-8b") == std::string("selective"));
  CHECK_FALSE(source_recompute({}, std::nullopt, "llama3-8b").has_value());
  // A model the catalog does not have (a typo would never match) and a policy that is none of the three: the
  // line and key.
  CHECK_THROWS_WITH(
      load_training_mapping(write(d,
                                  "systems:\n  - {gpu: H100, system: dgx-h100}\n"
                                  "sources:\n  - {match: x, recompute_by_model: {llama3-70B: full}}\n")),
      Catch::Contains("mapping.yaml:6") && Catch::Contains("unknown model 'llama3-70B'"));
  CHECK_THROWS_WITH(
      load_training_mapping(write(d,
                                  "systems:\n  - {gpu: H100, system: dgx-h100}\n"
                                  "sources:\n  - {match: x, recompute_by_model: {llama3-70b: most}}\n")),
      Catch::Contains("recompute_by_model.llama3-70b") && Catch::Contains("most"));
}

TEST_CASE("training mapping: a source rule's compile is true, false or stated",
          "[validate][mapping][eager]") {
  test::ScratchDir d("mapping-compile");
  const TrainingMapping m = load_training_mapping(
      write(d,
            "systems:\n  - {gpu: H100, system: dgx-h100}\n"
            "sources:\n  - {match: \"A\", compile: stated}\n  - {match: \"B\", compile: false}\n"));
  REQUIRE(m.sources.size() == 2);
  CHECK(m.sources[0].compile == std::optional<std::string>("stated"));
  CHECK(m.sources[1].compile == std::optional<std::string>("false"));
  CHECK_THROWS_WITH(
      load_training_mapping(write(d, "sources:\n  - {match: \"A\", compile: maybe}\n")),
      Catch::Matchers::Contains("mapping.yaml:4") && Catch::Matchers::Contains("sources[0].compile"));
}
