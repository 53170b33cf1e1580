// The ZeRO stage and hybrid-sharding group of a validation row's zero_sharding cell
// (study/sharding_cells.hpp).
#include "study/sharding_cells.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/text.hpp"
#include "study/case_cells.hpp"

namespace commsim {
namespace {
// "not resharded after forward", "no reshard after forward", "reshard_after_forward=False": the weights
// gathered for the forward pass stay whole until the backward pass.
bool keeps_weights_after_forward(const std::string& z) {
  for (std::size_t i = z.find("reshard"); i != std::string::npos; i = z.find("reshard", i + 1)) {
    const std::string before = z.substr(i >= 12 ? i - 12 : 0, i >= 12 ? 12 : i);
    for (const char* no : {"not ", "no ", "without ", "n't ", "never "})
      if (before.find(no) != std::string::npos) return true;
    const std::string key = "reshard_after_forward";
    if (z.compare(i, key.size(), key) == 0) {
      std::size_t j = i + key.size();
      while (j < z.size() && (z[j] == ' ' || z[j] == '=' || z[j] == ':')) ++j;
      for (const char* off : {"false", "0", "off", "no"})
        if (z.compare(j, std::string(off).size(), off) == 0) return true;
    }
  }
  return false;
}
}  // namespace

namespace {
// A phrase saying the gradients are sharded, with no weights or parameters and nothing denied: ZeRO-2.
bool says_gradients_sharded(const std::string& z) {
  auto has = [&z](const char* w) { return z.find(w) != std::string::npos; };
  const bool phrase = has("gradients sharded") || has("grads sharded") || has("gradient sharding") ||
                      has("gradients partitioned") || has("gradient partitioning") ||
                      has("gradient and optimizer state partitioning") ||
                      has("gradients and optimizer states sharded");
  if (!phrase || has("weight") || has("param") || has("model state")) return false;
  for (const char* denial : {"no ", "not ", "non", "unshard", " off", "disabled", "replicated", "without"})
    if (has(denial)) return false;
  return true;
}

// A cell that says FSDP is off ("FSDP=0", the Megatron-Bridge tables' column; "no FSDP (plain DDP)", "FSDP:
// false", "DDP (not FSDP)", "non-FSDP"): read as FSDP it was ZeRO-3.
bool fsdp_off(const std::string& z) {
  for (const char* w :
       {"fsdp=0", "fsdp = 0", "fsdp: 0", "fsdp 0", "fsdp=false", "fsdp: false", "fsdp=no", "fsdp: no",
        "fsdp off", "fsdp: off", "fsdp disabled", "fsdp: disabled", "no fsdp", "without fsdp", "fsdp=off"})
    for (std::size_t i = z.find(w); i != std::string::npos; i = z.find(w, i + 1)) {
      // the phrase ends its clause: "FSDP=0", "no FSDP (plain DDP)"; not "without FSDP prefetch", "FSDP 0.5"
      std::size_t end = i + std::string(w).size();
      while (end < z.size() && z[end] == ' ') ++end;
      if (end == z.size() || std::string(")],;(").find(z[end]) != std::string::npos) return true;
    }
  // "not FSDP" and "non-FSDP" wherever they stand ("DDP (non-FSDP baseline)", "not FSDP but DDP"); "without
  // FSDP prefetch" above keeps FSDP.
  for (const char* w : {"not fsdp", "non-fsdp", "non fsdp"})
    if (has_phrase(z, w)) return true;
  return false;
}
}  // namespace

std::optional<int> zero_stage(const std::string& cell) {
  const std::string z = lower_case(trim(cell));
  auto has = [&z](const char* w) { return z.find(w) != std::string::npos; };
  // The digits after "zero" or "stage" ("ZeRO-2", "zero stage 2", "DeepSpeed ZeRO_2", "stage 3"), or the
  // cell's.
  std::optional<int> named;
  auto digits_at = [&z](std::size_t j) -> std::optional<int> {
    std::size_t k = j;
    while (k < z.size() && is_digit(z[k])) ++k;
    if (k == j) return std::nullopt;
    return k - j > 4 ? 9999 : std::stoi(z.substr(j, k - j));  // "ZeRO-12345": past 3 all the same
  };
  for (const char* word : {"zero", "stage"})
    for (std::size_t i = z.find(word); i != std::string::npos && !named; i = z.find(word, i + 1)) {
      std::size_t j = i + std::string(word).size();
      while (j < z.size() && (z[j] == '-' || z[j] == ' ' || z[j] == '_' || z[j] == ':' || z[j] == '=')) ++j;
      if (z.compare(j, 5, "stage") == 0) j += 5;
      // "zero_optimization.stage: 2", "zero_stage=1" (DeepSpeed's config, Colossal-AI's plugin argument)
      while (j < z.size() && (z[j] == '-' || z[j] == ' ' || z[j] == ':' || z[j] == '=')) ++j;
      named = digits_at(j);
    }
  if (!named && z.find_first_not_of("0123456789") == std::string::npos) named = digits_at(0);
  if (named) return named;  // "FSDP (ZeRO-2)": the stage the cell names, and one that does not exist as such
  // PyTorch FSDP's sharding strategies: NO_SHARD is DDP; SHARD_GRAD_OP, or FSDP that does not reshard its
  // weights after the forward pass (the Llama 3 report's "we do not reshard after forward computation";
  // reshard_after_forward=False), shards gradients and optimizer states only: ZeRO-2. Otherwise FULL_SHARD,
  // HYBRID_SHARD and FSDP/HSDP: ZeRO-3.
  if (has("no_shard")) return 0;
  if ((has("zero") && (has("disabled") || has(" off") || has(": none") || has("=none"))) || has("no zero"))
    return 0;
  // Megatron-FSDP's data_parallel_sharding_strategy: optim_grads_params 3, optim_grads 2 ("optim" alone is
  // 1).
  if (has("optim_grads_params")) return 3;
  if (has("optim_grads")) return 2;
  if (has("shard_grad_op") || keeps_weights_after_forward(z)) return 2;
  // What the cell says is sharded, in words: the gradients (with the optimizer states) and no weights or
  // parameters is ZeRO-2 ("FSDP (optimizer states + gradients sharded)", "optimizer states and gradients
  // sharded"; the first was ZeRO-3, the second no stage at all: helper-171). Only a phrase that says the
  // gradients are sharded, in a cell that denies nothing ("gradients unsharded", "gradient partitioning off",
  // "no sharding; gradients all-reduced" are not; helper-173).
  if (says_gradients_sharded(z)) return 2;
  if ((has("fsdp") && !fsdp_off(z)) || has("hsdp") || has("full_shard") || has("hybrid_shard") ||
      has("hybrid shard") || has("hybrid-shard") || has("fully_shard") || has("dp_shard") ||
      has("dp_replicate") || has("mics"))
    return 3;  // fully_shard: FSDP2's API; dp_shard, dp_replicate: torchtitan's HSDP degrees; MiCS: ZeRO-3 in
               // groups
  // Megatron's distributed optimizer however spelled (use_distributed_optimizer, dist-opt), or optimizer
  // states sharded alone: ZeRO-1. Denied ("no distributed optimizer", "distributed optimizer: false",
  // "use_distributed_optimizer=False"), it is Megatron's DDP: ZeRO-0 (each was read as ZeRO-1 until
  // 2026-12-06).
  const std::string kept = without_denied(z, {"distributed", "optimizer", "dist", "opt", "distopt"});
  for (const char* w :
       {"distributed optimizer", "distributed_optimizer", "distributed-optimizer", "dist-opt", "dist_opt",
        "distopt", "dist opt", "sharded optimizer", "optimizer sharding", "optimizer state sharding",
        "optimizer states sharded", "optimizer instance", "optimizer_instance", "dist. opt"})
    if (has(w)) return kept.find(w) != std::string::npos ? 1 : 0;
  const std::string head = lower_case(split_note(cell).head);  // "none (default)", "No (n/a)": helper-138
  if (z == "none" || z == "no" || head == "none" || head == "no" || has("ddp")) return 0;
  return std::nullopt;
}

bool denies_fsdp(const std::string& cell) {
  return fsdp_off(lower_case(trim(cell)));
}

bool bare_fsdp(const std::string& cell) {
  const std::string z = lower_case(trim(cell));
  auto has = [&z](const char* w) { return z.find(w) != std::string::npos; };
  if (!has("fsdp") || fsdp_off(z) || zero_stage(cell) != 3) return false;
  for (const char* w :
       {"zero", "stage", "hsdp", "shard", "fully", "hybrid", "mics", "optim", "reshard", "replicate"})
    if (has(w)) return false;
  return true;
}

HybridShard hybrid_shard_cell(const std::string& cell) {
  std::string z = lower_case(cell);
  auto has = [&z](const char* w) { return z.find(w) != std::string::npos; };
  HybridShard h;
  // The token at j, for a message: up to a space, ',', ';' or ')'.
  auto token_at = [&z](std::size_t j) {
    std::size_t k = j;
    while (k < z.size() && !is_space(z[k]) && z[k] != ';' && z[k] != ')' &&
           !(z[k] == ',' && !(k + 1 < z.size() && is_digit(z[k + 1]))))
      ++k;
    return z.substr(j, k - j);
  };
  // A count at j: digits, then its unit. Sets h.unread for "0", one past a long, and (`strict`: where the
  // cell names hybrid sharding) for digits that run into a decimal part, an exponent, a hex prefix or letters
  // ("8.5", "8e1", "0x10", "8gpus"); none where j holds no count (or, not strict, a version: "FSDP 2.0").
  // "-1" is torchtitan's "all of DP" (h.all, for the shard's label only); another sign is unread where
  // strict.
  auto count_at = [&](std::size_t j, bool minus_one_is_all, bool strict) -> std::optional<ShardCount> {
    if (minus_one_is_all && z.compare(j, 2, "-1") == 0 && (j + 2 == z.size() || !is_digit(z[j + 2]))) {
      h.all = true;
      return std::nullopt;
    }
    if (strict && j < z.size() && (z[j] == '-' || z[j] == '+') && j + 1 < z.size() && is_digit(z[j + 1])) {
      h.unread = token_at(j);
      return std::nullopt;
    }
    std::size_t k = j;
    while (k < z.size() && is_digit(z[k])) ++k;
    if (k == j) return std::nullopt;
    const bool decimal = k + 1 < z.size() && (z[k] == '.' || z[k] == ',') && is_digit(z[k + 1]);
    // letters run on ("8gpus", "8e1"); "16x" (16 copies) is a count
    const bool times = k < z.size() && z[k] == 'x' &&
                       (k + 1 == z.size() || !std::isalnum(static_cast<unsigned char>(z[k + 1])));
    const bool run_on = !times && k < z.size() && std::isalpha(static_cast<unsigned char>(z[k]));
    if (decimal || run_on) {
      if (strict) h.unread = token_at(j);
      return std::nullopt;
    }
    const std::optional<long> n = whole_number(z.substr(j, k - j));
    if (!n || *n < 1) {
      if (strict) h.unread = z.substr(j, k - j);  // "FSDP=0" (not strict) is FSDP off, no degree
      return std::nullopt;
    }
    ShardCount c;
    c.n = *n;
    while (k < z.size() && z[k] == ' ') ++k;
    // a size in bytes ("param shard size 8 MB") is no shard group
    for (const char* w : {"kb", "mb", "gb", "kib", "mib", "gib", "byte", "b "})
      if (z.compare(k, std::string(w).size(), w) == 0 ||
          (std::string(w) == "b " && k + 1 == z.size() && z[k] == 'b'))
        return std::nullopt;
    for (const char* w : {"gpu", "rank", "device", "accelerator"})
      if (z.compare(k, std::string(w).size(), w) == 0) c.unit = ShardCount::kGpus;
    for (const char* w : {"node", "host", "server"})
      if (z.compare(k, std::string(w).size(), w) == 0) c.unit = ShardCount::kNodes;
    return c;
  };
  // The count after a label (spaces, '=', ':', '_' and the words degree/size/group/of/over/across between).
  // A label set to something else ("dp_shard=nan", "dp_shard=-8") is unread; one given two counts
  // ("dp_shard=8 dp_shard=16") is h.twice.
  auto after = [&](const std::string& label, bool minus_one_is_all = false) -> std::optional<ShardCount> {
    std::optional<ShardCount> found;
    for (std::size_t i = z.find(label); i != std::string::npos; i = z.find(label, i + 1)) {
      std::size_t j = i + label.size();
      bool assigned = false;
      for (bool more = true; more;) {
        more = false;
        while (j < z.size() && (z[j] == ' ' || z[j] == '=' || z[j] == ':' || z[j] == '_'))
          assigned = assigned || z[j] == '=' || z[j] == ':', ++j, more = true;
        for (const char* w : {"degree", "size", "group", "of", "over", "across", "within"})
          if (z.compare(j, std::string(w).size(), w) == 0) j += std::string(w).size(), more = true;
      }
      const std::optional<ShardCount> c = count_at(j, minus_one_is_all, true);
      // set to no count: a number's other spellings ("nan", "-8", ".5"), not a word ("hybrid_shard:
      // dp_shard=8")
      if (!c && assigned && !h.all && h.unread.empty() && j < z.size() &&
          (!std::isalpha(static_cast<unsigned char>(z[j])) || token_at(j) == "nan" || token_at(j) == "inf" ||
           token_at(j) == "infinity"))
        h.unread = token_at(j);
      if (!c) continue;
      // two counts in one unit that differ (in two units they may be one group: 8 ranks, 8 GPUs at TP 1)
      if (found && found->unit == c->unit && found->n != c->n)
        h.twice = label + " " + std::to_string(found->n) + " and " + std::to_string(c->n);
      if (!found) found = c;
    }
    return found;
  };
  // The count before a word ("4 replicas", "2 optimizer instances", "8-way shard", "4 nodes per replica"):
  // digits that stand alone (not the end of "1e4", "0x10", "2.5", "1,024" or "-16": unread).
  auto before = [&](const std::string& word) -> std::optional<ShardCount> {
    for (std::size_t i = z.find(word); i != std::string::npos; i = z.find(word, i + 1)) {
      std::size_t k = i;
      while (k > 0 && z[k - 1] == ' ') --k;
      for (const char* w : {"distributed optimizer", "optimizer", "nodes", "node", "gpus", "gpu", "ranks",
                            "hosts"}) {  // count_at reads a unit
        const std::size_t n = std::string(w).size();
        if (k >= n && z.compare(k - n, n, w) == 0 &&
            (k == n || !std::isalpha(static_cast<unsigned char>(z[k - n - 1])))) {
          k -= n;
          while (k > 0 && z[k - 1] == ' ') --k;
          break;
        }
      }
      std::size_t j = k;
      while (j > 0 && is_digit(z[j - 1])) --j;
      if (j == k) continue;
      if (j > 0 && (std::isalnum(static_cast<unsigned char>(z[j - 1])) ||
                    std::string(".,-+").find(z[j - 1]) != std::string::npos)) {
        std::size_t t = j;  // the whole token, for the message
        while (t > 0 && !is_space(z[t - 1]) && z[t - 1] != '(' && z[t - 1] != '=' && z[t - 1] != ':') --t;
        h.unread = z.substr(t, k - t);
        continue;
      }
      if (const std::optional<ShardCount> c = count_at(j, false, true)) return c;
    }
    return std::nullopt;
  };
  h.host_default = has("hsdp") || has("hybrid_shard") || has("hybrid shard") || has("hybrid-shard");
  h.hybrid = h.host_default || has("dp_replicate") || has("dp_shard") || has("optimizer_instances") ||
             (has("optimizer") && has("instance")) || has("mics") || has("shard size") || has("shard_size") ||
             has("sharding_group_size") || has("-way shard") || has("replica") || has("replicate");
  if (!h.hybrid) {
    // "FSDP 8" / "FSDP=8" / "FSDP64": the shard group's size as torchtitan's and Megatron-FSDP's tables give
    // it. "FSDP1" / "FSDP2" written together, "FSDP_2" and "FSDP 2.0" name PyTorch's API, not a degree.
    for (std::size_t i = z.find("fsdp"); i != std::string::npos && !h.degree; i = z.find("fsdp", i + 1)) {
      std::size_t j = i + 4;
      const bool solid = j < z.size() && is_digit(z[j]);
      if (solid && (z[j] == '1' || z[j] == '2') && (j + 1 == z.size() || !is_digit(z[j + 1]))) continue;
      while (j < z.size() && (z[j] == ' ' || z[j] == '=' || z[j] == ':')) ++j;
      h.degree = count_at(j, false, false);
    }
    return h;
  }
  h.shard = after("sharding_group_size");
  if (!h.shard && has("mics")) h.shard = after("mics");  // "MiCS 8 GPUs", "MiCS (shard size 8)"
  if (!h.shard) h.shard = after("sharded");  // "sharded over 8 GPUs"
  if (!h.shard) h.shard = after("shard", true);
  if (!h.shard) h.shard = before(" per instance");  // "8 GPUs per instance" (Megatron's optimizer instances)
  if (!h.shard) h.shard = before("-way shard");
  if (!h.shard) h.shard = before(" per replica");
  h.copies = after("replicate");
  if (!h.copies) h.copies = before(" replica");
  if (!h.copies) h.copies = before(" instance");
  if (!h.copies) h.copies = after("instances");
  return h;
}

int CaseRow::dp_shard(const std::string& col, int zero, const Parallelism& par, long gpus_per_node) const {
  const HybridShard h = hybrid_shard_cell(at(col));
  const std::string cell = single_quoted(at(col));
  if (!h.unread.empty())
    throw bad(col, cell + ": '" + h.unread + "' is not a shard group or copy count (a whole number from 1)");
  if (!h.twice.empty()) throw bad(col, cell + " gives the shard group twice (" + h.twice + ")");
  // A shard group beside no sharding at all ("ZeRO-0 HSDP", "NO_SHARD dp_shard=8", "none (dp_shard=8)"): one
  // of them is wrong, and neither wins silently. DDP is not "no sharding" here: HSDP is FSDP within a group
  // and DDP across the groups ("HSDP (FSDP within a node, DDP across nodes)"). Copies alone ("DDP (8
  // replicas)") are DDP.
  const std::string z = lower_case(at(col));
  const std::string head = trim(z);
  const bool unsharded = zero < 1 || z.find("no_shard") != std::string::npos || head.rfind("none", 0) == 0 ||
                         head.rfind("no ", 0) == 0;
  if (h.hybrid && unsharded && (h.shard || h.host_default || z.find("dp_shard") != std::string::npos))
    throw bad(col, cell + " names a shard group and no sharding (NO_SHARD, none or ZeRO-0): give one");
  if (zero < 1) return 0;
  const long per = static_cast<long>(par.tp) * par.cp;  // GPUs per DP rank
  // A count in DP ranks: GPUs over tp x cp, nodes times the node's DP ranks.
  auto ranks = [&](const ShardCount& c, const char* what) -> long {
    if (c.unit == ShardCount::kDpRanks) return c.n;
    const long gpus = c.unit == ShardCount::kGpus ? c.n : c.n * gpus_per_node;
    if (gpus <= 0 || gpus % per != 0)
      throw bad(col, cell + ": " + what + " of " + std::to_string(gpus) +
                         " GPUs is not a whole number of DP ranks (tp x cp = " + std::to_string(per) + ")");
    return gpus / per;
  };
  if (!h.hybrid) {  // an FSDP degree below DP that divides it shards over that many; otherwise all of DP
    if (!h.degree) return 0;
    const long d = ranks(*h.degree, "an FSDP degree");
    return d > 1 && d < par.dp && par.dp % d == 0 ? static_cast<int>(d) : 0;
  }
  long shard = 0;
  if (h.shard) shard = ranks(*h.shard, "a shard group");
  if (h.copies) {
    const long copies = h.copies->n;  // a count of copies, whatever word follows it
    if (par.dp % copies != 0)
      throw bad(col, cell + ": " + std::to_string(copies) + " copies do not divide DP (" +
                         std::to_string(par.dp) + ")");
    if (shard && shard * copies != par.dp)
      throw bad(col, cell + ": a shard group of " + std::to_string(shard) + " and " + std::to_string(copies) +
                         " copies are not DP (" + std::to_string(par.dp) + ")");
    shard = par.dp / copies;
  }
  // FSDP's HYBRID_SHARD: one host's DP ranks; where a host holds one (TP filling it) that would shard
  // nothing (205 GiB on a 96 GB GPU, helper-132): no count, all of DP, as torchtitan's dp_shard -1.
  if (!shard && !h.all && h.host_default && gpus_per_node > 0 && gpus_per_node % per == 0 &&
      gpus_per_node / per > 1)
    shard = std::min<long>(gpus_per_node / per, par.dp);
  if (!shard) return 0;  // dp_shard=-1, one optimizer instance, or no count: all of DP
  if (par.dp % shard != 0)
    throw bad(col, cell + ": a shard group of " + std::to_string(shard) + " does not divide DP (" +
                       std::to_string(par.dp) + ")");
  return shard == par.dp ? 0 : static_cast<int>(shard);
}

std::optional<int> CaseRow::zero_stage(const std::string& col) const {
  const std::optional<int> z = commsim::zero_stage(at(col));
  if (z && *z > 3) throw bad(col, single_quoted(at(col)) + " names a ZeRO stage past 3 (stages are 0 to 3)");
  if (z || not_reported(at(col))) return z;
  if (fsdp_off(lower_case(trim(at(col)))))
    return std::nullopt;  // "FSDP=0": the source's default, as not reported
  throw bad(col, single_quoted(at(col)) +
                     " names no ZeRO stage (FSDP/HSDP, ZeRO-N or stage N with N 0-3, distributed optimizer, "
                     "none/DDP; n/r, n/a, - or empty: the source's default)");
}

}  // namespace commsim
