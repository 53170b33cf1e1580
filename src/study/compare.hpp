// A what-if sweep over systems x scales x ops at one message size (configs/studies/*.yaml).
#pragma once

#include <string>
#include <vector>

#include "coll/ops.hpp"
#include "core/error.hpp"

namespace commsim {

struct StudySpec {
  std::string name, title, file;
  std::vector<std::string> systems;
  std::vector<SourceLoc>
      system_locs;  // where each was written: its line, or --set (read from the current directory)
  std::vector<int> gpus;
  std::vector<Op> ops;
  std::uint64_t size_bytes = 0;
  DataType dtype = DataType::kBfloat16;
  std::vector<std::string> overrides;  // --set applied to every system
};

struct StudyCell {
  std::string system, gpu;
  int gpus = 0, nodes = 0;
  Op op = Op::kAllReduce;
  double time_us = 0, busbw_GBps = 0;
  std::string algorithm, proto;
  std::string skipped;  // why this combination was not run (e.g. not a valid scale)
};

// `sets` (--set): system keys (gpu.*, node.*, fabric.*, ...) apply to every system; any other key is a key of
// the study (size=1GiB, ops=[all_reduce], gpus=[8, 64]) and is written into its tree before the typed parse,
// so a bad value is blamed on --set.
StudySpec load_study(const std::string& name_or_path, const std::vector<std::string>& sets = {});
std::vector<StudyCell> run_study(const StudySpec& spec);

}  // namespace commsim
