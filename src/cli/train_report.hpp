// `commsim train`'s report of one estimate (train/estimator.hpp): the step breakdown, throughput, MFU, memory
// per stage and totals as a table, the same in JSON (schema_version 1), or one CSV row. `validate training
// --row` prints a published row's estimate the same way.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "train/estimator.hpp"

namespace commsim::cli {

// "TP8 PP4 DP2 CP1 EP1 VPP1 ZeRO-1 SP 1f1b stages 7+14x8+7 MTP1": the layout as the estimate has it.
std::string train_layout(const TrainEstimate& e);
// "# overrides: parallelism.pp=2 (--pp) fabric.nic_speed=200Gb/s (--set)": the command line's values (none:
// nothing printed); the same as JSON, [{key, value, origin}].
void print_overrides(std::ostream& out, const TrainConfig& c);
nlohmann::json overrides_json(const TrainConfig& c);
// A first or last stage's layers as the outputs give them: an uneven split's count; an even split (the
// default a config leaves unset) null in JSON and `none` in text (0 read as an empty stage).
nlohmann::json stage_layers_json(int layers);
std::string stage_layers_text(int layers, const std::string& none);
nlohmann::json train_json(const TrainEstimate& e, const std::string& cmdline);
void print_train_table(std::ostream& out, const TrainEstimate& e);
void print_train_csv(std::ostream& out, const TrainEstimate& e);

}  // namespace commsim::cli
