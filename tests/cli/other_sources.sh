#!/usr/bin/env bash
# Rows from sources the mapping has no rule for: the generic metrics are one estimate read several ways.
# Usage: other_sources.sh COMMSIM CSV. The MAP-H200* rows share their layout (8 H200, bf16 peak 989.4
# TFLOPS, seq 8192): tokens/s = 8 x tokens/s/GPU, MFU % = 100 x TFLOPS/GPU / 989.4, samples/s = tokens/s /
# 8192 (and per GPU; the CSV rounds to 2 decimals: 0.5%), a step time in ms is the one in s (published 2000 ms = 2 s), an MFU of 0.45 is 45%,
# and without recompute the HFU is the MFU. Other spellings of the same metrics read as them: "Model
# TFLOP/sec/GPU" (Megatron-Bridge's header; another source: model TFLOPS/GPU), "throughput (tokens/s/GPU)",
# "tokens per second per GPU", "elapsed time per iteration (ms)" (Megatron's log line), "s/iter"; the
# DeepSeek-V3 report's "GPU hours per trillion tokens" is 1e12 / (tokens/s/GPU x 3600), "days per trillion
# tokens" 1e12 / (tokens/s x 86400); "Seq/s" is samples/s.
set -euo pipefail
out=$("$1" validate training "$2" --format csv)
val() { col "$1" predicted; }
col() { printf '%s\n' "$out" | awk -F, -v id="$1" -v name="$2" 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == name) c = i } $1 == id { print $c }'; }
toks=$(val MAP-H200-TOKS) tokg=$(val MAP-H200-TOKG) tflops=$(val MAP-H200) mfu=$(val MAP-H200-MFU)
echo "tokens/s $toks, tokens/s/GPU $tokg, TFLOPS/GPU $tflops, MFU $mfu"
awk -v a="$toks" -v b="$tokg" -v t="$tflops" -v m="$mfu" 'BEGIN {
  if (a == "" || b == "" || t == "" || m == "" || b <= 0 || t <= 0) { print "missing or empty prediction"; exit 1 }
  e1 = a / (8 * b) - 1; e2 = m / (100 * t / 989.4) - 1
  if (e1 < -1e-6 || e1 > 1e-6) { print "tokens/s is not 8 x tokens/s/GPU"; exit 1 }
  if (e2 < -5e-4 || e2 > 5e-4) { print "MFU is not TFLOPS/GPU over the 989.4 TFLOPS peak"; exit 1 }
  print "four metrics agree" }'
samp=$(val MAP-H200-SAMP) sampg=$(val MAP-H200-SAMPG) step=$(val MAP-H200-STEP) ms=$(val MAP-H200-MS)
ms_pub=$(col MAP-H200-MS published) mfuf_pub=$(col MAP-H200-MFUF published) hfu=$(val MAP-H200-HFU)
echo "samples/s $samp, samples/s/GPU $sampg, step $step s, step read from ms $ms s (published $ms_pub s), MFU 0.45 read as $mfuf_pub %, HFU $hfu %"
sp_seq=$(val MAP-H200-SPELL-SEQ)
awk -v q="$sp_seq" -v a="$toks" -v b="$tokg" -v m="$mfu" -v h="$hfu" -v s="$samp" -v g="$sampg" -v st="$step" -v ms="$ms" -v mp="$ms_pub" -v fp="$mfuf_pub" 'BEGIN {
  if (s == "" || g == "" || st == "" || ms == "") { print "missing or empty prediction"; exit 1 }
  if (s / (a / 8192) - 1 > 5e-3 || s / (a / 8192) - 1 < -5e-3) { print "samples/s is not tokens/s / seq"; exit 1 }
  if (q != s) { print "Seq/s is not samples/s"; exit 1 }
  if (g / (b / 8192) - 1 > 5e-3 || g / (b / 8192) - 1 < -5e-3) { print "samples/s/GPU is not tokens/s/GPU / seq"; exit 1 }
  if (ms != st || mp != "2.00") { print "a step time in ms is not read in ms"; exit 1 }
  if (fp != "45.00") { print "an MFU of 0.45 is not read as 45%"; exit 1 }
  if (h != m) { print "HFU without recompute is not the MFU"; exit 1 }
  print "consistent" }'
sp_t=$(val MAP-H200-SPELL-TFLOPS) sp_g=$(val MAP-H200-SPELL-TOKG) sp_p=$(val MAP-H200-SPELL-TOKPS)
sp_ms=$(val MAP-H200-SPELL-MS) sp_it=$(val MAP-H200-SPELL-ITER) sp_ms_pub=$(col MAP-H200-SPELL-MS published)
sp_pp=$(val MAP-H200-SPELL-TOKP) sp_tn=$(val MAP-H200-SPELL-TFNPU) sp_ach=$(val MAP-H200-SPELL-ACH) sp_mful=$(val MAP-H200-SPELL-MFUL)
sp_tgs=$(val MAP-H200-SPELL-TGS) sp_tpsg=$(val MAP-H200-SPELL-TPSG) sp_titer=$(val MAP-H200-SPELL-TITER)
sp_batch=$(val MAP-H200-BATCH-TOKENS)
echo "spellings: TFLOPS $sp_t and per NPU $sp_tn, tokens/s/GPU $sp_g, $sp_p and per processor $sp_pp, step $sp_ms s (published $sp_ms_pub s) and $sp_it s"
echo "more spellings: achieved TFLOPS $sp_ach, model FLOPs utilization $sp_mful %, TGS $sp_tgs, TPS/GPU $sp_tpsg, time/iter $sp_titer s, a batch of 512K tokens $sp_batch tokens/s/GPU"
awk -v t="$tflops" -v b="$tokg" -v st="$step" -v a="$sp_t" -v g="$sp_g" -v p="$sp_p" -v m="$sp_ms" -v i="$sp_it" -v mp="$sp_ms_pub" -v pp="$sp_pp" -v tn="$sp_tn" \
    -v ach="$sp_ach" -v mful="$sp_mful" -v mfu="$mfu" -v tgs="$sp_tgs" -v tpsg="$sp_tpsg" -v titer="$sp_titer" -v batch="$sp_batch" 'BEGIN {
  if (a == "" || g == "" || p == "" || m == "" || i == "" || pp == "" || tn == "") { print "a spelling is not read"; exit 1 }
  if (ach == "" || mful == "" || tgs == "" || tpsg == "" || titer == "" || batch == "") { print "a spelling is not read"; exit 1 }
  if (a != t || g != b || p != b || m != st || i != st || mp != "2.00" || pp != b || tn != t) { print "a spelling reads as another metric"; exit 1 }
  if (ach != t || mful != mfu || tgs != b || tpsg != b || titer != st || batch != b) { print "a spelling reads as another metric"; exit 1 }
  print "spellings consistent" }'
gpuh=$(val MAP-H200-GPUH) days=$(val MAP-H200-DAYS)
echo "GPU hours per trillion tokens $gpuh, days per trillion tokens $days"
awk -v a="$toks" -v b="$tokg" -v h="$gpuh" -v d="$days" 'BEGIN {
  if (h == "" || d == "") { print "a per-trillion-tokens metric is not read"; exit 1 }
  e1 = h / (1e12 / (b * 3600)) - 1; e2 = d / (1e12 / (a * 86400)) - 1
  if (e1 < -1e-3 || e1 > 1e-3 || e2 < -1e-3 || e2 > 1e-3) { print "GPU hours or days per trillion tokens disagree with tokens/s"; exit 1 }
  print "cost metrics consistent" }'
# Units in the metric (2026-12-06; each was read as the base unit): GPU hours per 2T tokens are twice those
# per trillion, "K GPU hours" thousands (30 published is 30,000) and GPU days 24 hours (1,250 is 30,000); a step
# time in minutes (0.0333333 min) and in us (2,000,000) is the 2 s of the others.
gpuh2=$(val MAP-H200-GPUH2T) kpub=$(col MAP-H200-KGPUH published) dpub=$(col MAP-H200-GPUDAYS published)
min_pub=$(col MAP-H200-MIN published) us_pub=$(col MAP-H200-US published) us=$(val MAP-H200-US)
echo "per 2T $gpuh2, K GPU hours published $kpub, GPU days published $dpub, step in min $min_pub s, in us $us_pub s"
awk -v h="$gpuh" -v h2="$gpuh2" -v k="$kpub" -v d="$dpub" -v mi="$min_pub" -v u="$us_pub" -v us="$us" -v st="$step" 'BEGIN {
  if (h2 == "" || k == "" || d == "" || mi == "" || u == "") { print "a metric with a unit is not read"; exit 1 }
  if (h2 / (2 * h) - 1 > 1e-3 || h2 / (2 * h) - 1 < -1e-3) { print "GPU hours per 2T tokens are not twice those per 1T"; exit 1 }
  if (k != "30000.00" || d != "30000.00") { print "K GPU hours or GPU days are not read in hours"; exit 1 }
  if (mi != "2.00" || u != "2.00" || us != st) { print "a step time in min or us is not read in its unit"; exit 1 }
  print "units consistent" }'
