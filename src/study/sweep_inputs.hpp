// A sweep point's values as the inputs of one run (study/sweep_run.hpp runs them, study/sweep_check.hpp checks
// them first): for training, the study's base.set and --set, then each axis value as a --set override (keys of
// the config or of the system) or a `train` flag (system, model, gpus, nodes, gpus_per_node); for a collective,
// its system, op, size, dtype and scale, system keys as overrides. `use` selects the axes applied (a check tries
// one axis value at a time); an empty value is a null one: the key is not set at this point.
#pragma once

#include <string>
#include <vector>

#include "coll/ops.hpp"
#include "study/sweep_spec.hpp"
#include "train/train_config.hpp"

namespace commsim {

// A system or model file named by a relative path in a study (its base or an axis) is read beside the file it
// was written in (hw/catalog.hpp, path_beside), as a system file's `gpu:` is (`system: [mybox.yaml]` in
// studies/x.yaml, run from elsewhere, was "not found"); one given by --set is the command line's, read from
// the current directory. The value as written is what the output shows. The collective base's system, so
// read.
std::string base_system_file(const SweepSpec& s);

// The base's overrides (base.set, then --set), a `model=`, `cluster.system=` or `cost.prices=` file named in
// the study's base.set read beside the study; the command line's as given.
std::vector<std::string> base_sets_beside(const SweepSpec& s);

struct TrainInputs {
  std::vector<std::string> sets;
  TrainFlags flags;
};
TrainInputs train_inputs(const SweepSpec& s, const std::vector<std::string>& values, const std::vector<bool>& use);

struct CollectiveInputs {
  std::string system, op, size, dtype;
  int gpus = 0, nodes = 0, gpus_per_node = 0;
  std::vector<std::string> sets;
};
// Throws InputError (key only: the caller places it) for a key no collective study has.
CollectiveInputs collective_inputs(const SweepSpec& s, const std::vector<std::string>& values, const std::vector<bool>& use);

// An axis value as an operation or a data type; InputError naming the key ("op", "dtype") otherwise.
Op parse_op(const std::string& v);
DataType parse_dtype(const std::string& v);

}  // namespace commsim
