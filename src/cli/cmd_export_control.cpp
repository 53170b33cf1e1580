// commsim catalog --export-control: TPP, performance density and ECCN 3A090 class of every catalog GPU
// (hw/export_control.hpp; thresholds and citation in topologies/export-control.yaml or --rules FILE).
#include <nlohmann/json.hpp>

#include "cli/export_control_report.hpp"
#include "core/data_path.hpp"
#include "core/json_text.hpp"
#include "hw/catalog.hpp"
#include "report/table.hpp"

namespace commsim::cli {

void print_export_control(OutputOptions& out, const std::string& rules_path, const std::string& cmdline) {
  const Format format = parse_format(out.format);
  const ExportRules rules = load_export_rules(rules_path);
  std::vector<ExportView> rows;
  for (const std::string& n : gpu_names()) rows.push_back(export_view(load_gpu(n), rules));
  auto opt = [](std::optional<double> v, int digits) { return v ? fmt(*v, digits) : std::string(); };
  std::ostream& os = out.stream();
  if (format == Format::kJson) {
    nlohmann::json j;
    j["context"] = {{"tool", "commsim"}, {"version", commsim_version()}, {"schema_version", 1},
                    {"command_line", cmdline}, {"rules_file", rules.file}, {"rule", rules.rule}, {"note", rules.note}};
    j["gpus"] = nlohmann::json::array();
    for (const ExportView& v : rows) {
      nlohmann::json r = {{"gpu", v.gpu}, {"tpp", v.tpp}, {"tpp_precision", v.tpp_precision},
                          {"classification", v.classification}};
      r["die_area_mm2"] = v.die_area_mm2 ? nlohmann::json(*v.die_area_mm2) : nlohmann::json(nullptr);
      r["performance_density"] = v.density ? nlohmann::json(*v.density) : nlohmann::json(nullptr);
      j["gpus"].push_back(r);
    }
    os << json_text(j) << "\n";
  } else {
    Table t({"gpu", "TPP", "from", "die area mm2", "density", "class"});
    for (const ExportView& v : rows)
      t.add({v.gpu, fmt(v.tpp, 0), v.tpp_precision, v.die_area_mm2 ? fmt(*v.die_area_mm2, 1) : "-",
             v.density ? fmt(*v.density, 2) : "-", v.classification});
    os << "# export-control view: TPP = dense TOPS x operand bits (highest rate), density = TPP / die area (mm2)\n";
    os << "# rule: " << rules.rule << " (" << rules.file << ")\n";
    if (format == Format::kCsv) {
      Table c({"gpu", "tpp", "tpp_precision", "die_area_mm2", "performance_density", "classification"});
      for (const ExportView& v : rows)
        c.add({v.gpu, fmt(v.tpp, 1), v.tpp_precision, opt(v.die_area_mm2, 1), opt(v.density, 3), v.classification});
      c.print_csv(os);
    } else {
      t.print(os);
      if (!rules.note.empty()) os << "# note: " << rules.note << "\n";
    }
  }
  out.finish();
}

}  // namespace commsim::cli
