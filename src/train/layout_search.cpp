#include "train/layout_search.hpp"

#include <algorithm>
#include <array>
#include <numeric>

#include "core/error.hpp"
#include "train/activation_memory.hpp"
#include "train/ep_layer_comm.hpp"
#include "train/pipeline_layout.hpp"

namespace commsim {
namespace {

struct Candidate {
  int tp = 1, pp = 1, cp = 1, etp = 1, ep = 1, vpp = 1, first = 0, last = 0, zero = 1;
  long mb = 1;
  long dp_shard = 0;  // hybrid sharding's shard group (0: all of dp)
  Recompute rc = Recompute::kNone;
  int block = 0;   // full recompute: of the first `block` layers per model chunk (0: every layer; kFewest: the
                   // fewest that fit, found when the candidate is estimated)
  double lb = 0;   // step-time lower bound, seconds
  long index = 0;  // enumeration order
};

constexpr int kFewest = -1;

bool fits_in(const TrainConfig& w, const std::vector<Stage>& stages, double microbatches, double capacity) {
  return peak_stage_memory(w, stages, microbatches) <= capacity;
}

// The fewest layers per model chunk whose full recompute fits (Megatron's block method; memory falls as it
// grows), by bisection; 0 (every layer) when nothing less fits. Every layer must fit.
int fewest_block_layers(TrainConfig w, const std::vector<Stage>& stages, double microbatches, double capacity) {
  int largest = 0;
  for (const Stage& s : stages) largest = std::max(largest, s.layers);
  const int chunks = w.par.sched() == Schedule::kInterleaved ? w.par.vpp : 1;
  const int per_chunk = (largest + chunks - 1) / chunks;
  int lo = 1, hi = per_chunk;  // hi (every layer) fits
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    w.train.recompute_layers = mid;
    if (fits_in(w, stages, microbatches, capacity)) hi = mid;
    else lo = mid + 1;
  }
  return hi < per_chunk ? hi : 0;
}

// The divisors of n up to max_value (0: no bound), ascending; only `pin` when it is given (0: free). Pairs
// (d, n / d) up to sqrt(n): a global batch of 2^31 sequences costs 46,341 steps, not 2^31.
std::vector<long> divisors(long n, long max_value, long pin = 0) {
  auto allowed = [&](long d) { return (max_value <= 0 || d <= max_value) && (pin <= 0 || d == pin); };
  if (pin > 0) return n > 0 && n % pin == 0 && allowed(pin) ? std::vector<long>{pin} : std::vector<long>{};
  std::vector<long> low, high;
  for (long d = 1; d <= n / d; ++d) {
    if (n % d != 0) continue;
    if (allowed(d)) low.push_back(d);
    if (d != n / d && allowed(n / d)) high.push_back(n / d);
  }
  low.insert(low.end(), high.rbegin(), high.rend());
  return low;
}

}  // namespace

LayoutSearchOptions search_options(const TrainConfig& c) {
  // A flag ("--tp") or --set (a sweep's axes and sets too) put the key there; a key the file leaves out is
  // not given (its default is searched over).
  auto given = [&c](const char* key) {
    const auto it = c.where.find(key);
    return it != c.where.end() && it->second.line == 0 && it->second.file.rfind("--", 0) == 0;
  };
  // Keys the search sets itself for each layout, which it cannot hold at a given value: refused, not dropped.
  for (const char* key : {"parallelism.etp", "parallelism.first_stage_layers", "parallelism.last_stage_layers",
                          "training.recompute_num_layers"})
    if (given(key)) {
      const SourceLoc& at = c.where.at(key);
      throw InputError(at, "the layout search sets it for each layout (expert TP 1 or tp, the stage split, the fewest "
                           "recomputed layers that fit); give it without --auto");
    }
  // Hybrid sharding: a given parallelism.dp_shard (its file's or a flag's) is held, and only layouts whose dp
  // it divides, with ZeRO 1-3, are searched (search_layouts); search.hybrid_sharding searches it instead.
  LayoutSearchOptions o;
  o.limits = c.search;
  if (c.search.hybrid_sharding && c.par.dp_shard > 0) {
    const auto it = c.where.find("search.hybrid_sharding");
    throw InputError(it != c.where.end() ? it->second : SourceLoc{c.file, 0, 0, "search.hybrid_sharding"},
                     "parallelism.dp_shard is given (" + std::to_string(c.par.dp_shard) +
                         "), which the search holds: give one of the two");
  }
  const std::pair<const char*, std::pair<int*, int>> dims[] = {
      {"parallelism.tp", {&o.limits.tp, c.par.tp}}, {"parallelism.pp", {&o.limits.pp, c.par.pp}},
      {"parallelism.dp", {&o.limits.dp, c.par.dp}}, {"parallelism.cp", {&o.limits.cp, c.par.cp}},
      {"parallelism.ep", {&o.limits.ep, c.par.ep}}, {"parallelism.vpp", {&o.limits.vpp, c.par.vpp}}};
  for (const auto& [key, v] : dims)
    if (given(key)) *v.first = v.second;
  // A fixed dimension above its search bound leaves nothing to search (it was reported as "no layout" with
  // the layout flags, or as "layers % pp", blamed): named, both of them.
  const std::pair<const char*, std::pair<long, long>> bounded[] = {
      {"tp", {o.limits.tp, o.limits.max_tp}}, {"pp", {o.limits.pp, o.limits.max_pp}}, {"cp", {o.limits.cp, o.limits.max_cp}},
      {"ep", {o.limits.ep, o.limits.max_ep}}, {"vpp", {o.limits.vpp, o.limits.max_vpp}},
      {"micro_batch", {given("training.micro_batch") ? c.train.micro_batch : 0, o.limits.max_micro_batch}}};
  for (const auto& [name, v] : bounded)
    if (v.first > 0 && v.second > 0 && v.first > v.second) {
      const std::string key = std::string(std::string(name) == "micro_batch" ? "training." : "parallelism.") + name;
      const auto it = c.where.find(key);
      const SourceLoc at = it != c.where.end() ? it->second : SourceLoc{c.file, 0, 0, key};
      throw InputError(at, std::to_string(v.first) + " is above search.max_" + name + " (" + std::to_string(v.second) +
                               "): the search would have nothing to try");
    }
  // A given 1f1b or interleaved schedule fixes what the search otherwise derives from VPP (it was dropped):
  // 1f1b is VPP 1, interleaved VPP 2 or more. Zero-bubble and DualPipe are kept as they are (below).
  const bool schedule_given = given("parallelism.schedule") || given("pipeline.schedule");  // the alias too
  if (schedule_given && c.par.schedule == Schedule::k1f1b && !given("parallelism.vpp")) o.limits.vpp = 1;
  if (schedule_given && c.par.schedule == Schedule::kInterleaved) o.min_vpp = 2;
  if (given("training.micro_batch")) o.limits.micro_batch = c.train.micro_batch;
  if (given("parallelism.zero")) o.zero = {c.par.zero};
  if (given("training.recompute")) {
    o.recompute = {c.train.recompute};
    o.block_recompute = false;
  }
  return o;
}

bool uneven_stages(int L, int pp, int& first, int& last) {
  first = last = 0;
  if (L % pp == 0) return true;
  const DefaultSplit d = balanced_uneven_split(L, pp);
  first = d.first, last = d.last;
  return d.ok;
}

namespace {

void apply(TrainConfig& w, const Candidate& k, int dp) {
  w.par.tp = k.tp, w.par.pp = k.pp, w.par.cp = k.cp, w.par.etp = k.etp, w.par.ep = k.ep, w.par.vpp = k.vpp,
  w.par.dp = dp;
  w.par.first_stage_layers = k.first, w.par.last_stage_layers = k.last, w.par.zero = k.zero;
  w.par.dp_shard = k.dp_shard;
  w.train.micro_batch = k.mb;
  w.train.recompute = k.rc;
  w.train.recompute_layers = k.rc == Recompute::kFull ? std::abs(k.block) : 0;  // kFewest: bounded with one
}

// Ranking key: step time, peak memory, enumeration order.
bool faster(const TrainEstimate& a, long ia, const TrainEstimate& b, long ib) {
  if (a.step_time_s != b.step_time_s) return a.step_time_s < b.step_time_s;
  if (a.memory.total() != b.memory.total()) return a.memory.total() < b.memory.total();
  return ia < ib;
}

}  // namespace

std::string layout_name(const TrainConfig& c) {
  const Parallelism& p = c.par;
  // Appended piece by piece: "literal" + std::string trips GCC 12's -Wrestrict false positive.
  std::string s;
  auto add = [&s](const char* label, long v) {
    s += label;
    s += std::to_string(v);
  };
  add("TP", p.tp), add(" PP", p.pp);
  if (p.first_stage_layers || p.last_stage_layers)
    add("(", p.first_stage_layers), add("+..+", p.last_stage_layers), s += ")";
  add(" DP", p.dp), add(" CP", p.cp), add(" EP", p.ep);
  if (c.model.moe) add(" ETP", p.expert_tp());
  add(" VPP", p.vpp), add(" ZeRO-", p.zero);
  // Hybrid sharding: ZeRO over dp_shard, as sweep's labels say it (dp may be 0 here: a config before its dp
  // is derived; dp_replicas() would divide by zero).
  if (p.dp_shard > 0 && p.dp_shard < p.dp) add(" shard ", p.dp_shard);
  add(" mb", c.train.micro_batch);
  s += " ";
  s += recompute_name(c.train.recompute);
  if (c.train.recompute_layers > 0) add("(", c.train.recompute_layers), s += ")";
  const Schedule sc = p.sched();
  if (sc == Schedule::kZeroBubble || sc == Schedule::kDualPipe) {
    s += " ";
    s += schedule_name(sc);
  }
  return s;
}

LayoutSearchResult search_layouts(const TrainConfig& base, const LayoutSearchOptions& o) {
  EstimateContext ctx(base);
  return search_layouts(base, o, ctx);
}

LayoutSearchResult search_layouts(const TrainConfig& base, const LayoutSearchOptions& o,
                                  EstimateContext& ctx) {
  ctx.check_same_cluster(base);
  if (!base.has_model)
    throw InputError("model: no model given (a built-in name, a path, or an inline mapping; --model)");
  if (base.train.seq_len <= 0) throw InputError("training.seq_len: required (--seq-len)");
  if (base.train.global_batch <= 0) throw InputError("training.global_batch: required (--global-batch)");
  const ModelSpec& m = base.model;
  const SearchLimits& lim = o.limits;
  const long R = ctx.ranks(), gb = base.train.global_batch, seq = base.train.seq_len;
  const int L = m.layers;
  LayoutSearchResult res;
  res.ranks = static_cast<int>(R);
  TrainConfig w = base;
  w.auto_layout = false;
  // Schedule: the base config's zero-bubble or DualPipe is kept (one chunk per stage); otherwise it follows
  // vpp as Megatron's default does (1f1b, interleaved with vpp > 1).
  const Schedule base_sched = base.par.sched();
  const bool fixed_sched =
      base.par.schedule && (base_sched == Schedule::kZeroBubble || base_sched == Schedule::kDualPipe);
  const bool dualpipe = fixed_sched && base_sched == Schedule::kDualPipe;
  if (!fixed_sched) w.par.schedule.reset();
  const int mtp = base.mtp_layers();
  // A searched layout leaves search.memory_headroom of each GPU's memory free (0: fits as train reports it).
  const double capacity = ctx.spec().gpu.memory_bytes.value / ctx.dies() * (1.0 - lim.memory_headroom);
  auto reject = [&res](const char* why, long n = 1) { res.rejected[why] += n, res.tried += n; };
  const bool mamba = m.mamba && m.layers_of(LayerKind::kMamba) > 0;
  const long shard = base.par.dp_shard;  // hybrid sharding's shard group, held (0: all of dp)
  const bool search_shard = lim.hybrid_sharding && shard == 0;
  std::vector<long> shards;  // the shard groups tried for one (layout, ZeRO >= 1)

  // Phase 1: every valid layout, its memory (fits?) and its step-time lower bound.
  std::vector<Candidate> fit;
  std::vector<double> comp;  // per stage (reused: phase 1 visits millions of layouts)
  long index = 0;
  // A pinned tp may lie beyond the scale-up domain (the caller asked for it); max_tp still bounds it.
  for (long tp : divisors(R, lim.max_tp > 0 ? lim.max_tp : lim.tp > 0 ? 0 : ctx.ranks_per_node(), lim.tp)) {
    if (m.heads % tp || (!m.mla && m.kv_heads % tp) || m.ffn_hidden % tp) {
      reject("heads % tp");
      continue;
    }
    if (mamba && m.mamba->groups % tp) {  // check_mamba_layout
      reject("mamba groups % tp");
      continue;
    }
    for (long pp : divisors(R / tp, std::min<long>(L, lim.max_pp > 0 ? lim.max_pp : L), lim.pp)) {
      Candidate k;
      k.tp = static_cast<int>(tp), k.pp = static_cast<int>(pp);
      if (!uneven_stages(L, k.pp, k.first, k.last)) {
        reject("layers % pp");
        continue;
      }
      if (dualpipe && (pp < 2 || pp % 2)) {
        reject("dualpipe: pp odd");
        continue;
      }
      w.par.pp = k.pp, w.par.first_stage_layers = k.first, w.par.last_stage_layers = k.last;
      // The stages' layer counts do not depend on vpp; which layers (dense or MoE, DeepSeek-V3's first three)
      // a stage holds does under the interleaved schedule, so each vpp has its own (helper-147: one set for
      // every vpp, left from the previous candidate's, let a layout through that train finds does not fit).
      std::vector<std::vector<Stage>> by_vpp(2);
      w.par.vpp = 1;
      by_vpp[1] = pipeline_stages(m, w.par, mtp);
      int largest = 0;
      for (const Stage& s : by_vpp[1]) largest = std::max(largest, s.layers);
      for (long cp : divisors(R / (tp * pp), lim.max_cp, lim.cp)) {
        if (seq % cp || (cp > 1 && seq % (2 * cp))) {  // check_layout: two of 2·cp chunks per rank
          reject("seq_len % (2 cp)");
          continue;
        }
        if (tp > 1 && w.par.sequence_parallel.value_or(true) && (seq / cp) % tp) {  // check_layout
          reject("seq_len/cp % tp (sequence parallel)");
          continue;
        }
        if (mamba && cp > 1) {
          reject("cp over Mamba-2 layers");
          continue;
        }
        k.cp = static_cast<int>(cp);
        const long dp = R / (tp * pp * cp);
        if (lim.dp > 0 && dp != lim.dp) continue;  // pinned: not a layout of the space asked for
        if (shard > 0 && dp % shard) {             // check_dp_shard
          reject("dp % dp_shard");
          continue;
        }
        if (gb % dp) {
          reject("global_batch % dp");
          continue;
        }
        if (lim.micro_batch > 0 && (gb / dp) % lim.micro_batch) {  // a pinned micro-batch (--micro-batch 3)
          reject("global_batch % (dp*micro_batch)");
          continue;
        }
        // Experts: ETP 1 or TP; EP folded over TP x CP x DP / ETP (check_expert_layout).
        std::vector<long> etps = {1};
        if (m.moe && tp > 1) etps.push_back(tp);
        for (long etp : etps) {
          if (m.moe && m.moe->expert_ffn_hidden % etp) {
            reject("expert_ffn_hidden % etp");
            continue;
          }
          k.etp = static_cast<int>(etp);
          if (!m.moe && lim.ep > 1) {  // a pinned EP on a dense model: the layouts had EP 1, silently
            reject("ep > 1 without experts");
            continue;
          }
          for (long ep : m.moe ? divisors(tp * cp * dp / etp, lim.max_ep, lim.ep) : std::vector<long>{1}) {
            if (m.moe && m.moe->experts % ep) {
              reject("experts % ep");
              continue;
            }
            if (m.moe && shard > 0 && (tp * cp * dp / (etp * ep)) % (dp / shard)) {  // check_dp_shard
              reject("dp_shard copies % expert-DP group");
              continue;
            }
            k.ep = static_cast<int>(ep);
            const int max_vpp =
                pp > 1 && !fixed_sched ? (lim.max_vpp > 0 ? std::min(lim.max_vpp, largest) : largest) : 1;
            for (int vpp = 1; vpp <= max_vpp; ++vpp) {
              if ((lim.vpp > 0 && vpp != lim.vpp) || vpp < o.min_vpp) continue;
              if (stage_vpp_does_not_divide(by_vpp[1], vpp, k.first || k.last) >= 0) {
                reject("layers % (pp*vpp)");
                continue;
              }
              k.vpp = vpp;
              if (by_vpp.size() <= static_cast<std::size_t>(vpp))
                by_vpp.resize(static_cast<std::size_t>(vpp) + 1);
              std::vector<Stage>& stages = by_vpp[static_cast<std::size_t>(vpp)];
              if (stages.empty()) {
                w.par.vpp = vpp;  // the schedule follows (1f1b, interleaved), or is the base's fixed one
                stages = pipeline_stages(m, w.par, mtp);
              }
              for (long mb : divisors(gb / dp, lim.max_micro_batch, lim.micro_batch)) {
                k.mb = mb;
                const double microbatches = static_cast<double>(gb) / (static_cast<double>(mb) * dp);
                const long m_int = gb / (mb * dp);
                if (dualpipe && (m_int < 2L * pp || m_int % 2)) {
                  reject("dualpipe: micro-batches", static_cast<long>(o.zero.size() * o.recompute.size()));
                  continue;
                }
                if (vpp > 1 && m_int < pp) {  // check_schedule_batch: interleaving needs pp micro-batches
                  reject("interleaved: micro-batches < pp", static_cast<long>(o.zero.size() * o.recompute.size()));
                  continue;
                }
                // The exposed EP exchange per MoE layer under each recompute policy (the bound's comm term;
                // it depends on neither ZeRO nor block recompute), computed once per micro-batch size.
                std::array<double, 3> ep_time{};
                std::array<bool, 3> ep_known{};
                auto ep_exposed = [&](Recompute r) {
                  const auto i = static_cast<std::size_t>(r);
                  if (!ep_known[i]) {
                    const LayerKind moe_kind = w.model.hybrid() ? LayerKind::kMoeMlp : LayerKind::kMoe;
                    const unsigned mods = r == Recompute::kSelective ? selective_modules(w.train) : 0;
                    const LayerCost& lc = ctx.layer_costs(w).of(moe_kind);
                    ep_time[i] = m.moe && k.ep > 1 ? ep_layer_exposed(ctx, w, RankMap(w.par),
                                                                      ep_recompute(r, moe_kind, mods),
                                                                      lc.compute(r, mods), lc.shared(r, mods))
                                                   : 0.0;
                    ep_known[i] = true;
                  }
                  return ep_time[i];
                };
                for (int zero : o.zero) {
                  if (zero == 0 && shard > 0 && shard < dp) {  // check_dp_shard: zero 0 shards nothing
                    reject("dp_shard with zero 0", static_cast<long>(o.recompute.size()));
                    continue;
                  }
                  // Shard groups: the held one; searched, all of dp, then every divisor of dp from 2 whose
                  // copies divide the expert-DP group (check_dp_shard). ZeRO 0 shards nothing.
                  shards.assign(1, shard);
                  if (search_shard && zero > 0)
                    for (long d : divisors(dp, dp - 1)) {
                      if (d < 2) continue;
                      if (m.moe && (tp * cp * dp / (etp * ep)) % (dp / d)) {
                        reject("dp_shard copies % expert-DP group", static_cast<long>(o.recompute.size()));
                        continue;
                      }
                      shards.push_back(d);
                    }
                  for (long ds : shards) {
                    bool none_fits = false;
                    for (Recompute rc : o.recompute) {
                      k.zero = zero, k.dp_shard = ds, k.rc = rc, k.block = 0, k.index = index++;
                      ++res.tried;
                      apply(w, k, static_cast<int>(dp));
                      if (!fits_in(w, stages, microbatches, capacity)) {
                        res.rejected["does not fit"]++;
                        continue;
                      }
                      none_fits = none_fits || rc == Recompute::kNone;
                      // Full recompute: of the fewest layers per model chunk that still fit (Megatron's block
                      // method), which is faster than every layer. That number is found when the candidate is
                      // estimated (phase 2); its bound here assumes one layer per chunk, the least time.
                      // Where the layout fits without recompute, that is faster than any full recompute, and
                      // full recompute stays every layer (a ranked-lower candidate).
                      if (rc == Recompute::kFull && o.block_recompute && (largest + vpp - 1) / vpp > 1 &&
                          !none_fits) {
                        k.block = kFewest;
                        w.train.recompute_layers = 1;
                      }
                      // The estimator's per-stage compute (DualPipe: a rank's two stages averaged); the step
                      // is at least m tau + bubble tau with tau >= every (rank's) compute; 1f1b/interleaved
                      // bubbles are (p-1)/v.
                      const LayerCosts& lc = ctx.layer_costs(w);
                      // Block recompute mixes the policy's exchange with none's: the smaller bounds both.
                      const double ep = k.block == kFewest
                                            ? std::min(ep_exposed(rc), ep_exposed(Recompute::kNone))
                                            : ep_exposed(rc);
                      comp.assign(stages.size(), 0.0);
                      for (std::size_t s = 0; s < stages.size(); ++s) {
                        // As the estimator: a share f of the stage's layers recomputed under block recompute.
                        const double f = recomputed_share(stages[s], w);
                        auto cost = [&, mods = effective_recompute_modules(w.train)](const LayerCost& c) {
                          return c.compute(rc, mods, f);
                        };
                        double t = 0;
                        for (std::size_t k = 0; k < lc.kind.size(); ++k)
                          t += stages[s].kinds[k] * cost(lc.kind[k]);
                        if (stages[s].embedding) t += 3.0 * lc.embedding;
                        if (stages[s].logits) t += 3.0 * lc.logits;
                        comp[s] = t + stages[s].mtp_layers * cost(lc.mtp) + stages[s].moe_layers() * ep;
                      }
                      double worst = 0;
                      for (std::size_t s = 0; s < stages.size(); ++s)
                        worst =
                            std::max(worst, dualpipe ? (comp[s] + comp[stages.size() - 1 - s]) / 2 : comp[s]);
                      const double bubble = fixed_sched ? 0.0 : static_cast<double>(k.pp - 1) / k.vpp;
                      k.lb = (microbatches + bubble) * worst * (1.0 - 1e-9);
                      fit.push_back(k);
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  res.fits = static_cast<long>(fit.size());

  // Phase 2: full estimates in increasing lower-bound order; stop when the bound passes the k-th best.
  std::sort(fit.begin(), fit.end(), [](const Candidate& a, const Candidate& b) {
    return a.lb != b.lb ? a.lb < b.lb : a.index < b.index;
  });
  const std::size_t top = static_cast<std::size_t>(std::max(1, lim.top));
  std::vector<std::pair<TrainEstimate, long>> best;  // sorted by faster()
  for (std::size_t i = 0; i < fit.size(); ++i) {
    const Candidate& k = fit[i];
    if (o.prune && best.size() == top && k.lb > best.back().first.step_time_s) {
      res.pruned = static_cast<long>(fit.size() - i);
      break;
    }
    apply(w, k, static_cast<int>(R / (static_cast<long>(k.tp) * k.pp * k.cp)));
    if (k.block == kFewest) {
      w.par.first_stage_layers = k.first, w.par.last_stage_layers = k.last;
      const std::vector<Stage> stages = pipeline_stages(m, w.par, mtp);
      const double microbatches = static_cast<double>(gb) / (static_cast<double>(k.mb) * w.par.dp);
      w.train.recompute_layers = fewest_block_layers(w, stages, microbatches, capacity);
    }
    w.par.dp = 0;  // derived, as a hand config leaves it
    TrainEstimate e = estimate_training(w, ctx);
    ++res.evaluated;
    auto pos = std::find_if(best.begin(), best.end(),
                            [&](const auto& b) { return faster(e, k.index, b.first, b.second); });
    if (pos == best.end() && best.size() == top) continue;
    best.insert(pos, {std::move(e), k.index});
    if (best.size() > top) best.pop_back();
  }
  for (auto& b : best) res.top.push_back(std::move(b.first));
  return res;
}

}  // namespace commsim
