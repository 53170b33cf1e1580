#!/usr/bin/env bash
# plan_jobs.sh COMMSIM DIR PLAN-ARGS...: runs the plan with -j 1 and -j 3; their outputs must be byte-identical.
set -euo pipefail
bin="$1" dir="$2"
shift 2
mkdir -p "$dir"
"$bin" "$@" -j 1 > "$dir/j1.out"
"$bin" "$@" -j 3 > "$dir/j3.out"
cmp "$dir/j1.out" "$dir/j3.out"
echo "identical, $(grep -c ',meets,' "$dir/j1.out") candidates meet"
