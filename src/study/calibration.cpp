#include "study/calibration.hpp"

#include "study/cliff_fit.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "coll/algorithm.hpp"
#include "topo/system_loader.hpp"

namespace commsim {

namespace {

// Every candidate the tuner may choose for a row, with its unscaled terms in microseconds.
FitRow fit_row(MeasuredPredictor& predictor, const Measurement& m) {
  const CollectiveSimulator& sim = predictor.simulator_for(m);
  const Topology& topo = sim.topology();
  const double bytes = static_cast<double>(op_sizes(m.op, m.size_bytes, dtype_info(m.dtype).size, topo.ranks()).size_bytes);
  FitRow r;
  r.time = m.measured_time_us();
  r.size = bytes;
  // An fp8 reduction ring over more than 8 ranks is NCCL's last resort (fp8_ring_penalty: x1024, a partition
  // between lossy and exact algorithms); it is a candidate of the fit only where nothing else runs.
  const bool ring_last = fp8_ring_penalty(m.op, m.dtype, topo.ranks(), topo.spec().gpu.arch) > 1;
  FitRow ring;
  // The algorithm and protocol the run forced (NCCL_ALGO, NCCL_PROTO); where they cannot serve this
  // collective (Ring for an alltoall), NCCL's choice among all, as predict() falls back.
  auto collect = [&](bool honour) {
    for (const Algorithm* a : algorithms()) {
      if (!a->in_auto() || !a->unsupported(m.op, topo).empty()) continue;
      if (honour && !m.nccl.algo.empty() && a->name() != m.nccl.algo) continue;
      // the switch's reductions, as predict() takes them: an int8 or prod row is no NVLS candidate
      if ((a->name() == "nvls" || a->name() == "nvls_tree") &&
          !nvls_reduction_unsupported(m.op, m.dtype, m.redop).empty())
        continue;
      FitRow& into = ring_last && a->name() == "ring" ? ring : r;
      for (Proto p : kAllProtos) {
        if (honour && m.nccl.proto && p != *m.nccl.proto) continue;
        if (!(honour && m.nccl.proto) && bytes > a->auto_max_bytes(m.op, p, topo, sim.model())) continue;
        const TimeSplit s = sim.split_of(*a, m.op, p, bytes);
        if (!std::isfinite(s.latency) || !std::isfinite(s.bandwidth)) continue;
        into.latency.push_back(s.latency * 1e6);
        into.bandwidth.push_back(s.bandwidth * 1e6);
      }
    }
  };
  collect(true);
  if (r.latency.empty() && ring.latency.empty()) collect(false);
  if (r.latency.empty()) {
    r.latency = ring.latency;
    r.bandwidth = ring.bandwidth;
  }
  return r;
}

std::string size_text(std::uint64_t b) {
  const char* units[] = {"B", "K", "M", "G", "T"};
  int u = 0;
  while (u < 4 && b >= 1024 && b % 1024 == 0) b /= 1024, ++u;
  return std::to_string(b) + units[u];
}

}  // namespace

CalibrationResult calibrate(const SystemSpec& spec, const ScaleRequest& req, const std::vector<Measurement>& rows,
                            const SizeSelection& sel, const std::vector<std::string>& files) {
  CalibrationResult res;
  res.fitted = select_sizes(rows, sel);
  MeasuredPredictor predictor(spec, req);
  predictor.predict_all(rows, Calibration{});  // every row predictable (file:line errors), before fitting
  std::vector<FitRow> fit_rows(rows.size());
  std::map<std::string, std::vector<std::size_t>> per_op;
  std::vector<std::size_t> all;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!res.fitted[i]) continue;
    fit_rows[i] = fit_row(predictor, rows[i]);
    all.push_back(i);
    per_op[op_name(rows[i].op)].push_back(i);
  }
  // One fit over every fitted row gives the system-wide pair; every op with at least 3 fitted rows also
  // gets its own pair (an MPI library or NCCL version implements each collective its own way).
  res.converged = true;
  auto fit = [&](const std::vector<std::size_t>& idx, const std::string& op) {
    const std::string of = op.empty() ? std::string("system-wide") : op;
    std::vector<FitRow> sel;
    for (std::size_t i : idx) sel.push_back(fit_rows[i]);
    const CliffFit cf = fit_cliff(sel);
    const ScaleFit& f = cf.below;
    if (!(f.y > 0) || !std::isfinite(f.y) || !std::isfinite(f.x))
      throw InputError("the fitted rows" + (op.empty() ? std::string() : " of " + op) + " cannot be fitted (no candidate with a positive time)");
    if (f.held != ScaleFit::Held::kNone) {
      char held[320];
      const bool bw = f.held == ScaleFit::Held::kBandwidth;
      std::snprintf(
          held, sizeof held,
          "%s: %s kept at 1: the %s term is at most %.1f%% of any fitted row's time, too little to fit "
          "(fit on %s sizes, --fit-sizes)",
          op.empty() ? "the fitted rows" : ("the fitted rows of " + op).c_str(),
          bw ? "bandwidth_scale" : "latency_scale", bw ? "bandwidth" : "latency", 100 * f.term_share,
          bw ? "larger" : "smaller");
      res.notes.push_back(held);
    }
    if (f.latency_alone_fits_better && f.held == ScaleFit::Held::kNone)
      res.notes.push_back("the fitted rows" + (op.empty() ? std::string() : " of " + op) +
                          " fit better with latency alone (times do not grow with the size): bandwidth_scale is barely constrained; fit on larger sizes (--fit-sizes)");
    if (!(f.x > 0) && f.held == ScaleFit::Held::kNone)
      res.notes.push_back("the best fit" + (op.empty() ? std::string() : " of " + op) +
                          " has no latency term; latency_scale set to 0.001");
    char buf[320];
    // With a cliff, the pair and its loss are the fit of the rows below it (it said "over" every row, and its
    // loss read lower than the kept cliff model's).
    std::snprintf(
        buf, sizeof buf,
        "%s fit: latency_scale %.4g, bandwidth_scale %.4g, loss %.4f over %zu rows%s; %s after %d round(s)",
        of.c_str(), std::max(f.x, 1e-3), 1.0 / f.y, f.loss, cf.rows_below,
        cf.cliff() ? " (below the cache cliff)" : "", f.converged ? "converged" : "NOT converged", f.rounds);
    res.notes.push_back(buf);
    CalibrationScales sc;
    sc.latency_scale = std::max(f.x, 1e-3), sc.bandwidth_scale = 1.0 / f.y;
    for (std::size_t k = 0; k < cf.cache_bytes.size(); ++k) sc.cliffs.push_back(CacheCliff{cf.cache_bytes[k], 1.0 / cf.y_above[k]});
    // The system file accepts scales in [1e-6, 1e6] (system_loader.cpp): a fit outside it would write a file
    // that cannot be loaded; such a fit says the times are not this system's (units, ranks, the op).
    std::vector<std::pair<std::string, double>> fitted{{"latency_scale", sc.latency_scale}, {"bandwidth_scale", sc.bandwidth_scale}};
    for (const CacheCliff& cc : sc.cliffs) fitted.emplace_back("dram_bandwidth_scale", cc.bandwidth_scale);
    for (const auto& [name, v] : fitted)
      if (!(v >= 1e-6 && v <= 1e6)) {
        std::snprintf(buf, sizeof buf, "%.4g", v);
        throw InputError((files.empty() ? std::string() : files.front() + ": ") + "the fitted rows" +
                         (op.empty() ? std::string() : " of " + op) + " give " + name + " " + buf +
                         ", outside [1e-6, 1e6]: the measured times are not this system's (check --system, --nodes, "
                         "--gpus-per-node, --op and the times' unit)");
      }
    if (cf.cliff()) {
      std::string where, scales;
      for (std::size_t k = 0; k < cf.cache_bytes.size(); ++k) {
        std::snprintf(buf, sizeof buf, "%s%.0f", k ? ", " : "", cf.cache_bytes[k]);
        where += buf;
        std::snprintf(buf, sizeof buf, "%s%.4g (%zu rows)", k ? ", " : "", 1.0 / cf.y_above[k], cf.rows_above[k]);
        scales += buf;
      }
      const bool one = cf.cache_bytes.size() == 1;
      std::snprintf(buf, sizeof buf, "%s cache cliff%s: above %s B per rank dram_bandwidth_scale %s; the fit below on %zu rows; loss %.4f (no cliff %.4f)",
                    of.c_str(), one ? "" : "s", where.c_str(), scales.c_str(), cf.rows_below, cf.loss, cf.loss_without);
      res.notes.push_back(buf);
      res.cliff_rows[op] = cf.rows_above;
    }
    res.converged = res.converged && f.converged;
    res.rounds = std::max(res.rounds, f.rounds);
    return sc;
  };
  // Rows of one message size cannot tell the latency term from the bandwidth term: the fit stopped at a bound
  // (latency_scale 0.001) and wrote a file that predicts small messages 1000x too fast.
  auto sizes_of = [&rows](const std::vector<std::size_t>& idx) {
    std::set<std::uint64_t> s;
    for (std::size_t i : idx) s.insert(rows[i].size_bytes);
    return s.size();
  };
  if (!all.empty() && sizes_of(all) < 2)
    throw InputError((files.empty() ? std::string() : files.front() + ": ") + "the " + std::to_string(all.size()) +
                     " fitted rows are all of one message size (" + size_text(rows[all.front()].size_bytes) +
                     "): latency and bandwidth cannot be told apart; measure at least two sizes (-b, -e)");
  Calibration cal;
  cal.system = fit(all, "");
  for (const auto& [op, idx] : per_op)
    if (idx.size() >= 3 && sizes_of(idx) >= 2) cal.ops[op] = fit(idx, op);
  if (!res.converged) res.notes.push_back("a fit did not converge in 200 rounds; its best point is kept");

  std::set<Op> ops;
  std::set<int> ranks;
  std::uint64_t lo = UINT64_MAX, hi = 0;
  int n = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!res.fitted[i]) continue;
    ops.insert(rows[i].op);
    ranks.insert(rows[i].nranks);
    lo = std::min(lo, rows[i].size_bytes), hi = std::max(hi, rows[i].size_bytes);
    ++n;
  }
  std::string src = "commsim calibrate: Cauchy loss of log time errors (tuner in the loop) over " + std::to_string(n) + " rows of";
  for (const std::string& f : files) src += " " + one_line(f);  // a file name with a line break made a file it could not read
  src += " (ops";
  for (Op o : ops) src += std::string(" ") + op_name(o);
  src += "; ranks";
  for (int r : ranks) src += " " + std::to_string(r);
  src += "; sizes " + sel.text + " within " + size_text(lo) + "-" + size_text(hi) + "; out-of-place times)";
  cal.kind = "calibrated";
  cal.source = src;
  res.calibration = cal;
  res.calibration.cliff_rows = res.cliff_rows;
  res.rows = predictor.predict_all(rows, cal);
  return res;
}

std::string calibrated_system_name(const std::string& name) {
  const std::string suffix = "-calibrated";
  const bool has =
      name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  return has ? name : name + suffix;
}

void write_calibrated_system(std::ostream& out, const std::string& system_arg, const std::vector<std::string>& sets,
                             const SystemSpec& spec, const Calibration& cal) {
  YAML::Node doc = system_document(system_arg, sets);
  doc["name"] = calibrated_system_name(spec.name);
  doc["description"] = spec.description + (spec.description.empty() ? "" : "; ") + "calibrated on measurements";
  doc.remove("calibration");
  auto figure = [&](double v, const std::string& how = "") {
    YAML::Node f(YAML::NodeType::Map);
    f["value"] = six_digits(v);
    f["kind"] = "calibrated";
    f["source"] = "fitted by commsim calibrate" + how + "; see calibration.source";
    f.SetStyle(YAML::EmitterStyle::Flow);
    return f;
  };
  YAML::Node c(YAML::NodeType::Map);
  c["kind"] = cal.kind.empty() ? std::string("calibrated") : cal.kind;
  c["source"] = cal.source;
  c["latency_scale"] = figure(cal.system.latency_scale);
  c["bandwidth_scale"] = figure(cal.system.bandwidth_scale);
  // One cliff as two values, more as two lists of one length (system_loader.cpp reads both).
  auto cliff = [&](YAML::Node& node, const CalibrationScales& sc, const std::string& op) {
    if (sc.cliffs.empty()) return;
    const auto it = cal.cliff_rows.find(op);
    YAML::Node bytes(YAML::NodeType::Sequence), scales(YAML::NodeType::Sequence);
    for (std::size_t k = 0; k < sc.cliffs.size(); ++k) {
      const std::string at = sc.cliffs.size() > 1 ? "[" + std::to_string(k) + "]" : "";
      const std::string how = it == cal.cliff_rows.end() || k >= it->second.size()
                                  ? std::string()
                                  : " (cache cliff, " + std::to_string(it->second[k]) + " rows " +
                                        (sc.cliffs.size() > 1 ? "in the level above cache_bytes" : "above cache_bytes") + at + ")";
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.0fB", sc.cliffs[k].bytes);
      YAML::Node f = figure(0, how);
      f["value"] = std::string(buf);
      bytes.push_back(f);
      scales.push_back(figure(sc.cliffs[k].bandwidth_scale, how));
    }
    const bool one = sc.cliffs.size() == 1;
    node["cache_bytes"] = one ? bytes[0] : bytes;
    node["dram_bandwidth_scale"] = one ? scales[0] : scales;
  };
  cliff(c, cal.system, "");
  if (!cal.ops.empty()) {
    YAML::Node ops(YAML::NodeType::Map);
    for (const auto& [op, sc] : cal.ops) {
      YAML::Node pair(YAML::NodeType::Map);
      pair["latency_scale"] = figure(sc.latency_scale);
      pair["bandwidth_scale"] = figure(sc.bandwidth_scale);
      cliff(pair, sc, op);
      ops[op] = pair;
    }
    c["ops"] = ops;
  }
  doc["calibration"] = c;
  YAML::Emitter e;
  e << doc;
  out << "# Written by commsim calibrate from system '" << one_line(spec.name) << "' (" << one_line(spec.file) << ").\n"
      << "# Load it with --system FILE; see docs/benchmark.md, \"Calibrating the simulator\".\n"
      << e.c_str() << "\n";
}

}  // namespace commsim
