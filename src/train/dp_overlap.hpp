// The exposed part of the data-parallel gradient reduction (or parameter all-gather) that Megatron's
// distributed data parallel overlaps with the backward (forward) pass (overlap_grad_reduce,
// overlap_param_gather; Megatron-Core DDP docs). A stage's G seconds of bucketed collectives run one after
// another on the DP stream. Without interleaving they can start during the last micro-batch's backward B
// (window B) and the last bucket waits for it: exposed = max(last, G - B). Under the interleaved schedule
// (Narayanan et al. SC'21) each of the v model chunks has its own buckets, reduced as soon as that chunk's
// last backward is done; on the stage that finishes last the cool-down runs the chunks in reverse order,
// n = min(m, p) micro-batches of one chunk after another, so chunk c's grads are final c·n·B/v before
// the end, and its own backward (B/v) is also a window:
//   free = -inf; for c = v-1 .. 0: end_c = -c·n·B/v, start = max(free, end_c - B/v),
//                                   free = max(start + G/v, end_c + last);
//   exposed = max(0, free)
// which is max(last, G - B) at v = 1. The parameter all-gather mirrors it with the first forward chunks
// (F for B, the first bucket for the last). Checks (tested): v 1, G 5, B 2, last 0.5 -> 3; v 4, n 4, G 8,
// B 4, last 0.5: chunks end at -12, -8, -4, 0, each reduces 2 s from 1 s before its end -> the DP stream is
// free at -11, -7, -3, 1 -> exposed 1 (4 without interleaving).
#pragma once

namespace commsim {

// G the stage's DP collectives (s), bucket the last (or first) bucket's, window the last micro-batch's
// backward (or first one's forward) on the stage, chunks v, n the micro-batches per chunk round.
double dp_overlap_exposed(double G, double bucket, double window, int chunks, double round);

}  // namespace commsim
