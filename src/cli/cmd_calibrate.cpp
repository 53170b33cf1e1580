// commsim calibrate --system S --measured FILE... --out calibrated.yaml: fits the system's latency and
// bandwidth scales to measured collectives (study/calibration.hpp), writes the calibrated system file, and
// prints every row's residual (stdout); the fit's rounds and where the file went go to stderr.
// commsim calibrate --compute kernelbench.json [--gpu NAME] --out FILE: the kernel model's constants instead
// (cli/calibrate_compute.hpp).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/calibrate_compute.hpp"
#include "cli/common.hpp"
#include "cli/measured_report.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "hw/catalog.hpp"
#include "report/table.hpp"
#include "study/calibration.hpp"
#include "study/measured_device.hpp"
#include "topo/topology.hpp"
#include "train/kernel_model.hpp"

namespace commsim::cli {

void register_calibrate(CLI::App& app) {
  struct Args {
    SystemOptions sys;
    std::vector<std::string> measured;
    std::string op, fit_sizes = "all", out, format = "table", compute, gpu;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("calibrate", "fit a system's latency and bandwidth scales to measured collectives");
  a->sys.add_to(*c, false);
  c->add_option("--measured,-m", a->measured, "commbench JSON (-J) or nccl-tests output files (needs --system)")->take_all()->check(file_name());
  c->add_option("--compute", a->compute, "kernelbench JSON (-J): fit the kernel model's constants of its GPU's arch instead")->check(file_name());
  c->add_option("--gpu", a->gpu, "with --compute: the catalog GPU it ran on (default: matched from the file's GPU name)");
  c->add_option("--out,-O", a->out, "the calibrated system file to write")
      ->required()
      ->check(file_beside_stdout(
          "the calibrated file is loaded by its path (--system FILE, --compute-efficiency FILE): name one"));
  c->add_option("--fit-sizes", a->fit_sizes, "sizes to fit on: all, even, odd (index in each sweep), MIN:MAX, or odd,MIN:MAX");
  c->add_option("--op", a->op, "collective of text logs that do not name it (e.g. all_reduce); a log naming another is exit 2");
  c->add_option("--format", a->format, "residual table format: table, csv, json");
  c->callback([a, c] {
    if (!a->compute.empty()) {
      if (!a->measured.empty()) throw InputError("--compute and --measured: give one (kernels or collectives)");
      // flags of the collective fit: ignored here, --format json printed the table (exit 0)
      for (const char* flag : {"--format", "--fit-sizes", "--op", "--nodes", "--gpus", "--gpus-per-node", "--set"})
        if (c->count(flag) > 0) throw InputError(std::string(flag) + " applies to --measured, not to --compute");
      // --system was read and dropped (the GPU comes from the file or --gpu). COMMSIM_SYSTEM, set for other
      // commands, fills it too: only a value the environment did not give is the user's flag.
      const char* env_system = std::getenv("COMMSIM_SYSTEM");
      if (!a->sys.system.empty() && (env_system == nullptr || a->sys.system != env_system))
        throw InputError("--system applies to --measured, not to --compute (name the GPU with --gpu)");
      check_output_not_input("--out", a->out, "--compute", {a->compute});
      if (c->count("--gpu") && a->gpu.empty()) throw InputError("--gpu: empty name (omit it to match the file's GPU name)");
      if (!a->gpu.empty()) {  // a GPU without kernel constants (host-cpu) named the data file, not --gpu
        try {
          kernel_device(load_gpu(a->gpu), 1, kernel_data());
        } catch (const InputError& e) {
          throw InputError(std::string("--gpu: ") + e.what());
        }
      }
      run_calibrate_compute(a->compute, a->gpu, a->out);
      return;
    }
    if (!a->gpu.empty()) throw InputError("--gpu needs --compute");
    if (a->measured.empty()) throw InputError("--measured is required (or --compute for kernelbench files)");
    if (a->sys.system.empty()) throw InputError("--system is required with --measured");
    if (a->format != "table" && a->format != "csv" && a->format != "json")
      throw InputError("--format: unknown format '" + a->format + "' (valid: table, csv, json)");
    check_output_not_input("--out", a->out, "--measured", a->measured);
    const SizeSelection sel = parse_size_selection("--fit-sizes", a->fit_sizes);
    const SystemSpec spec = a->sys.load();
    // The file written keeps the system's default scale (`nodes`): one no topology can be built at (--set
    // nodes=300000, or nodes=2 on a one-host system) made a file every command then refused at that scale.
    try {
      const Topology at_default(spec, resolve_scale(spec, 0, 0, 0, ScaleNames{"nodes", "gpus", "gpus_per_node"}, 1));
    } catch (const InputError& e) {  // named where the default scale came from: --set nodes=N or the system's nodes
      const bool set = std::any_of(a->sys.sets.begin(), a->sys.sets.end(), [](const std::string& o) { return o.rfind("nodes=", 0) == 0; });
      throw InputError(set ? SourceLoc{"--set", 0, 0, "nodes"} : SourceLoc{spec.file, 0, 0, "nodes"},
                       std::string("the calibrated file (--out) would keep a default scale no command can run: ") + e.message());
    }
    // Opened before the fit, so that an unwritable --out fails at once (exit 2). The system file is read
    // again while the calibrated one is written (--out may name it): the temporary beside --out replaces it
    // only once complete, so `--system F.yaml --out F.yaml` reads the original. A catalog system is not
    // replaced (by name or by path): the calibrated file written over it made --system NAME run
    // "NAME-calibrated", and then refused as named unlike its file. A file written into a catalog directory
    // is a catalog entry: a system, named as its file (NAME-calibrated.yaml).
    const std::string replaceable = catalog_dir_of(spec.file).empty() ? spec.file : "";
    check_not_an_input(a->out, "--out", replaceable);
    if (const std::string dir = catalog_dir_of(a->out); !dir.empty()) {
      const std::string name = calibrated_system_name(spec.name);
      if (dir != "topologies/systems" || landing_stem(a->out) != name)
        throw InputError(SourceLoc{"--out", 0, 0, ""},
                         "'" + a->out + "' is in the data directory's " + dir +
                             ": a calibrated system there must be " + "topologies/systems/" + name +
                             ".yaml (a catalog entry is named as its file), or write it elsewhere");
    } else if (const std::string part = data_part_of(a->out); !part.empty()) {
      // The data directory's own files (topologies/prices.yaml, links.yaml) and its other folders: replaced,
      // every command that reads them then failed.
      throw InputError(SourceLoc{"--out", 0, 0, ""},
                       "'" + a->out + "' is in the data directory's " + part +
                           ", which holds the catalog: a calibrated system there must be "
                           "topologies/systems/" +
                           calibrated_system_name(spec.name) + ".yaml, or write it elsewhere");
    }
    AtomicFile file(a->out, catalog_dir_of(a->out).empty()
                                ? AtomicFile::Into::kOutsideCatalog
                                : AtomicFile::Into::kCatalogEntry);  // checked above
    file.may_replace(replaceable);
    const std::vector<Measurement> rows = read_measured_files(
        a->measured, a->op, a->sys.nodes > 0 || a->sys.gpus > 0 || a->sys.gpus_per_node > 0);
    // Files of two GPUs fitted into one system file (helper-153: a GH200 and an A100 log into dgx-h100, its
    // cache cliffs absorbing the difference, exit 0).
    if (const std::string mixed = mixed_catalog_gpus(rows); !mixed.empty())
      throw InputError(SourceLoc{"--measured", 0, 0, ""},
                       "the files ran on different GPUs: " + mixed +
                           "; a calibration fits one GPU's measurements (calibrate each apart)");
    if (const std::string text = device_mismatch_note(rows, spec); !text.empty()) note(text);
    const ScaleRequest req{a->sys.nodes, a->sys.gpus, a->sys.gpus_per_node};
    const CalibrationResult res = calibrate(spec, req, rows, sel, a->measured);
    write_calibrated_system(file.stream(), a->sys.system, a->sys.sets, spec, res.calibration);
    // The file replaces --out only once the report is out: a failed stdout (a full disk, a closed pipe) is
    // exit 1, and a failed run leaves --out as it was (docs/cli.md, "Files are whole or absent").
    auto commit = [&] {
      check_stdout();
      file.commit();
      note("commsim calibrate: wrote " + a->out + " (load it with --system " + a->out + ")");
    };
    for (const std::string& n : res.notes) note("commsim calibrate: " + n);
    print_measured_rows(std::cout, res.rows, res.fitted, a->format);
    if (a->format != "table") return commit();
    std::vector<MeasuredRow> fit, held;
    for (std::size_t i = 0; i < res.rows.size(); ++i) (res.fitted[i] ? fit : held).push_back(res.rows[i]);
    std::cout << "\n# system-wide latency_scale " << fmt(res.calibration.system.latency_scale, 4) << "  bandwidth_scale "
              << fmt(res.calibration.system.bandwidth_scale, 4) << "  (" << fit.size() << " rows fitted, sizes "
              << sel.text << ")\n";
    std::cout << "# fit " << (res.converged ? "converged" : "NOT converged (the best point found is kept)") << " in at most "
              << res.rounds << " round(s) per fit\n";
    for (const auto& [op, sc] : res.calibration.ops)
      std::cout << "#   " << op << ": latency_scale " << fmt(sc.latency_scale, 4) << "  bandwidth_scale "
                << fmt(sc.bandwidth_scale, 4) << "\n";
    print_measured_summary(std::cout, fit, "fitted rows: |error| after calibration");
    if (!held.empty()) print_measured_summary(std::cout, held, "rows not fitted: |error| after calibration");
    commit();
  });
}

}  // namespace commsim::cli
