// Output of `commsim validate training --fit / --loso`: the refitted constants beside the shipped ones and
// the error per source family, per model family (dense / MoE) and per model, as table lines or JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "study/training_fit.hpp"

namespace commsim::cli {

// The table format's sections after the row table.
void print_training_fit(std::ostream& out, const TrainingFitReport& fit);

// The JSON format's "fit" object (and "loso" when computed).
nlohmann::json training_fit_json(const TrainingFitReport& fit);

}  // namespace commsim::cli
