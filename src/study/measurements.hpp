// Measured collective results read back for calibration and validation: commbench JSON (-J), the shared
// measurement/prediction CSV (commbench and `commsim collective --format csv`), raw nccl-tests, rccl-tests
// or commbench text output, and Huawei hccl_test's (study/hccl_test_log.hpp). One record per (op, type, size)
// row, with the out-of-place and in-place columns side by side, as the nccl-tests table prints them.
//
// Text logs (tests/data/logs, ../shared/validation/logs) are read line by line with a whitespace tokenizer
// (no regex): a rank prefix from `srun --label` (` 0: `) or `mpirun --tag-output` (`[1,0]<stdout>:`) is
// dropped; `NCCL INFO`, MPI warnings and other non-table lines are skipped, and so are a monitor's lines that
// start with digits (rocm-smi, nvidia-smi dmon: no data type where the header has one); a last row cut short
// ends its run there; the column header (`[#] size count type [redop] [root] time algbw busbw [#wrong|error]
// time
// ...`, with or without `#`) says where each value is; the collective comes from `# Collective test starting:
// X[_perf]`, else from an `X_perf` command line (each row's redop and root checked against it: a second test
// without its own command line is refused), else from the caller's fallback; ranks and hosts from the `# Rank
// N ... on HOST device ...` lines of the row's own run (a log may hold several, e.g. a job looping over node
// counts: an nThread or Rank line after result rows starts the next). Every number is bounded before it is
// converted (study/measured_fields.hpp).
//
// Rows whose `#wrong` (or CSV/JSON `wrong`) is above 0 measured wrong data: they are read with `wrong` set,
// and set_aside_wrong_rows() takes them out before a fit or a comparison and says so.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "coll/ops.hpp"
#include "study/nccl_env.hpp"

namespace commsim {

struct Measurement {
  Op op = Op::kAllReduce;
  DataType dtype = DataType::kFloat;
  std::uint64_t size_bytes = 0;  // the "size" column: bytes per rank, max(send, recv)
  std::uint64_t count = 0;       // the "count" column
  std::optional<double> time_us, time_in_place_us;        // out-of-place, in-place
  std::optional<double> busbw_GBps, busbw_in_place_GBps;  // as printed
  int nranks = 0;                // 0: unknown
  int nodes = 0;                 // distinct hostnames; 0: unknown
  std::string file;
  int line = 0;                        // the row's line (JSON: its results[i] object's)
  std::optional<std::uint64_t> wrong;  // wrong elements, out-of-place + in-place; nullopt: not checked
  // Why the rows of its run stop before the sizes it asked for ("": they do not): a commbench JSON with
  // "complete": false, or a text log whose last size is short of its header's maxBytes with no closing
  // "Out of bounds values" line (a run stopped, or a file cut short).
  std::string unfinished;
  // The NCCL settings the run states ("NCCL INFO NCCL_ALGO set by environment to Tree" in a text log): the
  // prediction and the fit run the same (they ran NCCL's own choice, 2026-12-06).
  NcclSettings nccl;
  bool op_from_flag = false;     // a text log that does not name its collective: the op is --op's
  // The GPU its run names (nccl-tests' Rank lines, "... device 0 [0x1b] NVIDIA H100 80GB HBM3"; commbench's
  // context.ranks[].name); "" when it names none, one per line when it names several.
  std::string device;
  // The reduction (sum when none is printed): NVLS reduces only some (nvls_reduction_unsupported). nccl-tests'
  // "mulsum" (a pre-multiplied sum) is read as avg, the other scaled sum: neither runs on the switch.
  RedOp redop = RedOp::kSum;
  bool wrong_data() const { return wrong && *wrong > 0; }
  // The time compared with predictions: out-of-place when measured, else in-place.
  double measured_time_us() const { return time_us ? *time_us : time_in_place_us.value_or(0.0); }
  double measured_busbw_GBps() const { return busbw_GBps ? *busbw_GBps : busbw_in_place_GBps.value_or(0.0); }
};

// Reads one file: JSON if it starts with '{', the CSV schema if its first line that is not a `#` comment
// starts with `op,size_bytes,`, else nccl-tests text. `fallback_op` names the collective of
// text tables that do not say it. Throws InputError naming file:line on anything it cannot read, and when
// the file holds no result row.
std::vector<Measurement> read_measurements(const std::string& path, std::optional<Op> fallback_op = std::nullopt);
// The same for a file's text already read (`path` names it in messages): a pipe can be read only once.
std::vector<Measurement> parse_measurements(std::string text, const std::string& path, std::optional<Op> fallback_op = std::nullopt);

std::vector<Measurement> parse_commbench_json(const std::string& text, const std::string& file);
// The agreed CSV: op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong,
// algorithm,protocol,bottleneck (commbench rows and commsim predictions alike), `#` comment lines first.
std::vector<Measurement> parse_measurement_csv(const std::string& text, const std::string& file);
std::vector<Measurement> parse_nccl_tests_log(const std::string& text, const std::string& file,
                                              std::optional<Op> fallback_op = std::nullopt);

// Removes the rows with wrong data (wrong_data()) and returns a one-line note naming how many and the first
// few file:line, or "" when there are none. Throws InputError when every row had wrong data.
std::string set_aside_wrong_rows(std::vector<Measurement>& rows);

// A one-line note per file whose rows come from a run that did not finish (Measurement::unfinished): its rows
// are valid, the sizes after the last one are missing. "" when there is none.
std::string unfinished_run_note(const std::vector<Measurement>& rows);

// A one-line note per file whose run set NCCL's algorithm, protocol or NVLS (Measurement::nccl): its rows are
// predicted, and fitted, with them. "" when there is none.
std::string nccl_settings_note(const std::vector<Measurement>& rows);
// Ranks per host (a log's Rank lines, a JSON's context.ranks): the same number on each, or InputError at
// `where` naming them (commsim models nodes of one size).
void check_even_hosts(const std::map<std::string, int>& ranks_per_host, const SourceLoc& where);
// A one-line note per file that names no hosts (a commbench CSV has no host column) for rows of several
// ranks, when no flag gives the scale: its ranks are placed as the system places that many (one node where it
// holds them), which for a run over several hosts predicts NVLink where it crossed the network. "" when none.
std::string unknown_hosts_note(const std::vector<Measurement>& rows, bool scale_given);

}  // namespace commsim
