// A training config for unit tests: a built-in model on a catalog system at a GPU count, sequence 2048,
// global batch 64, the rest the estimator's defaults.
#pragma once

#include <string>

#include "train/train_config.hpp"

namespace commsim::test {

inline TrainConfig train_base(const std::string& model, const std::string& system, int gpus) {
  TrainConfig c;
  c.model = load_model(model);
  c.has_model = true;
  c.system = system;
  c.gpus = gpus;
  c.train.seq_len = 2048;
  c.train.global_batch = 64;
  return c;
}

}  // namespace commsim::test
