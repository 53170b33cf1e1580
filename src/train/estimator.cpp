#include "train/estimator.hpp"

#include <algorithm>
#include <cmath>

#include "train/layer_ops.hpp"

namespace commsim {
namespace {

// Per micro-batch, per layer: exposed communication of one kind.
struct LayerComm {
  double tp = 0, cp = 0, ep = 0, fsdp = 0;
};

}  // namespace

TrainEstimate estimate_training(const TrainConfig& config) {
  EstimateContext ctx(config);
  return estimate_training(config, ctx);
}

TrainEstimate estimate_training(const TrainConfig& config, EstimateContext& ctx) {
  TrainEstimate e;
  e.config = config;
  TrainConfig& c = e.config;
  ctx.check_same_cluster(c);
  const SystemSpec& spec = ctx.spec();
  const int dies = ctx.dies();
  e.gpus = ctx.gpus();
  e.ranks = ctx.ranks();
  e.nodes = ctx.scale().nodes;
  e.gpu = spec.gpu.name;
  e.gpu_display = spec.gpu.display_name;
  check_layout(c, e.ranks);
  const ModelSpec& m = c.model;
  const Parallelism& p = c.par;
  const TrainingParams& tr = c.train;
  const Recompute rc = tr.recompute;

  const std::vector<Stage> stages = pipeline_stages(m, p);
  e.microbatches = static_cast<double>(tr.global_batch) / (static_cast<double>(tr.micro_batch) * p.dp);
  e.tokens_per_step = static_cast<double>(tr.global_batch) * tr.seq_len;
  const Roofline& rl = ctx.roofline(tr.precision);
  const LayerCosts& lcs = ctx.layer_costs(c);
  const LayerCost& dense = lcs.dense;
  const LayerCost& moe = lcs.moe;
  const double emb_f = lcs.embedding;
  const double logit_f = lcs.logits;

  // Communication per micro-batch per layer (memoised by the context: the same collective of the same groups).
  auto comm = [&ctx](Op op, const RankMap& rm, const std::vector<Dim>& dims, double bytes) { return ctx.comm(op, rm, dims, bytes); };
  const RankMap ranks(p);
  const double h = static_cast<double>(m.hidden);
  const double tokens = static_cast<double>(tr.micro_batch) * tr.seq_len / p.cp;  // this rank's sequence shard
  const bool sp_on = p.sp();
  const double Tn = sp_on ? tokens / p.tp : tokens;  // tokens of a TP rank outside the TP region
  LayerComm dense_c, moe_c;
  if (p.tp > 1) {
    const std::vector<Dim> g = {Dim::kTp};
    const double S = tokens * h * 2.0;
    double per_layer;  // forward + backward
    if (sp_on) {
      const double ag = comm(Op::kAllGather, ranks, g, S), rs = comm(Op::kReduceScatter, ranks, g, S);
      per_layer = 4.0 * (ag + rs) + (rc == Recompute::kFull ? 2.0 * (ag + rs) : 0.0);
    } else {
      const double ar = comm(Op::kAllReduce, ranks, g, S);
      per_layer = 4.0 * ar + (rc == Recompute::kFull ? 2.0 * ar : 0.0);
    }
    dense_c.tp = moe_c.tp = c.overlap.tp ? 0.0 : per_layer;
  }
  if (p.cp > 1) {
    const std::vector<Dim> g = {Dim::kCp};
    const double kdim = m.mla ? static_cast<double>(m.q_dim()) : static_cast<double>(m.kv_dim());
    const double vdim = m.mla ? static_cast<double>(m.v_dim()) : static_cast<double>(m.kv_dim());
    const double S = static_cast<double>(tr.micro_batch) * tr.seq_len * (kdim + vdim) / p.tp * 2.0;
    const double ag = comm(Op::kAllGather, ranks, g, S), rs = comm(Op::kReduceScatter, ranks, g, S);
    const double fwd_n = rc == Recompute::kNone ? 1.0 : 2.0;  // recompute gathers K/V again
    dense_c.cp = moe_c.cp = c.overlap.cp ? fwd_n * std::max(0.0, ag - dense.attn) + std::max(0.0, rs - 2.0 * dense.attn)
                                         : fwd_n * ag + rs;
  }
  if (p.ep > 1 && m.moe) {
    const double S = Tn * m.moe->top_k * h * 2.0;
    const double a2a = comm(Op::kAllToAll, ranks, {Dim::kEp}, S);
    const double n = 4.0 + (rc == Recompute::kFull ? 2.0 : 0.0);
    moe_c.ep = c.overlap.ep ? std::max(0.0, n * a2a - 3.0 * moe.experts) : n * a2a;
  }
  // Data parallelism: dense parameters over dp x cp (EP folded inside), experts over (dp / ep) x cp.
  const std::vector<Dim> dp_dense_groups = {Dim::kEp, Dim::kEdp, Dim::kCp};
  const std::vector<Dim> dp_exp_groups = {Dim::kEdp, Dim::kCp};
  const int dp_size = p.dp * p.cp;
  const double grad_b = tr.grad_bytes;
  if (p.zero >= 3 && dp_size > 1) {
    // Per layer: all-gather the weights forward, again backward; reduce-scatter the gradients backward.
    auto fsdp = [&](bool is_moe, const LayerCost& lc) {
      Stage one;
      (is_moe ? one.moe_layers : one.dense_layers) = 1;
      const StageParams sp = stage_params(m, one, p);
      double ag = comm(Op::kAllGather, ranks, dp_dense_groups, sp.dense * 2.0);
      double rs = comm(Op::kReduceScatter, ranks, dp_dense_groups, sp.dense * grad_b);
      if (sp.experts > 0 && p.dp / p.ep * p.cp > 1) {
        ag += comm(Op::kAllGather, ranks, dp_exp_groups, sp.experts * 2.0);
        rs += comm(Op::kReduceScatter, ranks, dp_exp_groups, sp.experts * grad_b);
      }
      if (!c.overlap.fsdp_prefetch) return 2.0 * ag + rs;
      // Prefetched: each gather hides behind the previous layer's compute; what exceeds it is exposed.
      return std::max(0.0, ag - lc.fwd) + std::max(0.0, ag + rs - (lc.compute(rc) - lc.fwd));
    };
    dense_c.fsdp = fsdp(false, dense);
    if (m.moe) moe_c.fsdp = fsdp(true, moe);
  }

  // Per-stage micro-batch time; the slowest stage sets the pipeline's pace.
  struct StageTime {
    double compute = 0, tp = 0, cp = 0, ep = 0, dp = 0;
    double total() const { return compute + tp + cp + ep + dp; }
    double bwd = 0, fwd = 0;
  };
  StageTime worst;
  int worst_k = 0;
  for (std::size_t k = 0; k < stages.size(); ++k) {
    const Stage& s = stages[k];
    StageTime t;
    t.compute = s.dense_layers * dense.compute(rc) + s.moe_layers * moe.compute(rc);
    t.fwd = s.dense_layers * dense.fwd + s.moe_layers * moe.fwd;
    if (s.embedding) t.compute += 3.0 * emb_f, t.fwd += emb_f;
    if (s.logits) t.compute += 3.0 * logit_f, t.fwd += logit_f;
    t.bwd = t.compute - t.fwd;
    t.tp = s.dense_layers * dense_c.tp + s.moe_layers * moe_c.tp;
    t.cp = s.dense_layers * dense_c.cp + s.moe_layers * moe_c.cp;
    t.ep = s.moe_layers * moe_c.ep;
    t.dp = s.dense_layers * dense_c.fsdp + s.moe_layers * moe_c.fsdp;
    if (k == 0 || t.total() > worst.total()) worst = t, worst_k = static_cast<int>(k);
  }
  const double mb = e.microbatches;
  const double tau = worst.total();
  StepBreakdown& b = e.breakdown;
  b.compute = mb * worst.compute;
  b.tp = mb * worst.tp;
  b.cp = mb * worst.cp;
  b.ep = mb * worst.ep;
  b.dp = mb * worst.dp;
  b.bubble = bubble_microbatches(p.pp, p.vpp) * tau;
  e.bubble_fraction = bubble_fraction(p.pp, p.vpp, mb);

  if (p.pp > 1) {
    const double t = ctx.pp_send_recv(ranks, Tn * h * 2.0);
    b.pp = c.overlap.pp ? 2.0 * (p.pp - 1) * t : 2.0 * (mb * p.vpp + p.pp - 1) * t;
  }

  const StageParams sp = stage_params(m, stages[worst_k], p);
  if (p.zero < 3 && dp_size > 1) {
    const double bucket = std::max(c.dp_bucket_params, 1e6 * dp_size);
    auto stream = [&](const std::vector<Dim>& g, double params, Op op, double bytes_per) {
      if (params <= 0 || ranks.group_size(g) < 2) return std::pair<double, double>{0.0, 0.0};
      const double nb = std::ceil(params / bucket);
      const double one = comm(op, ranks, g, std::min(bucket, params) * bytes_per);
      return std::pair<double, double>{nb * one, one};
    };
    const Op grad_op = p.zero == 0 ? Op::kAllReduce : Op::kReduceScatter;
    auto [gd, gd1] = stream(dp_dense_groups, sp.dense, grad_op, grad_b);
    auto [ge, ge1] = stream(dp_exp_groups, sp.experts, grad_op, grad_b);
    const double grads = gd + ge, last = std::max(gd1, ge1);
    b.dp += c.overlap.dp_grad_reduce ? last + std::max(0.0, grads - last - worst.bwd) : grads;
    if (p.zero >= 1) {
      auto [ad, ad1] = stream(dp_dense_groups, sp.dense, Op::kAllGather, 2.0);
      auto [ae, ae1] = stream(dp_exp_groups, sp.experts, Op::kAllGather, 2.0);
      const double gathers = ad + ae, first = std::max(ad1, ae1);
      b.dp += c.overlap.dp_param_gather ? first + std::max(0.0, gathers - first - worst.fwd) : gathers;
    }
  }
  // Optimizer: Adam over this GPU's shard, memory-bound: read grad, master, m, v (16 B), write master, m, v
  // (12 B) and the bf16 weight (2 B) = 30 B per parameter.
  {
    const double dp_e = static_cast<double>(p.dp) / p.ep * p.cp;
    const double shard = p.zero >= 1 ? sp.dense / dp_size + sp.experts / dp_e : sp.total();
    OpCost opt;
    opt.name = "optimizer";
    opt.unit = OpUnit::kMemory;
    opt.bytes = 30.0 * shard;
    b.optimizer = rl.time(opt);
  }
  e.step_time_s = b.sum();

  // Throughput and FLOPs.
  e.tokens_per_s = e.tokens_per_step / e.step_time_s;
  e.tokens_per_s_per_gpu = e.tokens_per_s / e.gpus;
  e.model_flops_per_step = model_flops_per_token(m, static_cast<double>(tr.seq_len)) * e.tokens_per_step;
  e.hardware_flops_per_step = e.model_flops_per_step + recompute_flops_per_token(m, static_cast<double>(tr.seq_len), rc) * e.tokens_per_step;
  e.model_tflops_per_gpu = e.model_flops_per_step / e.step_time_s / e.gpus / 1e12;
  e.hardware_tflops_per_gpu = e.hardware_flops_per_step / e.step_time_s / e.gpus / 1e12;
  e.peak_tflops_per_gpu = (tr.precision == Precision::kFp16 ? spec.gpu.fp16_flops.value : spec.gpu.bf16_flops.value) / 1e12;
  e.mfu = e.model_tflops_per_gpu / e.peak_tflops_per_gpu;
  e.hfu = e.hardware_tflops_per_gpu / e.peak_tflops_per_gpu;
  e.params_total = m.total_params();
  e.params_active = m.active_params();

  e.stage_memory = stage_memories(c, stages, e.microbatches);
  e.memory = *std::max_element(e.stage_memory.begin(), e.stage_memory.end(),
                               [](const MemoryBreakdown& a, const MemoryBreakdown& b) { return a.total() < b.total(); });
  e.memory_capacity = spec.gpu.memory_bytes.value / dies;
  e.fits = e.memory.total() <= e.memory_capacity;

  if (tr.tokens > 0) {
    e.train_tokens = tr.tokens;
    e.train_time_s = tr.tokens / e.tokens_per_s;
    e.gpu_hours = e.gpus * e.train_time_s / 3600.0;
    e.cost_usd = e.gpu_hours * c.gpu_hour_usd;
    e.energy_mwh = e.gpus * spec.gpu.tdp_watts.value * e.train_time_s / 3.6e9;
  }
  return e;
}

}  // namespace commsim
