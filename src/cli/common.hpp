// Options shared by the subcommands (system selection, scale, overrides, output) and their plumbing.
#pragma once

#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "report/collective_report.hpp"
#include "topo/system_loader.hpp"
#include "topo/topology.hpp"

namespace commsim::cli {

// A CLI11 check for a whole number >= min_value (and <= INT_MAX), with a short message: CLI11's own
// PositiveNumber/NonNegativeNumber print the largest double (309 digits) as the bound.
CLI::Validator at_least(long min_value);

struct SystemOptions {
  std::string system;
  int nodes = 0, gpus = 0, gpus_per_node = 0;
  std::vector<std::string> sets;
  void add_to(CLI::App& app, bool required = true);
  SystemSpec load() const;
  Scale scale(const SystemSpec& spec) const { return resolve_scale(spec, nodes, gpus, gpus_per_node); }
};

struct OutputOptions {
  std::string format = "table";
  std::string out;
  void add_to(CLI::App& app, const std::string& formats);
  // stdout, or the --out file (opened here; InputError if it cannot be).
  std::ostream& stream();

 private:
  std::unique_ptr<std::ofstream> file_;
};

std::string command_line(int argc, char** argv);
RunContext make_context(const SystemSpec& spec, const Topology& topo, const std::string& cmdline);

void register_collective(CLI::App& app, const std::string& cmdline);
void register_topo(CLI::App& app);
void register_validate(CLI::App& app);
void register_calibrate(CLI::App& app);
void register_study(CLI::App& app);
void register_catalog(CLI::App& app);
void register_train(CLI::App& app, const std::string& cmdline);
void add_validate_training(CLI::App& validate);  // `validate training`

}  // namespace commsim::cli
