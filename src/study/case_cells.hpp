// The cells of a validation CSV row (../shared/validation/training_public.csv, training_memory.csv), read the
// one way both `validate training` and `validate memory` read them. A cell is the whole of what it says or an
// InputError naming file, line and column; never a number read off its first characters.
//   count         a whole number 1..2147483647, digits only, maybe with a note in parentheses
//                 ("8192 (toml default; not stated)"), or with only zeros after a decimal point ("8.0");
//                 not "-8", "1e3", "0x8", "2.5"
//   not reported  empty, "n/r", "n/a" or "-" (any case), maybe with a note in parentheses ("n/r (interleaved
//                 used for some)"), or a description whose note is "(n/r)" ("interleaved (n/r)")
//   number        the whole cell a finite decimal number ("137", "20.14729", "1e3", "1,048" with thousands
//                 separators in groups of three); not "137abc", "0x89", "1,5"
//   precision     (study/precision_cells.hpp) names bf16, fp16, fp8 (with "block": block-wise), mxfp8 or
//                 fp8-mx; text around it is fine
//   recompute     none / selective / full, by the words recompute_cell lists; text around them is fine;
//                 Megatron's recompute_modules listed after that key (recompute_modules_cell)
//   zero stage    (study/sharding_cells.hpp) "ZeRO-N" / "ZeRO stage N" / "stage N" N (0-3; it wins), FSDP /
//   HSDP / FULL_SHARD 3,
//                 SHARD_GRAD_OP or FSDP not resharded after forward 2, NO_SHARD 0, Megatron's distributed
//                 optimizer 1, "none" / "no" / DDP 0
//   arch          KEY=VALUE pairs among other text ("dense L=24 h=2304 a=24 kv=8 ffn=9216 V=51200")
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "study/precision_cells.hpp"
#include "study/recompute_cells.hpp"
#include "study/sharding_cells.hpp"
#include "train/train_config.hpp"

namespace commsim {

constexpr long kMaxCount = 2147483647;  // counts become ints (TrainConfig)

// The parsers, each none where the cell does not say it (CaseRow turns that into the error).
// Digits only, 1 to kMaxCount ("8"; not "8.0", "+8", "08 GPUs").
// A cell's text in single quotes, as messages name it: 'n/a'.
std::string single_quoted(const std::string& s);
std::optional<long> whole_number(const std::string& digits);
// "head (note)" -> head and note, trimmed; a cell without a closing note at its end is all head.
struct Noted {
  std::string head, note;
  bool has_note = false;
};
Noted split_note(const std::string& cell);
std::optional<long> count_cell(const std::string& cell);
bool not_reported(const std::string& cell);
// A parallel dimension the run does not use: "n/a", "-", "none" or "no" (any case, spaces around), 1 (an
// FSDP-only run's TP and PP; "CP none"); "n/r" or empty is not reported, which this is not.
bool unused_dimension(const std::string& cell);
// A count after its column's name: "EP8", "EP=8", "CP 2", "VP=5" (column VPP: "VPP", "VP" or "V"); none else.
std::optional<long> labelled_count(const std::string& cell, const std::string& col);
// A count followed by the unit its column counts in ("512 GPUs" num_gpus, "4,096 tokens" seq_len, "8
// sequences" a batch, "2-way" a parallel size); none otherwise.
std::optional<long> count_with_unit(const std::string& cell, const std::string& col);
std::optional<double> number_cell(const std::string& cell);
// A published figure in `unit`: a number cell, maybe with a note in parentheses ("5,993 (mean of 3 runs)"),
// "~" or U+2248 before it, or the unit after it, spelled any of the usual ways ("5,993 tokens/s per GPU" and
// "5993 tok/s/GPU" of tokens/s/GPU, "72.7%", "82.4 GiB"; "412 TFLOPS" and "412 TFLOP/s" of TFLOPS/GPU); none
// for another unit or a part of it ("12 ms" of s, "5993 tok/s" of tokens/s/GPU), a range ("47 -> 42") or
// text.
std::optional<double> quantity_cell(const std::string& cell, const std::string& unit);
// A VPP cell that names a pipeline schedule instead of (or around) a count: "DualPipe" (vpp 1), "1F1B" (1),
// "zero bubble" / "ZB-H1" (1), "interleaved" with "v=4", "vpp 4" or "4 chunks" (4) or without a count (not
// reported: the source's default). `understood` is false for text that names neither.
inline constexpr const char* kVppRead =
    "a whole number from 1 to 2147483647, nor n/r, n/a, - or empty (not reported), nor a schedule (DualPipe, 1F1B, "
    "zero bubble, interleaved with v=N, vpp N or N chunks)";
struct VppCell {
  bool understood = false;
  std::optional<int> vpp;            // none: not reported
  std::optional<Schedule> schedule;  // the schedule the cell names, if any
  bool interleaved = false;          // the cell says interleaved ("interleaved", "interleaved 1F1B"), count or not
  // Megatron's --num-layers-per-virtual-pipeline-stage N, "(1 layer per virtual stage)": layers per model
  // chunk, not a count of chunks (read as VPP N, helper-132); the caller divides (study/interleave.hpp)
  std::optional<int> layers_per_chunk;
};
VppCell vpp_cell(const std::string& cell);
// The KEY=VALUE pairs of an arch cell: KEY the letters and digits before '=', VALUE the text after it up to a
// space, ',', ';' or ')' (spaces around '=' allowed: "L = 24").
std::vector<std::pair<std::string, std::string>> arch_pairs(const std::string& cell);

// One row of a validation CSV, read cell by cell. Every error names the file, line and column, the row's
// case_id, and that the row can be excluded in the mapping file.
class CaseRow {
 public:
  CaseRow(const CsvRow& row, const std::string& mapping_path);

  const std::string& id() const { return id_; }
  const CsvRow& row() const { return row_; }
  int line() const { return row_.line; }
  const std::string& at(const std::string& col) const { return row_.at(col); }
  SourceLoc where(const std::string& col) const;  // file, line and column
  InputError bad(const std::string& col, const std::string& what) const;
  // Whether `e` was placed at one of this row's cells (not at the header, the mapping or a catalog file): a
  // reader lists such a row as not predicted, named, and reads the next.
  bool placed_here(const InputError& e) const;

  long count(const std::string& col) const;
  // A batch in sequences: a count, or a number of tokens the cell says so ("16M tokens", binary K/M/G:
  // the Llama 3 report's 16M-token batches of 8,192-token sequences are 2,048) that seq_len divides.
  long sequences(const std::string& col, long seq_len) const;
  // A count, or none where not reported (the caller's default).
  std::optional<long> count_or_unreported(const std::string& col) const;
  // A count; none where not reported or where words follow a count ("4 per tray / 72 per NVL domain": the
  // layout described, not a number to read); an error otherwise ("nan", "-1", "0x10", "abc").
  std::optional<long> count_or_described(const std::string& col) const;
  double positive(const std::string& col) const;  // a number > 0
  // A number > 0 from `min` to `max` in `unit` (quantity_cell; `unit` follows them in the message).
  double number_in(const std::string& col, double min, double max, const std::string& unit) const;
  Precision precision(const std::string& col, Precision fp8) const;
  std::optional<int> zero_stage(const std::string& col) const;  // 0-3; none where not reported
  // parallelism.dp_shard for a row whose ZeRO stage is `zero` and whose layout is `par` (dp resolved): the
  // shard group a hybrid cell gives (or dp / its copies), else one node's DP ranks (FSDP's HYBRID_SHARD
  // default: gpus_per_node / (tp x cp)); 0 (all of dp) where the cell names no hybrid sharding or nothing is
  // sharded. A size that does not divide dp is an error naming the cell.
  int dp_shard(const std::string& col, int zero, const Parallelism& par, long gpus_per_node) const;
  // The RecomputeModule bits a recompute cell lists (recompute_modules_cell); none where it lists none. An
  // unknown name, or the key with no list, is an InputError naming the cell.
  std::optional<unsigned> recompute_modules(const std::string& col) const;
  // Megatron's block count the recompute cell gives (recompute_block_layers); none where it gives none; an
  // InputError naming the cell where a count stands that does not read ("block 2.5", "block, 0").
  std::optional<int> recompute_layers(const std::string& col) const;
  // The arch cell's L, h, a, kv, ffn and V (counts; once each). Other KEY=VALUE pairs and text are ignored.
  std::map<std::string, long> arch(const std::string& col) const;

 private:
  CsvRow row_;  // a copy: a CaseRow may outlive the row it was made from
  std::string id_, mapping_;
};

// The expert tensor-parallel size of a MoE row (parallelism.etp): the row's ETP column where it has one and
// reports it ("n/a" or "-": 1); else an ETP the EP cell names beside its count ("EP8/ETP1", "8 (ETP 1)",
// etp_in_ep_cell); else the source rule's (`rule`); else Megatron's default, TP, where TP x EP
// folds over TP x CP x DP, and 1 where only that folds (a published run ran, and Megatron's MoE recipes that
// fold EP past DP run their experts at ETP 1: Qwen3-235B at TP2 PP8 EP32 on 256 GPUs). `par` holds TP, CP,
// DP and EP.
int expert_tp_cell(const CaseRow& cells, const Parallelism& par, std::optional<int> rule);
std::optional<long> etp_in_ep_cell(const std::string& cell);

// The case_ids read so far: a second row with one is an error naming it and the first one's line.
class CaseIds {
 public:
  void add(const CaseRow& r);
  // The id exactly as a row wrote it (the duplicate check compares in lower case; a mapping's exclusion
  // matches an id exactly, so `has` does too: it looked the raw id up among the lower-case ones, and every
  // excluded row with a capital was also named "not in this file").
  bool has(const std::string& id) const { return exact_.count(id) > 0; }

 private:
  std::map<std::string, int> line_;  // lower case -> line
  std::set<std::string> exact_;
};

}  // namespace commsim
