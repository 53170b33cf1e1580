#include "study/validate_memory.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/stats.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "core/yaml_reader.hpp"
#include "hw/catalog.hpp"
#include "study/arch_model.hpp"
#include "study/case_cells.hpp"
#include "study/gpu_precision.hpp"
#include "study/interleave.hpp"
#include "study/mapping_rules.hpp"
#include "study/row_model.hpp"
#include "study/source_recompute.hpp"
#include "train/memory_model.hpp"
#include "train/read_recompute_modules.hpp"

namespace commsim {
namespace {

// The largest memory of a catalog GPU, in GiB (read once).
double largest_gpu_gib() {
  static const double gib = [] {
    double most = 0;
    for (const std::string& name : gpu_names()) most = std::max(most, load_gpu(name).memory_bytes.value);
    return most / kGiB;  // GiB
  }();
  return gib;
}

struct MemoryModelRule {
  std::string match;
  ModelSpec model;
};
// A framework's conventions: defaults for what its rows leave unreported, and how it computes the loss.
struct MemorySourceRule {
  std::string match, name;
  std::optional<long> micro_batch;
  std::optional<std::string> recompute;
  std::map<std::string, std::string> recompute_by_model;  // where the source's configs differ by model
  std::optional<bool> sequence_parallel, fp8_activation_cache;
  std::optional<double> loss_bytes_per_logit;
  std::optional<int> zero;            // the sharding of a row that does not report it
  unsigned recompute_modules = 0;     // what the source's "selective" recomputes
  bool micro_batch_from_pp = false;   // unreported micro-batch: the local batch split into pp micro-batches
  bool fsdp_reshards_with_pp = true;  // false: FSDP keeps weights and gradients unsharded under PP (ZeRO-1)
};
struct CaseRule {
  int first_stage_layers = 0, last_stage_layers = 0;
};
struct Mapping {
  std::vector<MemoryModelRule> models;
  std::vector<MemorySourceRule> sources;
  std::map<std::string, CaseRule> cases;
  std::map<std::string, std::string> excluded;
  std::vector<UnsupportedRule> unsupported;
};

// The pipeline stage a memory_kind cell names, of `stages`: the last ("last rank", "last stage", "last PP
// rank", "final rank", "... of the last stage"), "PP rank N" / "stage N", or "rank 0" not denied; none where
// it names none.
std::optional<std::size_t> logged_stage(const std::string& cell, std::size_t stages) {
  const std::string k = lower_case(cell);
  for (const char* last :
       {"last rank", "last stage", "last pp rank", "last pipeline", "final rank", "final stage"})
    if (k.find(last) != std::string::npos) return stages - 1;
  for (const char* key : {"pp rank ", "pipeline rank ", "stage "}) {
    const std::size_t at = k.find(key);
    if (at == std::string::npos) continue;
    std::size_t e = at + std::strlen(key);
    std::size_t d = e;
    while (d < k.size() && std::isdigit(static_cast<unsigned char>(k[d]))) ++d;
    if (d > e) {
      const std::size_t n = static_cast<std::size_t>(std::stol(k.substr(e, d - e)));
      if (n < stages) return n;
    }
  }
  const std::size_t r0 = k.find("rank 0");
  if (r0 != std::string::npos && !(r0 >= 4 && k.compare(r0 - 4, 4, "not ") == 0)) return 0;
  return std::nullopt;
}

Mapping load_mapping(const std::string& path) {
  Mapping m;
  YamlMap root = open_mapping(path, "memory_validation_mapping");
  for (YamlMap& r : mapping_list(root, "models", path)) {
    MemoryModelRule rule;
    rule.match = read_rule_text(r, "match");
    const YAML::Node mn = r.raw("model");
    if (mn.IsMap()) {
      YamlMap inline_model(mn, path, r.path() + ".model");
      rule.model = parse_model(inline_model);
      inline_model.finish();
    } else {
      rule.model = load_model(r.str("model"), r.loc("model"));
    }
    r.str_or("note", "");
    r.finish();
    m.models.push_back(rule);
  }
  for (YamlMap& r : mapping_list(root, "sources", path)) {
    MemorySourceRule s;
    s.match = r.str("match");
    s.name = r.str("name");
    if (r.has("micro_batch")) s.micro_batch = r.integer("micro_batch");
    if (r.has("recompute")) s.recompute = r.choice("recompute", {"none", "selective", "full"});
    s.recompute_by_model = read_recompute_by_model(r);
    if (r.has("sequence_parallel")) s.sequence_parallel = r.boolean_or("sequence_parallel", false);
    if (r.has("fp8_activation_cache")) s.fp8_activation_cache = r.boolean_or("fp8_activation_cache", true);
    if (r.has("loss_bytes_per_logit")) s.loss_bytes_per_logit = r.ratio("loss_bytes_per_logit", 1.0, 64.0);
    if (r.has("zero")) {
      s.zero = static_cast<int>(r.integer("zero", 0));
      if (*s.zero > 3) r.fail("zero", "a ZeRO stage is 0 to 3");
    }
    s.recompute_modules = read_recompute_modules(r, "recompute_modules");
    s.micro_batch_from_pp = r.boolean_or("micro_batch_from_pp", false);
    s.fsdp_reshards_with_pp = r.boolean_or("fsdp_reshards_with_pp", true);
    r.str_or("note", "");
    r.finish();
    m.sources.push_back(s);
  }
  for (YamlMap& r : mapping_list(root, "cases", path)) {
    CaseRule c;
    c.first_stage_layers = static_cast<int>(r.integer_or("first_stage_layers", 0, 1));
    c.last_stage_layers = static_cast<int>(r.integer_or("last_stage_layers", 0, 1));
    r.str("note");  // why the row needs it
    m.cases[r.str("case_id")] = c;
    r.finish();
  }
  m.excluded = mapping_exclusions(root, path);
  m.unsupported = mapping_unsupported(root, path);
  root.finish();
  return m;
}

// What a memory_kind cell compares, by the words before any note in parentheses ('_', '-' and '.' read as
// spaces, so framework names read as words): "allocated" (Megatron's mem-max-allocated-bytes, PyTorch's
// max_memory_allocated, "peak allocated"; "peak" or "peak memory" alone, the kind not stated, too),
// "reserved" (torchtitan's max_reserved_gib, PyTorch's max_memory_reserved), "used" or "nvidia-smi" (the
// device's used memory, memory.used: the reserved memory plus the CUDA context and NCCL's buffers outside
// PyTorch's allocator). None for any other, for words naming two kinds ("allocated and reserved"), or for a
// kind denied ("not reserved", "non-reserved").
enum class MemoryKind { kAllocated, kReserved, kUsed };
const char* memory_kind_name(MemoryKind k) {
  switch (k) {
    case MemoryKind::kAllocated:
      return "allocated";
    case MemoryKind::kReserved:
      return "reserved";
    case MemoryKind::kUsed:
      return "used";
  }
  return "allocated";
}
// A part of the memory, not a measure of all of it: "model-state memory allocated (params + grads + Adam
// states)", "allocated, model states only", "... (no activations)" were read as the allocated peak (+399%,
// helper-177). The memory model predicts the whole. Not a note on how the run saved memory: "reserved (no
// activation checkpointing)" measures the whole (helper-179: it was refused).
bool memory_kind_partial(const std::string& cell) {
  const std::string all = lower_case(cell);
  for (const char* part : {"model state", "model-state", "model states", "excluding activation", "activations excluded",
                           "weights only", "parameters only", "states only"})
    if (all.find(part) != std::string::npos) return true;
  for (const char* part : {"no activation", "without activation"})
    for (std::size_t at = all.find(part); at != std::string::npos; at = all.find(part, at + 1)) {
      std::size_t next = at + std::strlen(part);
      while (next < all.size() && std::isalpha(static_cast<unsigned char>(all[next]))) ++next;  // "activations"
      while (next < all.size() && (all[next] == ' ' || all[next] == '-' || all[next] == '_')) ++next;
      bool setup = false;
      for (const char* how : {"checkpoint", "recompute", "recomputation", "ckpt", "offload", "ac)", "ac "})
        setup = setup || all.compare(next, std::strlen(how), how) == 0;
      if (!setup) return true;
    }
  return false;
}

std::optional<MemoryKind> memory_kind(const std::string& cell) {
  if (memory_kind_partial(cell)) return std::nullopt;
  // The counter a cell names, anywhere in it, decides where it names one kind: "peak (nvidia-smi)", "peak
  // memory (torch.cuda.max_memory_reserved)", "peak memory used (torch.cuda.max_memory_allocated)" (the head
  // alone read them as allocated, allocated and nvidia-smi's: helper-132).
  // A head that names allocated or reserved keeps it ("peak allocated (rank 0; nvidia-smi shows ~4 GiB
  // more)": helper-139); the counter decides a head that names none, or only the word "used".
  {
    const std::string all = lower_case(cell), head_words = lower_case(cell.substr(0, cell.find('(')));
    auto in = [&all](const char* w) { return all.find(w) != std::string::npos; };
    const bool head_names = head_words.find("allocated") != std::string::npos ||
                            head_words.find("reserved") != std::string::npos ||
                            head_words.find("smi") != std::string::npos;
    const bool a = in("memory_allocated"), r = in("memory_reserved") || in("max_reserved"),
               u = in("nvidia-smi") || in("nvidia smi") || in("rocm-smi") || in("amd-smi") || in("dcgm");
    if (!head_names && a + r + u == 1 && !in("not ") && !in("non-"))
      return a ? MemoryKind::kAllocated : r ? MemoryKind::kReserved : MemoryKind::kUsed;
  }
  std::string head = lower_case(trim(cell.substr(0, cell.find('('))));
  for (char& ch : head)  // words split at any punctuation: "reserved, allocated" names two kinds, not one
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = ' ';
  std::vector<std::string> words;
  std::istringstream in(head);
  for (std::string w; in >> w;) words.push_back(w);
  auto has = [&words](const char* w) { return std::find(words.begin(), words.end(), w) != words.end(); };
  const bool allocated = has("allocated"), reserved = has("reserved");
  const bool used = has("used") || head.find("nvidia smi") != std::string::npos;
  if (allocated + reserved + used > 1) return std::nullopt;
  // A kind denied ("not reserved", "non-reserved", "no nvidia-smi") names none (it was read as that kind).
  for (const char* no : {"not", "non", "no", "excluding", "without"})
    if (has(no)) return std::nullopt;
  if (allocated) return MemoryKind::kAllocated;
  if (reserved) return MemoryKind::kReserved;
  if (used) return MemoryKind::kUsed;
  if (head == "peak" || head == "peak memory") return MemoryKind::kAllocated;
  return std::nullopt;
}

// The CSV column a layout check's key comes from: the product of the sizes is checked against num_gpus, the
// mapping's uneven stages against PP. None for a key no column sets.
std::string layout_column(const std::string& key) {
  static const std::map<std::string, std::string> columns = {
      {"parallelism.tp", "TP"},
      {"parallelism.pp", "PP"},
      {"parallelism.dp", "DP"},
      {"parallelism.cp", "CP"},
      {"parallelism.ep", "EP"},
      {"parallelism.vpp", "VPP"},
      {"parallelism", "num_gpus"},
      {"parallelism.first_stage_layers", "PP"},
      {"training.seq_len", "seq_len"},
      {"training.global_batch", "global_batch"},
      {"training.micro_batch", "micro_batch"},
      {"model", "model"},
  };
  auto it = columns.find(key);
  return it == columns.end() ? "" : it->second;
}

std::string layout_text(const TrainConfig& c) {
  const Parallelism& p = c.par;
  return "TP" + std::to_string(p.tp) + " PP" + std::to_string(p.pp) + " DP" + std::to_string(p.dp) +
         (p.cp > 1 ? " CP" + std::to_string(p.cp) : "") + (p.ep > 1 ? " EP" + std::to_string(p.ep) : "") +
         (p.vpp > 1 ? " VPP" + std::to_string(p.vpp) : "") + " Z" + std::to_string(p.zero) +
         (p.dp_replicas() > 1 ? "/" + std::to_string(p.zero_dp()) : std::string()) + " mb" +
         std::to_string(c.train.micro_batch) + " " + recompute_name(c.train.recompute) + " " +
         precision_name(c.train.precision);
}

}  // namespace

MemoryValidationReport validate_memory(const std::string& csv_path, const std::string& mapping_path) {
  const std::string mp =
      mapping_path.empty() ? data_file("configs/validation/memory-mapping.yaml") : mapping_path;
  const Mapping map = load_mapping(mp);
  MemoryValidationReport rep;
  std::map<std::string, std::vector<double>> by_source;
  CaseIds ids;
  for (const CsvRow& row : read_csv(csv_path)) {
    const CaseRow cells(row, mp);
    ids.add(cells);
    const std::string& id = cells.id();
    try {
      if (auto it = map.excluded.find(id); it != map.excluded.end()) {
        rep.excluded.emplace_back(id, it->second);
        continue;
      }
      auto bad = [&cells](const std::string& col, const std::string& what) { return cells.bad(col, what); };
      // An architecture the estimator does not model: named with the reason, and the next row read.
      if (const UnsupportedHit hit = unsupported_hit(map.unsupported, row.fields); hit.reason) {
        rep.not_predicted.push_back(
            {id, InputError(cells.where(hit.column),
                            id + ": " + *hit.reason + " (the mapping's unsupported rules: " + mp + ")")
                     .what()});
        continue;
      }
      const auto model = std::find_if(map.models.begin(), map.models.end(), [&](const MemoryModelRule& r) {
        return names_model(row.at("model"), r.match);
      });
      // No rule: the arch column's dense shape (study/arch_model.hpp), else the row cannot be predicted.
      std::optional<ModelSpec> from_arch;
      // Out of the mapping's reach, named, as a training row's is (it stopped the file; helper-128's round).
      if (model == map.models.end() && !(from_arch = dense_model_from_arch(cells, "arch", "model"))) {
        rep.not_predicted.push_back(
            {id, InputError(cells.where("model"),
                            id + ": no rule maps model '" + row.at("model") +
                                "' to a built-in shape, and the arch column gives no "
                                "dense shape (dense L= h= a= [ffn=] V=; a MoE, MLA or "
                                "hybrid shape needs a model file, configs/models/NAME.yaml, "
                                "and a models rule naming it)")
                     .what()});
        continue;
      }
      const auto src = std::find_if(map.sources.begin(), map.sources.end(), [&](const MemorySourceRule& r) {
        return names_source(row.at("source"), {r.match});
      });
      if (src == map.sources.end())  // the mapping's gap: stops the file (helper-173)
        throw InputError(SourceLoc{mp, 0, 0, "sources"},
                         id + " (" + row.file + ":" + std::to_string(row.line) +
                             "): no source rule matches '" + row.at("source") +
                             "' (a last rule with match: \"\" takes any)");
      // A count ("8192 (toml default; not stated)" too); where `fallback` is given, not reported takes it.
      auto need = [&](const std::string& col, std::optional<long> fallback = std::nullopt) {
        if (!fallback) return cells.count(col);
        if (auto v = cells.count_or_unreported(col)) return *v;
        return *fallback;
      };
      // Not reported, and the source states no default: this row cannot be predicted (named), the file's
      // others can.
      auto unstated = [&](const std::string& col) {
        rep.not_predicted.push_back(
            {id, cells
                     .bad(col, "not reported ('" + row.at(col) + "') and the source (" + src->name +
                                   ") has no default; the memory held depends on it")
                     .what()});
      };
      TrainConfig c;
      c.model = model != map.models.end() ? model->model : *from_arch;
      if (model != map.models.end())  // a generic rule ("70B") that caught a model of the other kind
        if (const std::optional<std::string> conflict = arch_kind_conflict(c.model, row.at("arch"))) {
          rep.not_predicted.push_back(
              {id, InputError(cells.where("model"), id + ": the rule '" + model->match + "' maps model '" +
                                                        row.at("model") + "' to " + c.model.name + " (" +
                                                        *conflict + ")" +
                                                        " (add a rule to the mapping: " + mp + ")")
                       .what()});
          continue;
        }
      c.has_model = true;
      // A row that says its run had no multi-token prediction ("DeepSeek-V3 (w/o MTP)"): as validate training
      // reads it (the MTP module was counted, helper-132).
      if (c.model.mtp_layers > 0 &&
          (denies_mtp(row.at("model")) || denies_mtp(row.at("arch")) || denies_mtp(row.at("notes"))))
        c.train.mtp = false;
      // "n/a" or "-": a dimension the run does not use (an FSDP-only run's TP and PP), 1; "n/r" is no count.
      auto dim = [&](const std::string& col) {
        return unused_dimension(row.at(col)) ? 1 : static_cast<int>(need(col));
      };
      c.par.tp = dim("TP");
      c.par.pp = dim("PP");
      c.par.dp = static_cast<int>(need("DP"));
      c.par.cp = dim("CP");
      c.par.ep = dim("EP");
      if (c.model.moe) c.par.etp = expert_tp_cell(cells, c.par, std::nullopt);
      const VppCell vpp = vpp_cell(row.at("VPP"));
      if (!vpp.understood) throw bad("VPP", "'" + row.at("VPP") + "' is not " + kVppRead);
      c.par.vpp = vpp.vpp ? *vpp.vpp : 1;
      if (vpp.schedule) c.par.schedule = *vpp.schedule;
      if (auto cs = map.cases.find(id); cs != map.cases.end()) {
        c.par.first_stage_layers = cs->second.first_stage_layers;
        c.par.last_stage_layers = cs->second.last_stage_layers;
      }
      // Layers per model chunk (Megatron's --num-layers-per-virtual-pipeline-stage): V = L / (PP x N); they
      // were read as VPP N (-37%, helper-132). "Interleaved" without a count stays not predicted (the chunks
      // decide the activations held: the mapping's exclusion of the public row says so).
      if (vpp.interleaved && !vpp.vpp && !vpp.layers_per_chunk && c.par.pp > 1) {
        unstated(
            "VPP");  // a re-worded copy of the public file's excluded row ran as 1F1B (-12.5%, helper-132)
        continue;
      }
      if (vpp.layers_per_chunk && c.par.pp > 1) {
        const std::optional<int> v = vpp_from_layers_per_chunk(c, *vpp.layers_per_chunk);
        if (!v)
          throw bad("VPP", "'" + row.at("VPP") + "': " + std::to_string(*vpp.layers_per_chunk) +
                               " layers per model chunk do not split the stages of " +
                               std::to_string(c.model.layers) + " layers on PP " + std::to_string(c.par.pp));
        c.par.vpp = *v;
        c.par.schedule = Schedule::kInterleaved;
      }
      // Offload moves the model states off the GPU (ZeRO-Offload, ZeRO-Infinity): not modelled, named.
      if (contains_nocase(row.at("zero_sharding"), "offload") ||
          contains_nocase(row.at("zero_sharding"), "infinity")) {
        rep.not_predicted.push_back(
            {id, cells
                     .bad("zero_sharding",
                          "offload to the host or NVMe (ZeRO-Offload, ZeRO-Infinity): not modelled")
                     .what()});
        continue;
      }
      // Not reported: the source's default (torchtitan's FSDP, the tables' distributed optimizer), else the
      // row is not predicted (it was ZeRO-0 whatever the source: torchtitan 70B +185%, helper-132). A cell
      // that names a stage keeps it, a note aside ("DDP (default)" is DDP: helper-137).
      if (const std::optional<int> stated = cells.zero_stage("zero_sharding")) {
        c.par.zero = *stated;
      } else if (not_reported(row.at("zero_sharding"))) {
        if (!src->zero) {
          unstated("zero_sharding");
          continue;
        }
        c.par.zero = *src->zero;
      } else {
        c.par.zero = 0;  // "FSDP=0": no sharding
      }
      // Under PP, FSDP2 keeps weights and gradients unsharded (ZeRO-1), and so does a row that says ZeRO-2
      // (it came out 21 GiB below ZeRO-3's reading, helper-132).
      if ((c.par.zero == 3 || c.par.zero == 2) && c.par.pp > 1 && !src->fsdp_reshards_with_pp) c.par.zero = 1;
      // Hybrid sharding: the cell's shard group, else an 8-GPU host's (the file has no gpus_per_node column).
      c.par.dp_shard = cells.dp_shard("zero_sharding", c.par.zero, c.par, 8);
      if (src->sequence_parallel) c.par.sequence_parallel = *src->sequence_parallel && c.par.tp > 1;
      c.train.seq_len = need("seq_len");
      c.train.global_batch = cells.sequences("global_batch", c.train.seq_len);
      std::optional<long> mb_default = src->micro_batch;
      // The local batch split into pp micro-batches; without PP the whole local batch (torchtitan accumulates
      // no gradients unless told: it was 1, -42% and -55% on two re-worded public rows, helper-132).
      if (src->micro_batch_from_pp)
        mb_default = std::max(1L, c.train.global_batch / (static_cast<long>(c.par.dp) * c.par.pp));
      if (const std::optional<long> mb = cells.count_or_unreported("micro_batch"))
        c.train.micro_batch = *mb;
      else if (mb_default)
        c.train.micro_batch = *mb_default;
      else {
        unstated("micro_batch");
        continue;
      }
      if (const std::optional<Recompute> stated = recompute_cell(row.at("act_recompute"))) {
        c.train.recompute = *stated;
        if (const std::optional<int> n = cells.recompute_layers("act_recompute"))
          c.train.recompute_layers = *n;
      } else if (!not_reported(
                     row.at("act_recompute")))  // the source's default fills an unreported cell only
        throw bad("act_recompute",
                  "'" + row.at("act_recompute") +
                      "' is not a recompute policy (none, selective, full; n/r when not reported)");
      else if (const std::optional<std::string> d =
                   source_recompute(src->recompute_by_model, src->recompute, c.model.name))
        c.train.recompute = parse_recompute(*d, "recompute");
      else {
        unstated("act_recompute");
        continue;
      }
      if (c.train.recompute == Recompute::kSelective) c.train.recompute_modules = src->recompute_modules;
      if (c.train.recompute == Recompute::kSelective)  // the modules the row lists, over its source's
        if (const std::optional<unsigned> modules = cells.recompute_modules("act_recompute"))
          c.train.recompute_modules = *modules;
      if (const std::optional<std::string> fp = unmodelled_precision(row.at("precision"))) {
        rep.not_predicted.push_back(
            {id, cells
                     .bad("precision",
                          *fp + " is not a precision the memory model knows (" + kPrecisionsRead + ")")
                     .what()});
        continue;
      }
      c.train.precision = cells.precision("precision", Precision::kFp8);
      // An FP8 row on a GPU without FP8 (an A100) was predicted; not predicted now, named at its cell
      // (2026-12-06).
      if (is_low_precision(c.train.precision))
        if (const std::string why = gpu_cell_unsupported_precision(row.at("gpu"), c.train.precision);
            !why.empty()) {
          rep.not_predicted.push_back({id, cells.bad("precision", why).what()});
          continue;
        }
      c.train.fp8_activation_cache = src->fp8_activation_cache;
      if (src->loss_bytes_per_logit) c.train.loss_bytes_per_logit = *src->loss_bytes_per_logit;
      // nan, inf, 0 or a negative size made the error column nan% or inf%, exit 0; 1e30 or 1e-30, -100% or
      // 1e32%.
      const double published = cells.number_in("memory_GiB_per_gpu", 1e-3, 1e6, "GiB");
      // More than any catalog GPU holds is no measurement of a GPU (82400 GiB was counted as a -99.9% row).
      if (published > largest_gpu_gib() * 1.001)
        throw cells.bad("memory_GiB_per_gpu", row.at("memory_GiB_per_gpu") +
                                                  " GiB is more than any GPU of the catalog holds (" +
                                                  six_digits(largest_gpu_gib()) + " GiB)");
      const std::optional<MemoryKind> measured = memory_kind(row.at("memory_kind"));
      if (!measured && memory_kind_partial(row.at("memory_kind"))) {  // out of reach: a part of the memory
        rep.not_predicted.push_back(
            {id, cells
                     .bad("memory_kind", "'" + row.at("memory_kind") +
                                             "' measures a part of the memory (model states, or without "
                                             "activations); the memory model predicts the whole")
                     .what()});
        continue;
      }
      if (!measured) {  // a measure the model has no kind for: this row's cell, not the file's
        rep.not_predicted.push_back(
            {id,
             cells
                 .bad("memory_kind",
                      "unknown kind '" + row.at("memory_kind") +
                          "' (allocated, peak allocated, peak, max allocated, reserved, peak reserved, max "
                          "reserved, used or nvidia-smi; a note in parentheses may follow)")
                 .what(),
             true});
        continue;
      }
      const int gpus = static_cast<int>(need("num_gpus"));
      // The row's sizes that do not multiply to its GPUs contradict themselves: bad input. Any other layout
      // the memory model refuses (a VPP not dividing a stage's layers) is its limit, as the run ran: this
      // row's.
      std::optional<InputError> refused;
      try {
        check_layout(c, gpus, [&](const std::string& key, const std::string& what) {
          throw bad(layout_column(key), "layout: " + key + ": " + what);
        });
      } catch (const InputError& e) {
        if (e.message().find("does not equal") != std::string::npos) throw;
        refused = e;
      }
      if (refused) {
        rep.not_predicted.push_back(
            {id, std::string(refused->what()) + " (the memory model cannot lay out the published run)"});
        continue;
      }

      const std::vector<Stage> stages = pipeline_stages(c.model, c.par, c.mtp_layers());
      const double m =
          static_cast<double>(c.train.global_batch) / (static_cast<double>(c.train.micro_batch) * c.par.dp);
      const std::vector<MemoryBreakdown> mem = stage_memories(c, stages, m);
      const std::string kind = lower_case(row.at("memory_kind"));
      auto value = [&](const MemoryBreakdown& b) {
        const MemoryOverhead& o = memory_overhead();
        return *measured == MemoryKind::kUsed
                   ? o.used(b.allocated(), c.par.multi_rank())
               : *measured == MemoryKind::kReserved ? o.reserved(b.allocated())
                                                    : b.allocated();
      };
      // The stage the figure was logged on, as the cell names it ("rank 0", "last rank", "last stage", "last
      // PP rank", "final rank", "PP rank 7"; a "not rank 0" or "rank 0 of the last stage" is not stage 0; the
      // others fell to the worst stage, helper-132), else the worst stage.
      const std::optional<std::size_t> named = logged_stage(kind, mem.size());
      std::size_t k = named.value_or(0);
      if (!named)
        for (std::size_t i = 1; i < mem.size(); ++i)
          if (value(mem[i]) > value(mem[k])) k = i;

      MemoryValidationRow v;
      v.case_id = id;
      v.source = src->name;
      v.kind = memory_kind_name(*measured);
      v.layout = layout_text(c);
      v.stage = static_cast<int>(k);
      v.published_gib = published;
      v.predicted_gib = value(mem[k]) / kGiB;
      v.error = (v.predicted_gib - published) / published;
      v.weights_gib = mem[k].weights / kGiB, v.gradients_gib = mem[k].gradients / kGiB;
      v.optimizer_gib = mem[k].optimizer / kGiB, v.activations_gib = mem[k].activations / kGiB;
      v.in_flight = mem[k].in_flight;
      by_source[v.source].push_back(std::fabs(v.error));
      rep.rows.push_back(v);
    } catch (const InputError& e) {
      // A cell of this row that does not read ("105 GB", "AMP O2"): the row's, named, as a training row's is
      // (it stopped the file: helper-171); an error in the mapping or a catalog file still stops it.
      if (!cells.placed_here(e)) throw;
      rep.not_predicted.push_back({id, e.what(), true});
    }
  }
  for (const auto& [id, why] : map.excluded)
    if (!ids.has(id)) rep.unmatched_exclusions.push_back(id);
  std::vector<double> errs;
  for (const auto& r : rep.rows) {
    errs.push_back(std::fabs(r.error));
    rep.worst_abs = std::max(rep.worst_abs, std::fabs(r.error));
  }
  rep.median_abs = median(errs);
  for (auto& [name, e] : by_source) rep.median_by_source.emplace_back(name, median(e));
  return rep;
}

}  // namespace commsim
