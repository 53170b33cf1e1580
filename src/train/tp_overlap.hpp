// The exposed part of the tensor-parallel collectives when overlap.tp hides them behind their paired GEMMs:
// Transformer Engine's userbuffers communication-GEMM overlap (Megatron --tp-comm-overlap, NeMo and
// Megatron-Bridge tp_comm_overlap). A TP collective can only run under the GEMM that produces or consumes
// its data, never under the attention core or another layer. Per layer, with sequence parallelism
// (AG = all-gather, RS = reduce-scatter of the b·s/cp × h activations, G_x one pass of GEMM x):
//   forward    AG -> QKV (G_qkv)    out-proj (G_o) -> RS    AG -> FC1 (G_1)    FC2 (G_2) -> RS
//   backward   AG(grad) -> out-proj dgrad (G_o)    QKV dgrad -> RS behind its wgrad (G_qkv)
//              AG(grad) -> FC2 dgrad (G_2)         FC1 dgrad -> RS behind its wgrad (G_1)
// (TE's ub methods: ring exchange for the gathers into a GEMM, bulk for the backward RS that runs beside
// the wgrad GEMM.) A dgrad or wgrad pass has the forward GEMM's FLOPs and shape, so each backward window is
// one pass of the same GEMM, G_x. Exposed per pair (C the collective's time, G its window):
//   exposed = max(0, C - G)
// Without sequence parallelism the all-reduces (AR) pair with the GEMM in front of them: forward out-proj
// and FC2, backward the QKV and FC1 dgrads. Full recompute runs the forward pairs again. The MoE side of a
// MoE layer pairs with the shared expert's FC1/FC2 (zero without one: the routed experts' grouped GEMMs are
// not userbuffer-overlapped, so those collectives stay exposed).
// Not added: the pipelined split's fill (the last of n chunks, C/n, or one GEMM chunk after the last gathered
// chunk) and the SMs the userbuffer kernels take from the GEMM (docs/training.md, "TP overlap").
// Checks (tested): AG 3, RS 2, G_qkv 1, G_o 2, G_1 4, G_2 4: forward (3-1) + 0 + 0 + 0 = 2, backward
// (3-2) + (2-1) + 0 + 0 = 2 -> 4 per layer (20 without overlap); full recompute adds the forward: 6.
// AR 5, same GEMMs: forward (5-2) + (5-4) = 4, backward (5-1) + (5-4) = 5 -> 9 (20 without overlap).
#pragma once

namespace commsim {

// One pass (forward time, s) of each TP-paired GEMM of a layer.
struct TpPairGemms {
  double qkv = 0;       // the attention input projections (QKV; MLA's q/kv projections)
  double out_proj = 0;  // the attention output projection
  double fc1 = 0;       // the MLP's first GEMM (a MoE layer's shared expert; 0 without one)
  double fc2 = 0;       // the MLP's second GEMM
  // The TP regions the layer has: a transformer layer both; a hybrid block one (a Mamba-2 mixer's in_proj
  // and out_proj pair as qkv and out_proj do).
  bool mixer = true, mlp = true;
  int regions() const { return (mixer ? 1 : 0) + (mlp ? 1 : 0); }
};

// max(0, comm - gemm): a collective hidden behind one GEMM.
double tp_pair_exposed(double comm, double gemm);
// Exposed TP time per layer and micro-batch (forward + backward, `forwards` forward passes: 2 under full
// recompute). Sequence parallel: ag, rs the all-gather and reduce-scatter times.
double tp_exposed_sp(double ag, double rs, const TpPairGemms& g, int forwards);
// Without sequence parallelism: ar the all-reduce time.
double tp_exposed_ar(double ar, const TpPairGemms& g, int forwards);

}  // namespace commsim
