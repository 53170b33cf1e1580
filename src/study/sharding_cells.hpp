// A validation row's zero_sharding cell (../shared/validation/training_public.csv, training_memory.csv): the
// ZeRO stage it names and, for hybrid sharding (HSDP, HYBRID_SHARD, torchtitan's dp_shard / dp_replicate,
// Megatron's distributed-optimizer instances), the shard group it gives. CaseRow::zero_stage and
// CaseRow::dp_shard (study/case_cells.hpp) turn these into a row's `parallelism.zero` and
// `parallelism.dp_shard`, or an InputError naming the cell.
#pragma once

#include <optional>
#include <string>

namespace commsim {

// The ZeRO stage the cell names, as written: "ZeRO-7" is 7 (CaseRow rejects a stage past 3), and a stage it
// names wins ("FSDP (ZeRO-2)" is 2); FSDP/HSDP/FULL_SHARD 3, but SHARD_GRAD_OP and FSDP that keeps its
// weights after the forward pass ("not resharded after forward") 2, NO_SHARD 0; Megatron's distributed
// optimizer 1, none/DDP 0; none for text that names no stage ("n/r", "zeros everywhere").
std::optional<int> zero_stage(const std::string& cell);
// Whether the cell says FSDP and nothing of its strategy ("FSDP", "FSDP=1", "PyTorch FSDP"): ZeRO-3 as read,
// or the stage the row's source says its FSDP is (the mapping's fsdp_stage: the Llama 3 report's FSDP does
// not reshard weights after the forward pass, ZeRO-2).
bool bare_fsdp(const std::string& cell);
// Whether the cell turns FSDP off ("FSDP=0", "no FSDP (plain DDP)", "non-FSDP"): not a source's FSDP stage.
bool denies_fsdp(const std::string& cell);
// Hybrid sharding in a zero_sharding cell: HSDP, HYBRID_SHARD (_HYBRID_SHARD_ZERO2), torchtitan's dp_shard /
// dp_replicate, or Megatron's distributed-optimizer instances, with the shard group's size ("dp_shard=8",
// "shard 8", "shard group of 16 GPUs", "hybrid shard over 2 nodes") or the copies' count ("dp_replicate=4",
// "replicate 4", "4 replicas", "4 instances") where the cell gives one; otherwise an FSDP degree ("FSDP 8",
// "FSDP=8", "FSDP64"; not "FSDP2", "FSDP 2.0" or "FSDP_2", which name the API), hybrid where it is below DP.
// A count is DP ranks unless a unit follows it: GPUs (or ranks, devices) or nodes (hosts).
struct ShardCount {
  long n = 0;
  enum Unit { kDpRanks, kGpus, kNodes } unit = kDpRanks;
};
struct HybridShard {
  bool hybrid = false;        // the cell names hybrid sharding
  bool host_default = false;  // HSDP / HYBRID_SHARD: with no count, FSDP's default shards within a host
  bool all = false;           // dp_shard=-1 (torchtitan: all of DP)
  std::optional<ShardCount> shard, copies;
  std::optional<ShardCount> degree;  // "FSDP 8" in a cell that names no hybrid sharding: hybrid only below DP
  std::string
      unread;  // a count that does not read ("0", "8.5", "1e4", "-8", "dp_shard=nan"): the caller's error
  std::string twice;  // a label given two counts in one unit ("dp_shard=8 dp_shard=16"): the caller's error
};
HybridShard hybrid_shard_cell(const std::string& cell);

}  // namespace commsim
