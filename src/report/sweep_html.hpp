// The HTML report of a sweep (commsim sweep --html, and `study` on the sweep engine): charts chosen from the
// study's axes and kind, then every row in a table.
//
// Training sweeps: x = the `gpus` (or `nodes`) axis when it has several values, series = the other axes'
// values. Charts: tokens/s per GPU vs x per series; cost (or GPU-hours) vs x when `training.tokens` is set;
// the stacked step-time breakdown (compute, exposed TP/CP/EP/PP/DP, bubble, optimizer) per point; memory per
// GPU against the GPU's capacity per point; and time-to-train vs cost with every point labelled (the frontier
// a planner reads). Collective sweeps: busbw vs message size per series when `size` varies, else busbw per
// point grouped by op. Points that did not run (does not fit, invalid) appear in the table with the reason.
#pragma once

#include <vector>

#include "report/html_report.hpp"
#include "study/sweep_run.hpp"

namespace commsim {

HtmlReport sweep_html_report(const SweepSpec& spec, const std::vector<SweepRow>& rows);

}  // namespace commsim
