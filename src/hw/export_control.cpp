#include "hw/export_control.hpp"

#include <cmath>
#include <filesystem>

#include "core/data_path.hpp"
#include "core/text.hpp"

namespace commsim {

bool ExportBand::holds(double tpp, std::optional<double> density) const {
  if (tpp_min && tpp < *tpp_min) return false;
  if (tpp_below && tpp >= *tpp_below) return false;
  if ((density_min || density_below) && !density) return false;
  if (density_min && *density < *density_min) return false;
  if (density_below && *density >= *density_below) return false;
  return true;
}

double ExportRules::bits(const std::string& precision) const {
  for (const auto& [name, b] : bit_length)
    if (name == precision) return b;
  throw InputError(SourceLoc{file, 0, 0, "bit_length." + precision}, "no bit length for the catalog rate '" + precision + "'");
}

namespace {

// A positive finite number up to `max` (.inf, 1e308: TPP = rate x bit length overflowed to inf, exit 0).
// With provenance ({value, kind, source, note}) its keys are checked as a GPU file's are: a `sourc:` typo, a
// kind that is none, a source that is a list were accepted.
double plain_number(YamlMap& m, const std::string& key, double max) {
  const YAML::Node n = m.raw(key);
  if (n.IsMap()) {
    YamlMap p = m.map(key);
    p.choice_or("kind", provenance_kinds(), "");
    p.str_or("source", "");
    p.str_or("note", "");
    const YAML::Node v = p.raw("value");
    p.finish();
    try {
      const double x = v.as<double>();
      if (x > 0 && x <= max) return x;
    } catch (const YAML::Exception&) {
    }
    m.fail(key, "expected a positive number up to " + six_digits(max));
  }
  try {
    const double v = n.as<double>();
    if (v > 0 && v <= max) return v;
  } catch (const YAML::Exception&) {
  }
  m.fail(key, "expected a positive number up to " + six_digits(max));
}

// A band's bound: TPP and density are at most 1e12 (the catalog's largest is about 2e5 TPP).
std::optional<double> bound(YamlMap& m, const std::string& key) {
  if (!m.has(key)) return std::nullopt;
  return plain_number(m, key, 1e12);
}

}  // namespace

ExportRules parse_export_rules(YamlMap& m) {
  ExportRules r;
  r.file = m.file();
  if (m.integer("schema_version") != 1) m.fail("schema_version", "unsupported schema_version (this build reads 1)");
  if (m.str("kind") != "export-control") m.fail("kind", "expected kind: export-control");
  r.rule = m.str("rule");
  r.note = m.str_or("note", "");
  YamlMap bits = m.map("bit_length");
  for (const std::string& k : bits.keys()) {  // bits of an operand: a whole number (16.5 bits multiplied TPP as given)
    // The catalog's rates (best_rate below); another name (tf32, a typo) was accepted and never used.
    if (k != "bf16" && k != "fp16" && k != "fp8" && k != "int8" && k != "fp6" && k != "fp4")
      bits.fail(k, "not a rate the catalog gives (bf16, fp16, fp8, int8, fp6, fp4)");
    const double v = plain_number(bits, k, 64);
    if (v != std::floor(v)) bits.fail(k, "expected a whole number of bits from 1 to 64");
    r.bit_length.emplace_back(k, v);
  }
  bits.finish();
  const YAML::Node classes = m.raw("classes");
  if (!classes.IsSequence() || classes.size() == 0) m.fail("classes", "expected a non-empty list of classes");
  for (std::size_t i = 0; i < classes.size(); ++i) {
    YamlMap c(classes[i], r.file, "classes[" + std::to_string(i) + "]");
    ExportClass ec;
    ec.name = c.str("name");
    if (trim(ec.name).empty()) c.fail("name", "a class needs a name (it is what classify prints)");
    for (const ExportClass& o : r.classes)
      if (o.name == ec.name) c.fail("name", "class '" + ec.name + "' is given twice; merge their bands under one name");
    const YAML::Node any = c.raw("any");
    if (!any.IsSequence() || any.size() == 0) c.fail("any", "expected a non-empty list of bands");
    for (std::size_t j = 0; j < any.size(); ++j) {
      YamlMap b(any[j], r.file, c.path() + ".any[" + std::to_string(j) + "]");
      ExportBand band{bound(b, "tpp_min"), bound(b, "tpp_below"), bound(b, "density_min"), bound(b, "density_below")};
      b.finish();  // an unknown key first: `tpp_max` alone was "a band needs at least one of ..."
      if (!band.tpp_min && !band.tpp_below && !band.density_min && !band.density_below)
        throw InputError(b.loc(), "a band needs at least one of tpp_min, tpp_below, density_min, density_below (an empty one holds every GPU)");
      if (band.tpp_min && band.tpp_below && *band.tpp_min >= *band.tpp_below)
        b.fail("tpp_below", "must be above tpp_min (" + six_digits(*band.tpp_min) + "): the band holds no GPU");
      if (band.density_min && band.density_below && *band.density_min >= *band.density_below)
        b.fail("density_below",
               "must be above density_min (" + six_digits(*band.density_min) + "): the band holds no GPU");
      ec.any.push_back(band);
    }
    c.finish();
    r.classes.push_back(ec);
  }
  r.otherwise = m.str_or("otherwise", r.otherwise);
  if (trim(r.otherwise).empty()) m.fail("otherwise", "expected the class of a GPU no band holds (e.g. 'not controlled'), not an empty name");
  m.finish();
  return r;
}

ExportRules load_export_rules(const std::string& path) {
  const std::string p = path.empty() ? data_file("topologies/export-control.yaml") : path;
  std::error_code ec;
  if (std::filesystem::is_directory(p, ec))  // "not found" for a directory
    throw InputError(SourceLoc{p, 0, 0, ""}, "export-control rules file: is a directory, not a file");
  if (!file_exists(p))  // a device, FIFO or socket exists and is no file (/dev/zero was "not found")
    throw InputError("export-control rules file '" + p +
                     (std::filesystem::exists(p, ec) ? "' is not a regular file" : "' not found"));
  YamlMap m(load_yaml_file(p), p);
  return parse_export_rules(m);
}

std::string classify(const ExportRules& rules, double tpp, std::optional<double> density) {
  for (const ExportClass& c : rules.classes)
    for (const ExportBand& b : c.any)
      if (b.holds(tpp, density)) return c.name;
  if (!density) {  // a band that only needs a density we do not know might apply
    for (const ExportClass& c : rules.classes)
      for (const ExportBand& b : c.any)
        if (ExportBand{b.tpp_min, b.tpp_below, std::nullopt, std::nullopt}.holds(tpp, std::nullopt))
          return "unknown (no die area)";
  }
  return rules.otherwise;
}

namespace {

// (precision, TPP) of the rate that gives the highest TPP.
std::pair<std::string, double> best_rate(const GpuSpec& g, const ExportRules& rules) {
  std::pair<std::string, double> best{"", 0.0};
  auto consider = [&](const std::string& name, double flops) {
    const double tpp = flops / 1e12 * rules.bits(name);
    if (tpp > best.second) best = {name, tpp};
  };
  consider("bf16", g.bf16_flops.value);
  consider("fp16", g.fp16_flops.value);
  if (g.fp8_flops) consider("fp8", g.fp8_flops->value);
  if (g.int8_ops) consider("int8", g.int8_ops->value);
  if (g.fp6_flops) consider("fp6", g.fp6_flops->value);
  if (g.fp4_flops) consider("fp4", g.fp4_flops->value);
  return best;
}

}  // namespace

double total_processing_performance(const GpuSpec& gpu, const ExportRules& rules) { return best_rate(gpu, rules).second; }

ExportView export_view(const GpuSpec& gpu, const ExportRules& rules) {
  ExportView v;
  v.gpu = gpu.name;
  std::tie(v.tpp_precision, v.tpp) = best_rate(gpu, rules);
  if (gpu.die_area) {
    v.die_area_mm2 = gpu.die_area->total();
    v.density = v.tpp / *v.die_area_mm2;
  }
  v.classification = classify(rules, v.tpp, v.density);
  return v;
}

}  // namespace commsim
