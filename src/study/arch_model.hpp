// A dense model's shape from a validation row's arch column, for a model no mapping rule names.
//
// A published row describes its model in the arch column ("dense L=80 h=8192 a=64 kv=8 ffn=29568 V=152064").
// Where that is a whole dense transformer, it is the shape: layers L, hidden h, heads a, KV heads kv (default
// a: multi-head attention), MLP width ffn, vocabulary V, head dim h / a, untied embeddings. The MLP's
// activation is the one the cell names (squared-ReLU, GeLU, SwiGLU); unnamed, it is GeLU where ffn = 4h (the
// GPT-2/3 shape: two matrices) and SwiGLU otherwise (Llama, Mistral, Qwen: three matrices of ffn ~ 8h/3 to
// 3.5h). An assumption, stated here and in docs/validation.md; a built-in model (a mapping rule) replaces it.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "study/case_cells.hpp"
#include "train/model_spec.hpp"

namespace commsim {

// The shape, or none where the cell's first word is not "dense", it names MoE or experts, or it lacks one of
// L, h, a and V. No ffn is Megatron's default width (SC'21's and MT-NLG's rows give L, h, a and V only): 4h
// (GeLU unless the cell names another activation), 4h·2/3 rounded down to 64 under SwiGLU. A gated MLP
// ("gated gelu", GeGLU) counts as SwiGLU (three matrices). A shape the cell gives but no model can have
// (kv not dividing a) is an InputError naming the cell.
std::optional<ModelSpec> dense_model_from_arch(const CaseRow& row, const std::string& arch_col, const std::string& model_col);

// Where the arch cell's first word says one kind of model ("MoE ...", "dense ...") and `m` is the other: a
// description of the conflict ("dense, and the arch column says MoE"); none otherwise (or when it says neither).
// A generic mapping rule ("70B") that caught a model it does not describe gives itself away so.
std::optional<std::string> arch_kind_conflict(const ModelSpec& m, const std::string& arch_cell);

// A built-in model's name once the arch cell's dimension tokens (CaseRow::arch: L, h, a, kv, ffn, V) changed
// it, as "gpt3-175b (arch cell: L=24 h=2304 a=24 ffn=9216)": only the tokens the cell gives whose value differs
// from `base`'s; `name` unchanged when none does.
std::string reshaped_model_name(const std::string& name, const ModelSpec& base, const std::map<std::string, long>& tokens);

}  // namespace commsim
