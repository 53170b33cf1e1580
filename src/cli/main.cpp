// commsim: collective and training performance simulator. main() is the only place that turns errors into
// messages and exit codes (0 ok, 1 runtime failure, 2 bad input or usage; see docs/cli.md).
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>

#include "cli/common.hpp"
#include "core/atomic_file.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"

namespace {

// One message as one write to stderr: under mpirun each rank's stderr reaches the terminal through mpirun,
// which put its own banner inside a message written in pieces ("commsim: error: ---...--- bad.csv: ...").
void say(const std::string& what, const char* text) {
  const std::string line = "commsim: " + what + text + "\n";
  std::cerr.write(line.data(), static_cast<std::streamsize>(line.size()));
  std::cerr.flush();
}

// A command that printed to stdout never exits 0 (or with its verdict) having lost that output: a failed
// write (a full disk, /dev/full) turns the exit code into 1. Commands check too (OutputOptions::finish);
// this catches what reached stdout outside them (help, version, a table printed before a verdict).
int with_stdout_checked(int rc) {
  if (rc == commsim::kExitRuntime || rc == commsim::kExitInput) return rc;  // already failed, message given
  try {
    commsim::check_stdout();
  } catch (const commsim::Error& e) {
    say("error: ", e.what());
    return e.exit_code();
  }
  return rc;
}

int run(int argc, char** argv) {
  using namespace commsim;
  const std::string cmdline = cli::command_line(argc, argv);
  CLI::App app{"commsim: predicts collective and training performance on GPU clusters before you buy them"};
  app.set_version_flag("--version", std::string("commsim ") + commsim_version());
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();  // --help shows each option's default
  // Flag errors found by CLI11 (a bad integer, a missing value) read like every other error (docs/cli.md).
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    // A single-valued flag given twice: CLI11 says "--nodes: At Most 1 required but received 2".
    std::string what = e.what();
    const std::string twice = "At Most 1 required but received ";
    if (const std::size_t at = what.find(twice); at != std::string::npos)
      what = what.substr(0, at) + "given " + what.substr(at + twice.size()) + " times: give it once";
    return "commsim: error: " + what + "\nRun with --help for more information.\n";
  });
  cli::register_collective(app, cmdline);
  cli::register_topo(app);
  cli::register_validate(app, cmdline);
  cli::register_calibrate(app);
  cli::register_study(app);
  cli::register_sweep(app);
  cli::register_catalog(app, cmdline);
  cli::register_train(app, cmdline);
  cli::register_plan(app, cmdline);
  try {
    cli::check_format_env();
    // A first word that names no command: CLI11 said only "A subcommand is required".
    if (argc > 1 && argv[1][0] != '-') {
      std::string names;
      bool known = false;
      for (const CLI::App* sub : app.get_subcommands({})) {
        known = known || sub->check_name(argv[1]);
        names += (names.empty() ? "" : ", ") + sub->get_name();
      }
      if (!known) throw InputError(std::string("unknown command '") + argv[1] + "' (valid: " + names + ")");
    }
    app.parse(argc, argv);
    cli::finish_outputs();
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RequiredError& e) {
    // CLI11 checks required options before unknown ones: `topo --bogus-flag` said "--system is required".
    for (const CLI::App* sub : app.get_subcommands())
      if (!sub->remaining().empty()) {
        const std::string extra = sub->remaining().front();
        app.exit(CLI::ExtrasError(std::vector<std::string>{extra}));
        return kExitInput;
      }
    app.exit(e);
    return kExitInput;
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitInput;
  } catch (const Error& e) {
    if (cli::error_messages()) say("error: ", e.what());
    return e.exit_code();
  } catch (const YAML::Exception& e) {
    if (cli::error_messages()) say("error: ", e.what());
    return kExitInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "commsim: error: out of memory\n";  // one write, and no allocation
    return kExitRuntime;
  } catch (const std::exception& e) {
    say("internal error: ", e.what());
    return kExitRuntime;
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Past a file-size limit (ulimit -f) the kernel sends SIGXFSZ, which ends the process with no message and
  // a half-written file; ignored, the write fails with EFBIG and the writers report it (exit 1) and clean up.
  std::signal(SIGXFSZ, SIG_IGN);
  return with_stdout_checked(run(argc, argv));
}
