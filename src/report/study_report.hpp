// The HTML report of a collective study (commsim study --html): busbw per system and GPU count for each op,
// as grouped bars, and the study's table.
#pragma once

#include <string>
#include <vector>

#include "report/html_report.hpp"
#include "study/compare.hpp"

namespace commsim {

HtmlReport collective_study_report(const StudySpec& spec, const std::vector<StudyCell>& cells);

}  // namespace commsim
