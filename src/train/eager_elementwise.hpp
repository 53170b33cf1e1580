// PyTorch eager mode (training.compile: false): the model code's elementwise ops run as separate kernels,
// each a pass over its tensor, where torch.compile (or Transformer Engine's and Apex's fused kernels) runs
// one. The op list (layer_ops.cpp) costs the fused pass; eager multiplies a memory op's bytes by the
// decomposition's:
//   bytes_eager = bytes_fused * r,   r = eager bytes per element / fused bytes per element
// for the norms (RMSNorm 36 / 4 = 9, torchtitan's upcast-pow-mean-rsqrt-mul-cast-mul; LayerNorm 1, one native
// kernel), the rotary embedding (20 / 4 = 5, torchtitan's complex multiply in fp32) and the MLP activation
// (SwiGLU 10 / 6 = 1.667, GELU 1, squared ReLU 2), a Mamba-2 block's pre-norm as the others. Residual adds
// are one kernel either way. Data:
// topologies/eager-elementwise.yaml, each ratio derived from the code it names, with its source.
// Check (tested): Llama 3 8B norm1 on 16,384 tokens: 2 x 16,384 x 4,096 x 2 B = 268 MB fused, 2.42 GB eager.
#pragma once

#include "core/yaml_reader.hpp"
#include "train/model_spec.hpp"

namespace commsim {

struct EagerElementwise {
  Figure rmsnorm, layernorm, rope, swiglu, gelu, squared_relu;
  double norm(Norm n) const { return n == Norm::kRms ? rmsnorm.value : layernorm.value; }
  double activation(Activation a) const {
    return a == Activation::kSwiglu ? swiglu.value : a == Activation::kGelu ? gelu.value : squared_relu.value;
  }
};

// topologies/eager-elementwise.yaml (cached per data directory). Throws InputError naming file:line:key.
const EagerElementwise& eager_elementwise();

// The ratio an op's bytes take: the data's under eager, 1 when compiled (the data file is not read then).
inline double eager_norm_ratio(const ModelSpec& m, bool eager) {
  return eager ? eager_elementwise().norm(m.norm) : 1.0;
}
inline double eager_rope_ratio(bool eager) {
  return eager ? eager_elementwise().rope.value : 1.0;
}
inline double eager_activation_ratio(const ModelSpec& m, bool eager) {
  return eager ? eager_elementwise().activation(m.activation) : 1.0;
}

}  // namespace commsim
