#include "hw/gpu_spec.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/data_path.hpp"
#include "core/text.hpp"
#include "hw/catalog.hpp"
#include "hw/link_tech.hpp"

namespace commsim {

const char* arch_name(GpuArch a) {
  switch (a) {
    case GpuArch::kAmpere: return "ampere";
    case GpuArch::kHopper: return "hopper";
    case GpuArch::kBlackwell: return "blackwell";
    case GpuArch::kAda: return "ada";
    case GpuArch::kCdna3: return "cdna3";
    case GpuArch::kCdna4: return "cdna4";
    case GpuArch::kDavinci: return "davinci";
    case GpuArch::kCpu: return "cpu";
  }
  return "?";
}

static GpuArch parse_arch(const std::string& s) {
  if (s == "ampere") return GpuArch::kAmpere;
  if (s == "hopper") return GpuArch::kHopper;
  if (s == "blackwell") return GpuArch::kBlackwell;
  if (s == "ada") return GpuArch::kAda;
  if (s == "cdna3") return GpuArch::kCdna3;
  if (s == "cdna4") return GpuArch::kCdna4;
  if (s == "cpu") return GpuArch::kCpu;
  return GpuArch::kDavinci;
}

namespace {
// Two files of the same bytes (a link to one, a copy of the catalog's file in another data tree).
bool same_bytes(const std::string& a, const std::string& b) {
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  if (!fa || !fb) return false;
  return std::string(std::istreambuf_iterator<char>(fa), {}) ==
         std::string(std::istreambuf_iterator<char>(fb), {});
}
}  // namespace

GpuSpec parse_gpu(YamlMap& m, bool inline_part) {
  GpuSpec g;
  if (m.has("schema_version")) {
    const long v = m.integer("schema_version");
    if (v != 1) m.fail("schema_version", "unsupported schema_version " + std::to_string(v) + " (this build reads 1)");
  }
  if (m.has("kind") && m.str("kind") != "gpu") m.fail("kind", "expected kind: gpu");
  g.file = m.file();
  g.name = m.str("name");
  if (trim(g.name).empty()) m.fail("name", "empty: a GPU is named in outputs, prices and calibrations by it");
  // A catalog file is found by its name (topologies/gpus/NAME.yaml), and prices, export-control classes and
  // calibrations find the GPU by `name`: two names for one file listed one GPU twice, or one that --gpu could
  // not find.
  check_catalog_name(m, g.file, "topologies/gpus", g.name, "GPU");
  // ...and so a GPU file of the user's, or a --set gpu.name, naming a catalog GPU was priced, and given SM
  // counts, as that GPU: an H20-class file named h100-sxm cost the H100's 2.99 USD/GPU-h (helper-169). A link
  // to the catalog file, or a copy of it, is that GPU; so is an inline part, which is how `calibrate` writes
  // a catalog GPU that --set changed (as --set on the catalog GPU keeps its name: helper-170).
  const std::string own = data_file("topologies/gpus/" + g.name + ".yaml");
  const bool renamed = m.loc("name").file == "--set";
  if ((renamed || !inline_part) && catalog_stem(g.file, "topologies/gpus") != g.name && file_exists(own) &&
      (renamed || !same_bytes(g.file, own)))
    m.fail("name", "'" + g.name + "' is the catalog's GPU (" + own +
                       "), whose prices and kernel data are found by that name: give a GPU of your own a "
                       "name of its own");
  g.display_name = m.str_or("display_name", g.name);
  g.vendor = m.str_or("vendor", "");
  g.arch = parse_arch(m.choice("arch", {"ampere", "hopper", "blackwell", "ada", "cdna3", "cdna4", "davinci", "cpu"}));
  g.where["arch"] = m.loc("arch");
  g.dies = m.integer_figure("dies", 1);
  // Compute dies in one package (MI300X's 8 XCDs are the most shipped), as a node's chiplet.dies: 100000000
  // put an H20-class part below the export-control density line without a word (helper-169).
  if (g.dies.value > 16) m.fail("dies", "at most 16 compute dies per package");
  // A GPU of the user's has no kernels.gpu_sms entry in the shipped data: an H20-class file (78 SMs) ran with
  // Hopper's 132 unless the data directory was edited (helper-169).
  if (m.has("sms")) {
    g.sms = m.integer_figure("sms", 1);
    if (g.sms->value > 1024) m.fail("sms", "at most 1024 SMs (compute units) per package");
  }

  YamlMap compute = m.map("compute");
  g.bf16_flops = compute.figure("bf16", Dimension::kFlopRate);
  g.fp16_flops = compute.figure("fp16", Dimension::kFlopRate);
  g.fp8_flops = compute.optional_figure("fp8", Dimension::kFlopRate);
  g.int8_ops = compute.optional_figure("int8", Dimension::kFlopRate);
  g.fp6_flops = compute.optional_figure("fp6", Dimension::kFlopRate);
  g.fp4_flops = compute.optional_figure("fp4", Dimension::kFlopRate);
  g.softmax_exp = compute.optional_figure("softmax_exp", Dimension::kFlopRate);
  if (g.softmax_exp) g.where["compute.softmax_exp"] = compute.loc("softmax_exp");
  // Every tensor core runs fp8 at least at its bf16 rate: below it is a unit typo (30TFLOPS for 3000), which
  // ran every fp8 GEMM 50 times slower than bf16 without a word.
  if (g.fp8_flops && g.fp8_flops->value < g.bf16_flops.value) {
    // blamed on the one given on the command line (--set compute.bf16=3000TFLOPS named the file's fp8 line)
    if (compute.loc("bf16").file == "--set" && compute.loc("fp8").file != "--set")
      compute.fail("bf16", "above compute.fp8: a dense fp8 rate is at least the bf16 one (a unit typo?)");
    compute.fail("fp8", "below compute.bf16: a dense fp8 rate is at least the bf16 one (a unit typo?)");
  }
  // And fp4 at least at the fp8 rate (or bf16's where no fp8 is given): `--set gpu.compute.fp4=90TFLOPS` ran
  // an nvfp4 step 33 times slower (helper-140).
  const Figure& below_fp4 = g.fp8_flops ? *g.fp8_flops : g.bf16_flops;
  const char* below_key = g.fp8_flops ? "fp8" : "bf16";
  if (g.fp4_flops && g.fp4_flops->value < below_fp4.value) {
    if (compute.loc(below_key).file == "--set" && compute.loc("fp4").file != "--set")
      compute.fail(below_key, std::string("above compute.fp4: a dense fp4 rate is at least the ") +
                                  below_key + " one (a unit typo?)");
    compute.fail("fp4", std::string("below compute.") + below_key + ": a dense fp4 rate is at least the " +
                            below_key + " one (a unit typo?)");
  }
  compute.finish();

  if (auto mm = m.optional_map("matmul_achievable")) {
    g.matmul_bf16 = mm->optional_figure("bf16", Dimension::kFlopRate);
    g.matmul_fp8 = mm->optional_figure("fp8", Dimension::kFlopRate);
    for (const char* k : {"bf16", "fp8"})
      if (mm->has(k)) g.where[std::string("matmul_achievable.") + k] = mm->loc(k);
    if (g.matmul_bf16 && g.matmul_bf16->value > g.bf16_flops.value)
      mm->fail("bf16", "a measured matmul rate above the dense bf16 peak (compute.bf16)");
    if (g.matmul_fp8 && !g.fp8_flops) mm->fail("fp8", "a measured fp8 matmul rate on a GPU without compute.fp8");
    if (g.matmul_fp8 && g.matmul_fp8->value > g.fp8_flops->value)
      mm->fail("fp8", "a measured matmul rate above the dense fp8 peak (compute.fp8)");
    mm->finish();
  }

  YamlMap memory = m.map("memory");
  g.memory_bytes = memory.figure("capacity", Dimension::kBytes);
  // A device's memory, 1 GiB to 16 TiB (shipped: 16 GB to 288 GiB): 1B (a byte, for 1 billion?) was read as
  // it stands and every layout "did not fit" with 0.0 GiB (exit 3), naming no key (helper-169).
  if (g.memory_bytes.value < 1024.0 * 1024 * 1024 || g.memory_bytes.value > 16.0 * 1024 * 1024 * 1024 * 1024)
    memory.fail("capacity", "a device's memory is 1 GiB to 16 TiB");
  g.memory_bandwidth = memory.figure("bandwidth", Dimension::kBandwidth);
  memory.finish();

  if (const SourceLoc at = m.loc("scale_up"); at.file == "--set")
    g.where["scale_up"] = at;  // `--set gpu.scale_up=~`
  if (auto su = m.optional_map("scale_up")) {
    ScaleUpSpec s;
    s.technology = su->str("technology");
    // checked here, at its line (or --set): the topology named the node file without a line
    LinkTechs::shipped().scale_up(s.technology, su->loc("technology"));
    s.links = su->integer_figure("links", 1);
    // A package's scale-up ports (18 NVLink5 links on a B200): 1e9 links made 25 EB/s per GPU, exit 0.
    if (s.links.value > 1024) su->fail("links", "at most 1024 scale-up links per GPU");
    g.where["scale_up.links"] = su->loc("links");
    s.bandwidth_per_link = su->figure("bandwidth_per_link", Dimension::kBandwidth);
    su->finish();
    g.scale_up = s;
  }

  YamlMap pcie = m.map("pcie");
  g.pcie_generation = pcie.integer_figure("generation", 1);
  if (g.pcie_generation.value > 7) pcie.fail("generation", "PCIe generation must be between 1 and 7");
  g.pcie_lanes = pcie.integer_figure("lanes", 1);
  if (g.pcie_lanes.value > 32) pcie.fail("lanes", "PCIe lanes must be at most 32");
  pcie.finish();

  YamlMap nic = m.map("nic");
  g.nic_speed = nic.figure("speed", Dimension::kBandwidth);
  nic.finish();

  if (auto da = m.optional_map("die_area")) {
    DieArea a;
    a.per_die = da->figure("per_die", Dimension::kArea);
    a.dies = da->has("dies") ? da->integer_figure("dies", 1) : g.dies;
    if (a.dies.value > 16) da->fail("dies", "at most 16 dies per package");
    a.other_dies = da->optional_figure("other_dies", Dimension::kArea);
    da->finish();
    g.die_area = a;
  }

  g.tdp_watts = m.figure("tdp", Dimension::kPower);
  m.finish();
  return g;
}

}  // namespace commsim
