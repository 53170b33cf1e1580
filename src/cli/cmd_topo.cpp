// commsim topo: what a system is made of.
#include "cli/common.hpp"
#include "core/error.hpp"
#include "report/topo_report.hpp"

namespace commsim::cli {

void register_topo(CLI::App& app) {
  struct Args {
    SystemOptions sys;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  a->out.format = "text";
  CLI::App* c = app.add_subcommand("topo", "summarise a system: devices, links, rank-pair bandwidth, bisection; or Graphviz");
  a->sys.add_to(*c);
  a->out.add_to(*c, "text, dot");
  c->callback([a] {
    if (a->out.format != "text" && a->out.format != "dot")
      throw InputError("--format: unknown format '" + a->out.format + "' (valid: text, dot)");
    const SystemSpec spec = a->sys.load();
    const Topology topo(spec, a->sys.scale(spec, "topo (its pairs and bisection join two GPUs)"));
    if (a->out.format == "dot") write_topo_dot(a->out.stream(), topo);
    else write_topo_summary(a->out.stream(), topo);
    a->out.finish();
  });
}

}  // namespace commsim::cli
