// The HTML report of a plan (commsim plan --html): the time-to-train vs cost frontier across candidates with
// every chosen point labelled (frontier points marked), the step-time breakdown and memory per GPU against
// capacity of each candidate's chosen layout, and the plan's table.
#pragma once

#include <string>

#include "report/html_report.hpp"
#include "study/plan.hpp"

namespace commsim {

HtmlReport plan_html_report(const PlanRequest& req, const PlanResult& result, const std::string& command);

}  // namespace commsim
