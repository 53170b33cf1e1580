// The headline of a sweep in a few sentences with the run's own numbers (the table's footer, the HTML
// report's first paragraph, docs/studies.md):
//   training    the fastest point (tokens/s per GPU, MFU, days and cost when training.tokens is set), the
//               cheapest point when costs are known, the slowest point that ran, and how many did not
//   collective  the highest and the lowest busbw, and how many points did not run
// Points are named by their axis values ("system=hgx-h200, gpus=1024").
#pragma once

#include <string>
#include <vector>

#include "study/sweep_run.hpp"

namespace commsim {

// `planned` the study's points when the run was stopped before them all (a signal): the count says so and no
// point is named best or worst (a fastest of the rows written so far is not the study's).
std::vector<std::string> sweep_summary(const SweepSpec& spec, const std::vector<SweepRow>& rows,
                                       std::size_t planned = 0);

}  // namespace commsim
