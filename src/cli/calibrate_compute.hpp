// `commsim calibrate --compute`: the kernel model's constants from kernelbench measurements (cmd_calibrate_compute.cpp).
#pragma once

#include <string>

namespace commsim::cli {

void run_calibrate_compute(const std::string& json, const std::string& gpu, const std::string& out);

}  // namespace commsim::cli
