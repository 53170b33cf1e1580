#include "train/estimate_context.hpp"

#include <cstring>

#include "train/layer_ops.hpp"

namespace commsim {
namespace {

std::int64_t bits(double v) {
  std::int64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

LayerCost layer_cost(const Roofline& rl, const std::vector<OpCost>& ops) {
  LayerCost c;
  for (const OpCost& o : ops) {
    const double t = rl.time(o);
    c.fwd += t;
    if (o.unit == OpUnit::kAttention) c.attn += t;
    if (o.name.rfind("experts", 0) == 0) c.experts += t;
  }
  return c;
}

SystemSpec load_for(const TrainConfig& c) {
  if (c.system.empty()) throw InputError("cluster.system: no system given (--system)");
  return load_system(c.system, c.sets);
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
      scale_(resolve_scale(spec_, c.nodes, c.gpus, c.gpus_per_node)),
      dies_(spec_.ranks_per_package()),
      model_comm_(spec_, scale_) {}

void EstimateContext::check_same_cluster(const TrainConfig& c) const {
  const Scale s = resolve_scale(spec_, c.nodes, c.gpus, c.gpus_per_node);
  if (c.model.name != model_ || c.system != system_ || c.sets != sets_ || s.nodes != scale_.nodes ||
      s.gpus_per_node != scale_.gpus_per_node)
    throw RuntimeError("estimate context made for " + model_ + " on " + system_ + " used for " + c.model.name + " on " + c.system);
}

const Roofline& EstimateContext::roofline(Precision p) {
  auto& slot = rooflines_[p];
  if (!slot) slot = std::make_unique<Roofline>(spec_.gpu, dies_, p);
  return *slot;
}

const LayerCosts& EstimateContext::layer_costs(const TrainConfig& c) {
  const Parallelism& p = c.par;
  const TrainingParams& tr = c.train;
  Key key = {p.tp, p.cp, p.ep, tr.micro_batch, tr.seq_len, p.sp(), static_cast<int>(tr.precision), tr.flash_attention};
  auto it = layers_.find(key);
  if (it != layers_.end()) return it->second;
  const ModelSpec& m = c.model;
  const Roofline& rl = roofline(tr.precision);
  LocalShape sh;
  sh.tokens = static_cast<double>(tr.micro_batch) * tr.seq_len / p.cp;
  sh.seq_kv = static_cast<double>(tr.seq_len);
  sh.tp = p.tp;
  sh.ep = p.ep;
  sh.sp = p.sp();
  sh.fp8 = is_fp8(tr.precision);
  sh.flash = tr.flash_attention;
  LayerCosts lc;
  lc.dense = layer_cost(rl, layer_forward_ops(m, false, sh));
  lc.moe = m.moe ? layer_cost(rl, layer_forward_ops(m, true, sh)) : lc.dense;
  lc.embedding = rl.time(embedding_forward_ops(m, sh));
  lc.logits = rl.time(logits_forward_ops(m, sh));
  return layers_.emplace(std::move(key), lc).first->second;
}

double EstimateContext::memo(Key key, const RankMap& ranks, const std::vector<Dim>& dims, Op op, double bytes, bool pairs) {
  for (Dim d : {Dim::kTp, Dim::kCp, Dim::kEp, Dim::kEdp, Dim::kPp}) key.push_back(ranks.size(d)), key.push_back(ranks.stride(d));
  auto it = comm_.find(key);
  if (it != comm_.end()) return it->second;
  std::vector<std::vector<int>> groups = ranks.groups(dims);
  if (pairs)
    for (auto& g : groups) g.resize(2);
  double t = 0;
  if (!groups.empty() && groups.front().size() >= 2 && bytes > 0) {
    // Second level: layouts that differ elsewhere (pp, dp) often leave the same closure.
    CommModel::Reduced red = model_comm_.reduce(groups);
    Key shape = {static_cast<int>(op), bits(bytes), red.nodes};
    for (const auto& g : red.groups) {
      shape.push_back(-1);
      shape.insert(shape.end(), g.begin(), g.end());
    }
    auto hit = closures_.find(shape);
    if (hit != closures_.end()) {
      t = hit->second;
    } else {
      t = model_comm_.time(op, red, bytes);
      closures_.emplace(std::move(shape), t);
    }
  }
  comm_.emplace(std::move(key), t);
  return t;
}

double EstimateContext::comm(Op op, const RankMap& ranks, const std::vector<Dim>& dims, double bytes) {
  std::int64_t mask = 0;
  for (Dim d : dims) mask |= 1 << static_cast<int>(d);
  return memo({static_cast<int>(op), mask, bits(bytes), 0}, ranks, dims, op, bytes, false);
}

double EstimateContext::pp_send_recv(const RankMap& ranks, double bytes) {
  const std::int64_t mask = 1 << static_cast<int>(Dim::kPp);
  return memo({static_cast<int>(Op::kSendRecv), mask, bits(bytes), 1}, ranks, {Dim::kPp}, Op::kSendRecv, bytes, true);
}

}  // namespace commsim
