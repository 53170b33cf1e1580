// Automatic layouts (train/layout_search.hpp): the size of the space, pruned = exhaustive, estimates through
// the search's shared context byte-identical to a lone estimate, determinism, auto never slower than the
// shipped hand layouts, and no layout that fits.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <filesystem>

#include "core/data_path.hpp"
#include "train/layout_search.hpp"

using namespace commsim;

namespace {

TrainConfig cluster(const std::string& model, const std::string& system, int gpus, long seq, long batch) {
  TrainConfig c;
  c.model = load_model(model);
  c.has_model = true;
  c.system = system;
  c.gpus = gpus;
  c.train.seq_len = seq;
  c.train.global_batch = batch;
  c.auto_layout = true;
  return c;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Every number the estimate reports, bit for bit.
void require_identical(const TrainEstimate& a, const TrainEstimate& b) {
  const double xa[] = {a.step_time_s, a.breakdown.compute, a.breakdown.tp, a.breakdown.cp, a.breakdown.ep, a.breakdown.pp,
                       a.breakdown.dp, a.breakdown.bubble, a.breakdown.optimizer, a.tokens_per_s, a.tokens_per_s_per_gpu,
                       a.mfu, a.hfu, a.memory.total(), a.memory.activations, a.bubble_fraction, a.microbatches};
  const double xb[] = {b.step_time_s, b.breakdown.compute, b.breakdown.tp, b.breakdown.cp, b.breakdown.ep, b.breakdown.pp,
                       b.breakdown.dp, b.breakdown.bubble, b.breakdown.optimizer, b.tokens_per_s, b.tokens_per_s_per_gpu,
                       b.mfu, b.hfu, b.memory.total(), b.memory.activations, b.bubble_fraction, b.microbatches};
  for (std::size_t i = 0; i < sizeof xa / sizeof xa[0]; ++i) CHECK(same_bits(xa[i], xb[i]));
  REQUIRE(a.stage_memory.size() == b.stage_memory.size());
  for (std::size_t i = 0; i < a.stage_memory.size(); ++i) CHECK(same_bits(a.stage_memory[i].total(), b.stage_memory[i].total()));
}

std::string key(const TrainEstimate& e) { return layout_name(e.config); }

// The search's options with ZeRO fixed at `zero` (as `--zero`), reporting the `top` fastest.
LayoutSearchOptions zero_pinned(TrainConfig& c, int zero, int top) {
  c.par.zero = zero;
  LayoutSearchOptions o = search_options(c);
  o.zero = {zero};
  o.limits.top = top;
  return o;
}

// The estimate `train` gives the layout a search reported (dp derived, as a hand config leaves it), alone.
TrainEstimate train_alone(const TrainEstimate& e) {
  TrainConfig hand = e.config;
  hand.par.dp = 0;
  hand.auto_layout = false;
  return estimate_training(hand);
}

long sum_rejected(const LayoutSearchResult& r) {
  long n = 0;
  for (const auto& [why, count] : r.rejected) n += why == "does not fit" ? 0 : count;
  return n;
}

}  // namespace

TEST_CASE("layout search: uneven pipeline stages", "[auto]") {
  int first = -1, last = -1;
  // 80 on 4: even.
  CHECK(uneven_stages(80, 4, first, last));
  CHECK((first == 0 && last == 0));
  // Llama 3 405B, 126 on 16: e = ceil(126/16) = 8, r = 126 - 14 x 8 = 14 -> 7 + 14 x 8 + 7.
  CHECK(uneven_stages(126, 16, first, last));
  CHECK((first == 7 && last == 7));
  // DeepSeek-V3, 61 on 16: e = 4, r = 61 - 56 = 5 -> 3 + 14 x 4 + 2 (configs/train/deepseek-v3-h800.yaml).
  CHECK(uneven_stages(61, 16, first, last));
  CHECK((first == 3 && last == 2));
  // 61 on 2: 31 + 30.
  CHECK(uneven_stages(61, 2, first, last));
  CHECK((first == 31 && last == 30));
  // 61 on 32: e = 2, r = 61 - 60 = 1: no split; 80 on 64: r = 80 - 62 x 2 < 0.
  CHECK_FALSE(uneven_stages(61, 32, first, last));
  CHECK_FALSE(uneven_stages(80, 64, first, last));
}

TEST_CASE("layout search: the space of Llama 3 8B on 16 H100 under search bounds", "[auto]") {
  // tp <= 4 of {1,2,4}; pp | 16/tp; cp | 16/(tp pp); vpp in {1,2} when pp > 1 (32/pp layers per stage, even);
  // (tp,pp,cp,vpp): tp1 5 + 10 x 2 = 25, tp2 4 + 6 x 2 = 16, tp4 3 + 3 x 2 = 9 -> 50; each with micro-batch
  // {1,2,4} (256/dp >= 16), ZeRO 0-3 and 3 recompute policies: 50 x 36 = 1,800 layouts, none invalid.
  TrainConfig c = cluster("llama3-8b", "dgx-h100", 16, 8192, 256);
  LayoutSearchOptions o;
  o.limits.max_tp = 4, o.limits.max_vpp = 2, o.limits.max_micro_batch = 4, o.limits.top = 3;
  const LayoutSearchResult r = search_layouts(c, o);
  CHECK(r.tried == 1800);
  CHECK(sum_rejected(r) == 0);
  CHECK(r.fits + r.rejected.at("does not fit") == r.tried);
  CHECK(r.evaluated + r.pruned == r.fits);
  REQUIRE(r.top.size() == 3);
  CHECK(r.top[0].step_time_s <= r.top[1].step_time_s);
  CHECK(r.top[1].step_time_s <= r.top[2].step_time_s);
  for (const TrainEstimate& e : r.top) CHECK(e.fits);
}

TEST_CASE("layout search: fixed dimensions search their sub-space only (train --auto --tp 2 --zero 1)", "[auto]") {
  // The space of the test above with tp = 2: (pp, cp, vpp) 4 + 6 x 2 = 16, each with micro-batch {1,2,4},
  // ZeRO 0-3 and 3 recompute policies: 16 x 36 = 576; with ZeRO fixed at 1: 16 x 9 = 144.
  TrainConfig c = cluster("llama3-8b", "dgx-h100", 16, 8192, 256);
  LayoutSearchOptions o;
  o.limits.max_tp = 4, o.limits.max_vpp = 2, o.limits.max_micro_batch = 4;
  o.limits.tp = 2;
  CHECK(search_layouts(c, o).tried == 576);
  o.zero = {1};
  o.limits.top = 3;
  const LayoutSearchResult pinned = search_layouts(c, o);
  CHECK(pinned.tried == 144);
  REQUIRE(pinned.top.size() == 3);
  // Its best layouts are the best of the whole space's with tp 2 and ZeRO 1, in the same order.
  LayoutSearchOptions all = o;
  all.limits.tp = 0, all.zero = {0, 1, 2, 3}, all.limits.top = 1800, all.prune = false;
  std::vector<std::string> expected;
  for (const TrainEstimate& e : search_layouts(c, all).top)
    if (e.config.par.tp == 2 && e.config.par.zero == 1 && expected.size() < 3) expected.push_back(key(e));
  REQUIRE(expected.size() == 3);
  for (int i = 0; i < 3; ++i) CHECK(key(pinned.top[i]) == expected[i]);
  // A dimension no layout can have: nothing is tried.
  o.limits.tp = 3;
  CHECK(search_layouts(c, o).tried == 0);
}

TEST_CASE("layout search: pruned search finds the same top 5 as exhaustive search", "[auto]") {
  for (const auto& [model, gpus] : {std::pair<std::string, int>{"llama3-8b", 16}, {"mixtral-8x7b", 16}}) {
    DYNAMIC_SECTION(model) {
      TrainConfig c = cluster(model, "dgx-h100", gpus, 4096, 64);
      LayoutSearchOptions o;
      o.limits.top = 5;
      const LayoutSearchResult pruned = search_layouts(c, o);
      o.prune = false;
      const LayoutSearchResult all = search_layouts(c, o);
      CHECK(all.evaluated == all.fits);
      CHECK(pruned.evaluated < all.evaluated);
      CHECK(pruned.tried == all.tried);
      REQUIRE(pruned.top.size() == 5);
      REQUIRE(all.top.size() == 5);
      for (int i = 0; i < 5; ++i) {
        CHECK(key(pruned.top[i]) == key(all.top[i]));
        CHECK(same_bits(pruned.top[i].step_time_s, all.top[i].step_time_s));
      }
    }
  }
}

TEST_CASE("layout search: an estimate through the search equals train with that layout, bit for bit", "[auto]") {
  // Memoised layer costs and collectives must not change a number: the search's top layouts (shared context,
  // warm caches) against estimate_training of the same config alone (fresh context).
  TrainConfig c = cluster("mixtral-8x7b", "dgx-h100", 32, 4096, 128);
  LayoutSearchOptions o;
  o.limits.top = 4;
  const LayoutSearchResult r = search_layouts(c, o);
  REQUIRE(r.top.size() == 4);
  for (const TrainEstimate& e : r.top) {
    require_identical(e, train_alone(e));
  }
}

TEST_CASE("layout search: deterministic", "[auto]") {
  TrainConfig c = cluster("llama3-8b", "dgx-h100", 16, 4096, 64);
  LayoutSearchOptions o;
  o.limits.top = 10;
  const LayoutSearchResult a = search_layouts(c, o), b = search_layouts(c, o);
  REQUIRE(a.top.size() == b.top.size());
  for (std::size_t i = 0; i < a.top.size(); ++i) CHECK(key(a.top[i]) == key(b.top[i]));
  CHECK(a.rejected == b.rejected);
  CHECK(a.evaluated == b.evaluated);
  // Ties (equal step time and memory) keep the enumeration order: tp, pp, cp, ep, vpp, micro-batch, ...
  for (std::size_t i = 1; i < a.top.size(); ++i)
    if (a.top[i].step_time_s == a.top[i - 1].step_time_s && a.top[i].memory.total() == a.top[i - 1].memory.total())
      CHECK(a.top[i - 1].config.par.tp <= a.top[i].config.par.tp);
}

TEST_CASE("layout search: no layout fits", "[auto]") {
  // Llama 3 405B on 8 H20 (96 GB): even ZeRO-3 over 8 needs 405e9 x 18 B / 8 = 911 GB per GPU.
  TrainConfig c = cluster("llama3-405b", "hgx-h20", 8, 8192, 16);
  const LayoutSearchResult r = search_layouts(c, LayoutSearchOptions{});
  CHECK(r.top.empty());
  CHECK(r.fits == 0);
  CHECK(r.rejected.at("does not fit") > 0);
  CHECK(r.rejected.at("does not fit") + sum_rejected(r) == r.tried);
}

TEST_CASE("layout search: auto is never slower than the hand layout of each configs/train/*.yaml", "[auto][configs]") {
  for (const auto& entry : std::filesystem::directory_iterator(data_dir() + "/configs/train")) {
    if (entry.path().extension() != ".yaml") continue;
    DYNAMIC_SECTION(entry.path().filename().string()) {
      const TrainConfig hand = load_train_config(entry.path().string());
      const TrainEstimate h = estimate_training(hand);
      const LayoutSearchResult r = search_layouts(hand, LayoutSearchOptions{});
      REQUIRE(!r.top.empty());
      if (h.fits) CHECK(r.top[0].step_time_s <= h.step_time_s);
      INFO("hand " << layout_name(h.config) << " " << h.step_time_s << " s; auto " << layout_name(r.top[0].config) << " "
                   << r.top[0].step_time_s << " s");
      CHECK(r.top[0].fits);
    }
  }
}

TEST_CASE("layout search: expert TP 1 or tp, EP folded over TP x CP x DP (beyond DP)", "[auto]") {
  // Mixtral 8x7B (8 experts) on 16 H100, tp <= 2, pp <= 2, cp 1, vpp 1, micro-batch 1, ZeRO-3, no recompute:
  //   tp1 pp1 dp16: ep | 16 -> 1,2,4,8 (16: experts % ep)   tp1 pp2 dp8: 1,2,4,8
  //   tp2 pp1 dp8:  etp1 ep | 16 -> 1,2,4,8 (16 rejected), etp2 ep | 8 -> 1,2,4,8
  //   tp2 pp2 dp4:  etp1 ep | 8 -> 1,2,4,8 (ep 8 > dp 4),  etp2 ep | 4 -> 1,2,4
  // = 23 valid layouts and 2 rejected: 25 tried.
  TrainConfig c = cluster("mixtral-8x7b", "dgx-h100", 16, 4096, 64);
  LayoutSearchOptions o;
  o.limits.max_tp = 2, o.limits.max_pp = 2, o.limits.max_cp = 1, o.limits.max_vpp = 1, o.limits.max_micro_batch = 1;
  o.limits.top = 23;
  o.zero = {3};
  o.recompute = {Recompute::kNone};
  o.prune = false;
  const LayoutSearchResult r = search_layouts(c, o);
  CHECK(r.tried == 25);
  CHECK(r.rejected.at("experts % ep") == 2);
  CHECK(r.fits == static_cast<long>(r.top.size()));
  bool beyond_dp = false, etp1 = false;
  for (const TrainEstimate& e : r.top) {
    beyond_dp = beyond_dp || e.config.par.ep > e.config.par.dp;
    etp1 = etp1 || (e.config.par.tp > 1 && e.config.par.expert_tp() == 1);
    require_identical(e, train_alone(e));
  }
  CHECK(beyond_dp);
  CHECK(etp1);
}

// The bound's EP term (ep_layer_comm.hpp) through Hybrid-EP with Megatron's A2A overlap (a share of the
// exchange exposed) and through NCCL's all-to-all fully exposed: still a lower bound, the same top 5.
TEST_CASE("layout search: the EP exchange in the bound keeps pruned = exhaustive", "[auto]") {
  for (const bool hybrid : {true, false}) {
    DYNAMIC_SECTION((hybrid ? "hybridep, overlap.ep" : "alltoall")) {
      TrainConfig c = cluster("qwen3-30b-a3b", "dgx-h100", 16, 4096, 64);
      if (hybrid) c.train.moe_dispatcher = "hybridep", c.overlap.ep = true;
      LayoutSearchOptions o;
      o.limits.top = 5;
      const LayoutSearchResult pruned = search_layouts(c, o);
      o.prune = false;
      const LayoutSearchResult all = search_layouts(c, o);
      CHECK(pruned.evaluated < all.evaluated);
      REQUIRE(pruned.top.size() == 5);
      REQUIRE(all.top.size() == 5);
      for (int i = 0; i < 5; ++i) {
        CHECK(key(pruned.top[i]) == key(all.top[i]));
        CHECK(same_bits(pruned.top[i].step_time_s, all.top[i].step_time_s));
      }
    }
  }
}

TEST_CASE("layout search: the config's DualPipe schedule is kept, and pruned = exhaustive", "[auto]") {
  // DualPipe needs an even pp and an even number >= 2 pp of micro-batches; one chunk per stage. The lower
  // bound averages each rank's two stages: pruning must still find the exhaustive top 5.
  TrainConfig c = cluster("mixtral-8x7b", "dgx-h100", 32, 4096, 256);
  c.par.schedule = Schedule::kDualPipe;
  LayoutSearchOptions o;
  o.limits.top = 5;
  const LayoutSearchResult pruned = search_layouts(c, o);
  o.prune = false;
  const LayoutSearchResult all = search_layouts(c, o);
  CHECK(pruned.rejected.at("dualpipe: pp odd") > 0);
  CHECK(pruned.rejected.at("dualpipe: micro-batches") > 0);
  CHECK(pruned.evaluated < all.evaluated);
  REQUIRE(pruned.top.size() == 5);
  REQUIRE(all.top.size() == 5);
  for (int i = 0; i < 5; ++i) {
    const Parallelism& p = pruned.top[i].config.par;
    CHECK(p.sched() == Schedule::kDualPipe);
    CHECK(p.pp % 2 == 0);
    CHECK(p.vpp == 1);
    const long m = c.train.global_batch / (pruned.top[i].config.train.micro_batch * p.dp);
    CHECK((m >= 2L * p.pp && m % 2 == 0));
    CHECK(key(pruned.top[i]) == key(all.top[i]));
    CHECK(same_bits(pruned.top[i].step_time_s, all.top[i].step_time_s));
  }
}

TEST_CASE("layout search: full recompute of the fewest layers per chunk that fit", "[auto]") {
  // Llama 3 70B on 24 H100 at 16384 tokens: nothing fits without recompute, and the best layouts recompute
  // some of the layers of each chunk rather than every layer (Megatron's block method).
  TrainConfig c = cluster("llama3-70b", "dgx-h100", 24, 16384, 24);
  LayoutSearchOptions o;
  o.limits.top = 3;
  const LayoutSearchResult pruned = search_layouts(c, o);
  o.prune = false;
  const LayoutSearchResult all = search_layouts(c, o);
  REQUIRE(pruned.top.size() == 3);
  REQUIRE(all.top.size() == 3);
  bool block = false;
  for (int i = 0; i < 3; ++i) {
    CHECK(key(pruned.top[i]) == key(all.top[i]));
    CHECK(same_bits(pruned.top[i].step_time_s, all.top[i].step_time_s));
    const TrainConfig& k = pruned.top[i].config;
    if (k.train.recompute != Recompute::kFull || k.train.recompute_layers == 0) continue;
    block = true;
    CHECK(key(pruned.top[i]).find("full(" + std::to_string(k.train.recompute_layers) + ")") != std::string::npos);
    CHECK(pruned.top[i].fits);
    // Every layer: fits too, and is slower.
    TrainConfig every = k;
    every.train.recompute_layers = 0;
    CHECK(estimate_training(every).step_time_s > pruned.top[i].step_time_s);
    if (k.train.recompute_layers > 1) {
      TrainConfig fewer = k;
      fewer.train.recompute_layers -= 1;
      CHECK(!estimate_training(fewer).fits);
    }
  }
  CHECK(block);
  // Without block recompute the search is never faster.
  o.prune = true;
  o.block_recompute = false;
  const LayoutSearchResult uniform = search_layouts(c, o);
  REQUIRE(!uniform.top.empty());
  CHECK(uniform.top[0].step_time_s >= pruned.top[0].step_time_s);
  CHECK(uniform.tried == pruned.tried);
}

TEST_CASE("layout search: a huge global batch is searched by divisor pairs, not by counting to it", "[auto]") {
  // 2^31 - 1 is prime: on 8 GPUs with TP 1, PP 1, CP 8 (DP 1) the micro-batches are its divisors {1, 2^31 - 1},
  // found with 46,341 trial divisions (counting to 2^31 took over a minute: `train --auto` and `plan` hung).
  TrainConfig c = cluster("llama3-8b", "dgx-h100", 8, 8192, 2147483647L);
  LayoutSearchOptions o;
  o.limits.tp = 1, o.limits.pp = 1, o.limits.cp = 8;
  o.zero = {1};
  o.recompute = {Recompute::kNone};
  const auto t0 = std::chrono::steady_clock::now();
  const LayoutSearchResult r = search_layouts(c, o);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 2.0);
  CHECK(r.tried == 2);
  REQUIRE(r.top.size() == 1);
  CHECK(r.top[0].config.train.micro_batch == 1);
  CHECK(r.top[0].config.par.dp == 1);
  // 2^30 on DP 8: micro-batches 2^0 .. 2^27, ascending, each tried once.
  c.train.global_batch = 1L << 30;
  o.limits.cp = 1;
  CHECK(search_layouts(c, o).tried == 28);
}

TEST_CASE("layout search: keys given on the command line fix their dimension, the file's are searched", "[auto]") {
  // The file gives tp 2, micro-batch 2 and full recompute (searched over under --auto); --set gives pp 2 and
  // selective recompute, a flag gives ZeRO 1 (each fixed, as train --auto --pp 2 --recompute selective --zero 1).
  const YAML::Node tree = YAML::Load(
      "schema_version: 1\nmodel: llama3-8b\ncluster: {system: dgx-h100, gpus: 16}\nparallelism: {tp: 2}\n"
      "training: {seq_len: 8192, global_batch: 256, micro_batch: 2, recompute: full}\n");
  TrainConfig c = load_train_config(tree, "cfg.yaml", {"parallelism.pp=2", "training.recompute=selective"});
  TrainFlags f;
  f.zero = 1;
  apply_flags(c, f);
  const LayoutSearchOptions o = search_options(c);
  CHECK(o.limits.tp == 0);
  CHECK(o.limits.micro_batch == 0);
  CHECK(o.limits.pp == 2);
  REQUIRE(o.recompute.size() == 1);
  CHECK(o.recompute[0] == Recompute::kSelective);
  CHECK_FALSE(o.block_recompute);
  CHECK(o.zero == std::vector<int>{1});
  CHECK((o.limits.cp == 0 && o.limits.dp == 0 && o.limits.ep == 0 && o.limits.vpp == 0));
  // A config without those keys: nothing fixed, every ZeRO stage and recompute policy searched.
  const LayoutSearchOptions bare = search_options(load_train_config(tree, "cfg.yaml", {}));
  CHECK(bare.zero.size() == 4);
  CHECK(bare.recompute.size() == 3);
  CHECK(bare.limits.pp == 0);
}

TEST_CASE("layout search: search.memory_headroom leaves that share of memory free", "[auto]") {
  // Llama 3 70B fp8 on 64 H100: the fastest layout needs 79.4 of the part's 79.6 GiB (fits, tightly); with
  // 10% left free the search takes one that needs at most 71.7 GiB, slower, and never a faster one.
  TrainConfig c = cluster("llama3-70b", "dgx-h100", 64, 8192, 128);
  c.train.precision = Precision::kFp8;
  LayoutSearchOptions o = search_options(c);
  const LayoutSearchResult tight = search_layouts(c, o);
  REQUIRE(!tight.top.empty());
  const TrainEstimate& t = tight.top.front();
  CHECK(t.memory.needed() > 0.9 * t.memory_capacity);
  c.search.memory_headroom = 0.1;
  o = search_options(c);
  const LayoutSearchResult free10 = search_layouts(c, o);
  REQUIRE(!free10.top.empty());
  const TrainEstimate& f = free10.top.front();
  CHECK(f.memory.needed() <= 0.9 * f.memory_capacity);
  CHECK(f.step_time_s >= t.step_time_s);
}

TEST_CASE("layout search: search.hybrid_sharding searches the shard group", "[auto]") {
  // Llama 3 8B under ZeRO-3 on 2,048 H100 (training.md, "Hybrid sharding"): every shard group of DP 2,048 is
  // tried; sharding over 256 ranks (32 nodes) beats FSDP over all 2,048 (its ring's latency), at more memory.
  TrainConfig c = cluster("llama3-8b", "dgx-h100", 2048, 8192, 2048);
  LayoutSearchOptions o = zero_pinned(c, 3, 5);
  const LayoutSearchResult flat = search_layouts(c, o);
  c.search.hybrid_sharding = true;
  o.limits.hybrid_sharding = true;
  const LayoutSearchResult hybrid = search_layouts(c, o);
  REQUIRE(!flat.top.empty());
  REQUIRE(hybrid.top.size() == 5);
  CHECK(flat.top.front().config.par.dp_shard == 0);
  CHECK(hybrid.tried > flat.tried);
  const TrainEstimate& best = hybrid.top.front();
  const Parallelism& p = best.config.par;
  CHECK(p.dp == 2048);
  CHECK(p.dp_shard == 256);
  CHECK(best.step_time_s < flat.top.front().step_time_s);
  CHECK(best.memory.total() > flat.top.front().memory.total());
  CHECK(key(best) == "TP1 PP1 DP2048 CP1 EP1 VPP1 ZeRO-3 shard 256 mb1 none");
  // Every reported layout is one train accepts, and estimates as train does, bit for bit.
  for (const TrainEstimate& e : hybrid.top) {
    CHECK((e.config.par.dp_shard == 0 ||
           (e.config.par.dp % e.config.par.dp_shard == 0 && e.config.par.dp_shard >= 2)));
    require_identical(e, train_alone(e));
  }
  // Pruned = exhaustive with the new dimension.
  o.prune = false;
  const LayoutSearchResult all = search_layouts(c, o);
  CHECK(all.tried == hybrid.tried);
  REQUIRE(all.top.size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(key(all.top[i]) == key(hybrid.top[i]));
}

TEST_CASE("layout search: hybrid sharding under MoE keeps the copies dividing the expert-DP group",
          "[auto]") {
  // Mixtral 8x7B on 32 H100: a shard group is tried only where dp / dp_shard divides tp·cp·dp/(etp·ep).
  TrainConfig c = cluster("mixtral-8x7b", "dgx-h100", 32, 4096, 128);
  c.search.hybrid_sharding = true;
  LayoutSearchOptions o = search_options(c);
  o.limits.top = 20;
  o.prune = false;
  const LayoutSearchResult r = search_layouts(c, o);
  CHECK(r.rejected.count("dp_shard copies % expert-DP group") == 1);
  REQUIRE(!r.top.empty());
  for (const TrainEstimate& e : r.top) {
    const Parallelism& p = e.config.par;
    const long edp = static_cast<long>(p.tp) * p.cp * p.dp / (p.expert_tp() * p.ep);
    if (p.dp_shard > 0) CHECK(edp % (p.dp / p.dp_shard) == 0);
  }
}

TEST_CASE("layout search: search.hybrid_sharding beside a given dp_shard is refused at its line", "[auto]") {
  const YAML::Node tree = YAML::Load(
      "schema_version: 1\nmodel: llama3-8b\ncluster: {system: dgx-h100, gpus: 32}\nparallelism: {dp_shard: "
      "8}\n"
      "training: {seq_len: 4096, global_batch: 64}\nsearch:\n  hybrid_sharding: true\n");
  TrainConfig c = load_train_config(tree, "cfg.yaml", {});
  try {
    (void)search_options(c);
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string what = e.what();
    CHECK(what.find("cfg.yaml:7") != std::string::npos);
    CHECK(what.find("search.hybrid_sharding") != std::string::npos);
    CHECK(what.find("parallelism.dp_shard is given (8)") != std::string::npos);
  }
  c.par.dp_shard = 0;  // alone, accepted
  CHECK(search_options(c).limits.hybrid_sharding);
}

TEST_CASE(
    "layout search: each vpp has its own stages (DeepSeek-V3's dense layers), every reported layout fits",
    "[auto][regression]") {
  // helper-147: the stages were made once per pp with the previous candidate's vpp, so under interleaving the
  // search placed DeepSeek-V3's three dense layers where the estimator does not, and ranked 4th a layout (TP2
  // PP9 DP8 EP8 VPP1 ZeRO-2 mb2 none) that train with that layout refuses: 195.6 GiB needed on a 185 GiB
  // GB200.
  TrainConfig c = cluster("deepseek-v3", "gb200-nvl72", 144, 4096, 1024);
  LayoutSearchOptions o = zero_pinned(c, 2, 10);
  const LayoutSearchResult r = search_layouts(c, o);
  REQUIRE(r.top.size() == 10);
  for (const TrainEstimate& e : r.top) {
    CHECK(e.fits);
    const TrainEstimate alone = train_alone(e);
    CHECK(alone.fits);
    require_identical(e, alone);
  }
  // Pruned = exhaustive here too (the bound reads the same stages as the memory check).
  o.prune = false;
  const LayoutSearchResult all = search_layouts(c, o);
  REQUIRE(all.top.size() == 10);
  for (int i = 0; i < 10; ++i) CHECK(key(all.top[i]) == key(r.top[i]));
}
