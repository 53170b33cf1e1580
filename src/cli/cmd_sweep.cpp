// commsim sweep STUDY: a base run x axes (study/sweep_spec.hpp), points on every core (-j) and across MPI
// ranks, rows streamed in point order to --csv / --jsonl, the table on stdout, progress on stderr.
// SIGINT/SIGTERM/SIGHUP stop the dispatch: the rows finished in order are written, the files keep whole
// lines, and the exit code is 1 ("interrupted"); --resume then runs only the missing points. A second signal
// ends the process at once, of that signal (a layout search's point can take minutes): the --html temporary
// is removed, the CSV and JSON Lines files may end in a part line, which --resume cuts. The first signal sent
// again by the same process within 100 ms (GNU timeout's, to the command and then its group) is not a second.
#include <algorithm>
#include <csignal>
#include <ctime>
#include <exception>
#include <iostream>
#include <memory>
#include <set>

#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "cli/sweep_command.hpp"
#include "cli/sweep_mpi.hpp"
#include "core/atomic_file.hpp"
#include "core/ordered_pool.hpp"
#include "core/yaml_reader.hpp"
#include "report/html_report.hpp"
#include "report/sweep_html.hpp"
#include "report/sweep_report.hpp"
#include "report/sweep_stream.hpp"

namespace commsim::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_first_sig{0}, g_first_sender{0};
std::atomic<long long> g_first_ns{0};

long long monotonic_ns() {  // clock_gettime is async-signal-safe
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

extern "C" void on_signal(int sig, siginfo_t* info, void*) {
  const int sender = info && info->si_code == SI_USER ? static_cast<int>(info->si_pid) : 0;
  // The first signal's details before the flag: the pair may land on two threads at once, and the second must
  // find them (a process-directed signal goes to any thread).
  if (!g_stop.load()) g_first_sig = sig, g_first_sender = sender, g_first_ns = monotonic_ns();
  if (!g_stop.exchange(true)) return;  // the first: stop between points
  // The same signal from the same process within 100 ms is one stop sent twice, not a second Ctrl-C: GNU
  // timeout signals its command and then the command's process group (the run died at once, without its
  // table or resume hint, in one try of three). A terminal's Ctrl-C has no sending process.
  if (sender != 0 && sig == g_first_sig && sender == g_first_sender &&
      monotonic_ns() - g_first_ns < 100000000LL)
    return;
  remove_temporaries_and_die(sig);
}

// Installs the handlers for the sweep's lifetime and restores the previous ones.
class SignalGuard {
 public:
  SignalGuard() {
    struct sigaction sa {};
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
    // SIGHUP, an ssh session's end (it died of the signal: no table, no resume hint), unless the caller
    // ignores it: `nohup commsim sweep ...` must outlive the session.
    if (sigaction(SIGHUP, nullptr, &old_hup_) == 0 && old_hup_.sa_handler != SIG_IGN)
      sigaction(SIGHUP, &sa, nullptr);
  }
  ~SignalGuard() {
    // After a stop the handlers stay, the process on its way out (exit 1): GNU timeout's copy of the signal
    // to the process group may land once the run has unwound (a FIFO's interrupted open throws at once), and
    // the default disposition restored then killed it (exit 130, one CI run of many, 2026-12-06).
    if (g_stop.load()) return;
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGHUP, &old_hup_, nullptr);
  }

 private:
  struct sigaction old_int_ = {};
  struct sigaction old_term_ = {};
  struct sigaction old_hup_ = {};
};

struct MpiGuard {
  MpiWorld world = mpi_start();
  bool agreed = false;  // the ranks stop together on an error they agreed on (mpi_agree, the outputs' 'E')
  ~MpiGuard() {
    // One rank's own error while the others wait in a collective: MPI_Finalize would wait with them for
    // ever; a rank that exits without it makes mpirun end the job (its message printed by main first).
    if (world.active && std::uncaught_exceptions() > 0 && !agreed) return;
    mpi_stop();
  }
};

// Stops every rank on an agreed error, "CODE:message" (exit code and text) from rank `from`; rank 0 prints it
// ("rank N: " before another rank's), the others exit with its code silently.
[[noreturn]] void stop_together(MpiGuard& g, const std::string& coded_error, int from = 0) {
  g.agreed = true;
  const std::size_t colon = coded_error.find(':');
  const std::string message =
      (from == 0 ? "" : "rank " + std::to_string(from) + ": ") + coded_error.substr(colon + 1);
  // Rank 0 says it before MPI_Finalize (which the others wait in before they exit), main() then says nothing.
  if (g.world.rank == 0)
    report_error_now(message);
  else
    set_error_messages(false);
  if (coded_error.compare(0, colon, std::to_string(kExitInput)) == 0) throw InputError(message);
  throw RuntimeError(message);
}

std::string coded(const Error& e) {
  return std::to_string(e.exit_code()) + ":" + e.what();
}

}  // namespace

void run_sweep(const SweepArgs& a) {
  MpiGuard mpi;
  const MpiWorld& w = mpi.world;
  // From the start, so a signal while the study is checked and the files opened also ends in exit 1 with whole
  // lines (the dispatch sees the flag at once), not in the default action halfway through setting up.
  g_stop = false;
  SignalGuard signals;
  SweepSpec spec;
  std::size_t total = 0;
  std::vector<SweepPoint> points;
  auto setup = [&] {
    spec = load_sweep(a.study, a.sets);
    // An output naming the study or its base config would destroy the input (the CSV is emptied at the
    // start).
    check_distinct_outputs({{"the study file", spec.file},
                            {"the base config", spec.base_file == spec.file ? "" : spec.base_file},
                            {"--csv", a.csv},
                            {"--jsonl", a.jsonl},
                            {"--html", a.html}});
    points = sweep_points(spec, &total);
  };
  if (!w.active) {
    setup();
  } else {  // every rank reads the study (the same on each, or one rank's own failure: another directory)
    std::string mine;
    try {
      setup();
    } catch (const Error& e) {
      mine = coded(e);
    } catch (const YAML::Exception& e) {  // as main() reads it: bad input
      mine = std::to_string(kExitInput) + ":" + e.what();
    } catch (const std::exception& e) {  // any other failure must reach the agreement too, or the ranks wait
      mine = std::to_string(kExitRuntime) + ":" + e.what();
    }
    if (const MpiVerdict v = mpi_agree(mine); v.rank >= 0) stop_together(mpi, v.text, v.rank);
    // Every rank must have read the same inputs: a host with another data directory (an edited prices file)
    // computed its points from other files, and the gather then failed after every point had run, saying
    // "--resume" without --resume.
    const std::string root = mpi_broadcast(spec.base_fingerprint);
    const std::string other = root == spec.base_fingerprint
                                  ? ""
                                  : std::to_string(kExitInput) +
                                        ":sweep: this rank read other inputs than rank 0 (fingerprint " +
                                        spec.base_fingerprint + ", rank 0's " + root +
                                        "): the study, a system, GPU or model file it names, or the data "
                                        "directory's files differ between "
                                        "the hosts (COMMSIM_DATA_DIR)";
    if (const MpiVerdict v = mpi_agree(other); v.rank >= 0) stop_together(mpi, v.text, v.rank);
  }
  if (a.dry_run) {
    if (w.rank == 0) print_sweep_points(std::cout, spec, points, total);
    check_stdout();
    return;
  }
  if (a.resume && a.csv.empty() && a.jsonl.empty()) throw InputError("--resume: needs --csv or --jsonl to resume from");
  // Rank 0 opens the output files (and reads them back under --resume) and tells every rank which points are
  // left, or the error that stops them all: one mask character per point, or 'E' and the message. Every
  // output is opened and checked before any is changed (SweepStream::start), the --html page's libraries and
  // its temporary beside the target too: a bad one stops the sweep before it runs, the others left as they were.
  std::vector<std::unique_ptr<SweepStream>> streams;
  std::unique_ptr<HtmlReportFile> html;
  std::unique_ptr<AtomicFile> whole_csv;  // a.whole_files: the CSV written at the end (not to stdout)
  const bool csv_whole = a.whole_files && !a.csv.empty() && a.csv != "/dev/stdout";
  std::string left(points.size(), '1');
  if (w.rank == 0) {
    try {
      if (!a.html.empty()) html = std::make_unique<HtmlReportFile>(a.html);
      if (csv_whole)
        whole_csv = std::make_unique<AtomicFile>(a.csv);
      else if (!a.csv.empty())
        streams.push_back(std::make_unique<SweepStream>(a.csv, SweepStream::Format::kCsv, spec, a.resume));
      if (!a.jsonl.empty()) streams.push_back(std::make_unique<SweepStream>(a.jsonl, SweepStream::Format::kJsonl, spec, a.resume));
      std::map<std::string, std::size_t> keys;  // key -> point number
      for (const SweepPoint& p : points) keys.emplace(point_key(spec, p.values), p.index);
      for (const auto& s : streams) s->check_points(keys);
      for (std::size_t i = 0; i < points.size(); ++i) {
        bool done = !streams.empty();
        for (const auto& s : streams) done = done && s->has(point_key(spec, points[i].values));
        if (done) left[i] = '0';
      }
      for (const auto& s : streams) s->start();
    } catch (const Error& e) {
      if (!w.active) throw;
      report_error_now(e.what());  // before any other rank can know of it and exit
      mpi_broadcast("E" + coded(e));
      mpi.agreed = true;
      throw;
    }
  }
  if (w.active) {
    left = mpi_broadcast(left);
    if (!left.empty() && left[0] == 'E') stop_together(mpi, left.substr(1));
  }
  std::vector<const SweepPoint*> todo;
  for (std::size_t i = 0; i < points.size(); ++i)
    if (left[i] == '1') todo.push_back(&points[i]);
  const int jobs = a.jobs > 0 ? a.jobs : default_jobs();
  const SweepRunner runner(spec);
  const YamlFileCache yaml_cache;  // the inputs were checked once (load_sweep): now parse each file once
  std::vector<SweepRow> rows;
  Progress progress("sweep", todo.size(), a.progress, a.quiet || w.rank != 0);
  auto emit = [&](SweepRow&& r) {
    for (const auto& s : streams)
      if (!s->has(r.key))
        s->write(s->format() == SweepStream::Format::kCsv ? sweep_csv_line(spec, r) : sweep_jsonl_line(spec, r));
    rows.push_back(std::move(r));
    progress.tick(rows.size());
  };

  std::size_t emitted = 0;
  if (!w.active) {
    emitted = run_ordered<SweepRow>(todo.size(), jobs, [&](std::size_t i) { return runner.run(*todo[i]); },
                                    [&](std::size_t, SweepRow&& r) { emit(std::move(r)); }, &g_stop);
  } else {
    // Every size-th point on this rank; rank 0 gathers the rows (as JSON Lines, exact) and emits them in order.
    // A signal stops each rank's dispatch as in one process; rank 0 then writes the rows up to the first point
    // no rank finished (later ones would land out of order, and --resume appends the missing ones).
    std::vector<const SweepPoint*> mine;
    for (std::size_t i = static_cast<std::size_t>(w.rank); i < todo.size(); i += static_cast<std::size_t>(w.size))
      mine.push_back(todo[i]);
    std::string lines;
    std::size_t n_done = 0;
    run_ordered<SweepRow>(mine.size(), jobs, [&](std::size_t i) { return runner.run(*mine[i]); },
                          [&](std::size_t, SweepRow&& r) {
                            lines += sweep_jsonl_line(spec, r);
                            if (w.rank == 0) progress.tick(std::min(todo.size(), ++n_done * static_cast<std::size_t>(w.size)));
                          }, &g_stop);
    const std::string all = mpi_gather(lines);
    if (w.rank != 0) return;
    std::vector<SweepRow> gathered;
    for (std::size_t pos = 0; pos < all.size();) {
      const std::size_t nl = all.find('\n', pos);
      gathered.push_back(row_from_jsonl(spec, all.substr(pos, nl - pos), "MPI gather"));
      pos = nl + 1;
    }
    std::sort(gathered.begin(), gathered.end(), [](const SweepRow& x, const SweepRow& y) { return x.index < y.index; });
    for (SweepRow& r : gathered) {
      if (emitted == todo.size() || r.index != todo[emitted]->index) break;
      emit(std::move(r));
      ++emitted;
    }
  }
  progress.finish();
  // Under --resume the report covers the rows read back too (it covered only this run's, so a resumed study's
  // summary and page missed the points of the run that was stopped).
  if (!streams.empty() && streams.front()->resumed() > 0) {
    std::set<std::size_t> rerun;  // a point kept by one file but not the other ran again: its new row counts
    for (const SweepPoint* p : todo) rerun.insert(p->index);
    // The JSON Lines file's rows where there is one: full precision (the CSV's 6 digits, rounded again for the
    // table, printed 65.062 where the run had 65.0625x, 65.063).
    const SweepStream& back = *streams.back();  // --jsonl is opened after --csv
    for (const SweepRow& r : back.resumed_rows())
      if (!rerun.count(r.index)) rows.push_back(r);
    std::stable_sort(rows.begin(), rows.end(), [](const SweepRow& x, const SweepRow& y) { return x.index < y.index; });
  }
  // A sweep none of whose points gave a result (each invalid: a layout or scale that does not divide, a base
  // no point can run) printed its table of reasons and exit 0: a study that predicted nothing. The exit says
  // so, naming the first point's reason; a sweep's streamed rows and its page stay written (docs/cli.md), a
  // study's whole files are not written.
  const auto result = [](const SweepRow& r) { return r.status == "ok" || r.status == "does_not_fit"; };
  std::exception_ptr no_result;
  if (!rows.empty() && std::none_of(rows.begin(), rows.end(), result)) {
    const auto bad =
        std::find_if(rows.begin(), rows.end(), [](const SweepRow& r) { return r.status == "invalid"; });
    const SweepRow& first = bad != rows.end() ? *bad : rows.front();
    const std::string what = "no point of study '" + spec.name + "' gave a result (" +
                             std::to_string(rows.size()) + " points, each " +
                             (bad != rows.end() ? "invalid or failed" : "failed") + "); point " +
                             std::to_string(first.index) + ": " + first.reason + with_sets(a.sets);
    no_result = bad != rows.end() ? std::make_exception_ptr(InputError(what))
                                  : std::make_exception_ptr(RuntimeError(what));
  }
  const bool write_files = emitted == todo.size() && !(a.whole_files && no_result);
  // The page first (a closed stdout pipe, the end of the table, then lost it); one that cannot be written (a
  // full disk) is the error after the table, which was lost with it.
  std::exception_ptr page_error;
  try {
    if (html && write_files) html->write(sweep_html_report(spec, rows));
    if (whole_csv && write_files) {
      whole_csv->stream() << sweep_csv_context(spec) << sweep_csv_header(spec);
      for (const SweepRow& r : rows) whole_csv->stream() << sweep_csv_line(spec, r);
      whole_csv->commit();
    }
  } catch (const Error&) {
    page_error = std::current_exception();
  }
  // Stopped: the summary counts the points not run and names no fastest (of the rows written so far).
  if (a.table) print_sweep_table(std::cout, spec, rows, emitted < todo.size() ? points.size() : 0);
  std::size_t resumed = points.size() - todo.size();
  if (resumed) std::cout << "# resumed: " << resumed << " points already in the output files were not run again\n";
  // On stdout too: its summary counts the rows it has ("6 of 6 points ran" of a 12-point sweep stopped
  // halfway). A study's whole files were not written at all, and `study` has no --resume.
  const std::string stopped =
      std::to_string(emitted) + " of " + std::to_string(todo.size()) +
      (a.whole_files ? " points run" : " points written") +
      (a.whole_files && (whole_csv || html) ? "; --out and --html not written (whole or absent)" : "");
  if (a.table && emitted < todo.size())
    std::cout << "# interrupted: " << stopped << (a.whole_files ? "" : "; run again with --resume to finish")
              << "\n";
  check_stdout();
  if (page_error) std::rethrow_exception(page_error);
  if (emitted < todo.size())
    throw RuntimeError("interrupted: " + stopped +
                       (a.whole_files ? "" : " (whole lines); run again with --resume to finish"));
  if (no_result) std::rethrow_exception(no_result);
}

void register_sweep(CLI::App& app) {
  auto a = std::make_shared<SweepArgs>();
  CLI::App* c = app.add_subcommand("sweep", "run a study: a base (training config or collective) x axes over any key");
  c->add_option("study", a->study, "study name under configs/studies/ or a path");
  c->add_option("--set", a->sets, "override a key of every point's base (parallelism.tp=8, fabric.nic_speed=200Gb/s) or "
                "of the study (axes.gpus=[64,128]); repeatable")->take_all();
  c->add_option("--csv", a->csv, "stream the rows to this CSV file as points finish")
      ->check(file_beside_stdout("stdout carries the table of points"));
  c->add_option("--jsonl", a->jsonl, "stream the rows to this JSON Lines file as points finish")
      ->check(file_beside_stdout("stdout carries the table of points"));
  c->add_option("--html", a->html, "also write a self-contained HTML report (charts and the rows) to FILE")
      ->check(file_beside_stdout("stdout carries the table of points"));
  c->add_flag("--resume", a->resume, "keep the rows already in --csv/--jsonl and run only the missing points");
  c->add_flag("--dry-run", a->dry_run, "list the points and their count without running them");
  c->add_option("-j,--jobs", a->jobs, "worker threads, at most " + std::to_string(kMaxJobs))
      ->check(in_range(1, kMaxJobs))
      ->default_str("the hardware threads");
  CLI::Option* progress = c->add_flag("--progress", a->progress, "show the progress line on stderr even when it is not a terminal");
  c->add_flag("--quiet", a->quiet, "no progress line")->excludes(progress);
  c->callback([a] { run_sweep(*a); });
}

}  // namespace commsim::cli
