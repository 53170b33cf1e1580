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
//   Mamba-2    h*(2*di + 2*g*N + H) (in_proj: z, x, B, C, dt) + (di + 2*g*N)*(conv + 1) (depthwise conv and
//              bias) + 3H (A, D, dt bias) + di (gated norm) + di*h (out_proj); di = H*P inner width
// Check (tested): llama3-70b = 80*(150,994,944 + 704,643,072 + 16,384) + 2*128,256*8,192 + 8,192 = 70.55e9.
//
// A hybrid model (`hybrid_pattern`, Megatron-Core's hybrid_override_pattern) is a stack of single blocks,
// one character each: 'M' a Mamba-2 mixer, '*' self-attention, '-' an MLP, 'E' a MoE layer, each with its
// pre-norm (h). Check (tested): Nemotron 3 Nano 30B-A3B (23 M, 6 *, 23 E) = 31.58e9 parameters, 3.58e9
// active (3.22e9 without the output layer).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/yaml_reader.hpp"

namespace commsim {

enum class Activation { kGelu, kSwiglu, kSquaredRelu };
const char* activation_name(Activation a);

// The layer norms (pre-norms and the final norm): RMSNorm (Llama, Mixtral, DeepSeek, Qwen, GPT-OSS,
// Nemotron-H) or LayerNorm (GPT-3, MPT, Nemotron-4). The op list costs both as one fused pass; they differ
// only when the elementwise ops run unfused (training.compile: false, train/eager_elementwise.hpp).
enum class Norm { kRms, kLayer };

// How positions enter attention. Only rotary embeddings (Su et al. 2021) cost a pass over Q and K per layer;
// ALiBi's bias (MPT) is computed inside the attention kernel, learned absolute embeddings (GPT-3, Megatron's
// GPT default) are added once to the input embedding, and `none` (NoPE) costs nothing.
enum class PositionEmbedding { kRope, kAlibi, kLearned, kNone };
const char* position_embedding_name(PositionEmbedding p);

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

// One Mamba-2 (SSD) mixer: Dao & Gu 2024, "Transformers are SSMs" (arXiv:2405.21060); Megatron-Core's MambaMixer.
struct MambaSpec {
  int heads = 0;        // SSM heads H (nheads)
  long head_dim = 64;   // P per head: inner width di = H * P
  long state = 128;     // N (d_state)
  int groups = 1;       // B/C groups g (ngroups)
  int conv_kernel = 4;  // causal depthwise convolution width
  int chunk = 128;      // SSD chunk length Q
  double inner() const { return static_cast<double>(heads) * static_cast<double>(head_dim); }
  double group_state() const { return static_cast<double>(groups) * static_cast<double>(state); }  // gN: B (or C) width
};

// What one layer of the stack holds: a transformer layer (attention + dense MLP, or attention + MoE), or one
// block of a hybrid model.
enum class LayerKind { kDense, kMoe, kMamba, kAttention, kMlp, kMoeMlp };
constexpr int kLayerKinds = 6;
const char* layer_kind_name(LayerKind k);
inline bool kind_has_attention(LayerKind k) { return k == LayerKind::kDense || k == LayerKind::kMoe || k == LayerKind::kAttention; }
inline bool kind_has_moe(LayerKind k) { return k == LayerKind::kMoe || k == LayerKind::kMoeMlp; }
// A sequence mixer (attention or Mamba-2), and an MLP (dense or MoE): a transformer layer has both.
inline bool kind_has_mixer(LayerKind k) { return k != LayerKind::kMlp && k != LayerKind::kMoeMlp; }
inline bool kind_has_ffn(LayerKind k) { return k != LayerKind::kMamba && k != LayerKind::kAttention; }
// Blocks, each with its pre-norm and its tensor-parallel region: 2 for a transformer layer, 1 for a hybrid block.
inline int kind_blocks(LayerKind k) { return (kind_has_mixer(k) ? 1 : 0) + (kind_has_ffn(k) ? 1 : 0); }

// The most layers a model may have: a billion-layer model kept `train --auto` busy for minutes (the estimator's
// time grows with the layer count); published models have under 200.
constexpr long kMaxLayers = 100000;

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
  Norm norm = Norm::kRms;  // default: RMSNorm with SwiGLU, LayerNorm with GELU or squared ReLU
  PositionEmbedding position = PositionEmbedding::kRope;
  bool tied_embeddings = false;
  bool dropout = false;  // dropout layers (GPT-3 era): their 1-byte masks are kept as activations
  int mtp_layers = 0;    // multi-token-prediction modules (DeepSeek-V3: 1), not in total_params()
  std::optional<MoeSpec> moe;
  std::optional<MlaSpec> mla;
  std::string hybrid_pattern;  // one of M * - E per layer; empty: every layer attention + MLP (or MoE)
  std::optional<MambaSpec> mamba;

  bool hybrid() const { return !hybrid_pattern.empty(); }
  LayerKind layer_kind(int layer) const;
  int layers_of(LayerKind k) const;
  int attention_layers() const;  // layers with self-attention
  // Layer l (0-based) is MoE iff l >= dense_layers and (l - dense_layers + 1) % layer_step == 0 (HF Llama 4:
  // (layer_idx + 1) % step == 0): with step 2 the 2nd, 4th, ... layers after the dense ones.
  // A hybrid model: the layers marked 'E'.
  bool is_moe_layer(int layer) const {
    if (hybrid()) return hybrid_pattern[static_cast<std::size_t>(layer)] == 'E';
    return moe && layer >= moe->dense_layers && (layer - moe->dense_layers + 1) % moe->layer_step == 0;
  }
  int moe_layers() const;
  // Per-token widths of the attention inputs and outputs.
  long q_dim() const;   // a * qk head dim
  long kv_dim() const;  // kv * qk head dim (K); for MLA the compressed latent + rope
  long v_dim() const;   // a * v head dim (attention output width)
  // Per-token width of the rotary-embedding pass: Q and K, q_dim + kv_dim (for MLA Megatron's fused kernel
  // also assembles Q and K around their rope parts, so it moves them whole); 0 unless position is kRope.
  long rope_dim() const;

  double attention_params() const;
  double mlp_params(long ffn) const;  // one dense MLP of width ffn
  double dense_layer_params() const;  // attention + MLP + 2 norms
  double moe_layer_params() const;    // attention + router + all experts + shared + 2 norms
  double moe_layer_active_params() const;  // attention + router + top_k experts + shared + 2 norms
  double mamba_params() const;        // one Mamba-2 mixer (no pre-norm)
  double kind_params(LayerKind k) const;         // one layer of kind k, with its norms
  double kind_active_params(LayerKind k) const;  // the same with top_k of the routed experts
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
