#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan in build/fuzz (or $FUZZ_BUILD), then
# runs each for N seconds (default 60) on a copy of its seed corpus. Exit 1 on the first finding (a crash, leak, UB report
# or an exception that is not commsim::Error); the reproducer is left in build/fuzz/findings/<target>/.
#   bash scripts/fuzz.sh 6           # CI (.ci/run): 6 s each
#   FUZZ_TARGETS="nccl_log csv" bash scripts/fuzz.sh 600
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
targets="${FUZZ_TARGETS:-units csv nccl_log commbench_json system_yaml train_config study_config kernelbench_json prices training_cases sweep_spec}"
# FUZZ_BUILD=build/asan reuses the asan preset's build (clang, the same sanitizers; .ci/run does this);
# otherwise build/fuzz is configured here with the fuzz targets only.
build="${FUZZ_BUILD:-build/fuzz}"
if ! command -v "${CXX:-clang++}" >/dev/null; then  # clang and its libFuzzer runtime from Debian
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >&2
fi
if [ -z "${FUZZ_BUILD:-}" ]; then
  CXX="${CXX:-clang++}" cmake -S . -B "$build" -DCOMMSIM_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DCOMMSIM_BUILD_TESTS=OFF -DCOMMSIM_BUILD_BENCHMARKS=OFF \
    -DCOMMSIM_WITH_MPI=OFF -DCOMMSIM_WITH_NCCL=OFF >/dev/null
fi
cmake --build "$build" -j "${FUZZ_JOBS:-2}" --target fuzz_targets
export COMMSIM_DATA_DIR="$PWD"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:protect_shadow_gap=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for t in $targets; do
  corpus="$build/corpus/$t" findings="$build/findings/$t"
  mkdir -p "$corpus" "$findings"
  cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  log="$build/fuzz_$t.log"
  echo "== fuzz_$t: ${seconds}s"
  if "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$findings/" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$log" | tr '\n' ' '; echo
  else
    echo "FINDING in fuzz_$t (log: $log, reproducer in $findings/):"
    grep -E "ERROR:|runtime error|terminate called|uncaught|SUMMARY" "$log" | head -5
    status=1
  fi
done
exit $status
