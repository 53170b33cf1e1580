#!/bin/sh
# compare_osu.sh MPIRUN_PREFIX... -- COMMBENCH OSU_REFERENCE
# Runs commbench and the OSU-style reference loop on the same ranks and sizes (all_reduce, float, 16 KiB,
# 256 KiB, 4 MiB) and fails if any commbench time is outside [0.6, 1.67] x the reference: commbench must
# time the collective, not its harness. Both sides take the best of three interleaved runs (commbench's out-of-place
# time, as OSU uses separate buffers), and the bound is wide, because both run on shared cores.
set -u
prefix=""
while [ "$1" != "--" ]; do prefix="$prefix $1"; shift; done
shift
commbench=$1 osu=$2
sizes="16384 262144 4194304"
# Three interleaved runs of each; the minimum per size (interference only ever adds time).
ref_all="" ours_all=""
for run in 1 2 3; do
  ref_all="$ref_all
$($prefix "$osu" $sizes)" || { echo "reference run failed"; exit 1; }
  ours_all="$ours_all
$($prefix "$commbench" --backend mpi --op all_reduce -b 16K -e 4M -f 16 -n 100 -w 10 -c 0 --format csv)" ||
    { echo "commbench run failed"; exit 1; }
done
ref=$(echo "$ref_all" | awk 'NF == 2 && (!($1 in m) || $2 < m[$1]) {m[$1] = $2} END {for (s in m) print s, m[s]}')
ours=$(echo "$ours_all" | grep -v '^op,')
echo "reference (size us):"; echo "$ref"
echo "commbench csv:"; echo "$ours"
status=0
for s in $sizes; do
  r=$(echo "$ref" | awk -v s="$s" '$1 == s {print $2}')
  c=$(echo "$ours" | awk -F, -v s="$s" '$2 == s && $7 == 0 && (m == "" || $8 < m) {m = $8} END {print m}')
  if [ -z "$r" ] || [ -z "$c" ]; then echo "size $s: missing value (ref '$r', commbench '$c')"; status=1; continue; fi
  ok=$(awk -v r="$r" -v c="$c" 'BEGIN {q = c / r; printf "%.2f %s", q, (q >= 0.6 && q <= 1.67) ? "ok" : "FAIL"}')
  echo "size $s: commbench $c us / reference $r us = $ok"
  case "$ok" in *FAIL) status=1 ;; esac
done
exit $status
