#include "study/measured_compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/error.hpp"
#include "core/stats.hpp"
#include "core/units.hpp"

namespace commsim {

SizeSelection SizeSelection::parse(const std::string& text) {
  // An empty selection (a variable left unset) was read as all, where an empty file name is refused.
  if (text.empty()) throw InputError("empty selection (all, even, odd, MIN:MAX or odd,MIN:MAX)");
  SizeSelection s;
  s.text = text;
  std::string rest = text;
  const auto comma = rest.find(',');
  std::string index = comma == std::string::npos ? rest : rest.substr(0, comma);
  if (index == "all" || index == "even" || index == "odd") {
    s.index = index == "even" ? Index::kEven : index == "odd" ? Index::kOdd : Index::kAll;
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
  } else if (comma != std::string::npos) {
    throw InputError("size selection '" + text + "': expected all, even or odd before the comma");
  }
  if (rest.empty()) return s;
  const auto colon = rest.find(':');
  if (colon == std::string::npos)
    throw InputError("size selection '" + text + "': expected all, even, odd or MIN:MAX (e.g. 64K:16M, 1M:)");
  try {
    if (colon > 0) s.min = parse_size_arg(rest.substr(0, colon));
    if (colon + 1 < rest.size()) s.max = parse_size_arg(rest.substr(colon + 1));
  } catch (const InputError& e) {
    throw InputError("size selection '" + text + "': " + e.what());
  }
  if (s.max < s.min) throw InputError("size selection '" + text + "': the maximum is below the minimum");
  return s;
}

std::vector<bool> select_sizes(const std::vector<Measurement>& rows, const SizeSelection& sel) {
  // Index of each size among the distinct sizes of its sweep: each sweep's sizes sorted once, each row's
  // index found by binary search (O(n log n); a row-by-row walk of the sweep was quadratic).
  using Key = std::tuple<const std::string&, Op, DataType, int>;
  std::map<Key, std::size_t> sweep_of;
  std::vector<std::vector<std::uint64_t>> sizes;
  std::vector<std::size_t> sweep(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Measurement& m = rows[i];
    const auto [it, added] = sweep_of.try_emplace(Key{m.file, m.op, m.dtype, m.nranks}, sizes.size());
    if (added) sizes.emplace_back();
    sweep[i] = it->second;
    sizes[it->second].push_back(m.size_bytes);
  }
  for (std::vector<std::uint64_t>& s : sizes) {
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
  }
  std::vector<bool> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Measurement& m = rows[i];
    const std::vector<std::uint64_t>& s = sizes[sweep[i]];
    const auto index = std::lower_bound(s.begin(), s.end(), m.size_bytes) - s.begin();
    const bool by_index = sel.index == SizeSelection::Index::kAll ||
                          (index % 2 == 0) == (sel.index == SizeSelection::Index::kEven);
    out[i] = by_index && m.size_bytes >= sel.min && m.size_bytes <= sel.max;
  }
  return out;
}

MeasuredPredictor::Sim& MeasuredPredictor::sim_for(const Measurement& m) {
  const SourceLoc where{m.file, m.line, 0, ""};
  Scale scale;
  try {
    // A rack-scale system's hosts are trays of one scale-up domain (GB200 NVL72: 4 GPUs a tray; CloudMatrix's
    // servers), as a published row's are: a 2-tray log was modelled as two racks over InfiniBand
    // (helper-129).
    const bool trays = spec_.node.gpus > spec_.node.board.gpus;
    if (req_.given()) {
      scale = resolve_scale(spec_, req_.nodes, req_.gpus, req_.gpus_per_node);
      // Hosts the file names against the flags' nodes: a 2-host log predicted as one NVLink node, and a
      // one-host log as two nodes over InfiniBand (+330% errors, a bandwidth_scale of 8.9 fitted;
      // helper-153).
      if (m.nodes > 0 && m.nodes != scale.nodes && !trays)
        throw InputError("measured on " + std::to_string(m.nodes) + (m.nodes == 1 ? " host" : " hosts") +
                         " (its Rank lines or context.hosts), but the flags make " +
                         std::to_string(scale.nodes) + " node" + (scale.nodes == 1 ? "" : "s") +
                         " (match --nodes to the measurement)");
    } else if (m.nranks > 0 && m.nodes > 1 && m.nranks % m.nodes != 0) {
      // Placed as one node, an uneven run (4 ranks on 3 hosts) was predicted over NVLink, and fitted so.
      throw InputError("measured on " + std::to_string(m.nranks) + " ranks over " + std::to_string(m.nodes) +
                       " hosts: not the same number on each, and commsim models nodes of one size");
    } else if (m.nranks <= 0) {
      throw InputError("the file does not say how many ranks ran; pass --gpus (and --nodes)");
    } else if (m.nranks < 2) {  // the row's own count, not a flag ("--gpus 1: ..." named a flag nobody gave)
      throw InputError("measured on 1 rank: a collective needs at least 2 (the file's rank count: nGpus x nThread, "
                       "its Rank lines, or the ranks column)");
    } else if (m.nodes > 1 && m.nranks % m.nodes == 0 && !trays) {
      scale = resolve_scale(spec_, m.nodes, 0, m.nranks / m.nodes / spec_.ranks_per_package());
    } else {
      scale = resolve_scale(spec_, 0, m.nranks / spec_.ranks_per_package(), 0);
    }
  } catch (const InputError& e) {
    throw InputError(where, e.what());
  }
  Sim& s = sims_[{scale.nodes, scale.gpus_per_node, m.nccl.nvls_off}];
  if (!s.topo) {
    if (m.nccl.nvls_off && !no_nvls_) {
      no_nvls_ = std::make_unique<SystemSpec>(spec_);
      no_nvls_->node.nvls = false;
    }
    s.topo = std::make_unique<Topology>(m.nccl.nvls_off ? *no_nvls_ : spec_, scale);
    s.sim = std::make_unique<CollectiveSimulator>(*s.topo);
  }
  if (m.nranks > 0 && m.nranks != s.topo->ranks()) {
    throw InputError(where, "measured on " + std::to_string(m.nranks) + " ranks, but " + spec_.name + " at this scale has " +
                                std::to_string(s.topo->ranks()) + " (match --gpus/--nodes to the measurement)");
  }
  return s;
}

MeasuredRow MeasuredPredictor::predict(const Measurement& m, const Calibration& cal) {
  Sim& s = sim_for(m);
  s.sim->set_calibration(cal);
  MeasuredRow r;
  r.m = m;
  r.nodes = s.topo->nodes();
  r.ranks = s.topo->ranks();
  if (!(m.measured_time_us() > 0)) throw InputError(SourceLoc{m.file, m.line, 0, ""}, "measured time is not positive");
  Prediction p;
  try {
    try {
      p = s.sim->predict(m.op, m.size_bytes, m.dtype, m.nccl.algo.empty() ? "auto" : m.nccl.algo,
                         m.nccl.proto, m.redop);
    } catch (const InputError&) {
      // A setting that cannot serve this collective (NCCL_ALGO=Ring for an alltoall, Tree for an all-gather):
      // NCCL chooses for it, as for the collectives its NCCL_ALGO does not cover.
      if (m.nccl.algo.empty() && !m.nccl.proto) throw;
      p = s.sim->predict(m.op, m.size_bytes, m.dtype, "auto", std::nullopt, m.redop);
    }
  } catch (const InputError& e) {
    throw InputError(SourceLoc{m.file, m.line, 0, ""}, std::string(op_name(m.op)) + " on " + spec_.name + ": " + e.what());
  }
  r.predicted_us = p.time_us;
  r.predicted_busbw_GBps = p.busbw_GBps;
  r.latency_us = p.latency_us;
  r.bandwidth_us = p.bandwidth_us;
  r.algorithm = p.algorithm;
  r.protocol = proto_name(p.proto);
  return r;
}

std::vector<MeasuredRow> MeasuredPredictor::predict_all(const std::vector<Measurement>& rows, const Calibration& cal) {
  std::vector<MeasuredRow> out;
  out.reserve(rows.size());
  for (const Measurement& m : rows) out.push_back(predict(m, cal));
  return out;
}

AbsStats abs_stats(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
  AbsStats s;
  s.rows = static_cast<int>(values.size());
  if (values.empty()) return s;
  for (double& v : values) v = std::fabs(v);
  s.worst = *std::max_element(values.begin(), values.end());
  s.median = median(std::move(values));
  return s;
}

}  // namespace commsim
