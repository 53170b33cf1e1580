// When two values of a sweep axis are one value (study/sweep_values.hpp).
#include "study/sweep_values.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "coll/ops.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "hw/catalog.hpp"

namespace commsim {

namespace {

// A plain decimal number in one spelling ("2", "02", "2.0" -> "2"), so that spellings of one value compare
// equal; any other text as written.
std::string value_identity(const std::string& v) {
  if (v.empty()) return v;
  if (v.find_first_not_of("0123456789+-.eE") != std::string::npos) {
    // A quantity with its unit, in SI units: 400Gb/s and 50GB/s, 2TB/s and 2000GB/s, 1ms and 1000us are one
    // value, as the key's reader converts them (a collective's size axis: parse_size, below).
    // Not sizes: a bare K/M/G/T is binary as a size and decimal as a count (training.tokens: 1T is 1000G), so
    // a size's units do not say which value a key reads. 12 digits: 0.1ms and 100us are one value in doubles.
    for (Dimension d : {Dimension::kBandwidth, Dimension::kTime, Dimension::kPower, Dimension::kFlopRate,
                        Dimension::kCurrency}) {
      try {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%s:%.12g", dimension_name(d), parse_quantity(v, d));
        return buf;
      } catch (const std::exception&) {
      }
    }
    return v;
  }
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (end != v.c_str() + v.size() || !std::isfinite(x)) return v;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x == 0 ? 0.0 : x);  // -0 is 0
  return buf;
}

}  // namespace

// A collective's op and dtype by their canonical names (all_reduce, ALL_REDUCE, allreduce and all-reduce;
// bf16 and bfloat16), its size in bytes whatever the unit (1MiB and 1M): one point each.
std::string axis_value_identity(const std::string& key, const std::string& v, const std::string& referrer) {
  // A boolean key's spellings as YamlMap::boolean_or reads them: [true, yes, on] was three points. Only keys
  // read as booleans (by their last part: overlap.tp, training.flash_attention, ...); a name may be "yes".
  static const std::set<std::string> booleans = {"compile",
                                                 "cp",
                                                 "dp",
                                                 "dp_grad_reduce",
                                                 "dp_param_gather",
                                                 "dropout",
                                                 "ep",
                                                 "flash_attention",
                                                 "fp8_activation_cache",
                                                 "fsdp_prefetch",
                                                 "fsdp_reshards_with_pp",
                                                 "micro_batch_from_pp",
                                                 "moe_act_input_fp8",
                                                 "mtp",
                                                 "nvls",
                                                 "overlap_cp",
                                                 "overlap_dp",
                                                 "moe_shared_expert",
                                                 "overlap_ep",
                                                 "overlap_shared_expert",
                                                 "overlap_tp",
                                                 "p2p",
                                                 "pp",
                                                 "sequence_parallel",
                                                 "tied_embeddings",
                                                 "tp",
                                                 "trays"};
  // A system or model by its name or by its file's path (dgx-h100, topologies/systems/dgx-h100.yaml) is one
  // file: two points with one result, as for the older form's systems list (compare.cpp).
  // A prices file the same (prices.yaml, ./prices.yaml).
  const bool system = key == "system" || key == "cluster.system";
  // An empty cost.prices (~) is the shipped file: beside its own path it is one file (2026-12-06).
  if (key == "cost.prices" && v.empty()) return "file:" + canonical_file(data_file("topologies/prices.yaml"));
  if (system || key == "model" || (key == "cost.prices" && names_a_file(v))) {
    try {
      const char* dir = system ? "topologies/systems" : key == "model" ? "configs/models" : "topologies";
      return "file:" + canonical_file(resolve_data_path(
                           dir, key, v, SourceLoc{referrer, 0, 0, ""}));  // beside the study too
    } catch (const InputError&) {
      return v;  // refused where the value is checked
    }
  }
  if (booleans.count(key.substr(key.rfind('.') + 1))) {
    if (v == "true" || v == "yes" || v == "on") return "bool:true";
    if (v == "false" || v == "no" || v == "off") return "bool:false";
  }
  if (key == "op")
    if (const std::optional<Op> op = op_from_name(v)) return op_name(*op);
  if (key == "dtype")
    if (const std::optional<DataType> dt = dtype_from_name(v)) return dtype_info(*dt).name;
  if (key == "size") {
    try {
      return std::to_string(parse_size(v)) + "B";
    } catch (const std::exception&) {
      return v;  // the point reports its bad size
    }
  }
  return value_identity(v);
}

// A value written twice in an axis (or a zip group's tuple of values twice) makes two points with one key:
// the rows repeat, and --resume rejects the sweep's own file ("already on line N"). A number spelled two ways
// ([2, 02]) is one value run twice. InputError at the repeat.
void check_distinct_values(const SweepSpec& spec, const std::vector<std::size_t>& unit) {
  std::map<std::vector<std::string>, std::size_t> seen;
  const SweepAxis& first = spec.axes[unit.front()];
  for (std::size_t j = 0; j < first.values.size(); ++j) {
    std::vector<std::string> tuple, identity;
    for (std::size_t a : unit) tuple.push_back(spec.axes[a].values[j]);
    for (std::size_t k = 0; k < unit.size(); ++k)
      identity.push_back(
          axis_value_identity(spec.axes[unit[k]].key, tuple[k], spec.axes[unit[k]].value_locs[j].file));
    const auto [it, fresh] = seen.emplace(identity, j);
    if (fresh) continue;
    std::string what;
    for (std::size_t k = 0; k < unit.size(); ++k)
      what += (k ? ", " : "") + spec.axes[unit[k]].key + "=" + (tuple[k].empty() ? "~" : tuple[k]);
    SourceLoc at = first.value_locs[j];
    if (at.key.empty()) at.key = "axes." + first.key;  // a base's op or size names base.op, base.size
    throw InputError(
        at, (unit.size() > 1 ? "the zip group's values " + what + " are" : "the value " + what + " is") +
                " given twice (entries " + std::to_string(it->second + 1) + " and " + std::to_string(j + 1) +
                "): the point would run twice under one key; give each once");
  }
}

}  // namespace commsim
