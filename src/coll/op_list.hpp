// The --op vocabulary shared by commsim and commbench: a comma-separated list of collective names
// ("all_reduce,all_gather"; every spelling op_from_name accepts) or "all", in the order given, each once.
#pragma once

#include <string>
#include <vector>

#include "coll/ops.hpp"

namespace commsim {

// Throws InputError naming `flag` for an empty list, an empty item or an unknown name (listing the valid ones).
std::vector<Op> parse_op_list(const std::string& text, const std::string& flag);

}  // namespace commsim
