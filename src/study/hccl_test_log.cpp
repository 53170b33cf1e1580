// Reader of Huawei's hccl_test output (the CANN toolkit's tools/hccl_test: all_reduce_test, all_gather_test,
// ...), the Ascend counterpart of nccl-tests. See measurements.hpp. Its table:
//   data_size(Bytes): | aveg_time(us): | alg_bandwidth(GB/s): | check_result:
//   8192                30.14               0.27183               success
// one placement per row, the algorithm bandwidth (size / time) printed where nccl-tests prints busbw too: the
// busbw is computed with nccl-tests' factor for the collective and the rank count (ops.hpp busbw_factor). The
// collective comes from the `*_test` binary on the command line (else --op), the ranks from mpirun's -n /
// -np, the NPUs per node from hccl_test's -p, the data type from -d (fp32, fp16, bfp16, int8, ...).
#include "study/hccl_test_log.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "coll/ops.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "study/measured_fields.hpp"

namespace commsim {
namespace {

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t b = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != '|') ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
    if (i < s.size() && s[i] == '|') ++i;
  }
  return out;
}

// hccl_test's -d names: fp32, fp16, bfp16 (its bfloat16), int8, int16, int32, int64, uint8, ...
std::optional<DataType> hccl_dtype(std::string_view name) {
  if (name == "bfp16") return dtype_from_name("bfloat16");
  return dtype_from_name(name);
}

}  // namespace

bool is_hccl_test_log(const std::string& text) {
  return text.find("data_size(Bytes)") != std::string::npos &&
         text.find("aveg_time(us)") != std::string::npos;
}

std::vector<Measurement> parse_hccl_test_log(const std::string& text, const std::string& file,
                                             std::optional<Op> fallback_op) {
  std::optional<Op> op;
  DataType dtype = DataType::kFloat;
  int nranks = 0, per_node = 0;
  int op_line = 0;
  bool header = false;
  std::vector<Measurement> rows;
  std::size_t pos = 0;
  for (int ln = 1; pos < text.size(); ++ln) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = std::string_view(text).substr(pos, end - pos);
    pos = end + 1;
    const SourceLoc where{file, ln, 0, ""};
    const std::vector<std::string_view> tok = words(line);
    if (tok.empty()) continue;
    if (line.find("data_size(Bytes)") != std::string_view::npos) {
      header = true;
      continue;
    }
    // The command line: the *_test binary, mpirun's -n / -np, hccl_test's -p and -d.
    // The binary: one of hccl_test's (all_reduce_test, ...; "cd .../hccl_test" or "make unit_test" are no
    // test, helper-139); mpirun's -n / -np before it, hccl_test's own options after it (its -n is the
    // iteration count: it was taken as the ranks, helper-139).
    std::size_t binary = tok.size();
    for (std::size_t i = 0; i < tok.size() && binary == tok.size(); ++i) {
      std::string_view t = tok[i];
      if (const std::size_t slash = t.find_last_of('/'); slash != std::string_view::npos)
        t = t.substr(slash + 1);
      if (t.size() <= 5 || t.compare(t.size() - 5, 5, "_test") != 0) continue;
      const std::string_view stem = t.substr(0, t.size() - 5);
      bool known = false;
      for (const char* name : {"all_reduce", "all_gather", "reduce_scatter", "broadcast", "reduce",
                               "alltoall", "alltoallv", "scatter", "gather", "send_recv", "sendrecv"})
        known = known || stem == name;
      if (!known) continue;
      const std::optional<Op> named = op_from_name(stem == "send_recv" ? std::string_view("sendrecv") : stem);
      if (!named)
        throw InputError(where, "collective '" + std::string(t) +
                                    "' is not modelled by commsim (valid: " + op_names() + ")");
      op = named, op_line = ln, binary = i;
    }
    for (std::size_t i = 0; op_line == ln && i + 1 < tok.size(); ++i) {
      const std::string_view t = tok[i], v = tok[i + 1];
      if ((t == "-n" || t == "-np") && i < binary)
        nranks = static_cast<int>(measured_number(v, "-n rank count", kMaxMeasuredRanks, true, where));
      else if ((t == "-p" || t == "--npus") && i > binary)
        per_node = static_cast<int>(measured_number(v, "-p NPUs-per-node", kMaxMeasuredRanks, true, where));
      else if ((t == "-d" || t == "--datatype") && i > binary) {
        const std::optional<DataType> d = hccl_dtype(v);
        if (!d) throw InputError(where, "unknown data type '" + std::string(v) + "' (" + dtype_names() + ")");
        dtype = *d;
      }
    }
    // A row: a size, then two numbers; another line starting with a digit ("8 processes finished") is a
    // log's.
    auto numeric = [](std::string_view t) {
      return !t.empty() && std::all_of(t.begin(), t.end(), [](char ch) {
        return is_digit(ch) || ch == '.' || ch == 'e' || ch == '+' || ch == '-';
      });
    };
    if (!header || tok.size() < 3 ||
        !std::all_of(tok[0].begin(), tok[0].end(), [](char ch) { return is_digit(ch); }) ||
        !numeric(tok[1]) || !numeric(tok[2]))
      continue;
    const std::optional<Op> row_op = op ? op : fallback_op;
    if (!row_op)
      throw InputError(where,
                       "cannot tell which collective this hccl_test table measures (no *_test command line); "
                       "name it with --op");
    Measurement m;
    m.op = *row_op;
    m.op_from_flag = !op;
    m.dtype = dtype;
    m.size_bytes = measured_size(tok[0], "data_size", where);
    if (m.size_bytes == 0) continue;  // moves nothing
    m.count = m.size_bytes / static_cast<std::uint64_t>(dtype_info(dtype).size);
    m.time_us = measured_time(tok[1], "aveg_time", where);
    const double algbw = measured_bandwidth(tok[2], "alg_bandwidth", where);
    if (nranks > 0)
      m.busbw_GBps = algbw * busbw_factor(m.op, nranks);  // else the time stands (ranks unknown)
    m.nranks = nranks;
    m.nodes = nranks > 0 && per_node > 0 ? (nranks + per_node - 1) / per_node : 0;
    if (tok.size() >= 4) {
      const std::string check = lower_case(std::string(tok[3]));
      if (check == "success")
        m.wrong = 0;
      else if (check == "failed" || check == "fail" || check == "error")
        m.wrong = 1;
    }
    m.file = file;
    m.line = ln;
    rows.push_back(m);
  }
  if (rows.empty())
    throw InputError(SourceLoc{file, 0, 0, ""},
                     "no result rows found under hccl_test's 'data_size(Bytes):' header");
  return rows;
}

}  // namespace commsim
