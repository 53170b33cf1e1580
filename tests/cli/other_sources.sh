#!/usr/bin/env bash
# Rows from sources the mapping has no rule for: the generic metrics are one estimate read four ways.
# Usage: other_sources.sh COMMSIM CSV. The four MAP-H200* rows share their layout (8 H200, bf16 peak
# 989.4 TFLOPS): tokens/s = 8 x tokens/s/GPU, MFU % = 100 x TFLOPS/GPU / 989.4.
set -euo pipefail
out=$("$1" validate training "$2" --format csv)
val() { printf '%s\n' "$out" | awk -F, -v id="$1" 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "predicted") c = i } $1 == id { print $c }'; }
toks=$(val MAP-H200-TOKS) tokg=$(val MAP-H200-TOKG) tflops=$(val MAP-H200) mfu=$(val MAP-H200-MFU)
echo "tokens/s $toks, tokens/s/GPU $tokg, TFLOPS/GPU $tflops, MFU $mfu"
awk -v a="$toks" -v b="$tokg" -v t="$tflops" -v m="$mfu" 'BEGIN {
  if (a == "" || b == "" || t == "" || m == "" || b <= 0 || t <= 0) { print "missing or empty prediction"; exit 1 }
  e1 = a / (8 * b) - 1; e2 = m / (100 * t / 989.4) - 1
  if (e1 < -1e-6 || e1 > 1e-6) { print "tokens/s is not 8 x tokens/s/GPU"; exit 1 }
  if (e2 < -5e-4 || e2 > 5e-4) { print "MFU is not TFLOPS/GPU over the 989.4 TFLOPS peak"; exit 1 }
  print "consistent" }'
