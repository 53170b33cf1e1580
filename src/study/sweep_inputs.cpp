#include "study/sweep_inputs.hpp"

#include <exception>

#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/yaml_override.hpp"
#include "hw/catalog.hpp"
#include "train/train_config.hpp"

namespace commsim {
namespace {

int positive_int(const std::string& v, const std::string& key) {
  std::size_t used = 0;
  long n = 0;
  try {
    n = std::stol(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != v.size() || n < 1 || n > 100'000'000)
    throw InputError(SourceLoc{"", 0, 0, key}, "'" + v + "' is not a whole number between 1 and 100,000,000");
  return static_cast<int>(n);
}

}  // namespace

namespace {
// The file the axis value `v` names, read beside the place it was written: its line in the study, or --set.
std::string axis_file(const SweepSpec& s, const SweepAxis& a, const std::string& v) {
  for (std::size_t j = 0; j < a.values.size() && j < a.value_locs.size(); ++j)
    if (a.values[j] == v) return path_beside(a.value_locs[j].file, v);
  return path_beside(s.file, v);
}
}  // namespace

std::string base_system_file(const SweepSpec& s) {
  return path_beside(s.system_loc.file.empty() ? s.file : s.system_loc.file, s.system);
}

std::vector<std::string> base_sets_beside(const SweepSpec& s) {
  std::vector<std::string> out = s.base_sets;
  for (std::string& t : out) {
    if (!s.base_sets_written_at.count(t)) continue;  // the command line's: from the current directory
    const std::size_t eq = t.find('=');
    const std::string key = t.substr(0, eq);
    if (eq != std::string::npos && (key == "model" || key == "cluster.system" || key == "cost.prices"))
      t = key + "=" + path_beside(s.file, t.substr(eq + 1));
  }
  return out;
}

TrainInputs train_inputs(const SweepSpec& s, const std::vector<std::string>& values, const std::vector<bool>& use) {
  TrainInputs in;
  in.sets = base_sets_beside(s);
  for (std::size_t i = 0; i < s.axes.size(); ++i) {
    if (!use[i] || values[i].empty()) continue;  // empty: a null value, the key is not set at this point
    const std::string& k = s.axes[i].key;
    const std::string& v = values[i];
    if (k == "system")
      in.flags.system = axis_file(s, s.axes[i], v);
    else if (k == "model")
      in.flags.model = axis_file(s, s.axes[i], v);
    else if (k == "cluster.system" || k == "cost.prices")
      in.sets.push_back(k + "=" + axis_file(s, s.axes[i], v));
    else if (k == "gpus") in.flags.gpus = positive_int(v, k);
    else if (k == "nodes") in.flags.nodes = positive_int(v, k);
    else if (k == "gpus_per_node") in.flags.gpus_per_node = positive_int(v, k);
    else in.sets.push_back(k + "=" + v);
  }
  // A model axis beside a model.* axis: the model first, then its keys (as train's --model beside --set
  // model.*). The model replaced the whole tree after them: model.layers [16, 32] ran 32 layers at both.
  model_flag_before_sets(in.flags.model, in.sets);
  return in;
}

CollectiveInputs collective_inputs(const SweepSpec& s, const std::vector<std::string>& values, const std::vector<bool>& use) {
  CollectiveInputs in{base_system_file(s), "", "", s.dtype, s.gpus, s.nodes, s.gpus_per_node, s.base_sets};
  // An axis of gpus or of nodes sizes the cluster in place of the base's sizing; axes of both give both,
  // which must agree at the point (resolve_scale: the point invalid, as a training base's). The later axis
  // replaced the earlier: gpus 8 x nodes 2 ran 16 ranks labelled gpus=8, exit 0.
  bool gpus_axis = false, nodes_axis = false;
  for (std::size_t i = 0; i < s.axes.size(); ++i)
    if (use[i] && !values[i].empty()) {
      gpus_axis = gpus_axis || s.axes[i].key == "gpus";
      nodes_axis = nodes_axis || s.axes[i].key == "nodes";
    }
  if (gpus_axis || nodes_axis) in.gpus = 0, in.nodes = 0;
  for (std::size_t i = 0; i < s.axes.size(); ++i) {
    const std::string& k = s.axes[i].key;
    const std::string& v = values[i];
    if (v.empty()) continue;  // a null value: the key is not set at this point
    if (k == "op") in.op = v;  // op and size always apply (a collective needs both)
    else if (k == "size") in.size = v;
    else if (!use[i]) continue;
    else if (k == "system")
      in.system = axis_file(s, s.axes[i], v);
    else if (k == "dtype") in.dtype = v;
    else if (k == "gpus")
      in.gpus = positive_int(v, k);
    else if (k == "nodes")
      in.nodes = positive_int(v, k);
    else if (k == "gpus_per_node") in.gpus_per_node = positive_int(v, k);
    else if (is_system_key(k)) in.sets.push_back(k + "=" + v);
    else
      throw InputError(SourceLoc{"", 0, 0, k}, "not a key of a collective study (system, gpus, nodes, gpus_per_node, op, "
                                               "size, dtype, or a system key: gpu.*, node.*, fabric.*, calibration.*)");
  }
  return in;
}

Op parse_op(const std::string& v) {
  const auto op = op_from_name(v);
  if (!op) throw InputError(SourceLoc{"", 0, 0, "op"}, "unknown operation '" + v + "' (valid: " + op_names() + ")");
  return *op;
}

DataType parse_dtype(const std::string& v) {
  const auto dt = dtype_from_name(v);
  if (!dt) throw InputError(SourceLoc{"", 0, 0, "dtype"}, "unknown data type '" + v + "' (valid: " + dtype_names() + ")");
  return *dt;
}

}  // namespace commsim
