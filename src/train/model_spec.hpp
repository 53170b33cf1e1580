// A decoder-only transformer as the training estimator sees it: shape, attention kind (multi-head / GQA or
// DeepSeek's multi-head latent attention), MLP kind, and optional mixture-of-experts layers. Built-in models
// are data files under configs/models/NAME.yaml, each with its `source`; an inline mapping in a training
// config uses the same keys (docs/config.md, "Training").
//
// Parameter counts (no biases; two norms per layer, one final norm):
//   attention  h*dh*(2a + 2kv)                      (Q, K, V, O; dh = head_dim, default h/a)
//   MLA        h*q_lora + q_lora*a*(nope+rope) + h*(kv_lora+rope) + kv_lora*a*(nope+v) + a*v*h
//   MLP        2*h*f (gelu, squared_relu) or 3*h*f (swiglu)
//   MoE layer  h*E (router) + E*mlp(fe) + shared*mlp(fs); (layers - dense_layers) / layer_step of them, the
//              other layers dense
//   embeddings V*h, plus V*h for an untied output layer
// Check (tested): llama3-70b = 80*(150,994,944 + 704,643,072 + 16,384) + 2*128,256*8,192 + 8,192 = 70.55e9.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/yaml_reader.hpp"

namespace commsim {

enum class Activation { kGelu, kSwiglu, kSquaredRelu };
const char* activation_name(Activation a);

struct MoeSpec {
  int experts = 0;             // routed experts per MoE layer
  int top_k = 1;               // routed experts per token
  int shared_experts = 0;      // always-active experts
  long expert_ffn_hidden = 0;  // per routed expert
  long shared_ffn_hidden = 0;  // per shared expert (default expert_ffn_hidden)
  int dense_layers = 0;        // the first layers use the dense MLP
  int layer_step = 1;          // after them every step-th layer is MoE (HF Llama 4's
                               // interleave_moe_layer_step; Maverick: 2), the others dense
};

struct MlaSpec {
  long q_lora_rank = 0;  // 0: Q projected directly
  long kv_lora_rank = 0;
  long qk_nope_head_dim = 0;
  long qk_rope_head_dim = 0;
  long v_head_dim = 0;
};

struct ModelSpec {
  std::string name, source, file;
  int layers = 0;
  long hidden = 0;
  int heads = 0;
  int kv_heads = 0;
  long head_dim = 0;  // default hidden / heads
  long ffn_hidden = 0;
  long vocab = 0;
  Activation activation = Activation::kSwiglu;
  bool tied_embeddings = false;
  bool dropout = false;  // dropout layers (GPT-3 era): their 1-byte masks are kept as activations
  int mtp_layers = 0;    // multi-token-prediction modules (DeepSeek-V3: 1), not in total_params()
  std::optional<MoeSpec> moe;
  std::optional<MlaSpec> mla;

  // Layer l (0-based) is MoE iff l >= dense_layers and (l - dense_layers + 1) % layer_step == 0 (HF Llama 4:
  // (layer_idx + 1) % step == 0): with step 2 the 2nd, 4th, ... layers after the dense ones.
  bool is_moe_layer(int layer) const {
    return moe && layer >= moe->dense_layers && (layer - moe->dense_layers + 1) % moe->layer_step == 0;
  }
  int moe_layers() const { return moe && layers > moe->dense_layers ? (layers - moe->dense_layers) / moe->layer_step : 0; }
  // Per-token widths of the attention inputs and outputs.
  long q_dim() const;   // a * qk head dim
  long kv_dim() const;  // kv * qk head dim (K); for MLA the compressed latent + rope
  long v_dim() const;   // a * v head dim (attention output width)

  double attention_params() const;
  double mlp_params(long ffn) const;  // one dense MLP of width ffn
  double dense_layer_params() const;  // attention + MLP + 2 norms
  double moe_layer_params() const;    // attention + router + all experts + shared + 2 norms
  double moe_layer_active_params() const;  // attention + router + top_k experts + shared + 2 norms
  double expert_params() const;       // routed experts only, all MoE layers
  double embedding_params() const;    // input embedding + (untied) output layer
  double total_params() const;
  double active_params() const;
};

// Parses a model mapping (a file or the inline `model:` of a training config). Throws InputError naming the key.
ModelSpec parse_model(YamlMap& m);
// The shape checks parse_model makes, for a shape changed in code (a validation row's arch column): kv_heads
// divides heads; heads divides hidden where head_dim is derived from them (`head_dim_derived`: no head_dim
// given, no MLA); a MoE's dense layers are at most its layers. `fail(key, what)` throws.
void check_model_shape(const ModelSpec& s, bool head_dim_derived,
                       const std::function<void(const std::string& key, const std::string& what)>& fail);
// A built-in name (configs/models/NAME.yaml) or a path to a model file.
ModelSpec load_model(const std::string& name_or_path);
// The same, an unknown name blamed on `where` (the config's file:line:col, --set or --model).
ModelSpec load_model(const std::string& name_or_path, const SourceLoc& where);
std::vector<std::string> model_names();

}  // namespace commsim
