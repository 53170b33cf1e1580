// commsim study [NAME|FILE]: the what-if sweep; with no argument, the default study (Quick start's main job).
// A study with `base` and `axes` runs as `commsim sweep`; the older form (systems x gpus x ops) runs on the same
// engine (study/compare.cpp) and keeps its table.
#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "cli/sweep_command.hpp"
#include "hw/catalog.hpp"
#include "core/yaml_reader.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/units.hpp"
#include "report/html_report.hpp"
#include "report/study_report.hpp"
#include "report/table.hpp"
#include "study/compare.hpp"

namespace commsim::cli {
namespace {

bool is_sweep_study(const std::string& name_or_path) {
  std::string path;
  try {
    path = resolve_data_path("configs/studies", "study", name_or_path, SourceLoc{"study", 0, 0, ""});
  } catch (const InputError&) {
    return false;  // load_study says why
  }
  return load_yaml_file(path)["base"].IsDefined();
}

}  // namespace

void register_study(CLI::App& app) {
  struct Args {
    std::string study = "default";
    std::vector<std::string> sets;
    std::string html;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("study", "run a what-if study over systems and scales (default: configs/studies/default.yaml)");
  c->add_option("study", a->study, "study name under configs/studies/ or a path");
  c->add_option("--set", a->sets, "override a system key for every system (fabric.nic_speed=200Gb/s) or a study key (size=1GiB, "
                "ops=[all_reduce]); repeatable")->take_all();
  c->add_option("--html", a->html, "also write a self-contained HTML report (charts and tables) to FILE")
      ->check(file_beside_stdout());
  a->out.add_to(*c, "table, csv, json");
  c->callback([a] {
    check_distinct_outputs({{"--out", a->out.out}, {"--html", a->html}});
    Format format = parse_format(a->out.format);
    if (is_sweep_study(a->study)) {  // the newer form (base + axes): `commsim sweep` runs it
      // COMMSIM_FORMAT=json names a format this form lacks: its table, as for any command without that
      // format.
      if (format == Format::kJson && !a->out.format_given()) {
        format = Format::kTable;
        a->out.format = "table";
      }
      if (format == Format::kJson)
        throw InputError("--format: a sweep study (base + axes) prints a table or CSV; JSON lines: commsim sweep " +
                         a->study + " --jsonl FILE");
      if (format == Format::kTable && !a->out.out.empty())
        throw InputError("--out: a sweep study's table goes to stdout; --format csv writes the CSV to FILE");
      SweepArgs s;
      s.study = a->study;
      s.sets = a->sets;
      s.html = a->html;
      if (a->out.format == "csv") s.csv = a->out.out.empty() ? "/dev/stdout" : a->out.out;
      s.table = s.csv != "/dev/stdout";
      s.whole_files = true;  // --out and --html whole or absent, as for every other command
      run_sweep(s);
      return;
    }
    const StudySpec spec = load_study(a->study, a->sets);
    std::optional<HtmlReportFile> html;  // opened before the study runs: an unwritable output fails first
    if (!a->html.empty()) html.emplace(a->html);
    a->out.open();
    const std::vector<StudyCell> cells = run_study(spec);
    // A study none of whose points ran printed a table of n/a and exit 0: nothing was predicted.
    if (std::all_of(cells.begin(), cells.end(), [](const StudyCell& c) { return !c.skipped.empty(); }))
      throw InputError("every point of study '" + spec.name + "' was skipped: " +
                       (cells.empty() ? std::string("it has none")
                                      : cells.front().system + " at " + std::to_string(cells.front().gpus) +
                                            " GPUs: " + cells.front().skipped) +
                       with_sets(a->sets));
    if (html) html->write(collective_study_report(spec, cells));
    std::ostream& out = a->out.stream();
    if (format == Format::kJson) {
      nlohmann::json j;
      j["context"] = {{"tool", "commsim"}, {"study", spec.name}, {"file", spec.file}, {"size_bytes", spec.size_bytes},
                      {"dtype", dtype_info(spec.dtype).name}, {"overrides", a->sets}};
      for (const StudyCell& s : cells)
        // A skipped point has no time or busbw: null, not 0 (a script averaging busbw counted its zeros); nor
        // nodes where its scale did not resolve (12 GPUs of 8-GPU nodes).
        j["results"].push_back(
            {{"system", s.system},
             {"gpu", s.gpu},
             {"gpus", s.gpus},
             {"nodes", s.nodes > 0 ? nlohmann::json(s.nodes) : nlohmann::json(nullptr)},
             {"op", op_name(s.op)},
             {"time_us", s.skipped.empty() ? nlohmann::json(s.time_us) : nlohmann::json(nullptr)},
             {"busbw_GBps", s.skipped.empty() ? nlohmann::json(s.busbw_GBps) : nlohmann::json(nullptr)},
             {"algorithm", s.algorithm},
             {"protocol", s.proto},
             {"skipped", s.skipped}});
      out << json_text(j) << "\n";
      a->out.finish();
      return;
    }
    std::string overrides;  // "# overrides: k=v ...\n" in the table header and before the CSV header
    for (const std::string& o : a->sets) overrides += " " + o;
    if (!overrides.empty()) overrides = "# overrides:" + overrides + "\n";
    if (format == Format::kCsv) {
      out << overrides;
      Table t({"system", "gpu", "gpus", "nodes", "op", "time_us", "busbw_GBps", "algorithm", "protocol", "skipped"});
      for (const StudyCell& s : cells)
        t.add({s.system, s.gpu, std::to_string(s.gpus), s.nodes > 0 ? std::to_string(s.nodes) : "",
               op_name(s.op), s.skipped.empty() ? fmt(s.time_us, 1) : "",
               s.skipped.empty() ? fmt(s.busbw_GBps, 2) : "", s.algorithm, s.proto, s.skipped});
      t.print_csv(out);
      a->out.finish();
      return;
    }
    // One row per (system, scale); one busbw column per op, with the algorithm chosen.
    std::vector<std::string> cols = {"system", "gpu", "gpus", "nodes"};
    for (Op op : spec.ops) cols.push_back(std::string(op_name(op)) + " busbw GB/s");
    Table t(cols);
    std::map<std::pair<std::string, int>, std::vector<const StudyCell*>> rows;
    std::vector<std::pair<std::string, int>> order;
    for (const StudyCell& s : cells) {
      auto key = std::make_pair(s.system, s.gpus);
      if (!rows.count(key)) order.push_back(key);
      rows[key].push_back(&s);
    }
    std::vector<std::string> notes;
    for (const auto& key : order) {
      const auto& r = rows[key];
      // A scale that did not resolve skips every op alike (one note); a size under one element per rank skips
      // only the ops it is too small for (one note each: the row's first op decided the whole row's).
      const auto ran =
          std::find_if(r.begin(), r.end(), [](const StudyCell* c) { return c->skipped.empty(); });
      const std::string at = key.first + " at " + std::to_string(key.second) + " GPUs";
      std::vector<std::string> line = {key.first, r.front()->gpu, std::to_string(key.second),
                                       ran != r.end() ? std::to_string((*ran)->nodes) : "-"};
      for (const StudyCell* s : r) line.push_back(s->skipped.empty() ? fmt(s->busbw_GBps, 1) + " " + s->algorithm : "n/a");
      if (ran == r.end())
        notes.push_back(at + ": " + r.front()->skipped);
      else
        for (const StudyCell* s : r)
          if (!s->skipped.empty()) notes.push_back(at + ", " + op_name(s->op) + ": " + s->skipped);
      t.add(line);
    }
    out << "# commsim study '" << spec.name << "': " << spec.title << "\n# message size "
        << format_bytes_binary(static_cast<double>(spec.size_bytes)) << ", " << dtype_info(spec.dtype).name
        << "; busbw as nccl-tests defines it, with the algorithm NCCL's tuner would pick\n"
        << overrides;
    t.print(out);
    for (const auto& n : notes) out << "# n/a: " << n << "\n";
    a->out.finish();
  });
}

}  // namespace commsim::cli
