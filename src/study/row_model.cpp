#include "study/row_model.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/text.hpp"
#include "study/arch_model.hpp"
#include "study/mapping_rules.hpp"
#include "study/not_predicted.hpp"

namespace commsim {
namespace {

constexpr double kParamsTolerance = 0.25;  // the header says why

std::string fmt_billions(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fB", b);
  return buf;
}

}  // namespace

RowModel row_model(const TrainingMapping& map, const CaseRow& cells, std::optional<double> params_b) {
  const CsvRow& row = cells.row();
  auto bad = [&cells](const std::string& col, const std::string& what) { return cells.bad(col, what); };
  const ModelRule* mr = nullptr;
  for (const ModelRule& r : map.models)
    if (names_model(row.at("model"), r.match)) {
      mr = &r;
      break;
    }
  // No rule: the arch column's dense shape (study/arch_model.hpp), else the row cannot be predicted.
  std::optional<ModelSpec> from_arch;
  if (!mr && !(from_arch = dense_model_from_arch(cells, "arch", "model"))) {
    throw OutOfReach{
        "model",
        "no rule maps model '" + row.at("model") +
            "' to a built-in shape, and the arch column gives no dense shape (dense L= h= a= [ffn=] V=)",
        "a MoE, MLA or hybrid shape needs a model file: write configs/models/NAME.yaml (docs/config.md, "
        "the model keys) and a models rule naming it in the mapping, or exclude the row there"};
  }
  std::string model_name;  // the built-in model the rule gives this row
  if (mr) {
    const std::optional<std::string> named = rule_model(*mr, params_b);
    if (!named) throw OutOfReach{"params_B", "the rule '" + mr->match + "' picks a model size by params_B, and the row reports none"};
    model_name = *named;
  }
  RowModel out;
  out.model = mr ? load_model(model_name) : *from_arch;
  out.builtin = model_name;
  if (mr)  // the arch column's first word says which kind of model the row is
    if (const std::optional<std::string> conflict = arch_kind_conflict(out.model, row.at("arch")))
      throw OutOfReach{"model", "the rule '" + mr->match + "' maps model '" + row.at("model") + "' to " + model_name + " (" + *conflict + ")"};
  const std::map<std::string, long> tok = cells.arch("arch");
  ModelSpec& m = out.model;
  const ModelSpec base = m;  // as the rule gives it, before the arch cell's dimensions
  const bool mha = m.kv_heads == m.heads;
  const long hidden0 = m.hidden, heads0 = m.heads;
  if (tok.count("L")) m.layers = static_cast<int>(tok.at("L"));
  if (tok.count("h")) m.hidden = tok.at("h");
  if (tok.count("a")) m.heads = static_cast<int>(tok.at("a"));
  m.kv_heads = tok.count("kv") ? static_cast<int>(tok.at("kv")) : mha ? m.heads : m.kv_heads;
  if (tok.count("ffn")) {
    m.ffn_hidden = tok.at("ffn");
  } else if (m.hidden != hidden0 && hidden0 > 0) {
    // A new width without an ffn: the MLP keeps the rule's shape, ffn/h (GPT's 4h; helper-128: GPT 8.3B at
    // h 3072 kept GPT-3 175B's 49,152 and was refused as 24.6B), to a multiple of 64 where it is no whole
    // multiple of h.
    const double f =
        static_cast<double>(base.ffn_hidden) * static_cast<double>(m.hidden) / static_cast<double>(hidden0);
    m.ffn_hidden =
        base.ffn_hidden % hidden0 == 0 ? base.ffn_hidden / hidden0 * m.hidden : std::llround(f / 64.0) * 64;
  }
  if (tok.count("V")) m.vocab = tok.at("V");
  // A built-in head_dim (Qwen3: 128 with h/a = 64) stays unless the row changes the hidden size or heads.
  const bool reshaped = m.hidden != hidden0 || m.heads != heads0;
  // The shape checked as `train` checks a model file's (kv=5 with a=24 is no model to predict).
  check_model_shape(m, reshaped && !m.mla, [&](const std::string& key, const std::string& what) {
    throw bad("arch", "model." + key + ": " + what);
  });
  if (reshaped) m.head_dim = m.hidden / m.heads;
  if (mr) m.name = reshaped_model_name(model_name, base, tok);  // validate --row prints it
  // A generic rule ("8B", "GPT") that caught a model it does not describe: its size gives it away.
  if (params_b) {
    const double mine = m.total_params() / 1e9;
    if (std::fabs(mine - *params_b) > kParamsTolerance * *params_b) {
      throw OutOfReach{"params_B", "the model the mapping gives it (" + (mr ? model_name : std::string("the arch cell's shape")) +
                                    ", with the arch cell's dimensions) has " + fmt_billions(mine) +
                                    " parameters, the row " + fmt_billions(*params_b) + " (more than 25% apart)"};
    }
  }
  return out;
}

bool denies_mtp(const std::string& cell) {
  const std::string z = lower_case(cell);
  for (const char* w : {"w/o mtp", "without mtp", "no mtp", "mtp disabled", "mtp off", "mtp: off", "mtp=0",
                        "mtp = 0", "mtp: 0", "mtp_num_layers=0", "mtp_num_layers: 0", "mtp_num_layers = 0",
                        "mtp: none", "mtp=none", "mtp: no", "mtp=false", "mtp: false", "mtp=off"})
    for (std::size_t i = z.find(w); i != std::string::npos; i = z.find(w, i + 1)) {
      std::size_t end = i + std::string(w).size();
      if (i > 0 && std::isalnum(static_cast<unsigned char>(z[i - 1]))) continue;
      while (end < z.size() && z[end] == ' ') ++end;
      if (end == z.size() || std::string(")],;").find(z[end]) != std::string::npos) return true;
    }
  return false;
}

}  // namespace commsim
