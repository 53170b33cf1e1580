// `train --ops` rows (train/compute_profile.hpp): each op timed as the estimator times it, rows that sum to the
// estimator's layer, embedding and logits times, and hand-computed shapes.
#include <catch2/catch.hpp>

#include "train/compute_profile.hpp"
#include "train/estimate_context.hpp"
#include "train/estimator.hpp"
#include "train_base.hpp"

using namespace commsim;

namespace {
TrainConfig config(const std::string& model, const std::string& system, int gpus) {
  TrainConfig c = test::train_base(model, system, gpus);
  c.train.seq_len = 4096;
  return c;
}

struct Sums {
  double fwd = 0, bwd = 0;
  int rows = 0, count = 0;
};
Sums sums(const std::vector<OpProfile>& rows, const std::string& part) {
  Sums s;
  for (const OpProfile& r : rows)
    if (r.part == part) s.fwd += r.fwd_s, s.bwd += r.bwd_s, s.count = r.count, ++s.rows;
  return s;
}
}  // namespace

TEST_CASE("compute profile: the rows sum to the estimator's layer times", "[train][profile]") {
  // DeepSeek-V3 on 64 H800 (hgx-h800), fp8, EP 8, with its MTP module: dense, MoE and MTP parts, the host issue floor.
  TrainConfig c = config("deepseek-v3", "hgx-h800", 64);
  c.train.precision = Precision::kFp8;
  c.par.pp = 8, c.par.dp = 8, c.par.ep = 8;
  const std::vector<OpProfile> rows = compute_profile(c);
  TrainConfig checked = c;
  EstimateContext ctx(c);
  check_layout(checked, ctx.ranks());
  const LayerCosts& lc = ctx.layer_costs(checked);
  for (const auto& [part, kind] : {std::pair{"dense layer", LayerKind::kDense}, {"moe layer", LayerKind::kMoe}}) {
    const Sums s = sums(rows, part);
    INFO(part);
    CHECK(s.rows > 10);
    CHECK(s.count == c.model.layers_of(kind));
    CHECK(s.fwd == Approx(lc.of(kind).fwd).epsilon(1e-12));
    CHECK(s.bwd == Approx(lc.of(kind).bwd).epsilon(1e-12));
  }
  CHECK(sums(rows, "moe layer").count == 58);  // 61 layers, the first 3 dense
  CHECK(sums(rows, "embedding").fwd == Approx(lc.embedding).epsilon(1e-12));
  CHECK(sums(rows, "logits").fwd == Approx(lc.logits).epsilon(1e-12));
  CHECK(sums(rows, "logits").bwd == Approx(2 * lc.logits).epsilon(1e-12));  // the estimator's 3x forward
  const Sums mtp = sums(rows, "mtp module");
  CHECK(mtp.count == 1);
  CHECK(mtp.fwd == Approx(lc.mtp.fwd).epsilon(1e-12));
  CHECK(mtp.bwd == Approx(lc.mtp.bwd).epsilon(1e-12));
  // The routed experts' GEMMs are grouped and run at the fp8 rate; the attention core stays bf16.
  bool grouped = false, attention = false;
  for (const OpProfile& r : rows) {
    if (r.op.name == "experts.fc1") grouped = r.op.grouped && r.lowp;
    if (r.op.name == "attention") attention = r.op.unit == OpUnit::kAttention && !r.lowp;
  }
  CHECK(grouped);
  CHECK(attention);
}

TEST_CASE("compute profile: a dense GEMM row by hand", "[train][profile]") {
  // Llama 3 8B, micro-batch 1 x 4096 on one H100, bf16: qkv is 4096 x (128 x (32 + 2 x 8)) x 4096 =
  // 4096 x 6144 x 4096, 2 x 4096 x 6144 x 4096 = 206.158 GFLOP; timed at the bf16 peak x the GEMM efficiency
  // x the GPU's matmul clock (1 for the reference GPU) plus the per-kernel overhead; backward twice that.
  TrainConfig c = config("llama3-8b", "dgx-h100", 1);
  c.train.global_batch = 1;
  const std::vector<OpProfile> rows = compute_profile(c);
  const OpProfile* qkv = nullptr;
  for (const OpProfile& r : rows)
    if (r.op.name == "qkv") qkv = &r;
  REQUIRE(qkv);
  CHECK(qkv->part == "dense layer");
  CHECK(qkv->count == 32);
  CHECK(qkv->op.flops == Approx(206.158e9).epsilon(1e-5));
  EstimateContext ctx(c);
  const Roofline& rl = ctx.roofline(Precision::kBf16);
  const ComputeEfficiency& e = rl.efficiency();
  const double t = std::max(206.158e9 / (rl.peak_flops() * e.gemm.value * rl.matmul_clock(false)),
                            qkv->op.bytes / (rl.memory_bandwidth() * e.memory.value)) +
                   e.gemm_overhead.value;
  CHECK(qkv->fwd_s == Approx(t).epsilon(1e-5));
  CHECK(qkv->bwd_s == Approx(2 * t).epsilon(1e-5));
  CHECK_FALSE(qkv->lowp);
}

TEST_CASE("compute profile: a layout the estimator refuses is refused", "[train][profile]") {
  TrainConfig c = config("llama3-8b", "dgx-h100", 8);
  c.par.tp = 3;  // does not divide 32 heads
  CHECK_THROWS_AS(compute_profile(c), InputError);
}
