#include "study/validate_collectives.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include "coll/algorithm.hpp"
#include "coll/simulator.hpp"
#include "core/csv.hpp"
#include "core/data_path.hpp"
#include "core/stats.hpp"
#include "core/text.hpp"
#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "study/mapping_rules.hpp"
#include "study/measured_fields.hpp"
#include "study/nccl_env.hpp"
#include "study/nccl_row_cells.hpp"
#include "topo/system_loader.hpp"

namespace commsim {
namespace {

struct Rule {
  std::string gpu, intra, inter, system;
  std::vector<std::string> sets;  // documented hardware differences, as --set
  // The row's nodes are trays of one scale-up domain (GB200 NVL72: 4 GPUs a tray): its GPUs are nodes x
  // gpus_per_node, packed into the system's domains, not that many domains.
  bool trays = false;
};

struct Mapping {
  std::vector<Rule> rules;
  std::map<std::string, std::string> excluded;  // case_id -> reason
  std::vector<UnsupportedRule> unsupported;     // hardware no system models, named by a word of the row
};

// An algorithm NCCL or commsim knows by this name (lower case, as the notes are read): NCCL's CollNetDirect,
// CollNetChain and PAT where commsim does not run them are out of reach; another word ("rnig") is a typo.
bool names_an_algorithm(const std::string& name) {
  if (find_algorithm(name)) return true;
  for (const char* nccl :
       {"ring", "tree", "collnet", "collnetdirect", "collnetchain", "nvls", "nvlstree", "nvls_tree", "pat"})
    if (name == nccl) return true;
  return false;
}

Mapping load_mapping(const std::string& path) {
  Mapping m;
  YamlMap root = open_mapping(path, "validation_mapping");
  YAML::Node rules = root.raw("rules");
  if (!rules.IsSequence()) root.fail("rules", "expected a list of rules");
  for (std::size_t i = 0; i < rules.size(); ++i) {
    YamlMap r(rules[i], path, "rules[" + std::to_string(i) + "]");
    Rule rule;
    rule.gpu = read_rule_text(r, "gpu");
    rule.intra = read_rule_text(r, "intra", true);
    rule.inter = read_rule_text(r, "inter", true);
    rule.system = r.str("system");
    // a rule no row uses is still checked: an unknown system or a bad set names this line
    resolve_data_path("topologies/systems", "system", rule.system, r.loc("system"));
    rule.sets = r.strings("set");
    if (!rule.sets.empty()) {
      std::map<std::string, SourceLoc> written_at;
      const YAML::Node items = r.raw("set");
      for (std::size_t k = 0; k < rule.sets.size(); ++k)
        written_at.emplace(rule.sets[k],
                           node_loc(items[k], path, r.loc("set").key + "[" + std::to_string(k) + "]"));
      load_system(rule.system, rule.sets, written_at);
    }
    rule.trays = r.boolean_or("trays", false);
    r.str_or("note", "");
    r.finish();
    m.rules.push_back(rule);
  }
  m.unsupported = mapping_unsupported(root, path);
  if (root.has("exclude")) {
    YAML::Node ex = root.raw("exclude");
    for (std::size_t i = 0; i < ex.size(); ++i) {
      YamlMap e(ex[i], path, "exclude[" + std::to_string(i) + "]");
      m.excluded[e.str("case_id")] = e.str("reason");
      e.finish();
    }
  } else {
    root.raw("exclude");
  }
  root.finish();
  return m;
}

}  // namespace

std::vector<double> qualifying_errors(const std::vector<ValidationRow>& rows, double min_size) {
  std::vector<double> errs;
  for (const ValidationRow& r : rows)
    if (r.size_bytes >= min_size && r.measured_busbw > 0) errs.push_back(r.error);
  return errs;
}

ErrorSummary summarize(const std::vector<ValidationRow>& rows, double min_size) {
  std::vector<double> errs = qualifying_errors(rows, min_size);
  ErrorSummary s;
  for (double& e : errs) {
    e = std::fabs(e);
    s.worst_abs = std::max(s.worst_abs, e);
  }
  s.rows = static_cast<int>(errs.size());
  s.median_abs = median(errs);
  return s;
}

ValidationReport validate_collectives(const std::string& csv_path, const std::string& mapping_path) {
  const std::string mp =
      mapping_path.empty() ? data_file("configs/validation/nccl-systems.yaml") : mapping_path;
  const Mapping mapping = load_mapping(mp);
  const std::vector<CsvRow> rows = read_csv(csv_path);
  ValidationReport rep;
  // One topology + simulator per (system, nodes, gpus per node): the max-min solves are shared by the rows.
  std::map<std::string, std::pair<std::unique_ptr<Topology>, std::unique_ptr<CollectiveSimulator>>> sims;
  std::map<std::string, bool> excluded_seen, unreached_seen;
  std::map<std::string, int>
      line_of;  // case|collective|dtype|size -> its line: a repeated row would count twice
  for (const CsvRow& row : rows) {
    ValidationRow v;
    v.case_id = trim(row.at("case_id"));  // "X " escaped the mapping's exclusion of X
    // As the training, memory and kernel files: a blank id was printed as a blank case.
    if (v.case_id.empty())
      throw InputError(SourceLoc{csv_path, row.line, 0, "case_id"}, "empty: each row needs an id");
    // A repeat is the same case, collective, type and size as read, however written ("allreduce" and
    // "all_reduce", "fp32" and "float", "134217728.0", the case_id in another case: each was counted twice).
    const auto same_op = op_from_name(trim(row.at("collective")));
    const auto same_dtype = dtype_from_name(published_dtype_name(row.at("dtype")));
    std::string size =
        row.at("size_bytes");  // as read; as written where it does not read (the row's own error, later)
    try {
      size = std::to_string(measured_size(size, "size_bytes", SourceLoc{csv_path, row.line, 0, ""}));
    } catch (const InputError&) {
    }
    const std::string id = lower_case(v.case_id) + "|" +
                           (same_op ? op_name(*same_op) : row.at("collective")) + "|" +
                           (same_dtype ? dtype_info(*same_dtype).name : row.at("dtype")) + "|" + size;
    if (const auto [it, fresh] = line_of.emplace(id, row.line); !fresh)
      throw InputError(SourceLoc{csv_path, row.line, 0, "size_bytes"},
                       v.case_id + ": " + row.at("collective") + " " + row.at("dtype") + " of " +
                           row.at("size_bytes") + " B is already on line " + std::to_string(it->second) +
                           " (a repeated row would count twice in the medians)");
    // A cell of this row that does not read (an empty collective, a size "abc", a busbw "fast", an algorithm
    // the notes force that NCCL does not have): the row's, named, and the next row read, as a training row's
    // (it stopped the file, exit 2); an error in the mapping or a catalog file still stops it. A name commsim
    // does not model is out of its reach, named below.
    try {
      for (const char* col : {"collective", "dtype"})
        if (trim(row.at(col)).empty())
          throw InputError(SourceLoc{csv_path, row.line, 0, col}, v.case_id + ": empty " + col);
      if (auto it = mapping.excluded.find(v.case_id); it != mapping.excluded.end()) {
        if (!excluded_seen[v.case_id]) rep.excluded.push_back({v.case_id, it->second});
        excluded_seen[v.case_id] = true;
        continue;
      }
      // Out of the catalog's reach: named once per case (its first row), and the next row read.
      auto not_predicted = [&](const std::string& col, const std::string& what) {
        if (!unreached_seen[v.case_id])
          rep.not_predicted.push_back(
              {v.case_id, InputError(SourceLoc{csv_path, row.line, 0, col}, v.case_id + ": " + what).what()});
        unreached_seen[v.case_id] = true;
      };
      const std::string& gpu = row.at("gpu");
      const std::string& intra = row.at("intra_interconnect");
      const std::string& inter = row.at("inter_interconnect");
      if (const UnsupportedHit hit = unsupported_hit(mapping.unsupported, {{"gpu", gpu},
                                                                           {"intra_interconnect", intra},
                                                                           {"inter_interconnect", inter},
                                                                           {"notes", row.at("notes")}});
          hit.reason) {
        not_predicted(hit.column, *hit.reason);
        continue;
      }
      const Rule* rule = nullptr;
      for (const Rule& r : mapping.rules) {
        if (names_hardware(gpu, r.gpu) && (r.intra.empty() || contains_loosely(intra, r.intra)) &&
            (r.inter.empty() || contains_loosely_word_end(inter, r.inter))) {  // "EFA" is not in "default"
          rule = &r;
          break;
        }
      }
      if (rule == nullptr) {
        not_predicted("gpu", "no rule in " + mp + " maps hardware '" + gpu + "' to a system");
        continue;
      }
      v.system = rule->system;
      v.op = trim(row.at("collective"));  // " all_reduce" (a space after the comma) is all_reduce
      const auto op = op_from_name(published_op_name(v.op));  // "ncclAllReduce", "All Reduce", "all2all"
      if (op) v.op = op_name(*op);
      if (!op) {
        not_predicted("collective", "unknown collective '" + v.op + "' (" + op_names() + ")");
        continue;
      }
      const auto dt = dtype_from_name(published_dtype_name(row.at("dtype")));
      if (!dt) {
        not_predicted("dtype", "unknown dtype '" + row.at("dtype") + "' (" + dtype_names() + ")");
        continue;
      }
      // Bounded before conversion (study/measured_fields.hpp): NaN, inf, negatives and overflow are errors.
      const SourceLoc where{csv_path, row.line, 0, ""};
      v.nodes = static_cast<int>(
          measured_number(published_value(row.at("nodes"), {{"nodes", 1}, {"node", 1}}).number, "nodes",
                          kMaxMeasuredRanks, true, where));
      v.gpus_per_node = static_cast<int>(measured_number(
          published_value(row.at("gpus_per_node"), {{"gpus", 1}, {"gpu", 1}, {"npus", 1}}).number,
          "gpus_per_node", kMaxMeasuredRanks, true, where));
      for (const auto& [n, col] : {std::pair{v.nodes, "nodes"}, std::pair{v.gpus_per_node, "gpus_per_node"}})
        if (n == 0) throw InputError(SourceLoc{csv_path, row.line, 0, col}, "0: a run has at least 1");
      // nccl-tests' binary suffixes read ("1G", "128M"; they stopped the file, helper-125).
      v.size_bytes = static_cast<double>(
          published_size(published_value(row.at("size_bytes"), {}).number, "size_bytes", where));
      if (v.size_bytes == 0)
        throw InputError(SourceLoc{csv_path, row.line, 0, "size_bytes"},
                         "a published size must be > 0 (nothing moved: no bandwidth to compare)");
      // A value left out (a source that prints busbw only, or time only): what is given stands for the rest
      // (busbw = size / time x the op's factor); with none of the three the row is not predicted. One cell
      // left empty stopped the file (helper-125).
      const int ranks = v.nodes * v.gpus_per_node;
      const double factor = busbw_factor(*op, ranks);
      const bool has_busbw = !value_left_out(row.at("busbw_GBps")),
                 has_algbw = !value_left_out(row.at("algbw_GBps")),
                 has_time = !value_left_out(row.at("time_us"));
      // "400 GB/s", "~400", "400.0 (in-place 401)", "4.7 ms": the number, in the column's unit.
      const PublishedValue algbw_cell = published_value(row.at("algbw_GBps"), {{"gb/s", 1}, {"gbps", 1}}),
                           busbw_cell = published_value(row.at("busbw_GBps"), {{"gb/s", 1}, {"gbps", 1}}),
                           time_cell = published_value(row.at("time_us"),
                                                       {{"us", 1}, {"\xc2\xb5s", 1}, {"ms", 1000}});
      const double algbw = has_algbw ? measured_bandwidth(algbw_cell.number, "algbw_GBps", where) : 0.0;
      v.measured_busbw = has_busbw ? measured_bandwidth(busbw_cell.number, "busbw_GBps", where) : 0.0;
      v.measured_time_us =
          has_time ? measured_time(time_cell.number, "time_us", where) * time_cell.scale : 0.0;
      if (!has_busbw && !has_algbw && !has_time) {
        not_predicted("busbw_GBps", "no busbw, algbw or time: nothing to compare");
        continue;
      }
      const double time_half_unit = has_time ? printed_half_unit(time_cell.number) * time_cell.scale : 0.0;
      if (has_algbw && has_time)
        if (const std::string why = algbw_disagrees(v.size_bytes, v.measured_time_us, algbw, time_half_unit);
            !why.empty())
          throw InputError(SourceLoc{csv_path, row.line, 0, "algbw_GBps"},
                           why + " (one measurement printed twice: an algbw or time edited alone)");
      // One measurement printed twice: the busbw is the size over the time times the op's factor, to the
      // printed digits (busbw to 0.01 GB/s, time to 0.1 us) and 2%; a busbw edited alone (0, or 1 against 200
      // us) was compared as it stood (`error 0.0%`, `25470%`).
      if (has_busbw && has_time)
        if (const std::string why = busbw_disagrees(*op, ranks, v.size_bytes, v.measured_time_us,
                                                    v.measured_busbw, time_half_unit);
            !why.empty())
          throw InputError(SourceLoc{csv_path, row.line, 0, "busbw_GBps"},
                           why +
                               " (one measurement printed twice: a busbw or time edited alone, or nodes x "
                               "gpus_per_node not the run's ranks)");
      // Without a time, the busbw against the algbw: the same factor (helper-126: a busbw edited alone beside
      // an algbw was compared as written)
      if (has_busbw && has_algbw && !has_time && algbw > 0)
        if (const std::string why = busbw_disagrees(*op, ranks, v.size_bytes, v.size_bytes / (algbw * 1e3),
                                                    v.measured_busbw, 0.0);
            !why.empty())
          throw InputError(SourceLoc{csv_path, row.line, 0, "busbw_GBps"},
                           why +
                               " (the time implied by the algbw; one measurement printed twice: a busbw or "
                               "algbw edited alone)");
      if (!has_time) {
        const double alg = has_algbw ? algbw : factor > 0 ? v.measured_busbw / factor : 0.0;
        v.measured_time_us = alg > 0 ? v.size_bytes / (alg * 1e3) : 0.0;
      }
      if (!has_busbw)
        v.measured_busbw = has_algbw ? algbw * factor : factor * v.size_bytes / (v.measured_time_us * 1e3);
      if (v.measured_time_us <= 0 && v.measured_busbw <= 0) {
        not_predicted("busbw_GBps", "a busbw or algbw of 0 without a time: nothing to compare");
        continue;
      }
      // The NCCL settings the run states in its notes (study/nccl_env.hpp): NCCL_PROTO and NCCL_NVLS_ENABLE=0
      // were ignored (an NVLS prediction for a run without it), NCCL_ALGO read only as written in capitals.
      NcclSettings env = read_nccl_settings(row.at("notes"), SourceLoc{csv_path, row.line, 0, "notes"});
      // A network setting changes nothing on one node (helper-130: a single-node row with NCCL_IB_DISABLE=1
      // was not predicted, though its prediction is the same)
      if (v.nodes <= 1)
        for (const char* net : {"NCCL_IB_DISABLE", "NCCL_NET", "NCCL_COLLNET_ENABLE", "NCCL_NET_GDR_LEVEL",
                                "NCCL_MNNVL_ENABLE"})
          env.unmodelled.erase(net);
      if (!env.unmodelled
               .empty()) {  // a transport or channel setting the simulator does not model (helper-129)
        std::string set;
        for (const auto& [name, value] : env.unmodelled)
          set += (set.empty() ? "" : ", ") + name + "=" + value;
        not_predicted("notes",
                      "the run set " + set +
                          ", which changes how it moves data; commsim models NCCL's default "
                          "transports and channels (NCCL_ALGO, NCCL_PROTO and NCCL_NVLS_ENABLE are read)");
        continue;
      }
      v.forced_algo = env.algo;
      v.forced_proto = env.proto.has_value();
      // The NICs the inter-node cell states ("4x 200 Gb/s", "Slingshot-11 200 Gb/s", "32x 100 Gb/s EFA")
      // where they differ from the system's, on a multi-node run of one-board nodes (helper-125: every row
      // took the system's 8 x 400 Gb/s).
      std::vector<std::string> sets = rule->sets;
      if (env.nvls_off) sets.push_back("node.scale_up.nvls=false");
      if (v.nodes > 1 && !rule->trays) {
        const SystemSpec base = load_system(v.system, sets);
        if (base.node.gpus == base.node.board.gpus)
          for (std::string& s :
               nic_sets(nic_cell_for_board(inter, v.gpus_per_node > 0 ? v.gpus_per_node : base.node.gpus,
                                           base.node.gpus),
                        base.node.gpus, base.node.board.nics, base.fabric.nic_speed * 8.0))
            sets.push_back(std::move(s));
      }
      std::string key = v.system + "/" + std::to_string(v.nodes) + "/" + std::to_string(v.gpus_per_node) +
                        "/" + std::to_string(rule - mapping.rules.data());
      for (const std::string& s : sets) key += "/" + s;
      auto& slot = sims[key];
      if (!slot.first) {
        const SystemSpec spec = load_system(v.system, sets);
        Scale scale;
        try {
          const ScaleNames names{"nodes", "gpus", "gpus_per_node"};
          scale = rule->trays ? resolve_scale(spec, 0, v.nodes * v.gpus_per_node, 0, names)
                              : resolve_scale(spec, v.nodes, 0, v.gpus_per_node, names);
        } catch (
            const InputError& e) {  // 16 GPUs per node on an 8-GPU system, more nodes than commsim models
          sims.erase(key);
          const bool per_node = e.message().find("gpus_per_node") != std::string::npos;
          not_predicted(
              per_node || e.message().find("nodes") == std::string::npos ? "gpus_per_node" : "nodes",
              v.system + " cannot hold " + std::to_string(v.nodes) + " node(s) x " +
                  std::to_string(v.gpus_per_node) + " GPU(s): " + e.message());
          continue;
        }
        slot.first = std::make_unique<Topology>(spec, scale);
        slot.second = std::make_unique<CollectiveSimulator>(*slot.first);
      }
      Prediction p;
      try {
        p = slot.second->predict(*op, static_cast<std::uint64_t>(v.size_bytes), *dt,
                                 v.forced_algo.empty() ? "auto" : v.forced_algo, env.proto);
      } catch (
          const InputError& e) {  // fp8 reduced below sm90, an algorithm the notes force that cannot run here
        // (CollNet, PAT on an all_reduce): out of reach, named; it stopped the file (helper-125). A name that
        // is no NCCL algorithm at all (a typo, "Rnig") stays bad input.
        if (!v.forced_algo.empty() && !names_an_algorithm(v.forced_algo))
          throw InputError(SourceLoc{csv_path, row.line, 0, "notes"}, e.message());
        const bool dtype = e.message().find("reduces") != std::string::npos;
        not_predicted(dtype || v.forced_algo.empty() ? "dtype" : "notes", e.message());
        continue;
      }
      v.predicted_busbw = p.busbw_GBps;
      v.predicted_time_us = p.time_us;
      v.algorithm = p.algorithm;
      v.protocol = proto_name(p.proto);
      // A busbw below 1 GB/s (a few bytes) is printed to one or two digits (0.01 for 0.0145): the error from
      // the time, which says the same (busbw ~ 1 / time) to four digits.
      v.error = v.measured_busbw >= 1.0 ? (v.predicted_busbw - v.measured_busbw) / v.measured_busbw
                                        : v.measured_time_us / v.predicted_time_us - 1.0;
      rep.rows.push_back(v);
    } catch (const InputError& e) {
      if (e.loc().file != csv_path || e.loc().line != row.line) throw;
      rep.not_predicted.push_back({v.case_id, e.what(), true});
    }
  }
  rep.at_least_64m = summarize(rep.rows, 64.0 * 1048576);
  rep.at_least_1m = summarize(rep.rows, 1048576);
  rep.all = summarize(rep.rows, 0);
  return rep;
}

}  // namespace commsim
