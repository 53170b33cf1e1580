// `commsim train --ops`: where a micro-batch's compute goes, op by op (train/compute_profile.hpp).
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "report/collective_report.hpp"
#include "train/train_config.hpp"

namespace commsim::cli {

// One row per op of each layer kind, the embedding, the logits and MTP modules, with FLOPs, bytes, forward
// and backward time per micro-batch and the op's share of the model's compute; table, csv or json. `extra`
// keys are added to the JSON object (validate training --row: the published row).
void print_compute_ops(std::ostream& out, const TrainConfig& c, Format format, const std::string& cmdline,
                       const nlohmann::json& extra = nlohmann::json::object());

}  // namespace commsim::cli
