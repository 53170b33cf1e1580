#!/usr/bin/env bash
# loop_predict.sh COMMSIM NP DIR MEASURE_COMMAND...: the predict step of the calibration loop (CMakeLists.txt).
# Predicts the odd-indexed sizes of DIR/npNP.json from DIR/localhost-npNP.yaml and requires the median |time
# error| over sizes of 64 KiB and more to be at most 20%. When the bound fails (exit 1), a measurement may have
# been spoiled (4 ranks share 2 cores on the CI machine, the scheduler's quantum or another tenant's burst lands
# in the times: one 32 MiB all_reduce once took 115 ms against 1.8 ms at 8 MiB): as readme_example.sh does, it
# measures again with MEASURE_COMMAND (which rewrites DIR/npNP.json), refits and predicts, saying so, at most
# twice; the bound is the same and the last result stands. If that fails too while the host is loaded beyond
# its cores (1-minute load average > cores), the figure measured the other tenants: it says so and exits 77
# (skipped), as readme_example.sh does; COMMSIM_TIMING_TESTS=force makes it a failure.
set -u
commsim=$1 np=$2 dir=$3
shift 3
predict() {
  "$commsim" validate collectives --system "$dir/localhost-np$np.yaml" --gpus "$np" --measured "$dir/np$np.json" \
    --sizes odd,64K: --max-median-error 20
}
predict
rc=$?
for attempt in 2 3; do
  [ "$rc" = 1 ] || exit "$rc"
  echo "== the bound failed: measuring again (attempt $attempt of 3; a spoiled measurement), then fitting and predicting again =="
  "$@" >"$dir/np$np.remeasure.log" 2>&1 || { echo "the measurement failed:"; tail -20 "$dir/np$np.remeasure.log"; exit 2; }
  "$commsim" calibrate --system localhost --gpus "$np" --measured "$dir/np$np.json" --fit-sizes even \
    --out "$dir/localhost-np$np.yaml" >/dev/null || exit 2
  predict
  rc=$?
done
if [ "$rc" = 1 ] && [ "${COMMSIM_TIMING_TESTS:-}" != force ]; then
  cores=$(nproc 2>/dev/null || echo 1)
  load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
  if awk -v l="$load" -v c="$cores" 'BEGIN {exit !(l > c)}'; then
    echo "skipped: the bound failed three times with the load average at $load on $cores core(s); this timing test needs an otherwise idle host"
    exit 77
  fi
fi
exit "$rc"
