// Huawei hccl_test output (Ascend's nccl-tests counterpart): hccl_test_log.cpp says what is read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "study/measurements.hpp"

namespace commsim {

// Does the text hold hccl_test's table header ("data_size(Bytes): | aveg_time(us): | ...")?
bool is_hccl_test_log(const std::string& text);
// Its rows, one per size; InputError naming file:line on a cell it cannot read or where no row is found.
std::vector<Measurement> parse_hccl_test_log(const std::string& text, const std::string& file,
                                             std::optional<Op> fallback_op);

}  // namespace commsim
