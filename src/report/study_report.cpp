#include "report/study_report.hpp"

#include <set>

#include "core/data_path.hpp"
#include "core/units.hpp"
#include "report/charts.hpp"
#include "report/table.hpp"

namespace commsim {

HtmlReport collective_study_report(const StudySpec& spec, const std::vector<StudyCell>& cells) {
  HtmlReport r;
  r.title = "commsim study '" + spec.name + "': " + spec.title;
  r.context = {{"tool", std::string("commsim ") + commsim_version()},
               {"study file", spec.file},
               {"message size", format_bytes_binary(static_cast<double>(spec.size_bytes))},
               {"dtype", dtype_info(spec.dtype).name}};
  for (const std::string& o : spec.overrides) r.context.push_back({"--set", o});

  std::set<int> scales;
  for (const StudyCell& c : cells) scales.insert(c.gpus);
  HtmlSection bw;
  bw.heading = "Bus bandwidth per system";
  bw.text = "busbw as nccl-tests defines it, with the algorithm NCCL's tuner would pick, one chart per GPU count; a "
            "system missing from a chart cannot be built at that scale (see the table).";
  for (int g : scales) {
    nlohmann::json values = nlohmann::json::array();
    for (const StudyCell& c : cells)
      if (c.gpus == g && c.skipped.empty())
        values.push_back({{"system", c.system}, {"op", op_name(c.op)}, {"busbw_GBps", c.busbw_GBps}, {"algorithm", c.algorithm}});
    if (values.empty()) continue;
    bw.charts.push_back({std::to_string(g) + " GPUs",
                         charts::bar_chart(values, {"system", "system", false, false}, {"busbw_GBps", "busbw (GB/s)"}, "op")});
  }
  r.sections.push_back(bw);

  HtmlSection tab;
  tab.heading = "Results";
  HtmlTable t{{"system", "gpu", "gpus", "nodes", "op", "time (us)", "busbw (GB/s)", "algorithm", "protocol", "note"}, {}};
  for (const StudyCell& c : cells)
    t.rows.push_back({c.system, c.gpu, std::to_string(c.gpus), std::to_string(c.nodes), op_name(c.op),
                      c.skipped.empty() ? fmt(c.time_us, 1) : "-", c.skipped.empty() ? fmt(c.busbw_GBps, 2) : "-", c.algorithm,
                      c.proto, c.skipped});
  tab.tables.push_back(t);
  r.sections.push_back(tab);
  return r;
}

}  // namespace commsim
