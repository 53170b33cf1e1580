// Selective recompute by module (src/train/recompute_cost.hpp): what each of Megatron's recompute_modules
// re-runs, in time, FLOPs and collectives, against hand-worked relations: each comment states it.
#include <catch2/catch.hpp>

#include "train/estimator.hpp"
#include "train/recompute_cost.hpp"

using namespace commsim;

namespace {
TrainConfig on_h100(const std::string& model, int gpus, Recompute r, unsigned modules) {
  TrainConfig c;
  c.model = load_model(model);
  c.has_model = true;
  c.system = "dgx-h100";
  c.gpus = gpus;
  c.train.seq_len = 4096;
  c.train.global_batch = 4 * gpus;
  c.train.recompute = r;
  c.train.recompute_modules = modules;
  return c;
}
// Llama 3 8B on one H100: no collective, so the step is compute (and the optimizer).
TrainEstimate llama(Recompute r, unsigned modules = 0) { return estimate_training(on_h100("llama3-8b", 1, r, modules)); }
}  // namespace

TEST_CASE("recompute FLOPs: GPT-3 175B with core_attn and mlp", "[recompute]") {
  // 96 layers x (2 s (q + v) + 2 (GELU) x 2 h f) = 96 x (2·2048·24576 + 4·12288·49152) = 241.6 G per token.
  const ModelSpec g = load_model("gpt3-175b");
  const double per_layer = 2.0 * 2048 * 24576 + 4.0 * 12288 * 49152;
  CHECK(recompute_flops_per_token(g, 2048, Recompute::kSelective, kRecomputeCoreAttn | kRecomputeMlp) ==
        Approx(96 * per_layer).epsilon(1e-12));
  // The default list [core_attn]: the attention core alone; elementwise modules add no FLOPs.
  CHECK(recompute_flops_per_token(g, 2048, Recompute::kSelective, kRecomputeCoreAttn | kRecomputeLayernorm | kRecomputeMlpAct) ==
        Approx(96 * 2.0 * 2048 * 24576).epsilon(1e-12));
  CHECK(recompute_flops_per_token(g, 2048, Recompute::kNone, kRecomputeMlp) == 0.0);
}

TEST_CASE("recompute modules: which ops each re-runs", "[recompute]") {
  const ModelSpec l = load_model("llama3-8b");  // 32 heads, 8 KV heads
  CHECK(op_recompute(l, LayerKind::kDense, "attention").modules == kRecomputeCoreAttn);
  CHECK(op_recompute(l, LayerKind::kDense, "mlp.act").modules == (kRecomputeMlp | kRecomputeMlpAct));
  // An op's input cast goes with it; FC2's input is the activation's output, so mlp_act re-quantises it too.
  CHECK(op_recompute(l, LayerKind::kDense, "mlp.fc2.cast").modules == (kRecomputeMlp | kRecomputeMlpAct));
  CHECK(op_recompute(l, LayerKind::kDense, "mlp.fc1.cast").modules == kRecomputeMlp);
  CHECK(op_recompute(l, LayerKind::kDense, "rope").modules == 0u);                     // mla_up_proj only under MLA
  // op_sac re-runs wk of the fused QKV: 8 / (32 + 2·8) = 1/6; w3 of SwiGLU's fc1: 1/2; wo whole; not the attention.
  CHECK(op_recompute(l, LayerKind::kDense, "qkv").op_sac == Approx(1.0 / 6.0));
  CHECK(op_recompute(l, LayerKind::kDense, "mlp.fc1").op_sac == 0.5);
  CHECK(op_recompute(l, LayerKind::kDense, "out_proj").op_sac == 1.0);
  CHECK(op_recompute(l, LayerKind::kDense, "attention").op_sac == 0.0);
  const ModelSpec q = load_model("qwen3-30b-a3b");
  CHECK(op_recompute(q, LayerKind::kMoe, "experts.act").modules == (kRecomputeMoe | kRecomputeMoeAct));
  CHECK(op_recompute(q, LayerKind::kMoe, "experts.fc1.cast").modules == kRecomputeMoe);
  CHECK(op_recompute(q, LayerKind::kMoe, "qkv").op_sac == 0.0);  // op_sac: dense layers only
  const ModelSpec d = load_model("deepseek-v3");
  CHECK(op_recompute(d, LayerKind::kMoe, "kv_up").modules == kRecomputeMlaUpProj);
  CHECK(op_recompute(d, LayerKind::kMoe, "shared.fc1").modules == (kRecomputeMoe | kRecomputeSharedExperts));
  CHECK(op_recompute(d, LayerKind::kMoe, "experts.fc2.cast").modules == (kRecomputeMoe | kRecomputeMoeAct));
  // MLA without a Q latent (DeepSeek-V2-Lite): its Q projection is rebuilt with the up-projections.
  CHECK(op_recompute(load_model("deepseek-v2-lite"), LayerKind::kMoe, "q").modules == kRecomputeMlaUpProj);
  // op_sac in an MLA dense layer (wq_a wq_b wkv_a wkv_b wo w1 w3 w2): the even ones q_up, kv_up, w1, w2.
  CHECK(op_recompute(d, LayerKind::kDense, "q_up").op_sac == 1.0);
  CHECK(op_recompute(d, LayerKind::kDense, "q_down").op_sac == 0.0);
  CHECK(op_recompute(d, LayerKind::kDense, "out_proj").op_sac == 0.0);
  CHECK(op_recompute(d, LayerKind::kDense, "mlp.fc1").op_sac == 0.5);
  CHECK(op_recompute(d, LayerKind::kDense, "mlp.fc2").op_sac == 1.0);
}

TEST_CASE("op_sac FLOPs: the even matmuls of a GQA SwiGLU layer", "[recompute]") {
  // Llama 3 8B (h 4096, kv_dim 1024, f 14336, 32 layers): wk + wo + w3 = 2·4096·(1024 + 4096 + 14336) per layer.
  const ModelSpec l = load_model("llama3-8b");
  CHECK(recompute_flops_per_token(l, 8192, Recompute::kSelective, kRecomputeOpSac | kRecomputeLayernorm) ==
        Approx(32 * 2.0 * 4096 * (1024 + 4096 + 14336)).epsilon(1e-12));
}

TEST_CASE("selective recompute time: modules nest and add", "[recompute]") {
  ModuleTimes t{};
  t[0] = 1, t[2] = 0.5, t[3] = 4, t[4] = 8, t[5] = 0.25, t[6] = 2, t[7] = 0.125, t[8] = 3;  // core_attn .. op_sac
  CHECK(selective_recompute_time(t, kRecomputeCoreAttn | kRecomputeMlp | kRecomputeMlpAct, false) == 5.0);  // mlp holds mlp_act
  CHECK(selective_recompute_time(t, kRecomputeMoe | kRecomputeMoeAct | kRecomputeSharedExperts, false) == 8.0);  // moe holds both
  CHECK(selective_recompute_time(t, kRecomputeMoeAct | kRecomputeSharedExperts, false) == 2.25);
  CHECK(selective_recompute_time(t, kRecomputeOpSac | kRecomputeCoreAttn | kRecomputeLayernorm, true) == 3.0);  // op_sac replaces
  CHECK(selective_recompute_time(t, kRecomputeOpSac | kRecomputeCoreAttn | kRecomputeLayernorm, false) == 1.5);
}

TEST_CASE("selective recompute: each module listed costs its forward time, no more", "[recompute]") {
  // On one GPU the step's compute is the layers' (and embedding's, logits') compute, so what a list adds over
  // no recompute is the sum of what its modules add alone.
  const double none = llama(Recompute::kNone).breakdown.compute;
  const double attn = llama(Recompute::kSelective, kRecomputeCoreAttn).breakdown.compute - none;
  const double mlp = llama(Recompute::kSelective, kRecomputeMlp).breakdown.compute - none;
  const double both = llama(Recompute::kSelective, kRecomputeCoreAttn | kRecomputeMlp).breakdown.compute - none;
  const double full = llama(Recompute::kFull).breakdown.compute - none;
  CHECK(attn > 0);
  CHECK(mlp > attn);  // at 4K tokens the SwiGLU MLP (352 MFLOPs per token) outweighs the attention core (67)
  CHECK(both == Approx(attn + mlp).epsilon(1e-12));
  CHECK(both < full);
  // The default list is [core_attn]; mlp_act inside mlp adds nothing more.
  CHECK(llama(Recompute::kSelective).breakdown.compute - none == Approx(attn).epsilon(1e-12));
  CHECK(llama(Recompute::kSelective, kRecomputeMlp | kRecomputeMlpAct).breakdown.compute - none == Approx(mlp).epsilon(1e-12));
  // Full recompute ignores the list; hardware FLOPs count what is recomputed: 32 x (67,108,864 + 352,321,536)
  // per token for [core_attn, mlp] (2·4096·8192 and 3·2·4096·14336), 4 x 4096 tokens.
  const TrainEstimate sel = llama(Recompute::kSelective, kRecomputeCoreAttn | kRecomputeMlp);
  CHECK(sel.hardware_flops_per_step - sel.model_flops_per_step == Approx(32.0 * 419430400.0 * 4 * 4096).epsilon(1e-12));
  CHECK(sel.memory.activations < llama(Recompute::kSelective).memory.activations);
}

TEST_CASE("selective recompute of the MoE block dispatches and combines again", "[recompute]") {
  // Qwen3-30B-A3B on 8 H100 at EP 8 through NCCL's all-to-all: per MoE layer 4 all-to-alls (dispatch and
  // combine, forward and backward), 6 when the block is recomputed: [moe] exposes 1.5x [core_attn]'s EP time.
  TrainConfig c = on_h100("qwen3-30b-a3b", 8, Recompute::kSelective, kRecomputeCoreAttn);
  c.par.ep = 8;
  const TrainEstimate attn = estimate_training(c);
  c.train.recompute_modules = kRecomputeMoe;
  const TrainEstimate moe = estimate_training(c);
  REQUIRE(attn.breakdown.ep > 0);
  CHECK(moe.breakdown.ep == Approx(1.5 * attn.breakdown.ep).epsilon(1e-12));
  CHECK(moe.breakdown.compute > attn.breakdown.compute);
  c.train.recompute_modules = kRecomputeMoeAct;  // the activation alone: no exchange again
  CHECK(estimate_training(c).breakdown.ep == Approx(attn.breakdown.ep).epsilon(1e-12));
}
