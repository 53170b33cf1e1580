// commsim collective: nccl-tests-style predictions for one system.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/common.hpp"
#include "coll/op_list.hpp"
#include "coll/protocols.hpp"
#include "coll/simulator.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/units.hpp"

namespace commsim::cli {
namespace {

struct CollectiveArgs {
  SystemOptions sys;
  OutputOptions out;
  std::string op = "all_reduce";
  std::string minbytes = "32M", maxbytes = "32M", stepbytes = "1M";
  double stepfactor = 1.0;
  std::string dtype = "float", redop = "sum", algo = "auto", proto = "auto";
  int root = 0;
};

void print_algo_help() {
  std::cout << "Algorithms (--algo NAME; auto picks the fastest the way NCCL's tuner does):\n";
  for (const Algorithm* a : algorithms()) {
    std::cout << "  " << a->name() << std::string(14 - a->name().size(), ' ') << a->summary()
              << (a->in_auto() ? "" : " [not in auto]") << "\n"
              << std::string(16, ' ') << "source: " << a->citation() << "\n";
  }
  std::cout << "Protocols (--proto NAME): LL (8-byte flags, lowest latency), LL128 (128-byte lines), Simple (bulk)\n";
}

void run(CollectiveArgs& a, const std::string& cmdline) {
  a.algo = lower_case(a.algo);  // any case, as NCCL_ALGO reads it ("Ring", "AUTO")
  if (a.algo == "help" || a.algo == "list") {
    print_algo_help();
    check_stdout();
    return;
  }
  if (a.algo != "auto" && find_algorithm(a.algo) == nullptr)
    throw InputError(flag_or_env("--algo", "COMMSIM_ALGO", a.algo) +
                     ": unknown algorithm '" + a.algo + "' (valid: auto, " + algorithm_names() + ", help)");
  std::optional<Proto> proto;
  if (a.proto != "auto") {
    Proto p;
    if (!proto_from_name(a.proto, &p))
      throw InputError(flag_or_env("--proto", "COMMSIM_PROTO", a.proto) + ": unknown protocol '" + a.proto + "' (valid: auto, LL, LL128, Simple)");
    proto = p;
  }
  const auto dt = dtype_from_name(a.dtype);
  if (!dt) throw InputError("-d: unknown data type '" + a.dtype + "' (valid: " + dtype_names() + ")");
  const auto rop = redop_from_name(a.redop);
  if (!rop) throw InputError("-o/--redop: unknown reduction '" + a.redop + "' (valid: sum, prod, min, max, avg)");
  std::vector<Op> ops = parse_op_list(a.op, "--op");
  std::uint64_t lo = 0, hi = 0, step = 0;
  try {
    lo = parse_size_arg(a.minbytes);
    hi = parse_size_arg(a.maxbytes);
    step = parse_size_arg(a.stepbytes);
  } catch (const InputError& e) {
    throw InputError(std::string("-b/-e/-i: ") + e.what());
  }
  if (!std::isfinite(a.stepfactor) || a.stepfactor < 1.0) {
    char given[32];
    std::snprintf(given, sizeof given, "%g", a.stepfactor);  // 0.5, not 0.500000 ('' reads as 0)
    throw InputError(std::string("-f: step factor must be a finite number >= 1, got ") + given);
  }
  std::vector<std::uint64_t> sizes;
  try {
    sizes = sweep_sizes(lo, hi, a.stepfactor, step);
  } catch (const InputError& e) {
    throw InputError(std::string("-b/-e/-f/-i: ") + e.what());
  }
  const Format format = parse_format(a.out.format);

  if (a.sys.system.empty()) throw InputError("--system is required (see `commsim catalog` for the shipped systems)");
  const SystemSpec spec = a.sys.load();
  const Topology topo(spec, a.sys.scale(spec));
  if (a.root < 0 || a.root >= topo.ranks()) throw InputError("-r: root must be between 0 and " + std::to_string(topo.ranks() - 1));
  // A reduction NCCL refuses (fp8 below sm90) is an error when named; `--op all` runs the ops that can run
  // and says which it left out.
  std::vector<Op> runnable;
  std::string left_out, why_left_out;
  for (Op op : ops) {
    const std::string why = fp8_reduction_unsupported(op, *dt, spec.gpu);
    if (why.empty()) {
      runnable.push_back(op);
    } else if (a.op == "all") {
      left_out += (left_out.empty() ? "" : ", ") + std::string(op_name(op));
      why_left_out = why;
    } else {
      throw InputError("-d/--datatype " + a.dtype + " with --op " + op_name(op) + ": " + why);
    }
  }
  ops = runnable;
  if (!left_out.empty())
    note("commsim collective: --op all: " + left_out + " not predicted: " + why_left_out);
  if (proto)  // a protocol the system's library or its node cannot run: named by its flag
    if (const std::string why =
            protocol_unavailable(*proto, topo, CollectiveModel::shipped(), ring_intra_nvlink(topo));
        !why.empty())
      throw InputError(flag_or_env("--proto", "COMMSIM_PROTO", a.proto) + ": " + why);
  const CollectiveSimulator sim(topo);
  const RunContext ctx = make_context(spec, topo, cmdline);
  // Every op predicted before anything is written: --algo mesh --op all printed three tables, then the error.
  std::vector<std::vector<Prediction>> per_op(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    // As commbench runs them: a size that rounds to no element per rank, or to the previous size's (-b 0 -f
    // 2: 0, 1, 2 B of floats are all 0), is left out; it printed one row per request, three of them alike.
    std::uint64_t previous = 0;
    for (std::uint64_t s : sizes) {
      const std::uint64_t bytes = op_sizes(ops[i], s, dtype_info(*dt).size, topo.ranks()).size_bytes;
      if (bytes == 0 || bytes == previous) continue;
      previous = bytes;
      try {
        per_op[i].push_back(sim.predict(ops[i], s, *dt, a.algo, proto, *rop));
      } catch (const InputError& e) {
        // "algorithm 'tree' cannot run all_gather here" named no flag: COMMSIM_ALGO in the environment set
        // it.
        if (a.algo == "auto") throw;
        throw InputError(flag_or_env("--algo", "COMMSIM_ALGO", a.algo) + ": " + e.what());
      }
    }
  }
  // An op none of whose sizes is left: named and left out under --op all (as an fp8 reduction is), else an
  // error.
  auto nothing = [&](Op op) {
    return std::string(op_name(op)) + ": no size from -b/--minbytes " + std::to_string(lo) +
           " to -e/--maxbytes " + std::to_string(hi) + " is left on " + std::to_string(topo.ranks()) +
           " ranks (a size rounds down to whole elements per rank; all_gather, reduce_scatter and alltoall "
           "to 16 bytes "
           "per rank, as nccl-tests)";
  };
  std::string no_size;
  for (std::size_t i = ops.size(); i-- > 0;)
    if (per_op[i].empty()) {
      if (a.op != "all" || ops.size() == 1) throw InputError(nothing(ops[i]));
      no_size = std::string(op_name(ops[i])) + (no_size.empty() ? "" : ", ") + no_size;
      ops.erase(ops.begin() + static_cast<long>(i));
      per_op.erase(per_op.begin() + static_cast<long>(i));
    }
  if (ops.empty()) throw InputError("--op all: " + nothing(Op::kAllReduce));
  if (!no_size.empty())
    note("commsim collective: --op all: " + no_size + " not predicted: no size from -b " +
         std::to_string(lo) + " to -e " + std::to_string(hi) +
         " is left for them (whole elements per rank; 16 bytes per rank for all_gather, reduce_scatter and "
         "alltoall)");
  std::ostream& out = a.out.stream();
  std::vector<Prediction> all_rows;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const std::vector<Prediction>& rows = per_op[i];
    if (format == Format::kTable) write_collective_table(out, ctx, ops[i], *rop, a.root, rows);
    else if (format == Format::kCsv) write_collective_csv(out, ctx, rows, *rop, a.root, i == 0);
    all_rows.insert(all_rows.end(), rows.begin(), rows.end());
  }
  if (format == Format::kJson) write_collective_json(out, ctx, *rop, a.root, all_rows);
  a.out.finish();
}

}  // namespace

void register_collective(CLI::App& app, const std::string& cmdline) {
  auto args = std::make_shared<CollectiveArgs>();
  CLI::App* c = app.add_subcommand("collective", "predict a collective's time, algbw and busbw in nccl-tests terms");
  args->sys.add_to(*c, false);
  c->add_option("--op", args->op, "operations, comma-separated: " + op_names() + ", or all");
  c->add_option("-b,--minbytes", args->minbytes, "minimum size (binary K/M/G suffix, as nccl-tests)");
  c->add_option("-e,--maxbytes", args->maxbytes, "maximum size");
  c->add_option("-i,--stepbytes", args->stepbytes, "additive step when -f is 1");
  c->add_option("-f,--stepfactor", args->stepfactor, "multiplicative step")
      ->check(CLI::Validator(
          [](std::string& t) {  // "0x10" was read as 16; nan, inf and 0.5 are the range check's below
            const bool hex = t.find_first_of("xX") != std::string::npos;
            return plain_decimal(t) || !hex ? std::string() : "'" + t + "' is not a decimal number";
          },
          "NUMBER"));
  c->add_option("-d,--datatype", args->dtype, "data type (nccl-tests names; bf16, fp16, fp32 accepted)");
  c->add_option("-o,--redop,--op-reduce", args->redop, "reduction: sum, prod, min, max, avg (--op-reduce: alias)");
  c->add_option("-r,--root", args->root, "root rank of broadcast and reduce")->check(at_least(0));  // -r '' was root 0
  c->add_option("--algo", args->algo, "algorithm: auto, " + algorithm_names() + ", or help")->envname("COMMSIM_ALGO");
  c->add_option("--proto", args->proto, "protocol: auto, LL, LL128, Simple")->envname("COMMSIM_PROTO");
  args->out.add_to(*c, "table, csv, json");
  c->callback([args, cmdline] { run(*args, cmdline); });
}

}  // namespace commsim::cli
