#include "train/model_spec.hpp"

#include "core/error.hpp"
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

long ModelSpec::q_dim() const {
  if (mla) return heads * (mla->qk_nope_head_dim + mla->qk_rope_head_dim);
  return heads * head_dim;
}
long ModelSpec::kv_dim() const {
  if (mla) return mla->kv_lora_rank + mla->qk_rope_head_dim;
  return kv_heads * head_dim;
}
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

double ModelSpec::expert_params() const {
  return moe ? static_cast<double>(moe_layers()) * moe->experts * mlp_params(moe->expert_ffn_hidden) : 0.0;
}

double ModelSpec::embedding_params() const {
  return static_cast<double>(vocab) * static_cast<double>(hidden) * (tied_embeddings ? 1.0 : 2.0);
}

double ModelSpec::total_params() const {
  const int dense = layers - moe_layers();
  return dense * dense_layer_params() + moe_layers() * moe_layer_params() + embedding_params() + hidden;
}

double ModelSpec::active_params() const {
  const int dense = layers - moe_layers();
  return dense * dense_layer_params() + moe_layers() * moe_layer_active_params() + embedding_params() + hidden;
}

void check_model_shape(const ModelSpec& s, bool head_dim_derived,
                       const std::function<void(const std::string& key, const std::string& what)>& fail) {
  auto str = [](long v) { return std::to_string(v); };
  if (s.heads < 1 || s.kv_heads < 1 || s.kv_heads > s.heads || s.heads % s.kv_heads != 0)
    fail("kv_heads", str(s.kv_heads) + " does not divide heads (" + str(s.heads) + ")");
  // head_dim defaults to hidden / heads only when that is exact (never a truncated or zero width).
  if (head_dim_derived && s.hidden % s.heads != 0)
    fail("heads", str(s.heads) + " does not divide hidden (" + str(s.hidden) +
                      "); give head_dim for a model whose heads are not hidden / heads wide");
  if (s.moe && s.moe->dense_layers > s.layers)
    fail("moe.dense_layers", str(s.moe->dense_layers) + " exceeds layers (" + str(s.layers) + ")");
  if (s.moe && s.layers > s.moe->dense_layers && s.layers - s.moe->dense_layers < s.moe->layer_step)
    fail("moe.layer_step", str(s.moe->layer_step) + " leaves no MoE layer (" + str(s.layers - s.moe->dense_layers) +
                               " layer(s) after the dense ones)");
}

ModelSpec parse_model(YamlMap& m) {
  ModelSpec s;
  s.file = m.file();
  s.name = m.str("name");
  s.source = m.str_or("source", "");
  s.layers = static_cast<int>(m.integer("layers"));
  s.hidden = m.integer("hidden");
  s.heads = static_cast<int>(m.integer("heads"));
  s.kv_heads = static_cast<int>(m.integer_or("kv_heads", s.heads));
  check_model_shape(s, !m.has("head_dim") && !m.has("mla"), [&m](const std::string& key, const std::string& what) {
    // a check of two keys blames the one --set changed: --set model.hidden=7 named the file's heads line
    const std::string other = key == "kv_heads" ? "heads" : key == "heads" ? "hidden" : key == "moe.dense_layers" ? "layers" : "";
    if (!other.empty() && m.loc(key).file != "--set" && m.loc(other).file == "--set") m.fail(other, what);
    m.fail(key, what);
  });
  s.head_dim = m.integer_or("head_dim", s.hidden / s.heads);
  s.ffn_hidden = m.integer("ffn_hidden");
  s.vocab = m.integer("vocab");
  const std::string act = m.choice_or("activation", {"gelu", "swiglu", "squared_relu"}, "swiglu");
  s.activation = act == "gelu" ? Activation::kGelu : act == "swiglu" ? Activation::kSwiglu : Activation::kSquaredRelu;
  s.tied_embeddings = m.boolean_or("tied_embeddings", false);
  s.dropout = m.boolean_or("dropout", false);
  s.mtp_layers = static_cast<int>(m.integer_or("mtp_layers", 0, 0));
  if (auto moe = m.optional_map("moe")) {
    MoeSpec e;
    e.experts = static_cast<int>(moe->integer("experts"));
    e.top_k = static_cast<int>(moe->integer("top_k"));
    if (e.top_k > e.experts) moe->fail("top_k", "exceeds the number of experts (" + std::to_string(e.experts) + ")");
    e.shared_experts = static_cast<int>(moe->integer_or("shared_experts", 0, 0));
    e.expert_ffn_hidden = moe->integer("expert_ffn_hidden");
    e.shared_ffn_hidden = moe->integer_or("shared_ffn_hidden", e.expert_ffn_hidden);
    e.dense_layers = static_cast<int>(moe->integer_or("dense_layers", 0, 0));
    if (e.dense_layers > s.layers) moe->fail("dense_layers", "exceeds layers (" + std::to_string(s.layers) + ")");
    e.layer_step = static_cast<int>(moe->integer_or("layer_step", 1, 1));
    if (const int after = s.layers - e.dense_layers; after > 0 && after < e.layer_step)
      moe->fail("layer_step", std::to_string(e.layer_step) + " leaves no MoE layer (" + std::to_string(after) +
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
