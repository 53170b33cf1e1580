// What a published nccl-tests row's cells say beyond plain numbers (../shared/validation/nccl_public.csv and
// files written like it): a size with nccl-tests' binary suffix, a value left out, and the scale-out NICs its
// inter-node cell describes.
//
//   size:  "1G" = 2^30, "128M" = 2^27, "4K" = 2^12 (nccl-tests' -b/-e suffixes, binary; "1GB", "1GiB" too),
//          "1,073,741,824" (thousands separators), or a plain whole number; a note after it aside.
//   value: "400 GB/s", "~400", "400.0 (in-place 401)", a time "4.7 ms" (4,700 us), "8 GPUs", "1 node".
//   NICs:  per node, count x rate: "8x 400Gb/s", "8x CX-7 400Gb/s RoCE per node", "4x 200 Gb/s NICs",
//          "400 Gb/s NDR, 4 NICs per node", "32x 100 Gb/s EFA" (more NICs than GPUs: one per GPU at their
//          summed rate), "1 NIC per GPU", "2 NICs per GPU", "single NIC"; a node's total ("EFA 3200 Gbps
//          total", "1.6 Tbps per instance", "3.2 Tbps", a rate over 800 Gb/s with no count; any rate without
//          a count in a cell naming EFA and counting no NICs, as AWS quotes an instance's bandwidth: "EFA
//          400 Gbps" on a p4d is 4 x 100, "4 EFA NICs, 100 Gbps each" 4 of 100; a rate restated by its parts,
//          "400 Gbps (4x 100 Gbps)") over the NICs; InfiniBand generations ("NDR", "HDR", "NDR200"; "4X NDR"
//          is a link width, not a count); the fastest rate named (a management "1 GbE" beside the fabric is
//          not it); a rate alone keeps the system's NIC count. Bytes ("900GB/s") are no NIC's rate.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace commsim {

// A size cell in bytes; InputError(where, naming `what`) when it is no size.
std::uint64_t published_size(std::string_view text, const char* what, const SourceLoc& where);

// A value cell left out: empty, "n/a", "n/r", "-", "N/A" (nccl-tests' own word for an unchecked #wrong).
bool value_left_out(std::string_view text);

// A value cell as sources write it: a note in parentheses after it ("400.0 (in-place 401)"), a leading '~',
// and a unit word after the number from `units` ("400 GB/s", "4.7 ms", "8 GPUs", "2 nodes") aside: the bare
// number's text and the unit's scale (1 where none; "ms" of a time in us is 1000). Each stopped the file
// (helper-136).
struct UnitWord {
  const char* word;  // lower case
  double scale;
};
struct PublishedValue {
  std::string number;
  double scale = 1;
};
PublishedValue published_value(std::string_view text, std::initializer_list<UnitWord> units);
// The collective and dtype cells in other spellings: "ncclAllReduce", "All Reduce", "all_reduce_perf",
// "all2all", "send/recv", "allreduce (in-place)"; "float (fp32)", "torch.bfloat16", "fp8_e4m3fnuz" (MI300's
// FNUZ encoding: one byte as e4m3). The text for op_from_name / dtype_from_name.
std::string published_op_name(std::string_view text);
std::string published_dtype_name(std::string_view text);

// The scale-out NICs an inter-node cell states.
struct NicCell {
  std::optional<int> per_node;      // NICs per node (a per-GPU count times the node's GPUs)
  std::optional<double> speed_bps;  // one NIC's line rate, bits per second
  std::optional<double> total_bps;  // a node's total ("3200 Gbps total"), where no NIC's rate is named
  bool per_gpu = false;             // the count was stated per GPU ("1 NIC per GPU", "2x 200Gb/s per GPU")
  bool each_gpu = false;            // the rate was stated per GPU ("400 Gbps per GPU"): never a node's total
};
NicCell nic_cell(std::string_view text, int gpus_per_node);
// A cell read for the `used` GPUs of a node whose board holds `board` (4 GH200 of a 4-GPU node run on an
// 8-GPU board's system): its per-node count and total scaled to the board, so that each GPU in use keeps its
// NICs ("4x 200 Gb/s per node" for 4 GPUs was 4 NICs on the 8-GPU board, of which the 4 GPUs reached 2:
// helper-135, helper-136). Unchanged where `used` does not divide `board`, or where the cell counts more
// NICs than the GPUs in use (it describes the board: helper-137) or none.
NicCell nic_cell_for_board(std::string_view text, int used, int board);

// The --set keys that give a system the cell's NICs where they differ from its own (`nics`, `nic_speed_bps`:
// the system's per node and per NIC): more NICs than GPUs are one per GPU at their summed speed (each GPU
// sends through one NIC). Empty where the cell says nothing new, or where its one rate without a count is the
// system's node total (nics x nic_speed_bps: "400 Gbps" on 4 x 100 Gb/s).
std::vector<std::string> nic_sets(const NicCell& cell, int gpus_per_node, int nics, double nic_speed_bps);

}  // namespace commsim
