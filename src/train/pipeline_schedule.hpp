// Pipeline schedules: which one runs, its bubble, and the micro-batches of activations a stage holds.
//
// p stages, m micro-batches per pipeline per step, v model chunks per stage; F, B, W: a micro-batch's
// forward, full backward (input and weight gradients) and weight-gradient times on a stage (B includes W).
//   1f1b         bubble (p - 1)(F + B)                   (Narayanan et al. SC'21)    holds min(m, p - i)
//   interleaved  bubble (p - 1)(F + B) / v                (Narayanan et al. SC'21)    Megatron's warm-up + 1
//   zero-bubble  bubble (p - 1)(F + B - 2W)               (ZB-H1, Qi et al. ICLR'24, in DeepSeek-V3's table 2
//                notation: B is the full backward; Qi's own (p - 1)(F + B_in - W))   holds min(m, p - i)
//   dualpipe     bubble (p/2 - 1)(F&B + B - 3W), F&B = F + B (DeepSeek-V3 report, table 2); every rank holds
//                two stages (i and p - 1 - i: 2x parameters) and p + 1 micro-batches of activations
// Check (tested): p 8, F 1, B 2, W 1: 1f1b 21, interleaved v 2 10.5, zero-bubble 7, dualpipe 6.
#pragma once

#include <string>

namespace commsim {

enum class Schedule { k1f1b, kInterleaved, kZeroBubble, kDualPipe };
const char* schedule_name(Schedule s);
Schedule parse_schedule(const std::string& s, const std::string& key);  // throws InputError naming key

// Per-micro-batch times of the slowest stage (seconds; any unit).
struct MicrobatchTimes {
  double f = 0, b = 0, w = 0;  // forward, full backward, the weight-gradient part of b
};

// Idle time per step in units of (F + B): the bubble divided by the micro-batch time.
double schedule_bubble_microbatches(Schedule s, int pp, int vpp, const MicrobatchTimes& t);

// Micro-batches of a stage's activations that stage `i` of `p` holds at its peak (in units of the whole
// stage's activations per micro-batch; interleaved chunks count 1/v each).
double schedule_in_flight(Schedule s, int i, int p, int vpp, double microbatches);

}  // namespace commsim
