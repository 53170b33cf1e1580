// commsim catalog: the shipped GPUs and systems.
#include <iostream>

#include "cli/common.hpp"
#include "cli/export_control_report.hpp"
#include "core/data_path.hpp"
#include "hw/catalog.hpp"
#include "report/table.hpp"

namespace commsim::cli {

void register_catalog(CLI::App& app, const std::string& cmdline) {
  CLI::App* c = app.add_subcommand("catalog", "list the shipped GPUs and systems with their key figures");
  struct Args {
    bool export_control = false;
    std::string rules;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  c->add_flag("--export-control", a->export_control,
              "per GPU: TPP, performance density and ECCN 3A090 class (topologies/export-control.yaml)");
  c->add_option("--rules", a->rules, "export-control rules file (default: the shipped topologies/export-control.yaml)")->check(file_name());
  a->out.add_to(*c, "table, csv, json (with --export-control)");
  c->get_option("--out")->description(
      "write the data to FILE instead of stdout ('-': stdout; with --export-control)");
  c->callback([a, cmdline] {
    if (a->export_control) return print_export_control(a->out, a->rules, cmdline);
    if ((a->out.format_given() && a->out.format != "table") || !a->out.out.empty())
      throw InputError("--format and --out need --export-control (the plain catalog is a table on stdout)");
    if (!a->rules.empty()) throw InputError("--rules needs --export-control");
    Table g({"gpu", "arch", "bf16 TFLOPS", "fp8 TFLOPS", "fp4 TFLOPS", "HBM GiB", "HBM TB/s",
             "scale-up GB/s/dir", "NIC Gb/s", "TDP W"});
    for (const std::string& n : gpu_names()) {
      const GpuSpec s = load_gpu(n);
      g.add({s.name, arch_name(s.arch), fmt(s.bf16_flops.value / 1e12, 1),
             s.fp8_flops ? fmt(s.fp8_flops->value / 1e12, 1) : "-",
             s.fp4_flops ? fmt(s.fp4_flops->value / 1e12, 1) : "-",
             fmt(s.memory_bytes.value / (1024.0 * 1024 * 1024), 1), fmt(s.memory_bandwidth.value / 1e12, 2),
             s.scale_up ? fmt(s.scale_up->bandwidth() / 1e9, 0) + " " + s.scale_up->technology : "-",
             fmt(s.nic_speed.value * 8 / 1e9, 0), fmt(s.tdp_watts.value, 0)});
    }
    Table t({"system", "gpu", "node", "gpus/node", "scale-up", "fabric", "description"});
    for (const std::string& n : system_names()) {
      const SystemSpec s = load_system(n);
      t.add({s.name, s.gpu.name, s.node.name, std::to_string(s.node.gpus), scale_up_type_name(s.node.scale_up),
             s.fabric.name, s.description.substr(0, 70)});
    }
    // Printed once every file has loaded: a bad system file left the GPU table printed above its error.
    std::cout << "# GPUs (" << data_file("topologies/gpus/") << ")\n";
    g.print(std::cout);
    std::cout << "\n# systems (" << data_file("topologies/systems/") << ")\n";
    t.print(std::cout);
    check_stdout();
  });
}

}  // namespace commsim::cli
