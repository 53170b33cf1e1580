// Writes collective predictions as an nccl-tests-style table (with the bottleneck link per row), CSV, or JSON with a self-describing context.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "coll/simulator.hpp"

namespace commsim {

struct RunContext {
  std::string command_line;
  std::string system;
  std::string system_file;
  int nodes = 1;
  int gpus_per_node = 0;
  int ranks = 0;
  std::vector<std::pair<std::string, std::string>> overrides;
};

enum class Format { kTable, kCsv, kJson };
Format parse_format(const std::string& s, const std::string& flag = "--format");  // throws InputError naming flag

void write_collective_table(std::ostream& out, const RunContext& ctx, Op op, RedOp redop, int root,
                            const std::vector<Prediction>& rows);
// The CSV shared by a prediction and a measurement (commbench --format csv; read by validate/calibrate
// --measured): `#` context lines (system, scale, overrides), then kCollectiveCsvHeader. A prediction row has
// in_place 0, wrong empty, and algorithm, protocol and bottleneck (the busiest link; empty if none) filled.
extern const char* const kCollectiveCsvHeader;
void write_collective_csv(std::ostream& out, const RunContext& ctx, const std::vector<Prediction>& rows, RedOp redop,
                          int root, bool header);
void write_collective_json(std::ostream& out, const RunContext& ctx, RedOp redop, int root, const std::vector<Prediction>& rows);

}  // namespace commsim
