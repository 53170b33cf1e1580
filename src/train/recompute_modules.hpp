// Megatron-LM's selective-recompute modules (`--recompute-granularity selective --recompute-modules ...`,
// Megatron-Core TransformerConfig.recompute_modules): each names a piece of a layer whose saved activations
// are dropped after the forward pass and rebuilt in the backward pass. Megatron's default list is
// [core_attn]. `training.recompute_modules` in a training config; docs/training.md ("Memory"). Two more
// names are commsim's: mlp_act (the dense counterpart of moe_act) and op_sac (torchtitan's policy).
#pragma once

#include <string>
#include <vector>

namespace commsim {

enum RecomputeModule : unsigned {
  kRecomputeCoreAttn = 1u << 0,       // attention core (scores, softmax; FlashAttention keeps only Q, K, V, O)
  kRecomputeMlaUpProj = 1u << 1,      // MLA up-projections and RoPE: Q, K, V rebuilt from the latents
  kRecomputeLayernorm = 1u << 2,      // the two norms: their outputs (the QKV / MLP inputs) are not kept
  kRecomputeMlp = 1u << 3,            // the dense MLP: only its input is kept
  kRecomputeMoe = 1u << 4,            // the whole MoE block (router, experts, shared experts): only its input
  kRecomputeMoeAct = 1u << 5,         // the routed experts' activation function: its output (FC2 input) not kept
  kRecomputeSharedExperts = 1u << 6,  // the shared experts: only their input is kept
  kRecomputeMlpAct = 1u << 7,         // not a Megatron module: the dense MLP's activation output (FC2 input)
  kRecomputeOpSac = 1u << 8,          // not a Megatron module: torchtitan's op-level selective AC
                                      // (selective_ac_option "op"), see activation_memory.hpp
};
constexpr int kRecomputeModuleBits = 9;  // RecomputeModule's bits: 1 << 0 .. 1 << 8
constexpr int kMoeIndex = 4, kOpSacIndex = 8;  // kRecomputeMoe == 1 << kMoeIndex, kRecomputeOpSac == 1 << kOpSacIndex
static_assert(kRecomputeMoe == 1u << kMoeIndex && kRecomputeOpSac == 1u << kOpSacIndex && kOpSacIndex == kRecomputeModuleBits - 1,
              "module bit indices: op_sac is the last bit");

// The bit of a module named as Megatron spells it; 0 for an unknown name.
unsigned recompute_module_bit(const std::string& name);
std::string recompute_module_list();  // "core_attn, mla_up_proj, ..."
std::vector<std::string> recompute_module_names(unsigned modules);

}  // namespace commsim
