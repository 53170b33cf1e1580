#include "train/model_spec.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "hw/catalog.hpp"

namespace commsim {

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::kGelu: return "gelu";
    case Activation::kSwiglu: return "swiglu";
    case Activation::kSquaredRelu: return "squared_relu";
  }
  return "?";
}

const char* position_embedding_name(PositionEmbedding p) {
  switch (p) {
    case PositionEmbedding::kRope: return "rope";
    case PositionEmbedding::kAlibi: return "alibi";
    case PositionEmbedding::kLearned: return "learned";
    case PositionEmbedding::kNone: return "none";
  }
  return "?";
}

const char* layer_kind_name(LayerKind k) {
  switch (k) {
    case LayerKind::kDense: return "dense";
    case LayerKind::kMoe: return "moe";
    case LayerKind::kMamba: return "mamba";
    case LayerKind::kAttention: return "attention";
    case LayerKind::kMlp: return "mlp";
    case LayerKind::kMoeMlp: return "moe_mlp";
  }
  return "?";
}

LayerKind ModelSpec::layer_kind(int layer) const {
  if (!hybrid()) return is_moe_layer(layer) ? LayerKind::kMoe : LayerKind::kDense;
  switch (hybrid_pattern[static_cast<std::size_t>(layer)]) {
    case 'M': return LayerKind::kMamba;
    case '*': return LayerKind::kAttention;
    case 'E': return LayerKind::kMoeMlp;
    default: return LayerKind::kMlp;
  }
}

int ModelSpec::layers_of(LayerKind k) const {
  if (!hybrid()) {
    const int m = moe_layers();
    return k == LayerKind::kMoe ? m : k == LayerKind::kDense ? layers - m : 0;
  }
  int n = 0;
  for (int l = 0; l < layers; ++l) n += layer_kind(l) == k ? 1 : 0;
  return n;
}

int ModelSpec::moe_layers() const {
  if (hybrid()) return layers_of(LayerKind::kMoeMlp);
  return moe && layers > moe->dense_layers ? (layers - moe->dense_layers) / moe->layer_step : 0;
}

int ModelSpec::attention_layers() const { return hybrid() ? layers_of(LayerKind::kAttention) : layers; }

long ModelSpec::q_dim() const {
  if (mla) return heads * (mla->qk_nope_head_dim + mla->qk_rope_head_dim);
  return heads * head_dim;
}
long ModelSpec::kv_dim() const {
  if (mla) return mla->kv_lora_rank + mla->qk_rope_head_dim;
  return kv_heads * head_dim;
}
long ModelSpec::rope_dim() const { return position == PositionEmbedding::kRope ? q_dim() + kv_dim() : 0; }
long ModelSpec::v_dim() const { return mla ? heads * mla->v_head_dim : heads * head_dim; }

double ModelSpec::attention_params() const {
  const double h = static_cast<double>(hidden);
  if (mla) {
    const double a = heads, qk = static_cast<double>(mla->qk_nope_head_dim + mla->qk_rope_head_dim);
    const double q = mla->q_lora_rank > 0 ? h * mla->q_lora_rank + static_cast<double>(mla->q_lora_rank) * a * qk : h * a * qk;
    const double kv = h * static_cast<double>(mla->kv_lora_rank + mla->qk_rope_head_dim) +
                      static_cast<double>(mla->kv_lora_rank) * a * static_cast<double>(mla->qk_nope_head_dim + mla->v_head_dim);
    return q + kv + a * static_cast<double>(mla->v_head_dim) * h;
  }
  return h * static_cast<double>(head_dim) * (2.0 * heads + 2.0 * kv_heads);
}

double ModelSpec::mlp_params(long ffn) const {
  return (activation == Activation::kSwiglu ? 3.0 : 2.0) * static_cast<double>(hidden) * static_cast<double>(ffn);
}

double ModelSpec::dense_layer_params() const { return attention_params() + mlp_params(ffn_hidden) + 2.0 * hidden; }

double ModelSpec::moe_layer_params() const {
  if (!moe) return dense_layer_params();
  return attention_params() + static_cast<double>(hidden) * moe->experts + moe->experts * mlp_params(moe->expert_ffn_hidden) +
         moe->shared_experts * mlp_params(moe->shared_ffn_hidden) + 2.0 * hidden;
}

double ModelSpec::moe_layer_active_params() const {
  if (!moe) return dense_layer_params();
  return attention_params() + static_cast<double>(hidden) * moe->experts + moe->top_k * mlp_params(moe->expert_ffn_hidden) +
         moe->shared_experts * mlp_params(moe->shared_ffn_hidden) + 2.0 * hidden;
}

double ModelSpec::mamba_params() const {
  if (!mamba) return 0.0;
  const MambaSpec& b = *mamba;
  const double h = static_cast<double>(hidden), di = b.inner(), gn = b.group_state();
  return h * (2.0 * di + 2.0 * gn + b.heads) + (di + 2.0 * gn) * (b.conv_kernel + 1.0) + 3.0 * b.heads + di + di * h;
}

double ModelSpec::kind_params(LayerKind k) const {
  const double h = static_cast<double>(hidden);
  switch (k) {
    case LayerKind::kDense: return dense_layer_params();
    case LayerKind::kMoe: return moe_layer_params();
    case LayerKind::kMamba: return mamba_params() + h;
    case LayerKind::kAttention: return attention_params() + h;
    case LayerKind::kMlp: return mlp_params(ffn_hidden) + h;
    case LayerKind::kMoeMlp: return moe_layer_params() - attention_params() - h;
  }
  return 0.0;
}

double ModelSpec::kind_active_params(LayerKind k) const {
  if (k == LayerKind::kMoe) return moe_layer_active_params();
  if (k == LayerKind::kMoeMlp) return moe_layer_active_params() - attention_params() - static_cast<double>(hidden);
  return kind_params(k);
}

double ModelSpec::expert_params() const {
  return moe ? static_cast<double>(moe_layers()) * moe->experts * mlp_params(moe->expert_ffn_hidden) : 0.0;
}

double ModelSpec::embedding_params() const {
  return static_cast<double>(vocab) * static_cast<double>(hidden) * (tied_embeddings ? 1.0 : 2.0);
}

double ModelSpec::total_params() const {
  if (hybrid()) {
    double p = embedding_params() + hidden;
    for (int k = 0; k < kLayerKinds; ++k) p += layers_of(LayerKind(k)) * kind_params(LayerKind(k));
    return p;
  }
  const int dense = layers - moe_layers();
  return dense * dense_layer_params() + moe_layers() * moe_layer_params() + embedding_params() + hidden;
}

double ModelSpec::active_params() const {
  if (hybrid()) {
    double p = embedding_params() + hidden;
    for (int k = 0; k < kLayerKinds; ++k) p += layers_of(LayerKind(k)) * kind_active_params(LayerKind(k));
    return p;
  }
  const int dense = layers - moe_layers();
  return dense * dense_layer_params() + moe_layers() * moe_layer_active_params() + embedding_params() + hidden;
}

void check_model_shape(const ModelSpec& s, bool head_dim_derived,
                       const std::function<void(const std::string& key, const std::string& what)>& fail) {
  auto str = [](long v) { return std::to_string(v); };
  if (s.layers > kMaxLayers) fail("layers", str(s.layers) + " exceeds " + str(kMaxLayers) + " (published models have under 200)");
  if (s.heads < 1 || s.kv_heads < 1 || s.kv_heads > s.heads || s.heads % s.kv_heads != 0)
    fail("kv_heads", "kv_heads (" + str(s.kv_heads) + ") does not divide heads (" + str(s.heads) + ")");
  // head_dim defaults to hidden / heads only when that is exact (never a truncated or zero width).
  if (head_dim_derived && s.hidden % s.heads != 0)
    fail("heads", "heads (" + str(s.heads) + ") does not divide hidden (" + str(s.hidden) +
                      "); give head_dim for a model whose heads are not hidden / heads wide");
  if (s.moe && s.moe->dense_layers > s.layers)
    fail("moe.dense_layers", str(s.moe->dense_layers) + " exceeds layers (" + str(s.layers) + ")");
  if (s.moe && !s.hybrid() && s.moe->dense_layers == s.layers)  // a moe section no layer uses: EP over nothing
    fail("moe.dense_layers", str(s.moe->dense_layers) + " leaves no MoE layer (the model has " + str(s.layers) + ")");
  // A hybrid stack's layers are its pattern's blocks (an arch cell's L= must agree).
  if (s.hybrid() && static_cast<long>(s.hybrid_pattern.size()) != s.layers)
    fail("layers", str(s.layers) + " where the hybrid_pattern has " + str(static_cast<long>(s.hybrid_pattern.size())) + " blocks");
  if (s.moe && s.layers > s.moe->dense_layers && s.layers - s.moe->dense_layers < s.moe->layer_step)
    fail("moe.layer_step", str(s.moe->layer_step) + " leaves no MoE layer (" + str(s.layers - s.moe->dense_layers) +
                               " layer(s) after the dense ones)");
}

ModelSpec parse_model(YamlMap& m) {
  ModelSpec s;
  s.file = m.file();
  s.name = m.str("name");
  if (trim(s.name).empty()) m.fail("name", "empty: a model is named in outputs by it");
  check_catalog_name(m, s.file, "configs/models", s.name, "model");
  s.source = m.str_or("source", "");
  const long layers = m.integer("layers");
  if (layers > kMaxLayers)
    m.fail("layers", std::to_string(layers) + " exceeds " + std::to_string(kMaxLayers) +
                         " (published models have under 200; the estimator's time grows with the layer count)");
  s.layers = static_cast<int>(layers);
  s.hidden = m.integer("hidden");
  s.heads = static_cast<int>(m.integer("heads"));
  s.kv_heads = static_cast<int>(m.integer_or("kv_heads", s.heads));
  check_model_shape(s, !m.has("head_dim") && !m.has("mla"), [&m](const std::string& key, const std::string& what) {
    // a check of two keys blames the one --set changed: --set model.hidden=7 named the file's heads line
    const std::string other = key == "kv_heads" ? "heads" : key == "heads" ? "hidden" : key == "moe.dense_layers" ? "layers" : "";
    if (!other.empty()) fail_at_set_one(m, key, m, other, what);
    m.fail(key, what);
  });
  s.head_dim = m.integer_or("head_dim", s.hidden / s.heads);
  if (m.has("hybrid_pattern")) {
    s.hybrid_pattern = m.str("hybrid_pattern");
    if (s.hybrid_pattern.find_first_not_of("M*-E") != std::string::npos)
      m.fail("hybrid_pattern", "'" + s.hybrid_pattern + "': one of M (Mamba-2), * (attention), - (MLP), E (MoE) per layer");
    if (static_cast<long>(s.hybrid_pattern.size()) != s.layers)  // blamed on the key --set changed, if one did
      fail_at_set_one(m, "hybrid_pattern", m, "layers",
                      std::to_string(s.hybrid_pattern.size()) + " blocks in hybrid_pattern where layers is " + std::to_string(s.layers));
  }
  auto uses = [&s](char c) { return s.hybrid_pattern.find(c) != std::string::npos; };
  // A hybrid stack without '-' has no dense MLP to size.
  s.ffn_hidden = s.hybrid() && !uses('-') ? m.integer_or("ffn_hidden", 0, 0) : m.integer("ffn_hidden");
  s.vocab = m.integer("vocab");
  const std::string act = m.choice_or("activation", {"gelu", "swiglu", "squared_relu"}, "swiglu");
  s.activation = act == "gelu" ? Activation::kGelu : act == "swiglu" ? Activation::kSwiglu : Activation::kSquaredRelu;
  s.norm = m.choice_or("norm", {"rmsnorm", "layernorm"},
                       s.activation == Activation::kSwiglu ? "rmsnorm" : "layernorm") == "rmsnorm"
               ? Norm::kRms
               : Norm::kLayer;
  const std::string pos = m.choice_or("position_embedding", {"rope", "alibi", "learned", "none"}, "rope");
  s.position = pos == "rope" ? PositionEmbedding::kRope : pos == "alibi" ? PositionEmbedding::kAlibi
             : pos == "learned" ? PositionEmbedding::kLearned : PositionEmbedding::kNone;
  s.tied_embeddings = m.boolean_or("tied_embeddings", false);
  s.dropout = m.boolean_or("dropout", false);
  s.mtp_layers = static_cast<int>(m.integer_or("mtp_layers", 0, 0));
  // A few prediction depths (DeepSeek-V3: 1): 1000000 ran into "does not fit", exit 3 (helper-169).
  if (s.mtp_layers > 16) m.fail("mtp_layers", "at most 16 multi-token prediction modules");
  if (auto moe = m.optional_map("moe")) {
    MoeSpec e;
    e.experts = static_cast<int>(moe->integer("experts"));
    e.top_k = static_cast<int>(moe->integer("top_k"));
    // Each check of two keys names the one --set changed (--set model.moe.experts=1 named the file's top_k).
    if (e.top_k > e.experts)
      fail_at_set_one(*moe, "top_k", *moe, "experts",
                      "top_k " + std::to_string(e.top_k) + " exceeds the number of experts (" + std::to_string(e.experts) + ")");
    e.shared_experts = static_cast<int>(moe->integer_or("shared_experts", 0, 0));
    e.expert_ffn_hidden = moe->integer("expert_ffn_hidden");
    e.shared_ffn_hidden = moe->integer_or("shared_ffn_hidden", e.expert_ffn_hidden);
    e.dense_layers = static_cast<int>(moe->integer_or("dense_layers", 0, 0));
    if (e.dense_layers > s.layers)
      fail_at_set_one(*moe, "dense_layers", m, "layers",
                      "dense_layers " + std::to_string(e.dense_layers) + " exceeds layers (" + std::to_string(s.layers) + ")");
    if (e.dense_layers == s.layers && !m.has("hybrid_pattern"))
      fail_at_set_one(*moe, "dense_layers", m, "layers",
                      "dense_layers " + std::to_string(e.dense_layers) + " leaves no MoE layer (the model has " + std::to_string(s.layers) + ")");
    e.layer_step = static_cast<int>(moe->integer_or("layer_step", 1, 1));
    if (const int after = s.layers - e.dense_layers; after > 0 && after < e.layer_step)
      fail_at_set_one(*moe, "layer_step", m, "layers",
                      "layer_step " + std::to_string(e.layer_step) + " leaves no MoE layer (" + std::to_string(after) +
                          " layer(s) after the dense ones, every " + std::to_string(e.layer_step) + "th MoE)");
    moe->finish();
    s.moe = e;
  }
  if (auto mla = m.optional_map("mla")) {
    MlaSpec a;
    a.q_lora_rank = mla->integer_or("q_lora_rank", 0, 0);
    a.kv_lora_rank = mla->integer("kv_lora_rank");
    a.qk_nope_head_dim = mla->integer("qk_nope_head_dim");
    a.qk_rope_head_dim = mla->integer("qk_rope_head_dim");
    a.v_head_dim = mla->integer("v_head_dim");
    mla->finish();
    s.mla = a;
  }
  if (auto mb = m.optional_map("mamba")) {
    MambaSpec b;
    b.heads = static_cast<int>(mb->integer("heads"));
    b.head_dim = mb->integer_or("head_dim", 64);
    b.state = mb->integer_or("state", 128);
    b.groups = static_cast<int>(mb->integer_or("groups", 1));
    if (b.heads % b.groups != 0) mb->fail("groups", std::to_string(b.groups) + " does not divide heads (" + std::to_string(b.heads) + ")");
    b.conv_kernel = static_cast<int>(mb->integer_or("conv_kernel", 4));
    b.chunk = static_cast<int>(mb->integer_or("chunk", 128));
    mb->finish();
    s.mamba = b;
  }
  if (s.hybrid()) {
    if (uses('M') && !s.mamba) m.fail("hybrid_pattern", "has Mamba-2 layers (M) but the model has no mamba: section");
    if (uses('E') && !s.moe) m.fail("hybrid_pattern", "has MoE layers (E) but the model has no moe: section");
    if (s.moe && (s.moe->dense_layers > 0 || s.moe->layer_step > 1))
      m.fail("hybrid_pattern", "places the MoE layers itself: moe.dense_layers and moe.layer_step do not apply");
    if (s.mtp_layers > 0) m.fail("mtp_layers", "multi-token prediction is not modelled for a hybrid model");
  } else if (s.mamba) {
    m.fail("mamba", "Mamba-2 layers need a hybrid_pattern saying where they are (M)");
  }
  return s;
}

std::vector<std::string> model_names() { return data_names("configs/models"); }

ModelSpec load_model(const std::string& name_or_path) { return load_model(name_or_path, SourceLoc{"model", 0, 0, "model"}); }

ModelSpec load_model(const std::string& name_or_path, const SourceLoc& where) {
  const std::string path = resolve_data_path("configs/models", "model", name_or_path, where);
  YamlMap m(load_yaml_file(path), path);
  if (m.integer("schema_version") != 1) m.fail("schema_version", "unsupported schema_version");
  if (m.str("kind") != "model") m.fail("kind", "expected kind: model");
  ModelSpec s = parse_model(m);
  m.finish();
  return s;
}

}  // namespace commsim
