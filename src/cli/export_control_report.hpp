// The export-control view of the catalog (catalog --export-control) in table, CSV or JSON.
#pragma once

#include <string>

#include "cli/common.hpp"
#include "hw/export_control.hpp"

namespace commsim::cli {

// Every catalog GPU under the rules file ("" = shipped); writes to out and finishes it.
void print_export_control(OutputOptions& out, const std::string& rules_path, const std::string& cmdline);

}  // namespace commsim::cli
