// When two values of a sweep axis are one value: a number in two spellings ("2", "02", "2.0"), a quantity in
// two units (400Gb/s and 50GB/s), a collective's op or dtype by two names (all_reduce, allreduce), a size in
// two units (1MiB, 1M), a boolean key's spellings (true, yes, on), a system or model by name or by its file.
// A value given twice would run one point twice under one key (--resume then rejects the sweep's own file).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "study/sweep_spec.hpp"

namespace commsim {

// The identity of `v` as axis `key` reads it: two values with one identity are one point.
// `referrer`: the file that wrote the value (the study), beside which a relative path is found.
std::string axis_value_identity(const std::string& key, const std::string& v,
                                const std::string& referrer = "");
// InputError at the second of two values (or two tuples of a zip group, `unit` the group's axis indices)
// with one identity, naming both entries.
void check_distinct_values(const SweepSpec& spec, const std::vector<std::size_t>& unit);

}  // namespace commsim
