// Export-control view of an accelerator: Total Processing Performance, performance density and the ECCN
// 3A090 class, with the thresholds read from a data file (topologies/export-control.yaml).
//
//   TPP = 2 x MacTOPS x bit length = dense TOPS x bit length, the highest over the part's rates (no sparsity)
//   density = TPP / applicable die area (mm^2, every logic die of the package)
// Example (H100 SXM, hand-computed): bf16 989.4 TFLOPS x 16 = 15,830; fp8 1978.9 x 8 = 15,831 (the TPP);
// density 15,831 / 814 mm^2 = 19.45 -> 3A090.a. H20: fp8 296 x 8 = 2,368 < 2,400; density 2.91 < 3.2 -> none.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/yaml_reader.hpp"
#include "hw/gpu_spec.hpp"

namespace commsim {

// One band of a class: every bound that is set must hold (min: >=, below: <).
struct ExportBand {
  std::optional<double> tpp_min, tpp_below, density_min, density_below;
  bool holds(double tpp, std::optional<double> density) const;
};

struct ExportClass {
  std::string name;               // "3A090.a"
  std::vector<ExportBand> any;    // the class applies when any band holds
};

struct ExportRules {
  std::string file;
  std::string rule;  // the citation
  std::string note;
  std::vector<std::pair<std::string, double>> bit_length;  // precision -> operand bits
  std::vector<ExportClass> classes;                       // tried in order
  std::string otherwise = "not 3A090";
  // Bit length of a rate; InputError naming the rules file when the precision is not listed.
  double bits(const std::string& precision) const;
};

ExportRules parse_export_rules(YamlMap& m);
ExportRules load_export_rules(const std::string& path);  // "" = the shipped topologies/export-control.yaml

struct ExportView {
  std::string gpu;
  std::string tpp_precision;  // the rate that sets TPP ("fp8")
  double tpp = 0;
  std::optional<double> die_area_mm2;  // absent when the catalog has no die area
  std::optional<double> density;       // TPP / die area
  std::string classification;          // a class name, or rules.otherwise; "unknown" needs a die area
};

ExportView export_view(const GpuSpec& gpu, const ExportRules& rules);
// The class for a TPP and density; a band that names density cannot hold without one.
std::string classify(const ExportRules& rules, double tpp, std::optional<double> density);
// TPP only (plan --max-tpp).
double total_processing_performance(const GpuSpec& gpu, const ExportRules& rules);

}  // namespace commsim
