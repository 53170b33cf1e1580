#include "train/estimate_context.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/yaml_override.hpp"
#include "train/layer_ops.hpp"
#include "train/moe_ops.hpp"

namespace commsim {
namespace {

std::int64_t bits(double v) {
  std::int64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

}  // namespace

LayerCost layer_cost(const Roofline& rl, const std::vector<OpCost>& ops, const ExpertLaunches& launches) {
  LayerCost c;
  double experts_bwd = 0;
  for (const OpCost& o : ops) {
    const double t = rl.time(o);
    c.fwd += o.fwd_n * t;
    const double tb = rl.backward_time(o);
    c.bwd += tb;
    if (o.unit == OpUnit::kAttention) c.attn += t;
    if (o.unit == OpUnit::kGemm) c.gemm += t;
    TpPairGemms& g = c.tp_pairs;
    if (o.name == "qkv" || o.name == "q" || o.name == "q_down" || o.name == "q_up" || o.name == "kv_down" ||
        o.name == "kv_up" || o.name == "mamba.in_proj")
      g.qkv += t;
    else if (o.name == "out_proj" || o.name == "mamba.out_proj")
      g.out_proj += t;
    else if (o.name == "mlp.fc1" || o.name == "shared.fc1")
      g.fc1 += t;
    else if (o.name == "mlp.fc2" || o.name == "shared.fc2")
      g.fc2 += t;
    if (o.name.rfind("experts", 0) == 0) c.experts += o.fwd_n * t, experts_bwd += tb;
    if (o.name.rfind("shared.", 0) == 0) c.shared_fwd += o.fwd_n * t, c.shared_bwd += tb;
    for (int i = 0; i < kRecomputeModuleBits; ++i)
      if (o.recompute_modules & (1u << i)) c.modules[static_cast<std::size_t>(i)] += o.fwd_n * t;
    c.modules[static_cast<std::size_t>(kOpSacIndex)] += o.op_sac * o.fwd_n * t;
    c.op_sac_layer = c.op_sac_layer || o.op_sac > 0;
  }
  const double launch = rl.efficiency().expert_launch.value;
  c.modules[static_cast<std::size_t>(kMoeIndex)] += std::max(0.0, launches.fwd * launch - c.experts);
  c.fwd += std::max(0.0, launches.fwd * launch - c.experts);
  c.bwd += std::max(0.0, launches.bwd * launch - experts_bwd);
  c.experts = std::max(c.experts, launches.fwd * launch);
  return c;
}

namespace {

SystemSpec load_for(const TrainConfig& c) {
  if (c.system.empty()) throw InputError(origin_loc(c, "cluster.system"), "cluster.system: no system given (--system)");
  return load_system(c.system, c.sets, c.sets_written_at);
}

// The cluster's scale; a bad one names the config's keys and where the key the message starts with came
// from (file:line, --set or the flag), not the collective command's --gpus.
Scale cluster_scale(const SystemSpec& spec, const TrainConfig& c) {
  // The system key `nodes` is the system's default scale, which the config's own scale replaces: a --set
  // nodes=4 beside cluster.gpus was dropped without a word.
  if (const std::string* text = default_nodes_override(c.sets); text && (c.nodes > 0 || c.gpus > 0)) {
    const auto w = c.sets_written_at.find(*text);
    throw InputError(
        w != c.sets_written_at.end() ? w->second : SourceLoc{"--set", 0, 0, "nodes"},
        default_nodes_refused(
            "the training config's scale does (cluster.gpus or cluster.nodes; --gpus, --nodes)"));
  }
  try {
    return resolve_scale(spec, c.nodes, c.gpus, c.gpus_per_node, ScaleNames{"cluster.nodes", "cluster.gpus", "cluster.gpus_per_node"},
                         1);  // a training estimate may run on one GPU
  } catch (const InputError& e) {
    const std::string what = e.what();
    std::string key = "cluster";
    for (const char* k : {"cluster.gpus_per_node", "cluster.gpus", "cluster.nodes"})  // longest first: a prefix
      if (what.rfind(k, 0) == 0) {
        key = k;
        break;
      }
    // A check of two keys (gpus against the GPUs per node) blames the one given on the command line:
    // --gpus-per-node 3 named the file's cluster.gpus line.
    SourceLoc where = origin_loc(c, key);
    for (const std::string& k : {key, std::string("cluster.gpus_per_node"), std::string("cluster.gpus"), std::string("cluster.nodes")})
      if (given_on_command_line(c, k)) {
        where = origin_loc(c, k);
        break;
      }
    throw InputError(where, what);
  }
}

}  // namespace

std::size_t EstimateContext::KeyHash::operator()(const Key& k) const {
  std::size_t h = 1469598103934665603ull;
  for (std::int64_t v : k) h = (h ^ static_cast<std::size_t>(v)) * 1099511628211ull;
  return h;
}

EstimateContext::EstimateContext(const TrainConfig& c)
    : model_(c.model.name),
      system_(c.system),
      sets_(c.sets),
      spec_(load_for(c)),
      scale_(cluster_scale(spec_, c)),
      dies_(spec_.ranks_per_package()),
      model_comm_(spec_, scale_) {}

void EstimateContext::check_same_cluster(const TrainConfig& c) const {
  const Scale s = cluster_scale(spec_, c);
  if (c.model.name != model_ || c.system != system_ || c.sets != sets_ || s.nodes != scale_.nodes ||
      s.gpus_per_node != scale_.gpus_per_node)
    throw RuntimeError("estimate context made for " + model_ + " on " + system_ + " used for " + c.model.name + " on " + c.system);
}

const Roofline& EstimateContext::roofline(Precision p) {
  if (const std::uint64_t g = efficiency_generation(); g != generation_) {  // an EfficiencyOverride came or went
    rooflines_.clear(), layers_.clear();
    generation_ = g;
  }
  auto& slot = rooflines_[p];
  if (!slot) slot = std::make_unique<Roofline>(spec_.gpu, dies_, p);
  return *slot;
}

const LayerCosts& EstimateContext::layer_costs(const TrainConfig& c) {
  const Parallelism& p = c.par;
  const TrainingParams& tr = c.train;
  // roofline() first: it drops layers_ when an EfficiencyOverride came or went, so the key needs no efficiency.
  const Roofline& rl = roofline(tr.precision);
  Key key = {p.tp,
             p.cp,
             p.ep,
             p.expert_tp(),
             tr.micro_batch,
             tr.seq_len,
             p.sp(),
             static_cast<int>(tr.precision),
             tr.flash_attention,
             tr.sdpa_attention,
             bits(tr.moe_imbalance),
             tr.compile};
  auto it = layers_.find(key);
  if (it != layers_.end()) return it->second;
  const ModelSpec& m = c.model;
  const LocalShape sh = local_shape(c);
  LayerCosts lc;
  for (int k = 0; k < kLayerKinds; ++k) {
    const LayerKind kind = static_cast<LayerKind>(k);
    if (m.layers_of(kind) == 0 && !(kind == LayerKind::kDense && !m.hybrid())) continue;
    LayerCost& c = lc.kind[static_cast<std::size_t>(k)];
    c = layer_cost(rl, layer_forward_ops(m, kind, sh), kind_has_moe(kind) ? expert_launches(*m.moe, sh) : ExpertLaunches{});
    c.tp_pairs.mixer = kind_has_mixer(kind);
    // A MoE block whose experts are split wider than TP gathers its routed tokens over the ETP group instead
    // (ep_layer_comm.hpp: etp_gather_exposed); its TP pair stays only for a shared expert, which runs on the
    // TP-gathered tokens (it was charged beside the ETP gather).
    const bool etp_gathers = kind_has_moe(kind) && p.expert_tp() > p.tp && m.moe->shared_experts == 0;
    c.tp_pairs.mlp = kind_has_ffn(kind) && !etp_gathers;
  }
  lc.embedding = rl.time(embedding_forward_ops(m, sh));
  lc.logits = rl.time(logits_forward_ops(m, sh));
  // A multi-token-prediction module: a layer of the model's last kind, its 2h x h projection, and its own
  // logits through the shared output layer (DeepSeek-V3 report sec. 2.2).
  lc.mtp = lc.of(m.layer_kind(m.layers - 1));
  const double t = rl.time(mtp_projection_op(m, sh));
  lc.mtp.fwd += t + lc.logits, lc.mtp.bwd += 2.0 * (t + lc.logits), lc.mtp.gemm += t + lc.logits;
  return layers_.emplace(std::move(key), lc).first->second;
}

double EstimateContext::memo(Key key, const RankMap& ranks, const std::vector<Dim>& dims, Op op, double bytes, int pairs) {
  ranks.append_key(key);
  auto it = comm_.find(key);
  if (it != comm_.end()) return it->second;
  // The closure of these groups, found once per rank map and dimensions (whatever the op and byte count).
  Key where = {key[1], key[3]};  // dims mask, pairs
  where.insert(where.end(), key.begin() + 4, key.end());
  auto sit = shapes_.find(where);
  if (sit == shapes_.end()) {
    const std::size_t group_size = static_cast<std::size_t>(ranks.group_size(dims));
    std::int64_t id = -1;  // no communication: fewer than two ranks per group
    if (group_size >= 2 && ranks.world() >= 2) {
      // Pairs: one boundary of each pipeline group (stage k sends to stage k + 1), every group's at once: with
      // pairs 1 the first (k = 0), with pairs 2 the first that crosses nodes (none: the first). Stages 0 and 1
      // on one node left every NIC-crossing boundary untimed (TP2 PP32 on 8-GPU nodes: 4 stages per node).
      const int per_node = model_comm_.ranks_per_node();
      auto boundary = [&](const std::vector<int>& all) {
        if (pairs == 3) return slowest_local_boundary(all);
        if (pairs == 2)
          for (std::size_t i = 0; i + 1 < all.size(); ++i)
            if (all[i] / per_node != all[i + 1] / per_node) return i;
        return std::size_t{0};
      };
      std::vector<int> first_group;
      ranks.group_containing(0, dims, &first_group);
      const int start = pairs ? first_group[boundary(first_group)] : 0;  // the closure grows from a rank that sends
      CommModel::Reduced red = model_comm_.reduce(ranks.world(), [&](int r, std::vector<int>* members) -> long {
        if (!pairs) return ranks.group_containing(r, dims, members);
        std::vector<int> all;
        const long g = ranks.group_containing(r, dims, &all);
        const std::size_t k = boundary(all);
        if (all[k] != r && all[k + 1] != r) return -1;
        if (members) *members = {all[k], all[k + 1]};
        return g;
      }, start);
      Key shape = {red.nodes};
      for (const auto& g : red.groups) {
        shape.push_back(-1);
        shape.insert(shape.end(), g.begin(), g.end());
      }
      auto [cit, fresh] = closure_ids_.emplace(std::move(shape), static_cast<std::int64_t>(reduced_.size()));
      if (fresh) reduced_.push_back(std::move(red));
      id = cit->second;
    }
    sit = shapes_.emplace(std::move(where), id).first;
  }
  double t = 0;
  if (sit->second >= 0 && bytes > 0) {
    // Second level: layouts that differ elsewhere (pp, dp) often leave the same closure, and one closure's
    // curve serves every byte count.
    Key shape = {static_cast<int>(op), sit->second};
    auto hit = closures_.find(shape);
    if (hit == closures_.end())
      hit = closures_.emplace(std::move(shape), model_comm_.curve(op, reduced_[static_cast<std::size_t>(sit->second)])).first;
    t = hit->second.at(bytes);
  }
  comm_.emplace(std::move(key), t);
  return t;
}

double EstimateContext::comm(Op op, const RankMap& ranks, const std::vector<Dim>& dims, double bytes) {
  std::int64_t mask = 0;
  for (Dim d : dims) mask |= 1 << static_cast<int>(d);
  return memo({static_cast<int>(op), mask, bits(bytes), 0}, ranks, dims, op, bytes, 0);
}

std::size_t EstimateContext::slowest_local_boundary(const std::vector<int>& g) {
  const int per_node = model_comm_.ranks_per_node();
  std::size_t slowest = 0;
  double least = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i + 1 < g.size(); ++i) {
    if (g[i] / per_node != g[i + 1] / per_node) continue;
    const double c = model_comm_.local_path_capacity(g[i] % per_node, g[i + 1] % per_node);
    if (c < least) least = c, slowest = i;
  }
  return slowest;
}

double EstimateContext::pp_send_recv(const RankMap& ranks, double bytes) {
  // The slowest boundary: every stage sends at once, so the step waits on the worst one. The first boundary
  // and the first that crosses nodes cover a scale-up link and a NIC (they are one when stages 0 and 1 are
  // apart); the slowest inside a node, a PCIe or socket hop beside a bridged pair (timed only where it is not
  // the first).
  const std::int64_t mask = 1 << static_cast<int>(Dim::kPp);
  const double first = memo({static_cast<int>(Op::kSendRecv), mask, bits(bytes), 1}, ranks, {Dim::kPp}, Op::kSendRecv, bytes, 1);
  const double crossing = memo({static_cast<int>(Op::kSendRecv), mask, bits(bytes), 2}, ranks, {Dim::kPp}, Op::kSendRecv, bytes, 2);
  std::vector<int> group;
  ranks.group_containing(0, {Dim::kPp}, &group);
  const double local = slowest_local_boundary(group) == 0
                           ? 0.0
                           : memo({static_cast<int>(Op::kSendRecv), mask, bits(bytes), 3}, ranks, {Dim::kPp},
                                  Op::kSendRecv, bytes, 3);
  return std::max({first, crossing, local});
}

}  // namespace commsim
