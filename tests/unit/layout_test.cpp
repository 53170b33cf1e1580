// Layout: expert parallelism folded over TP x CP x DP (etp), pipeline schedules (bubble, in-flight
// micro-batches, DualPipe's two stages per rank), Megatron's default uneven split, multi-token prediction,
// the EP overlap model. Expected values computed by hand (comments).
#include <catch2/catch.hpp>
#include <tuple>

#include "coll/group.hpp"
#include "core/error.hpp"
#include "topo/system_loader.hpp"
#include "topo/topology.hpp"
#include "train/comm_model.hpp"
#include "train/ep_layer_comm.hpp"
#include "train/ep_overlap.hpp"
#include "train/estimate_context.hpp"
#include "train/estimator.hpp"
#include "train/memory_model.hpp"
#include "train/pipeline_layout.hpp"
#include "train/pipeline_schedule.hpp"
#include "train/rank_map.hpp"

using namespace commsim;
using Groups = std::vector<std::vector<int>>;

TEST_CASE("schedule bubbles (p 8, F 1, B 2, W 1)", "[layout]") {
  const MicrobatchTimes t{1, 2, 1};  // F + B = 3
  // 1F1B (p-1)(F+B) = 21 -> 7 micro-batch times; interleaved v 2: 10.5 -> 3.5
  CHECK(schedule_bubble_microbatches(Schedule::k1f1b, 8, 1, t) == Approx(7.0));
  CHECK(schedule_bubble_microbatches(Schedule::kInterleaved, 8, 2, t) == Approx(3.5));
  // ZB-H1 (p-1)(F+B-2W) = 7 * 1 = 7 -> 7/3
  CHECK(schedule_bubble_microbatches(Schedule::kZeroBubble, 8, 1, t) == Approx(7.0 / 3));
  // DualPipe (p/2-1)(F&B + B - 3W) = 3 * (3 + 2 - 3) = 6 -> 2
  CHECK(schedule_bubble_microbatches(Schedule::kDualPipe, 8, 1, t) == Approx(2.0));
  CHECK(schedule_bubble_microbatches(Schedule::kDualPipe, 1, 1, t) == 0);
  // bubble fraction 7 / (32 + 7)
  CHECK(bubble_fraction(7.0, 32) == Approx(7.0 / 39));
}

TEST_CASE("micro-batches in flight per schedule", "[layout]") {
  // 1F1B and ZB-H1: min(m, p - i); p 4, m 8 -> 4 on stage 0, 1 on stage 3; m 2 -> 2 on stage 0
  CHECK(schedule_in_flight(Schedule::k1f1b, 0, 4, 1, 8) == 4);
  CHECK(schedule_in_flight(Schedule::kZeroBubble, 3, 4, 1, 8) == 1);
  CHECK(schedule_in_flight(Schedule::kZeroBubble, 0, 4, 1, 2) == 2);
  // interleaved p 4, v 2, m 8: (2*3 + 4 + 1) / 2 = 5.5 on stage 0
  CHECK(schedule_in_flight(Schedule::kInterleaved, 0, 4, 2, 8) == Approx(5.5));
  // DualPipe: p + 1 on every rank
  CHECK(schedule_in_flight(Schedule::kDualPipe, 0, 8, 1, 32) == 9);
  CHECK(schedule_in_flight(Schedule::kDualPipe, 7, 8, 1, 32) == 9);
  CHECK(parse_schedule("zero-bubble", "k") == Schedule::kZeroBubble);
  CHECK_THROWS_AS(parse_schedule("gpipe", "parallelism.schedule"), InputError);
}

TEST_CASE("default uneven split (embedding, loss and MTP count as a layer)", "[layout]") {
  auto check = [](int layers, int pp, int mtp, int first, int last) {
    const DefaultSplit d = default_uneven_split(layers, pp, mtp);
    CHECK(d.ok);
    CHECK(d.first == first);
    CHECK(d.last == last);
  };
  check(126, 16, 0, 7, 7);   // 128 / 16 = 8: 7 + 14 x 8 + 7 (Llama 3 405B)
  check(126, 8, 0, 15, 15);  // 128 / 8 = 16: 15 + 6 x 16 + 15
  check(94, 8, 0, 11, 11);   // 96 / 8 = 12: 11 + 6 x 12 + 11 (Qwen3-235B)
  check(61, 16, 1, 3, 2);    // 64 / 16 = 4: 3 + 14 x 4 + 2 + MTP (DeepSeek-V3 report)
  check(61, 8, 1, 7, 6);     // 64 / 8 = 8: 7 + 6 x 8 + 6 + MTP
  CHECK(default_uneven_split(126, 16, 0).megatron);
  // Megatron's needs p | units; else the balanced split: ceil(L/p) per middle stage, the rest to the ends.
  check(61, 8, 0, 7, 6);  // 63 units on 8 stages: 8 per middle stage, 61 - 48 = 13 -> 7 + 6
  CHECK_FALSE(default_uneven_split(61, 8, 0).megatron);
  check(60, 16, 0, 2, 2);  // DeepSeek-V2 on PP 16 (62 units): 4 per middle stage, 60 - 56 = 4
  check(62, 32, 1, 1, 1);  // 65 units: 2 per middle stage, 62 - 60 = 2
  CHECK_FALSE(default_uneven_split(61, 32, 0).ok);  // 2 per middle stage leave 1 for both ends
  CHECK_FALSE(default_uneven_split(80, 64, 0).ok);  // 2 per middle stage are 124 > 80
  CHECK_FALSE(default_uneven_split(5, 1, 0).ok);
  // The balanced split is Megatron's where p | units and 2 + mtp < p.
  for (const auto& [L, p, mtp] : {std::tuple{126, 16, 0}, {126, 8, 0}, {94, 8, 0}, {61, 16, 1}, {61, 8, 1}}) {
    const DefaultSplit b = balanced_uneven_split(L, p), d = default_uneven_split(L, p, mtp);
    CHECK(b.first == d.first);
    CHECK(b.last == d.last);
  }
  // layers = INT_MAX: the units do not wrap to a negative count (it was named in the message), nor does
  // ceil(L/p) in the balanced split.
  CHECK(default_uneven_split(2147483647, 4, 0).units == 2147483649L);
  const DefaultSplit big = default_uneven_split(2147483647, 4, 0);
  CHECK(big.ok);  // 536870912 per middle stage, 2147483647 - 1073741824 = 1073741823 -> 536870912 + 536870911
  CHECK(big.first == 536870912);
  CHECK(big.last == 536870911);
  // The stages it gives: 61 + MTP on 8 -> last stage 6 layers and the MTP module
  ModelSpec m = load_model("deepseek-v3");
  Parallelism p;
  p.pp = 8;
  p.first_stage_layers = 7;
  p.last_stage_layers = 6;
  const auto st = pipeline_stages(m, p, 1);
  CHECK(st.front().layers == 7);
  CHECK(st[1].layers == 8);
  CHECK(st.back().layers == 6);
  CHECK(st.back().mtp_layers == 1);
  CHECK(st.front().mtp_layers == 0);
}

TEST_CASE("group_containing gives each rank's group of groups() and its index", "[layout]") {
  const std::vector<std::vector<Dim>> dimsets = {{Dim::kTp},
                                                 {Dim::kCp},
                                                 {Dim::kDp},
                                                 {Dim::kPp},
                                                 {Dim::kDp, Dim::kCp},
                                                 {Dim::kTp, Dim::kCp},
                                                 {Dim::kEp},
                                                 {Dim::kEtp},
                                                 {Dim::kEdp},
                                                 {Dim::kEtp, Dim::kEp},
                                                 {Dim::kDpShard, Dim::kCp},
                                                 {Dim::kDpRep},
                                                 {Dim::kEdpShard},
                                                 {Dim::kEdpRep}};
  std::vector<Parallelism> layouts(4);
  layouts[0].tp = 2, layouts[0].cp = 2, layouts[0].dp = 4, layouts[0].pp = 3, layouts[0].ep = 4, layouts[0].etp = 1;
  layouts[1].tp = 4, layouts[1].dp = 6, layouts[1].pp = 2, layouts[1].ep = 2;
  layouts[2].tp = 1, layouts[2].cp = 3, layouts[2].dp = 2, layouts[2].pp = 2, layouts[2].ep = 3;
  layouts[2].order = {"pp", "dp", "ep", "cp", "tp"};
  layouts[3] = layouts[0];
  layouts[3].dp_shard = 2;  // hybrid: 2 copies of 2 DP ranks; expert-DP 2 x 2 x 4 / 4 = 4 -> 2 per copy
  for (const Parallelism& p : layouts) {
    const RankMap m(p);
    for (const auto& dims : dimsets) {
      const Groups all = m.groups(dims);
      std::vector<int> members;
      for (std::size_t g = 0; g < all.size(); ++g)
        for (int r : all[g]) {
          CHECK(m.group_containing(r, dims, &members) == static_cast<long>(g));
          CHECK(members == all[g]);
          CHECK(m.group_containing(r, dims, nullptr) == static_cast<long>(g));
        }
    }
  }
}

TEST_CASE("expert groups folded over TP x CP x DP", "[layout]") {
  // tp 2, dp 4, etp 1, ep 8: the EP group spans TP and DP (ranks 0..7), no expert-DP
  Parallelism p;
  p.tp = 2;
  p.dp = 4;
  p.etp = 1;
  p.ep = 8;
  CHECK(p.edp() == 1);
  const RankMap a(p);
  CHECK(a.groups({Dim::kEp}) == Groups{{0, 1, 2, 3, 4, 5, 6, 7}});
  CHECK(a.groups({Dim::kEdp}).size() == 8);
  // ep 4: EP {0,1,2,3} {4,5,6,7}; expert-DP 8 / 4 = 2: {0,4} ...
  p.ep = 4;
  const RankMap b(p);
  CHECK(b.groups({Dim::kEp}) == Groups{{0, 1, 2, 3}, {4, 5, 6, 7}});
  CHECK(b.groups({Dim::kEdp}).front() == std::vector<int>{0, 4});
  // tp 2, cp 2, dp 2, etp 2 (= tp), ep 2: slice s = tp + 2 cp + 4 dp; ep = cp coordinate -> EP {0,2} spans CP
  Parallelism c;
  c.tp = 2, c.cp = 2, c.dp = 2, c.ep = 2;
  const RankMap r(c);
  CHECK(r.groups({Dim::kEp}).front() == std::vector<int>{0, 2});
  CHECK(r.groups({Dim::kEtp}).front() == std::vector<int>{0, 1});
  CHECK(r.groups({Dim::kEdp}).front() == std::vector<int>{0, 4});
  CHECK(r.coord(6, Dim::kEp) == 1);   // rank 6: tp 0, cp 1, dp 1 -> s 6 -> ep 1, edp 1
  CHECK(r.coord(6, Dim::kEdp) == 1);
  CHECK(r.groups({Dim::kDp, Dim::kCp}).front() == std::vector<int>{0, 2, 4, 6});
  // Qwen3-235B at TP2 PP8 EP32 ETP1 on 256: dp 16, one EP group of 32 per stage (pp stride 32)
  Parallelism q;
  q.tp = 2, q.pp = 8, q.dp = 16, q.ep = 32, q.etp = 1;
  const RankMap qm(q);
  const auto eg = qm.groups({Dim::kEp});
  CHECK(eg.size() == 8);
  CHECK(eg[1].front() == 32);
  CHECK(eg[1].back() == 63);
}

TEST_CASE("hybrid sharding splits DP into shard groups and copies", "[layout]") {
  // tp 2, dp 4, dp_shard 2 on 8 ranks (rank = tp + 2 dp): shard groups hold DP coordinates {0,1} and {2,3}
  // of each TP rank, copies {0,2} and {1,3}.
  Parallelism p;
  p.tp = 2, p.dp = 4, p.dp_shard = 2;
  CHECK(p.zero_dp() == 2);
  CHECK(p.dp_replicas() == 2);
  const RankMap m(p);
  CHECK(m.groups({Dim::kDpShard}) == Groups{{0, 2}, {1, 3}, {4, 6}, {5, 7}});
  CHECK(m.groups({Dim::kDpRep}) == Groups{{0, 4}, {1, 5}, {2, 6}, {3, 7}});
  CHECK(m.groups({Dim::kDp}) == Groups{{0, 2, 4, 6}, {1, 3, 5, 7}});  // both parts
  CHECK(m.coord(6, Dim::kDpShard) == 1);                              // rank 6: tp 0, dp 3 -> shard 1, copy 1
  CHECK(m.coord(6, Dim::kDpRep) == 1);
  // No dp_shard: one shard group of all of DP, copies of one rank.
  p.dp_shard = 0;
  const RankMap whole(p);
  CHECK(whole.groups({Dim::kDpShard}) == whole.groups({Dim::kDp}));
  CHECK(whole.group_size({Dim::kDpRep}) == 1);
  // Experts: tp 2, dp 4, etp 1, ep 2: expert-DP 2 x 4 / 2 = 4 (slice s = tp + 2 dp; edp = s / 2 = dp);
  // dp_shard 2 splits it as DP is split: edp shard {0,2}, copies {0,4}.
  Parallelism e;
  e.tp = 2, e.dp = 4, e.etp = 1, e.ep = 2, e.dp_shard = 2;
  CHECK(e.edp() == 4);
  CHECK(e.edp_shard() == 2);
  const RankMap x(e);
  CHECK(x.groups({Dim::kEdpShard}).front() == std::vector<int>{0, 2});
  CHECK(x.groups({Dim::kEdpRep}).front() == std::vector<int>{0, 4});
  CHECK(x.groups({Dim::kEdp}).front() == std::vector<int>{0, 2, 4, 6});
}

TEST_CASE("expert weights and their optimizer shard use etp, ep and the folded expert-DP group", "[layout]") {
  TrainConfig c;
  c.model = load_model("qwen3-235b-a22b");
  c.has_model = true;
  c.train.seq_len = 4096;
  c.par.tp = 2, c.par.pp = 8, c.par.dp = 16, c.par.first_stage_layers = 11, c.par.last_stage_layers = 11;
  const auto st = pipeline_stages(c.model, c.par);
  REQUIRE(st[1].moe_layers() == 12);
  // routed per layer: 128 x 3 x 4096 x 1536 = 2,415,919,104; 12 layers / (ep 8 x etp 2) = 1,811,939,328
  c.par.ep = 8, c.par.etp = 2;
  CHECK(stage_params(c.model, st[1], c.par).experts == Approx(1811939328.0));
  // expert-DP = 2 x 1 x 16 / (2 x 8) = 2: the optimizer's expert share 12 B x 1,811,939,328 / 2
  const StageParams sp = stage_params(c.model, st[1], c.par);
  CHECK(stage_memory(c, st[1], 1, 8, 32).optimizer == Approx(12.0 * (sp.dense / 16 + 1811939328.0 / 2)));
  // etp 1, ep 32: 12 x 2,415,919,104 / 32 = 905,969,664 local, expert-DP 1
  c.par.ep = 32, c.par.etp = 1;
  CHECK(stage_params(c.model, st[1], c.par).experts == Approx(905969664.0));
  CHECK(stage_memory(c, st[1], 1, 8, 32).optimizer == Approx(12.0 * (sp.dense / 16 + 905969664.0)));
}

TEST_CASE("multi-token prediction on the last stage", "[layout]") {
  const ModelSpec m = load_model("deepseek-v3");
  CHECK(m.mtp_layers == 1);
  Parallelism p;
  p.pp = 16, p.dp = 128, p.ep = 64, p.etp = 1, p.first_stage_layers = 3, p.last_stage_layers = 2;
  const auto with = pipeline_stages(m, p, 1), without = pipeline_stages(m, p, 0);
  const StageParams a = stage_params(m, with.back(), p), b = stage_params(m, without.back(), p);
  // One MoE layer's non-expert part + the 2h x h projection and two norms: 2 x 7168^2 + 2 x 7168 = 102,774,784
  const double routed = 256.0 * 3 * 7168 * 2048;
  CHECK(a.dense - b.dense == Approx(m.moe_layer_params() - routed + 102774784.0));
  CHECK(a.experts - b.experts == Approx(routed / 64));  // 256 x 44,040,192 / 64 = 176,160,768
  CHECK(routed / 64 == Approx(176160768.0));
}

TEST_CASE("DualPipe: two stages' model states per rank, p + 1 micro-batches in flight", "[layout]") {
  TrainConfig c;
  c.model = load_model("llama3-8b");
  c.has_model = true;
  c.train.seq_len = 4096;
  c.par.pp = 4, c.par.dp = 2;
  const auto st = pipeline_stages(c.model, c.par);
  const auto one = stage_memories(c, st, 16);
  c.par.schedule = Schedule::kDualPipe;
  const auto dual = stage_memories(c, st, 16);
  REQUIRE(dual.size() == 4);
  CHECK(dual[0].weights == Approx(one[0].weights + one[3].weights));
  CHECK(dual[1].optimizer == Approx(one[1].optimizer + one[2].optimizer));
  CHECK(dual[1].in_flight == 5);
  // stages 1 and 2 hold the same 8 layers: 5 micro-batches of one stage's activations (1F1B stage 1: 3)
  CHECK(dual[1].activations == Approx(one[1].activations / 3 * 5));
}

TEST_CASE("EP overlap: exposed = f A + max((1 - f) A - C, rho (1 - f) A)", "[layout]") {
  EpOverlap o;
  o.a2a_overlap.value = 0.1;
  o.dualpipe.value = 0.0;
  CHECK(o.exposed(Schedule::k1f1b, 4.0, 10.0) == Approx(0.4));
  CHECK(o.exposed(Schedule::k1f1b, 4.0, 1.0) == Approx(3.0));
  CHECK(o.exposed(Schedule::kDualPipe, 4.0, 10.0) == 0);
  // The dispatcher's kernels hold a quarter of the SMs: the compute beside the 4 s of all-to-all loses 1 s;
  // compute shorter than the all-to-all (2 s) leaves A - C exposed (2 s), more than the SMs cost (1 s).
  CHECK(o.exposed(Schedule::kDualPipe, 4.0, 10.0, 0.25) == Approx(1.0));
  CHECK(o.exposed(Schedule::kDualPipe, 4.0, 2.0, 0.25) == Approx(2.0));
  // f 0.1: 0.4 s serial, 3.6 s beside the compute, 0.9 s of it lost to the SMs held
  CHECK(o.exposed(Schedule::k1f1b, 4.0, 10.0, 0.25) == Approx(1.3));
  // the shipped data: DualPipe fully hidden (DeepSeek-V3 report), Megatron's A2A overlap 10% (assumption),
  // DeepEP's 20 SMs (DeepSeek-V3 report), Hybrid-EP's 16 (its benchmarks), NCCL's 16 p2p channels
  CHECK(ep_overlap().dualpipe.value == 0);
  CHECK(ep_overlap().a2a_overlap.value == Approx(0.1));
  CHECK(ep_overlap().sms_deepep.value == 20);
  CHECK(ep_overlap().sms_hybridep.value == 16);
  CHECK(ep_overlap().sms_alltoall.value == 16);
}

TEST_CASE("EP exchange beside the shared experts: max(A - S, rho A)", "[layout]") {
  CHECK(exposed_beside(4.0, 1.0, 0.0) == Approx(3.0));
  CHECK(exposed_beside(4.0, 10.0, 0.25) == Approx(1.0));  // all hidden, the SMs held cost a quarter
  CHECK(exposed_beside(4.0, 0.0, 0.25) == Approx(4.0));
  // DeepSeek-V2 (2 shared experts) at PP16 EP8 on 1,024 H800, as its report ran it: the shared experts hide
  // part of each layer's exchange, at most their own time per MoE layer and micro-batch; a model without
  // shared experts (Mixtral) is unchanged; overlap.ep (the other micro-batch's whole layer) hides more.
  auto run = [](const std::string& model, int ep, std::vector<std::string> extra) {
    std::vector<std::string> sets = {"model=" + model,
                                     "cluster.system=hgx-h800",
                                     "cluster.gpus=1024",
                                     "parallelism.pp=16",
                                     "parallelism.ep=" + std::to_string(ep),
                                     "training.seq_len=4096",
                                     "training.global_batch=9216",
                                     "training.micro_batch=1",
                                     "training.recompute=full"};
    sets.insert(sets.end(), extra.begin(), extra.end());
    return estimate_training(load_train_config("", sets));
  };
  const TrainEstimate off = run("deepseek-v2", 8, {});
  const TrainEstimate on = run("deepseek-v2", 8, {"overlap.moe_shared_expert=true"});
  const TrainEstimate ep = run("deepseek-v2", 8, {"overlap.ep=true"});
  REQUIRE(off.breakdown.ep > 0);
  CHECK(on.breakdown.ep < off.breakdown.ep);
  CHECK(on.breakdown.ep > ep.breakdown.ep);
  CHECK(on.breakdown.compute == Approx(off.breakdown.compute));
  const TrainConfig& c = off.config;
  EstimateContext ctx(c);
  const LayerCost& lc = ctx.layer_costs(c).of(LayerKind::kMoe);
  REQUIRE(lc.shared_fwd > 0);
  // pass by pass: the forward, the backward, the forward again where recompute reruns the shared experts
  auto passes = [](const SharedPasses& s) { return std::vector<double>{s.fwd, s.bwd, s.rerun}; };
  using V = std::vector<double>;
  CHECK(passes(lc.shared(Recompute::kFull, 0)) == V{lc.shared_fwd, lc.shared_bwd, lc.shared_fwd});
  CHECK(passes(lc.shared(Recompute::kNone, 0)) == V{lc.shared_fwd, lc.shared_bwd, 0.0});
  CHECK(passes(lc.shared(Recompute::kSelective, kRecomputeSharedExperts)) ==
        V{lc.shared_fwd, lc.shared_bwd, lc.shared_fwd});
  CHECK(passes(lc.shared(Recompute::kSelective, kRecomputeCoreAttn)) == V{lc.shared_fwd, lc.shared_bwd, 0.0});
  // Pass by pass (helper-179: pooled, the backward's shared experts hid forward exchanges): with every shared
  // second in the backward, the forward's exchanges, half of the layer's four, stay exposed.
  {
    const TrainConfig& oc = on.config;
    EstimateContext octx(oc);
    const RankMap ranks(oc.par);
    double total = 0;
    const double bare = ep_layer_exposed(octx, oc, ranks, Recompute::kNone, 0, SharedPasses{}, &total);
    CHECK(bare == Approx(total));  // no shared time: every exchange exposed
    REQUIRE(total > 0);
    const double bwd_only = ep_layer_exposed(octx, oc, ranks, Recompute::kNone, 0, SharedPasses{0, 10 * total, 0});
    CHECK(bwd_only >= 0.5 * total);
    CHECK(bwd_only < total);
    const double fwd_only = ep_layer_exposed(octx, oc, ranks, Recompute::kNone, 0, SharedPasses{10 * total, 0, 0});
    CHECK(fwd_only == Approx(bwd_only));  // the backward's two exchanges as exposed, symmetrically
  }
  // Megatron overlaps the shared experts with the alltoall dispatcher's exchange only (helper-179)
  CHECK_THROWS_WITH(run("deepseek-v2", 8, {"overlap.moe_shared_expert=true", "training.moe_dispatcher=deepep"}),
                    Catch::Contains("overlap.moe_shared_expert") && Catch::Contains("training.moe_dispatcher is deepep"));
  CHECK(run("mixtral-8x7b", 8, {"overlap.moe_shared_expert=true"}).breakdown.ep ==
        Approx(run("mixtral-8x7b", 8, {}).breakdown.ep));
}

TEST_CASE("check_layout: folded EP, default split and schedules through --set", "[layout]") {
  const std::vector<std::string> base = {"model=qwen3-235b-a22b", "parallelism.tp=2", "parallelism.pp=8", "parallelism.etp=1",
                                         "training.seq_len=4096", "training.global_batch=512"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> sets = base;
    sets.insert(sets.end(), extra.begin(), extra.end());
    return load_train_config("", sets);
  };
  TrainConfig c = with({"parallelism.ep=32"});
  check_layout(c, 256);
  CHECK(c.par.dp == 16);
  CHECK(c.par.edp() == 1);                    // 2 * 1 * 16 / (1 * 32)
  CHECK(c.par.first_stage_layers == 11);      // (94 + 2) / 8 - 1
  CHECK(c.par.last_stage_layers == 11);
  CHECK(c.par.sched() == Schedule::k1f1b);
  TrainConfig bad = with({"parallelism.ep=64"});
  CHECK_THROWS_WITH(check_layout(bad, 256), Catch::Contains("--set: parallelism.ep: etp*ep = 1*64 does not divide tp*cp*dp = 32"));
  TrainConfig dual = with({"parallelism.ep=32", "parallelism.schedule=dualpipe", "parallelism.pp=4",
                          "parallelism.first_stage_layers=22", "parallelism.last_stage_layers=24"});
  check_layout(dual, 256);  // pp 4, dp 32: m = 512 / 32 = 16 >= 8, even
  CHECK(dual.par.sched() == Schedule::kDualPipe);
  CHECK(dual.overlap.ep_on(dual.par.sched()));  // overlap.ep defaults on under dualpipe
  // vpp 2: the 12-layer stages divide; the 11-layer end stages may split unevenly
  TrainConfig inter = with({"parallelism.ep=32", "parallelism.vpp=2"});
  CHECK_NOTHROW(check_layout(inter, 256));
  CHECK(inter.par.sched() == Schedule::kInterleaved);
  TrainConfig v5 = with({"parallelism.ep=32", "parallelism.vpp=5"});
  CHECK_THROWS_WITH(check_layout(v5, 256), Catch::Contains("--set: parallelism.vpp: 5 does not divide the 12 layers of stage 1"));
}

TEST_CASE("the closure of the first group, worked by hand", "[layout]") {
  const SystemSpec s = load_system("dgx-h100");
  const CommModel cm(s, resolve_scale(s, 4, 0, 0));  // 4 nodes of 8 ranks
  // Pairs inside nodes: the closure of {0,1} is node 0's four pairs.
  std::vector<std::vector<int>> pairs;
  for (int r = 0; r < 32; r += 2) pairs.push_back({r, r + 1});
  const CommModel::Reduced a = cm.reduce(pairs);
  CHECK(a.nodes == 1);
  CHECK(a.groups == std::vector<std::vector<int>>{{0, 1}, {2, 3}, {4, 5}, {6, 7}});
  // Pairs across nodes 0-1 and 2-3: the closure of {0,8} is the eight pairs on nodes 0 and 1.
  std::vector<std::vector<int>> across;
  for (int base : {0, 16})
    for (int r = 0; r < 8; ++r) across.push_back({base + r, base + 8 + r});
  const CommModel::Reduced b = cm.reduce(across);
  CHECK(b.nodes == 2);
  REQUIRE(b.groups.size() == 8);
  CHECK(b.groups.front() == std::vector<int>{0, 8});
  CHECK(b.groups.back() == std::vector<int>{7, 15});
  // The first group need not hold rank 0: {24, 9} reaches nodes 3 and 1 (renumbered 1 and 0), and {8, 31}
  // through them; {0, 1} on node 0 is not reached.
  const CommModel::Reduced c = cm.reduce({{24, 9}, {0, 1}, {8, 31}});
  CHECK(c.nodes == 2);
  CHECK(c.groups == std::vector<std::vector<int>>{{8, 1}, {0, 15}});
  CHECK(cm.reduce({}).groups.empty());
}

TEST_CASE("the closure built rank by rank equals the one built from every group", "[layout]") {
  const SystemSpec s = load_system("dgx-h100");
  const CommModel cm(s, resolve_scale(s, 12, 0, 0));  // 96 ranks
  std::vector<Parallelism> layouts(3);
  layouts[0].tp = 2, layouts[0].cp = 2, layouts[0].dp = 8, layouts[0].pp = 3, layouts[0].ep = 4, layouts[0].etp = 1;
  layouts[1].tp = 1, layouts[1].dp = 12, layouts[1].pp = 8, layouts[1].ep = 4;
  layouts[2].tp = 4, layouts[2].cp = 3, layouts[2].dp = 2, layouts[2].pp = 4, layouts[2].ep = 2;
  for (const Parallelism& p : layouts) {
    const RankMap m(p);
    REQUIRE(m.world() == 96);
    for (const std::vector<Dim>& dims : std::vector<std::vector<Dim>>{
             {Dim::kTp}, {Dim::kDp}, {Dim::kPp}, {Dim::kDp, Dim::kCp}, {Dim::kEp}, {Dim::kEdp}}) {
      const CommModel::Reduced eager = cm.reduce(m.groups(dims));
      const CommModel::Reduced lazy =
          cm.reduce(m.world(), [&](int r, std::vector<int>* members) { return m.group_containing(r, dims, members); });
      CHECK(lazy.nodes == eager.nodes);
      CHECK(lazy.groups == eager.groups);
    }
  }
}

// On an oversubscribed fabric a closure is built from whole leaf blocks, so traffic that crosses the spine in
// the cluster crosses it in the closure beside the rest of its leaf (comm_model.hpp). dgx-h100: rail-optimized
// NDR, 32-port leaves (32 nodes per rail leaf), 400 Gb/s NICs. 128 nodes; PP pairs node n <-> node n + 64.
TEST_CASE("oversubscribed fabric: the closure takes whole leaf blocks and the uplink is shared", "[layout]") {
  std::vector<std::vector<int>> pairs;
  for (int r = 0; r < 64 * 8; ++r) pairs.push_back({r, r + 64 * 8});
  const SystemSpec full = load_system("dgx-h100"), over = load_system("dgx-h100", {"fabric.oversubscription=4"});
  CommModel one(full, resolve_scale(full, 128, 0, 0)), four(over, resolve_scale(over, 128, 0, 0));
  // 1:1: the spine is never the bottleneck; the closure of {0, 512} is nodes 0 and 64, their 8 pairs.
  const CommModel::Reduced a = one.reduce(pairs);
  CHECK(a.nodes == 2);
  CHECK(a.groups.size() == 8);
  // 4:1: nodes 0-31 and 64-95 (leaf blocks 0 and 2), their 256 pairs; {0, 512} becomes {0, 256}.
  const CommModel::Reduced b = four.reduce(pairs);
  CHECK(b.nodes == 64);
  REQUIRE(b.groups.size() == 256);
  CHECK(b.groups.front() == std::vector<int>{0, 256});
  // Each rail leaf's 32 flows (one per node) share its uplink of 32 x 50 GB/s / 4 = 400 GB/s: 12.5 GB/s
  // each against a NIC's 50 at 1:1, so a large send takes 4x as long.
  const double bytes = 1024.0 * 1024 * 1024;
  const double ratio = four.time(Op::kSendRecv, pairs, bytes) / one.time(Op::kSendRecv, pairs, bytes);
  CHECK(ratio == Approx(4.0).epsilon(0.02));
  // The closure's time is the full cluster's: all 512 pairs solved at once on the 128 nodes.
  const Topology topo(over, resolve_scale(over, 128, 0, 0));
  const GroupCollectives all(topo);
  CHECK(four.time(Op::kSendRecv, pairs, bytes) == Approx(all.time(Op::kSendRecv, pairs, bytes).time_s).epsilon(1e-9));
  // A group inside one leaf block keeps the node closure (no spine traffic to share).
  std::vector<std::vector<int>> near;
  for (int r = 0; r < 64 * 8; ++r)
    if (r / 8 % 2 == 0) near.push_back({r, r + 8});
  CHECK(four.reduce(near).nodes == 2);
}
