#!/usr/bin/env bash
# readme_example.sh MPIEXEC COMMBENCH COMMSIM WORKDIR [MAX_PERCENT]: runs README "Use"'s calibration
# commands exactly (the measurement, then the fit) and requires the fit to report convergence and the
# in-sample median |time error| over all fitted rows (the "(all)" line of "fitted rows") to be below
# MAX_PERCENT (default 10). On a host shared with other work one measurement can be spoiled by other
# tenants; the measurement is then repeated once (said on the output) before the test fails. When the host
# is already loaded beyond its cores before the start (1-minute load average > cores), the figure would
# measure the other tenants: the test says so and exits 77 (skipped); COMMSIM_TIMING_TESTS=force runs it.
set -u
mpiexec=$1 commbench=$2 commsim=$3 work=$4 max=${5:-10}
mkdir -p "$work" && cd "$work" || exit 1
rm -f m.json local.yaml

cores=$(nproc 2>/dev/null || echo 1)
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
if [ "${COMMSIM_TIMING_TESTS:-}" != force ] && awk -v l="$load" -v c="$cores" 'BEGIN {exit !(l > c)}'; then
  echo "skipped: load average $load on $cores core(s) before the start; this timing test needs an otherwise idle host"
  echo "(COMMSIM_TIMING_TESTS=force runs it anyway)"
  exit 77
fi

attempt() {
  "$mpiexec" -np 4 --oversubscribe "$commbench" --backend mpi --op all -b 1K -e 64M -f 2 -J m.json >measure.log 2>&1 ||
    { echo "commbench failed:"; tail -20 measure.log; return 2; }
  "$commsim" calibrate --system localhost --gpus 4 --measured m.json --out local.yaml >calibrate.log 2>calibrate.err ||
    { echo "commsim calibrate failed:"; cat calibrate.err; return 2; }
  cat calibrate.err calibrate.log
  if grep -q "NOT converged" calibrate.err; then echo "the fit did not converge"; return 1; fi
  # "(all)" row of the "fitted rows" summary: op rows median|t_err| ...
  median=$(awk '/^# fitted rows/ {f = 1} f && $1 == "(all)" {sub(/%/, "", $3); print $3; exit}' calibrate.log)
  [ -n "$median" ] || { echo "no fitted-rows summary in the output"; return 2; }
  echo "in-sample median |time error| ${median}% (bound ${max}%)"
  awk -v m="$median" -v b="$max" 'BEGIN {exit !(m < b)}'
}

attempt
rc=$?
if [ "$rc" = 1 ]; then
  echo "== measuring again (a shared host can spoil one measurement) =="
  attempt
  rc=$?
fi
exit "$rc"
