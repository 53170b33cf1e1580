#include "study/calibration.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <map>
#include <set>

#include "core/error.hpp"
#include "topo/system_loader.hpp"

namespace commsim {

LinearFit fit_relative_nnls(const std::vector<double>& L, const std::vector<double>& W, const std::vector<double>& T) {
  double saa = 0, sab = 0, sbb = 0, sa = 0, sb = 0;
  int n = 0;
  for (std::size_t i = 0; i < T.size(); ++i) {
    if (!(T[i] > 0) || !std::isfinite(L[i]) || !std::isfinite(W[i])) continue;
    const double a = L[i] / T[i], b = W[i] / T[i];
    saa += a * a, sab += a * b, sbb += b * b, sa += a, sb += b;
    ++n;
  }
  if (n < 2) throw InputError("calibration needs at least 2 measured rows with positive times (got " + std::to_string(n) + ")");
  // Objective up to a constant: x^2 saa + 2xy sab + y^2 sbb - 2x sa - 2y sb.
  auto cost = [&](double x, double y) { return x * x * saa + 2 * x * y * sab + y * y * sbb - 2 * x * sa - 2 * y * sb; };
  const double det = saa * sbb - sab * sab;
  if (det > 1e-12 * saa * sbb) {
    const double x = (sa * sbb - sb * sab) / det, y = (sb * saa - sa * sab) / det;
    if (x >= 0 && y >= 0) return LinearFit{x, y};
  }
  const LinearFit only_x{saa > 0 ? sa / saa : 0, 0}, only_y{0, sbb > 0 ? sb / sbb : 0};
  return cost(only_x.x, only_x.y) < cost(only_y.x, only_y.y) ? only_x : only_y;
}

namespace {

// The chosen algorithm/protocol per row: the fit is done when it stops changing.
std::vector<std::string> choices(const std::vector<MeasuredRow>& rows) {
  std::vector<std::string> c;
  for (const MeasuredRow& r : rows) c.push_back(r.algorithm + "/" + r.protocol);
  return c;
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
  Calibration cal;  // start from the uncalibrated model, whatever the system file says
  // One fit over every fitted row gives the system-wide pair; every op with at least 3 fitted rows also
  // gets its own pair (an MPI library or NCCL version implements each collective its own way).
  auto fit_rows = [&](const std::vector<MeasuredRow>& pred, const std::string& op) {
    std::vector<double> L, W, T;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!res.fitted[i] || (!op.empty() && op_name(rows[i].op) != op)) continue;
      L.push_back(pred[i].latency_us);
      W.push_back(pred[i].bandwidth_us);
      T.push_back(rows[i].measured_time_us());
    }
    const LinearFit f = fit_relative_nnls(L, W, T);
    if (!(f.y > 0)) {
      throw InputError("the fitted rows" + (op.empty() ? std::string() : " of " + op) +
                       " do not constrain the bandwidth term (the best fit is latency alone); fit on larger sizes (--fit-sizes)");
    }
    if (!(f.x > 0)) res.notes.push_back("the best fit" + (op.empty() ? std::string() : " of " + op) +
                                        " has no latency term; latency_scale set to 0.001");
    return CalibrationScales{std::max(f.x, 1e-3), 1.0 / f.y};
  };
  std::map<std::string, int> per_op;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (res.fitted[i]) per_op[op_name(rows[i].op)]++;
  std::vector<std::string> last;
  for (res.rounds = 1; res.rounds <= 20; ++res.rounds) {
    const std::vector<MeasuredRow> pred = predictor.predict_all(rows, cal);
    Calibration next;
    const CalibrationScales global = fit_rows(pred, "");
    next.latency_scale = global.latency_scale;
    next.bandwidth_scale = global.bandwidth_scale;
    for (const auto& [op, count] : per_op)
      if (count >= 3) next.ops[op] = fit_rows(pred, op);
    char buf[160];
    std::snprintf(buf, sizeof buf, "round %d: system-wide latency_scale %.4g, bandwidth_scale %.4g; %zu op(s) with their own",
                  res.rounds, next.latency_scale, next.bandwidth_scale, next.ops.size());
    res.notes.push_back(buf);
    const std::vector<std::string> now = choices(pred);
    auto close = [](double a, double b) { return std::fabs(a / b - 1) < 1e-9; };
    bool same = now == last && close(next.latency_scale, cal.latency_scale) && close(next.bandwidth_scale, cal.bandwidth_scale) &&
                next.ops.size() == cal.ops.size();
    for (const auto& [op, sc] : next.ops) {
      const auto it = cal.ops.find(op);
      same = same && it != cal.ops.end() && close(sc.latency_scale, it->second.latency_scale) &&
             close(sc.bandwidth_scale, it->second.bandwidth_scale);
    }
    last = now;
    cal = next;
    if (same) break;
  }
  if (res.rounds > 20) res.notes.push_back("the algorithm choice did not settle in 20 rounds; the last fit is kept");

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
  std::string src = "commsim calibrate: weighted NNLS on relative time residuals over " + std::to_string(n) + " rows of";
  for (const std::string& f : files) src += " " + f;
  src += " (ops";
  for (Op o : ops) src += std::string(" ") + op_name(o);
  src += "; ranks";
  for (int r : ranks) src += " " + std::to_string(r);
  src += "; sizes " + sel.text + " within " + size_text(lo) + "-" + size_text(hi) + "; out-of-place times)";
  cal.kind = "calibrated";
  cal.source = src;
  res.calibration = cal;
  res.rows = predictor.predict_all(rows, cal);
  return res;
}

void write_calibrated_system(std::ostream& out, const std::string& system_arg, const std::vector<std::string>& sets,
                             const SystemSpec& spec, const Calibration& cal) {
  YAML::Node doc = system_document(system_arg, sets);
  std::string name = spec.name;
  const std::string suffix = "-calibrated";
  if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) name += suffix;
  doc["name"] = name;
  doc["description"] = spec.description + (spec.description.empty() ? "" : "; ") + "calibrated on measurements";
  doc.remove("calibration");
  auto figure = [&](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    YAML::Node f(YAML::NodeType::Map);
    f["value"] = std::string(buf);
    f["kind"] = "calibrated";
    f["source"] = "fitted by commsim calibrate; see calibration.source";
    f.SetStyle(YAML::EmitterStyle::Flow);
    return f;
  };
  YAML::Node c(YAML::NodeType::Map);
  c["kind"] = cal.kind.empty() ? std::string("calibrated") : cal.kind;
  c["source"] = cal.source;
  c["latency_scale"] = figure(cal.latency_scale);
  c["bandwidth_scale"] = figure(cal.bandwidth_scale);
  if (!cal.ops.empty()) {
    YAML::Node ops(YAML::NodeType::Map);
    for (const auto& [op, sc] : cal.ops) {
      YAML::Node pair(YAML::NodeType::Map);
      pair["latency_scale"] = figure(sc.latency_scale);
      pair["bandwidth_scale"] = figure(sc.bandwidth_scale);
      ops[op] = pair;
    }
    c["ops"] = ops;
  }
  doc["calibration"] = c;
  YAML::Emitter e;
  e << doc;
  out << "# Written by commsim calibrate from system '" << spec.name << "' (" << spec.file << ").\n"
      << "# Load it with --system FILE; see docs/benchmark.md, \"Calibrating the simulator\".\n"
      << e.c_str() << "\n";
}

}  // namespace commsim
