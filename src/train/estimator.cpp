#include "train/estimator.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "train/activation_memory.hpp"
#include "train/ep_layer_comm.hpp"
#include "train/dp_overlap.hpp"
#include "train/layer_ops.hpp"
#include "train/recompute_cost.hpp"
#include "train/tp_overlap.hpp"

namespace commsim {
namespace {

// Per micro-batch, per layer: exposed communication of one kind.
struct LayerComm {
  double tp = 0, cp = 0, ep = 0, fsdp = 0;
  double fsdp_edges =
      0;  // ZeRO-3 prefetched: one layer's gather and reduce-scatter, the step's first and last
};

double h_of(const ModelSpec& m) { return static_cast<double>(m.hidden); }

// Model FLOPs per token of the MTP modules: one layer with its logits (a one-layer copy of the model, as
// model_flops_per_token counts it) and the 2h x h projection.
double mtp_flops_per_token(const TrainConfig& c) {
  const int n = c.mtp_layers();
  if (n == 0) return 0.0;
  ModelSpec one = c.model;
  const bool moe_mtp = one.is_moe_layer(one.layers - 1);
  one.layers = 1;
  if (one.moe) {  // its one layer: MoE iff the model's last layer is
    one.moe->dense_layers = moe_mtp ? 0 : 1;
    one.moe->layer_step = 1;
  }
  const double h = h_of(one);
  return n * (model_flops_per_token(one, static_cast<double>(c.train.seq_len)) + 6.0 * 2.0 * h * h);
}

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
  e.gpus_held = std::max(e.gpus, e.nodes * spec.node.gpus);
  e.gpu = spec.gpu.name;
  e.gpu_display = spec.gpu.display_name;
  check_layout(c, e.ranks);
  const ModelSpec& m = c.model;
  const Parallelism& p = c.par;
  const TrainingParams& tr = c.train;
  const Recompute rc = tr.recompute;
  const unsigned mods = effective_recompute_modules(tr);  // selective recompute's modules (0 otherwise)

  const Schedule sched = p.sched();
  const std::vector<Stage> stages = pipeline_stages(m, p, c.mtp_layers());
  e.microbatches = static_cast<double>(tr.global_batch) / (static_cast<double>(tr.micro_batch) * p.dp);
  e.tokens_per_step = static_cast<double>(tr.global_batch) * tr.seq_len;
  const Roofline& rl = [&]() -> const Roofline& {
    try {
      return ctx.roofline(tr.precision);  // built once per context and precision
    } catch (const InputError& e) {
      // A precision the GPU has no rate for: named where the precision came from (the file line, --set or
      // --precision); the roofline's message has no place.
      if (e.loc().file.empty() && e.message().rfind("training.precision: ", 0) == 0)
        throw InputError(origin_loc(c, "training.precision"), e.message());
      throw;
    }
  }();
  const LayerCosts& lcs = ctx.layer_costs(c);
  const LayerCost& mtp = lcs.mtp;
  const double emb_f = lcs.embedding;
  const double logit_f = lcs.logits;
  const std::size_t mtp_kind = static_cast<std::size_t>(m.layer_kind(m.layers - 1));  // an MTP module's layer

  // Communication per micro-batch per layer (memoised by the context: the same collective of the same groups).
  auto comm = [&ctx](Op op, const RankMap& rm, const std::vector<Dim>& dims, double bytes) { return ctx.comm(op, rm, dims, bytes); };
  const RankMap ranks(p);
  const double h = h_of(m);
  const double tokens = static_cast<double>(tr.micro_batch) * tr.seq_len / p.cp;  // this rank's sequence shard
  const bool sp_on = p.sp();
  const double Tn = sp_on ? tokens / p.tp : tokens;  // tokens of a TP rank outside the TP region
  // Data parallelism: dense parameters over dp x cp, experts over the expert-DP group tp*cp*dp/(etp*ep).
  // Hybrid sharding (dp_shard): ZeRO's collectives run in one copy's shard group (dp_shard x cp, the
  // expert-DP group's part), and each shard's gradients are all-reduced over the copies (rep groups).
  const std::vector<Dim> dp_dense_groups = {Dim::kDpShard, Dim::kCp};
  const std::vector<Dim> dp_exp_groups = {Dim::kEdpShard};
  const std::vector<Dim> rep_dense_groups = {Dim::kDpRep}, rep_exp_groups = {Dim::kEdpRep};
  const int dp_size = p.zero_dp() * p.cp;
  const int copies = p.dp_replicas();
  // Gradients and ZeRO shards move over either group: at dp x cp = 1 the expert-DP group may still exceed 1
  // (tp 8, ep 2, etp 1: edp 4); a group of one rank costs nothing.
  const bool dp_comm = p.dp * p.cp > 1 || p.edp() > 1;
  const double grad_b = tr.grad_bytes;
  // Exposed communication per layer and micro-batch of each kind of layer under recompute policy `r`
  // (recompute runs the forward's collectives again).
  using KindComm = std::array<LayerComm, kLayerKinds>;
  auto layer_comms = [&](Recompute r) {
    const unsigned rmods = r == Recompute::kSelective ? effective_recompute_modules(tr) : 0;
    KindComm out{};
    double ag = 0, rs = 0, ar = 0;
    if (p.tp > 1) {
      const std::vector<Dim> g = {Dim::kTp};
      const double S = tokens * h * 2.0;
      if (sp_on) ag = comm(Op::kAllGather, ranks, g, S), rs = comm(Op::kReduceScatter, ranks, g, S);
      else ar = comm(Op::kAllReduce, ranks, g, S);
    }
    double cp_ag = 0, cp_rs = 0;
    if (p.cp > 1) {
      const std::vector<Dim> g = {Dim::kCp};
      const double kdim = m.mla ? static_cast<double>(m.q_dim()) : static_cast<double>(m.kv_dim());
      const double vdim = m.mla ? static_cast<double>(m.v_dim()) : static_cast<double>(m.kv_dim());
      const double S = static_cast<double>(tr.micro_batch) * tr.seq_len * (kdim + vdim) / p.tp * 2.0;
      cp_ag = comm(Op::kAllGather, ranks, g, S), cp_rs = comm(Op::kReduceScatter, ranks, g, S);
    }
    for (int k = 0; k < kLayerKinds; ++k) {
      const LayerKind kind = static_cast<LayerKind>(k);
      if (m.layers_of(kind) == 0) continue;
      const LayerCost& lc = lcs.of(kind);
      LayerComm& lk = out[static_cast<std::size_t>(k)];
      const double compute = lc.compute(r, rmods);
      if (p.tp > 1) {
        const int forwards = r == Recompute::kFull ? 2 : 1;
        const double regions = lc.tp_pairs.regions();  // forward: one gather and one scatter (or reduce) each
        if (c.overlap.tp) lk.tp = sp_on ? tp_exposed_sp(ag, rs, lc.tp_pairs, forwards) : tp_exposed_ar(ar, lc.tp_pairs, forwards);
        else lk.tp = sp_on ? regions * (2.0 * (ag + rs) + (forwards - 1) * (ag + rs)) : regions * (2.0 * ar + (forwards - 1) * ar);
        if (r == Recompute::kSelective && lc.tp_pairs.mlp && reruns_ffn(kind, rmods)) {
          // A recomputed MLP or MoE block gathers its input and scatters its output again (forward pairs once).
          TpPairGemms ffn = lc.tp_pairs;
          ffn.mixer = false;
          if (c.overlap.tp) lk.tp += sp_on ? tp_exposed_sp(ag, rs, ffn, 2) - tp_exposed_sp(ag, rs, ffn, 1)
                                           : tp_exposed_ar(ar, ffn, 2) - tp_exposed_ar(ar, ffn, 1);
          else lk.tp += sp_on ? ag + rs : ar;
        }
      }
      if (p.cp > 1 && kind_has_attention(kind)) {
        const double fwd_n = reruns_attention(r, kind, rmods) ? 2.0 : 1.0;  // recomputing the core gathers K/V again
        lk.cp = c.overlap.cp ? fwd_n * std::max(0.0, cp_ag - lc.attn) + std::max(0.0, cp_rs - 2.0 * lc.attn) : fwd_n * cp_ag + cp_rs;
      }
      double ep_total = 0;  // the whole exchange; what overlap.ep hid used the compute ZeRO-3's gathers need too
      if (p.ep > 1 && kind_has_moe(kind))
        lk.ep = ep_layer_exposed(ctx, c, ranks, ep_recompute(r, kind, rmods), compute, lc.shared(r, rmods),
                                 &ep_total);
      if (kind_has_moe(kind)) {
        // Exposed whole: in the total too, so the compute hiding the EP exchange is unchanged.
        const double etp_gather = etp_gather_exposed(ctx, c, ranks, ep_recompute(r, kind, rmods));
        lk.ep += etp_gather, ep_total += etp_gather;
      }
      if (p.zero >= 3 && dp_comm) {
        // Per layer: all-gather the weights forward, again backward; reduce-scatter the gradients backward.
        Stage one;
        one.kinds[static_cast<std::size_t>(k)] = 1;
        const StageParams sp = stage_params(m, one, p);
        double fag = comm(Op::kAllGather, ranks, dp_dense_groups, sp.dense * 2.0);
        double frs = comm(Op::kReduceScatter, ranks, dp_dense_groups, sp.dense * grad_b);
        if (sp.experts > 0 && p.edp_shard() > 1) {
          fag += comm(Op::kAllGather, ranks, dp_exp_groups, sp.experts * 2.0);
          frs += comm(Op::kReduceScatter, ranks, dp_exp_groups, sp.experts * grad_b);
        }
        if (copies > 1) {  // HSDP: the layer's reduced shard, all-reduced over the copies in the backward
          frs += comm(Op::kAllReduce, ranks, rep_dense_groups, sp.dense / dp_size * grad_b);
          if (sp.experts > 0)
            frs += comm(Op::kAllReduce, ranks, rep_exp_groups, sp.experts / p.edp_shard() * grad_b);
        }
        // Prefetched: each gather hides behind the previous layer's compute; what exceeds it is exposed. The
        // compute that already hides an overlapped EP exchange is not there twice: the windows shrink by the
        // exchange's hidden share (selective recompute's extra compute hid the EP and the ZeRO-3 traffic each
        // in full, and the step got faster with more work).
        const double ep_hidden = std::max(0.0, ep_total - lk.ep);
        const double left = compute > 0 ? std::max(0.0, 1.0 - ep_hidden / compute) : 0.0;
        lk.fsdp = !c.overlap.fsdp_prefetch ? 2.0 * fag + frs
                                           : std::max(0.0, fag - left * lc.fwd) +
                                                 std::max(0.0, fag + frs - left * (compute - lc.fwd));
        // The step's first gather has no layer before it and its last reduce-scatter none after it: exposed
        // once a step (without them a prefetched ZeRO-3 showed no DP time at all, and came out faster than
        // ZeRO-1 with its bucket tails on the same layout; 2026-12-06).
        // What the steady state hid of them is added back: the gather's hidden part, and the part of the
        // backward window left to the reduce-scatter after the gather (so a prefetch is never slower than
        // none).
        if (c.overlap.fsdp_prefetch)
          lk.fsdp_edges = std::min(fag, left * lc.fwd) +
                          std::max(0.0, std::min(fag + frs, left * (compute - lc.fwd)) - fag);
      }
    }
    return out;
  };
  const KindComm kc = layer_comms(rc);
  // Block recompute (training.recompute_num_layers): a stage's other layers run without recompute.
  const bool partial = rc == Recompute::kFull && tr.recompute_layers > 0;
  const KindComm kn = partial ? layer_comms(Recompute::kNone) : KindComm{};

  // ZeRO-3's embedding and output-layer units (vocab x hidden / tp each): one gather and one reduce-scatter.
  // Without prefetch each is exposed per micro-batch as a layer's is (gathered forward and backward); with
  // it, the embedding's open and close the step (below) and the output layer's hide as a layer's do.
  const std::pair<double, double> vocab_unit = [&]() -> std::pair<double, double> {
    if (p.zero < 3 || !dp_comm) return {0.0, 0.0};
    const double vh = static_cast<double>(m.vocab) * h / p.tp;
    double rs = comm(Op::kReduceScatter, ranks, dp_dense_groups, vh * grad_b);
    if (copies > 1) rs += comm(Op::kAllReduce, ranks, rep_dense_groups, vh / dp_size * grad_b);
    return {comm(Op::kAllGather, ranks, dp_dense_groups, vh * 2.0), rs};
  }();

  // Per-stage micro-batch time; the slowest stage sets the pipeline's pace.
  struct StageTime {
    double compute = 0, tp = 0, cp = 0, ep = 0, dp = 0;
    double total() const { return compute + tp + cp + ep + dp; }
    double bwd = 0, fwd = 0, w = 0;
  };
  std::vector<StageTime> times;
  for (std::size_t k = 0; k < stages.size(); ++k) {
    const Stage& s = stages[k];
    StageTime t;
    // Under block recompute a share f of the stage's layers is recomputed, the rest runs without.
    const double f = recomputed_share(s, c);
    auto mix = [f](double recomputed, double kept) { return f < 1.0 ? f * recomputed + (1.0 - f) * kept : recomputed; };
    auto cost = [&](const LayerCost& lc) { return lc.compute(rc, mods, f); };
    for (std::size_t k = 0; k < s.kinds.size(); ++k) {
      const LayerCost& lc = lcs.kind[k];
      t.compute += s.kinds[k] * cost(lc), t.fwd += s.kinds[k] * lc.fwd, t.w += s.kinds[k] * lc.gemm;
    }
    if (s.embedding) t.compute += 3.0 * emb_f, t.fwd += emb_f;
    if (s.logits) t.compute += 3.0 * logit_f, t.fwd += logit_f;
    if (!c.overlap.fsdp_prefetch) {
      const int units = (s.embedding ? 1 : 0) + (s.logits && (!m.tied_embeddings || p.pp > 1) ? 1 : 0);
      t.dp += units * (2.0 * vocab_unit.first + vocab_unit.second);
    }
    t.compute += s.mtp_layers * cost(mtp), t.fwd += s.mtp_layers * mtp.fwd;
    t.w += s.mtp_layers * mtp.gemm + (s.logits ? logit_f : 0.0);
    t.bwd = t.compute - t.fwd;
    for (std::size_t k = 0; k < s.kinds.size(); ++k) {
      const int n = s.kinds[k] + (k == mtp_kind ? s.mtp_layers : 0);  // an MTP module communicates as its layer
      if (n == 0) continue;
      t.tp += n * mix(kc[k].tp, kn[k].tp), t.cp += n * mix(kc[k].cp, kn[k].cp);
      t.ep += n * mix(kc[k].ep, kn[k].ep), t.dp += n * mix(kc[k].fsdp, kn[k].fsdp);
    }
    times.push_back(t);
  }
  if (sched == Schedule::kDualPipe) {
    // Rank k runs stage k for one direction's micro-batches and stage p - 1 - k for the other's: m/2 each.
    const std::vector<StageTime> one = times;
    for (std::size_t k = 0; k < one.size(); ++k) {
      const StageTime &a = one[k], &z = one[one.size() - 1 - k];
      StageTime& t = times[k];
      t.compute = (a.compute + z.compute) / 2, t.tp = (a.tp + z.tp) / 2, t.cp = (a.cp + z.cp) / 2;
      t.ep = (a.ep + z.ep) / 2, t.dp = (a.dp + z.dp) / 2;
      t.fwd = (a.fwd + z.fwd) / 2, t.bwd = (a.bwd + z.bwd) / 2, t.w = (a.w + z.w) / 2;
    }
  }
  int worst_k = 0;
  for (std::size_t k = 1; k < times.size(); ++k)
    if (times[k].total() > times[worst_k].total()) worst_k = static_cast<int>(k);
  const StageTime& worst = times[worst_k];
  const double mb = e.microbatches;
  const double tau = worst.total();
  StepBreakdown& b = e.breakdown;
  b.compute = mb * worst.compute;
  b.tp = mb * worst.tp;
  b.cp = mb * worst.cp;
  b.ep = mb * worst.ep;
  b.dp = mb * worst.dp;
  // The schedule's idle micro-batch times (pipeline_schedule.hpp); F, B, W of the slowest stage.
  const double bubble_mb = schedule_bubble_microbatches(sched, p.pp, p.vpp, MicrobatchTimes{worst.fwd, worst.bwd, worst.w});
  b.bubble = bubble_mb * tau;
  e.bubble_fraction = bubble_fraction(bubble_mb, mb);

  if (p.pp > 1) {
    const double t = ctx.pp_send_recv(ranks, Tn * h * 2.0);
    b.pp = c.overlap.pp ? 2.0 * (p.pp - 1) * t : 2.0 * (mb * p.vpp + p.pp - 1) * t;
  }

  // The data-parallel tail and the optimizer: every stage reduces, gathers and steps its own parameters, and
  // the step ends when the last stage is done: the largest over stages (the slowest stage's alone left out a
  // first stage's large embedding, or a dense-first stage's dense weights).
  auto params_of = [&](std::size_t k) {
    StageParams sp = stage_params(m, stages[k], p);
    if (sched == Schedule::kDualPipe) {  // the rank also holds the mirror stage's parameters
      const StageParams z = stage_params(m, stages[stages.size() - 1 - k], p);
      sp.dense += z.dense, sp.experts += z.experts;
    }
    return sp;
  };
  // Megatron's bucket: max(40M, 1M x the whole DP x CP group), hybrid sharding or not.
  const double bucket = std::max(c.dp_bucket_params, 1e6 * p.dp * p.cp);
  // `params` in buckets over group `g`: the whole time and the exposed bucket's; `part` of each bucket moves
  // (HSDP's all-reduce over the copies moves the bucket's shard). Full buckets and one of the remainder (it
  // charged every bucket full: a 2e9 bucket over 2.27e9 parameters moved 4e9). The exposed one is a full
  // bucket where there is one: Megatron fills buckets in backward order, so the partial one, the first
  // layers', is reduced last, but only after the full bucket before it, which is ready late in the backward
  // (taking the partial one alone made the overlapped DP time jump with the bucket size: 0.011 s at 7e8
  // parameters, 0.044 at 7.2e8).
  auto stream = [&](const std::vector<Dim>& g, double params, Op op, double bytes_per, double part = 1.0) {
    if (params <= 0 || ranks.group_size(g) < 2) return std::pair<double, double>{0.0, 0.0};
    const double full = std::floor(params / bucket), rest = params - full * bucket;
    const double one = full > 0 ? comm(op, ranks, g, bucket * part * bytes_per) : 0.0;
    const double partial = rest > 0 ? comm(op, ranks, g, rest * part * bytes_per) : 0.0;
    return std::pair<double, double>{full * one + partial, full > 0 ? one : partial};
  };
  double dp_tail = 0, optimizer = 0;
  for (std::size_t k = 0; k < stages.size(); ++k) {
    const StageParams sp = params_of(k);
    const StageTime& st = times[k];
    if (p.zero >= 3 && dp_comm) {
      // The stage's first layer: its first gather, last reduce-scatter. Before it, the embedding's unit (the
      // first stage's): its gather opens the forward with nothing to hide behind, and its reduce-scatter
      // closes the backward after the embedding's gradient, the step's last compute. The output layer's unit
      // sits beside the last layer and hides as a layer does (not added).
      double edges = stages[k].layers > 0
                         ? kc[static_cast<std::size_t>(m.layer_kind(stages[k].first_layer))].fsdp_edges
                         : 0.0;
      if (stages[k].embedding && c.overlap.fsdp_prefetch) edges += vocab_unit.first + vocab_unit.second;
      dp_tail = std::max(dp_tail, edges);
    }
    if (p.zero < 3 && dp_comm) {
      const Op grad_op = p.zero == 0 ? Op::kAllReduce : Op::kReduceScatter;
      auto [gd, gd1] = stream(dp_dense_groups, sp.dense, grad_op, grad_b);
      auto [ge, ge1] = stream(dp_exp_groups, sp.experts, grad_op, grad_b);
      double grads = gd + ge, last = std::max(gd1, ge1);
      if (copies >
          1) {  // Megatron's distributed-optimizer instances: each bucket's shard all-reduced over the copies
        auto [rd, rd1] = stream(rep_dense_groups, sp.dense, Op::kAllReduce, grad_b, 1.0 / dp_size);
        auto [re, re1] = stream(rep_exp_groups, sp.experts, Op::kAllReduce, grad_b, 1.0 / p.edp_shard());
        grads += rd + re, last += std::max(rd1, re1);
      }
      // Interleaved: each model chunk's buckets go as soon as its last backward is done (dp_overlap.hpp).
      const int chunks = sched == Schedule::kInterleaved ? p.vpp : 1;
      const double round = std::min(mb, static_cast<double>(p.pp));
      double tail = c.overlap.dp_grad_reduce ? dp_overlap_exposed(grads, last, st.bwd, chunks, round) : grads;
      // ZeRO-2 keeps no whole gradient: every micro-batch's backward reduce-scatters its gradients (DeepSpeed
      // stage 2, FSDP's SHARD_GRAD_OP), not the last one's only. The earlier micro-batches' reduce-scatters
      // run until the stage's next backward, one pipeline pace tau later (the slowest stage's micro-batch
      // time: a light stage waits on it too), beside everything but the stage's own exposed EP, CP and ZeRO-3
      // traffic, which holds the same NICs; what exceeds that window is exposed, each of them (helper-181:
      // ZeRO-2 was costed as ZeRO-1, one reduce-scatter a step, and stored as ZeRO-2, so the layout search
      // took its sharded gradients for free; helper-183: the stage's own time, not the pace). Under DualPipe
      // a micro-batch passes one of the rank's two stages: half the rank's gradients each.
      if (p.zero == 2 && mb > 1) {
        const double per_mb = sched == Schedule::kDualPipe ? grads / 2.0 : grads;
        const double window = std::max(0.0, tau - st.ep - st.cp - st.dp);
        tail += (mb - 1.0) * (c.overlap.dp_grad_reduce ? std::max(0.0, per_mb - window) : per_mb);
      }
      if (p.zero >= 1) {
        auto [ad, ad1] = stream(dp_dense_groups, sp.dense, Op::kAllGather, 2.0);
        auto [ae, ae1] = stream(dp_exp_groups, sp.experts, Op::kAllGather, 2.0);
        const double gathers = ad + ae, first = std::max(ad1, ae1);
        tail +=
            c.overlap.dp_param_gather ? dp_overlap_exposed(gathers, first, st.fwd, chunks, round) : gathers;
      }
      dp_tail = std::max(dp_tail, tail);
    }
    // Optimizer: Adam over this GPU's shard, memory-bound: read grad, master, m, v (16 B), write master, m, v
    // (12 B) and the bf16 weight (2 B) = 30 B per parameter; bf16 moments (moment_bytes 2) read and write 2 B
    // less each: 22 B.
    const double shard = p.zero >= 1 ? sp.dense / dp_size + sp.experts / p.edp_shard() : sp.total();
    OpCost opt;
    opt.name = "optimizer";
    opt.unit = OpUnit::kMemory;
    opt.bytes = (14.0 + 4.0 * tr.moment_bytes) * shard;
    optimizer = std::max(optimizer, rl.time(opt));
  }
  b.dp += dp_tail;
  b.optimizer = optimizer;
  e.step_time_s = b.sum();

  // Throughput and FLOPs.
  e.tokens_per_s = e.tokens_per_step / e.step_time_s;
  e.tokens_per_s_per_gpu = e.tokens_per_s / e.gpus;
  e.model_flops_per_step = (model_flops_per_token(m, static_cast<double>(tr.seq_len)) + mtp_flops_per_token(c)) * e.tokens_per_step;
  double recomputed = 1.0;  // the share of the layers recompute re-runs (block recompute: some of them)
  if (partial) {
    double r = 0, all = 0;
    for (const Stage& s : stages) r += recomputed_layers(s, c), all += s.layers;
    recomputed = all > 0 ? r / all : 0.0;
  }
  e.hardware_flops_per_step =
      e.model_flops_per_step + recomputed * recompute_flops_per_token(m, static_cast<double>(tr.seq_len), rc, mods) * e.tokens_per_step;
  e.model_tflops_per_gpu = e.model_flops_per_step / e.step_time_s / e.gpus / 1e12;
  e.hardware_tflops_per_gpu = e.hardware_flops_per_step / e.step_time_s / e.gpus / 1e12;
  e.peak_tflops_per_gpu = (tr.precision == Precision::kFp16 ? spec.gpu.fp16_flops.value : spec.gpu.bf16_flops.value) / 1e12;
  e.mfu = e.model_tflops_per_gpu / e.peak_tflops_per_gpu;
  e.hfu = e.hardware_tflops_per_gpu / e.peak_tflops_per_gpu;
  if (is_fp8(tr.precision) && spec.gpu.fp8_flops && spec.gpu.fp8_flops->value > 0) {
    e.peak_fp8_tflops_per_gpu = spec.gpu.fp8_flops->value / 1e12;
    e.mfu_fp8 = e.model_tflops_per_gpu / e.peak_fp8_tflops_per_gpu;
  }
  if (tr.precision == Precision::kNvfp4 && spec.gpu.fp4_flops && spec.gpu.fp4_flops->value > 0) {
    e.peak_fp4_tflops_per_gpu = spec.gpu.fp4_flops->value / 1e12;
    e.mfu_fp4 = e.model_tflops_per_gpu / e.peak_fp4_tflops_per_gpu;
  }
  e.params_total = m.total_params();
  e.params_active = m.active_params();

  e.stage_memory = stage_memories(c, stages, e.microbatches);
  e.memory = *std::max_element(e.stage_memory.begin(), e.stage_memory.end(),
                               [](const MemoryBreakdown& a, const MemoryBreakdown& b) { return a.total() < b.total(); });
  e.memory_capacity = spec.gpu.memory_bytes.value / dies;
  e.fits = e.memory.needed() <= e.memory_capacity;

  if (tr.tokens > 0) {
    e.train_tokens = tr.tokens;
    e.train_time_s = tr.tokens / e.tokens_per_s;
    e.gpu_hours = e.gpus * e.train_time_s / 3600.0;
    // Whole nodes are paid for: eight DGX nodes at one GPU each cost their 64 GPUs (the 8 used were
    // priced, 8x low, until 2026-12-06).
    e.cost_usd = e.gpus_held * e.train_time_s / 3600.0 * c.gpu_hour_usd;
    e.energy_mwh = e.gpus * spec.gpu.tdp_watts.value * e.train_time_s / 3.6e9;
  }
  return e;
}

}  // namespace commsim
