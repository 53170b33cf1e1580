// The model a published training row ran: a built-in shape that the mapping's model rules give it by the
// model column (a rule may list a family's sizes and pick one by params_B), overridden by the arch column's
// `L= h= a= kv= ffn= V=`; where no rule names the model, the arch cell's dense shape (study/arch_model.hpp).
//
//   head_dim = h / a where the row changes h or a (a built-in head_dim, Qwen3's 128 at h/a = 64, stays otherwise)
//   |params(model) − params_B| ≤ 0.25 · params_B                      (a generic rule that caught another model)
//
// The public rows are within 7% (Nemotron-8B, 8.54B against "8": names round); a wrong model is usually a
// factor away.
#pragma once

#include <optional>
#include <string>

#include "study/case_cells.hpp"
#include "study/training_mapping.hpp"
#include "train/model_spec.hpp"

namespace commsim {

struct RowModel {
  ModelSpec model;
  std::string builtin;  // the built-in model a rule named (the stages rules match it); empty: the arch cell's shape
};

// OutOfReach (study/not_predicted.hpp) where no rule and no dense arch cell gives a shape, a rule needs a
// params_B the row lacks, the arch cell's kind contradicts the rule's model, or the sizes are 25% apart;
// InputError naming the arch cell for a shape `train` would refuse.
RowModel row_model(const TrainingMapping& map, const CaseRow& cells, std::optional<double> params_b);

// Does a cell say the run trained without multi-token prediction? "DeepSeekV3 (w/o MTP)" (the Megatron-Bridge
// tables' model name), "without MTP", "no MTP", "MTP disabled", "mtp_num_layers=0", the phrase ending its
// clause (a ')', ',', ';' or the cell's end after it): "no MTP loss in the metric", "MTP: no change", "mtp =
// 0.3 loss weight" and "685B excluding MTP" say nothing of the run's modules (helper-122, helper-126).
bool denies_mtp(const std::string& cell);

}  // namespace commsim
