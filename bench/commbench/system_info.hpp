// Facts about the host for the "# Using devices" lines and the JSON context.
#pragma once

#include <string>

namespace commsim::bench {

std::string host_name();
int process_id();
std::string cpu_model();      // "model name" from /proc/cpuinfo, or "unknown CPU"
std::string utc_timestamp();  // "2025-01-31T12:00:00Z"

}  // namespace commsim::bench
