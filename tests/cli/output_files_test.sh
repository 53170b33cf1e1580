#!/usr/bin/env bash
# output_files_test.sh SCENARIO COMMSIM SOURCE_DIR: output files are whole or absent (docs/cli.md, "Files").
#   keep-old:  a collective run that fails after writing some rows (--op all --algo ring stops at alltoall)
#              leaves an existing --out file byte-identical, and no temporary beside it.
#   no-partial: the same run with no existing file creates none.
#   replace:   a good run replaces the file whole.
#   verdict-keeps-report: train that does not fit (exit 3) still writes its whole report to --out.
#   calibrate-in-place: calibrate --system F.yaml --out F.yaml reads F before replacing it; the result loads.
#   calibrate-error-keeps-old: calibrate that fails on its input leaves an existing --out byte-identical.
#   calibrate-stdout-full-keeps-old: calibrate (--measured, and --compute) whose report cannot be written
#              (stdout /dev/full) is exit 1 and leaves an existing --out byte-identical (it was replaced first).
#   study-no-result-keeps-old: study (a base and axes) none of whose points gives a result (exit 2) leaves its
#              --format csv -O file and its --html page byte-identical (they were written, exit 2); a study that
#              gives a result replaces both whole.
#   dangling-same-file: sweep --csv F --jsonl L, L a symlink to F that does not exist yet: exit 2 naming both
#              flags, nothing written (F got CSV and JSON Lines mixed, exit 0).
#   dangling-link: train -O L, L a dangling symlink (relative target): the target is created whole and L
#              stays a link (L was replaced by a regular file).
#   input-as-output: an output naming a file the run read (train -O its config, through a link too; sweep
#              --csv/--jsonl a point's model; plan --out or --html its prices; train --auto -O its config) is
#              exit 2, the input byte-identical, no temporary left (each replaced the input with exit 0; plan
#              --html and train --auto refuse before their search).
#   interrupted: a plan writing --out stopped by SIGINT, then SIGTERM: it dies of the signal (exit 130, 143), no
#              temporary left beside the target, which does not appear (one `.NAME.tmp.PID.N` per interrupt).
#   hard-link: sweep --csv F --jsonl L, L a hard link to F: exit 2 naming both flags (each was written over the
#              other, exit 0: compared by path only).
#   long-name: -O with a legal 250-character name (its temporary's name was too long: exit 2); no temporary left.
#   owner:     a replaced file keeps its owner and group (as root: they became root's, the mode kept, so the
#              owner could no longer read it).
#   no-temporary-there: -O /proc/version says the temporary cannot be created in /proc (it said the file that
#              exists was "No such file or directory").
#   read-only: as an unprivileged user (nobody), -O a file of its own with mode 0444, and one of root's:
#              exit 2 "Permission denied", the files unchanged (the rename replaced both, exit 0, where --csv
#              and the shell's `>` refuse; helper-134); skipped where not root or nobody cannot run the binary.
#   mounted:   -O a file bind-mounted over (a container's -v): written in place once complete (exit 1 "cannot
#              replace the file: Device or resource busy" after the run), a failed run leaving it as it was;
#              skipped where mount is not allowed.
set -u
scenario=$1 commsim=$2 src=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/commsim-files.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
failing=(collective --system dgx-h100 --op all --algo ring -b 1K -e 1M -f 4 --format csv --out "$tmp/x.csv")
leftovers() { ls -A "$tmp" | grep -c '\.tmp\.' ; }

case $scenario in
keep-old)
  printf 'op,size_bytes\nold,1\n' >"$tmp/x.csv"
  cp "$tmp/x.csv" "$tmp/before.csv"
  out=$("$commsim" "${failing[@]}" 2>&1); rc=$?
  [ "$rc" = 2 ] || fail "exit $rc (want 2): $out"
  printf '%s' "$out" | grep -q "cannot run alltoall" || fail "unexpected message: $out"
  cmp "$tmp/x.csv" "$tmp/before.csv" || fail "the existing file changed"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left: $(ls -A "$tmp")"
  ;;
no-partial)
  out=$("$commsim" "${failing[@]}" 2>&1); rc=$?
  [ "$rc" = 2 ] || fail "exit $rc (want 2): $out"
  [ ! -e "$tmp/x.csv" ] || fail "a partial file was left: $(head -3 "$tmp/x.csv")"
  [ "$(ls -A "$tmp" | wc -l)" = 0 ] || fail "files were left: $(ls -A "$tmp")"
  ;;
replace)
  printf 'old\n' >"$tmp/x.csv"
  "$commsim" collective --system dgx-h100 --op all --algo auto -b 1K -e 1M -f 4 --format csv --out "$tmp/x.csv" ||
    fail "exit $?"
  grep -v '^#' "$tmp/x.csv" | head -1 | grep -q '^op,size_bytes' || fail "no CSV header: $(head -2 "$tmp/x.csv")"
  grep -q alltoall "$tmp/x.csv" || fail "the last op is missing"
  grep -q '^old' "$tmp/x.csv" && fail "old content left"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left"
  ;;
verdict-keeps-report)
  "$commsim" train --model llama3-70b --system dgx-h100 --gpus 8 --tp 8 --seq-len 8192 --global-batch 64 \
    --out "$tmp/t.txt" 2>"$tmp/err"; rc=$?
  [ "$rc" = 3 ] || fail "exit $rc (want 3: does not fit): $(cat "$tmp/err")"
  grep -q "does not fit" "$tmp/err" || fail "no verdict message: $(cat "$tmp/err")"
  grep -Eq "^ *fits +NO" "$tmp/t.txt" || fail "the report was not written whole: $(cat "$tmp/t.txt")"
  ;;
calibrate-in-place)
  cp "$src/topologies/systems/dgx-a100.yaml" "$tmp/F.yaml"
  out=$("$commsim" calibrate --system "$tmp/F.yaml" --gpus 2 --measured "$src/tests/data/logs/a100_1x2_all_reduce_debug.log" \
        --out "$tmp/F.yaml" 2>&1); rc=$?
  [ "$rc" = 0 ] || fail "calibrate exit $rc: $out"
  grep -q '^calibration:' "$tmp/F.yaml" || fail "no calibration section: $(cat "$tmp/F.yaml")"
  grep -q -- '-calibrated' "$tmp/F.yaml" || fail "not renamed -calibrated"
  grep -q '^gpu:' "$tmp/F.yaml" || fail "the original system was not copied: $(cat "$tmp/F.yaml")"
  "$commsim" collective --system "$tmp/F.yaml" --gpus 2 -b 1M -e 1M >/dev/null || fail "the calibrated file does not load"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left"
  ;;
calibrate-error-keeps-old)
  printf 'name: previous-calibration\n' >"$tmp/F.yaml"
  cp "$tmp/F.yaml" "$tmp/before.yaml"
  out=$("$commsim" calibrate --system dgx-a100 --gpus 2 --measured "$src/tests/data/bad/unparseable.log" \
        --out "$tmp/F.yaml" 2>&1); rc=$?
  [ "$rc" = 2 ] || fail "exit $rc (want 2): $out"
  cmp "$tmp/F.yaml" "$tmp/before.yaml" || fail "the existing file changed"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left"
  ;;
calibrate-stdout-full-keeps-old)
  printf 'name: previous-calibration\n' >"$tmp/F.yaml"
  cp "$tmp/F.yaml" "$tmp/before.yaml"
  out=$("$commsim" calibrate --system dgx-h100 --nodes 2 --gpus-per-node 1 \
        --measured "$src/tests/data/logs/gh200_2x1_all_reduce.log" --out "$tmp/F.yaml" 2>&1 >/dev/full); rc=$?
  [ "$rc" = 1 ] || fail "--measured: exit $rc (want 1): $out"
  cmp "$tmp/F.yaml" "$tmp/before.yaml" || fail "--measured: the existing file changed"
  out=$("$commsim" calibrate --compute "$src/tests/data/kernelbench/synthetic-h200.json" --out "$tmp/F.yaml" \
        2>&1 >/dev/full); rc=$?
  [ "$rc" = 1 ] || fail "--compute: exit $rc (want 1): $out"
  cmp "$tmp/F.yaml" "$tmp/before.yaml" || fail "--compute: the existing file changed"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left"
  ;;
dangling-same-file)
  ln -s "$tmp/F.csv" "$tmp/L.csv"
  out=$("$commsim" sweep "$src/tests/data/sweep/zip_where.yaml" --quiet --csv "$tmp/F.csv" --jsonl "$tmp/L.csv" 2>&1); rc=$?
  [ "$rc" = 2 ] || fail "exit $rc (want 2): $out"
  printf '%s' "$out" | grep -q -- "--csv and --jsonl name the same file" || fail "unexpected message: $out"
  [ ! -e "$tmp/F.csv" ] || fail "a file was written: $(head -3 "$tmp/F.csv")"
  [ "$(ls -A "$tmp")" = L.csv ] || fail "files were left: $(ls -A "$tmp")"
  ;;
study-no-result-keeps-old)
  study() {  # a collective study at one size: 0B gives no element per rank (every point invalid)
    printf 'schema_version: 1\nkind: study\nname: t\nbase: {system: dgx-h100, op: all_reduce, size: %s}\naxes:\n  gpus: [8]\n' "$1" >"$tmp/s.yaml"
  }
  printf 'OLD\n' >"$tmp/x.csv"; printf 'OLD\n' >"$tmp/x.html"
  study 0B
  out=$("$commsim" study "$tmp/s.yaml" --format csv -O "$tmp/x.csv" --html "$tmp/x.html" 2>&1); rc=$?
  [ "$rc" = 2 ] || fail "exit $rc (want 2): $out"
  printf '%s' "$out" | grep -q "no point of study 't' gave a result" || fail "unexpected message: $out"
  [ "$(cat "$tmp/x.csv")" = OLD ] || fail "the CSV changed: $(head -3 "$tmp/x.csv")"
  [ "$(cat "$tmp/x.html")" = OLD ] || fail "the page changed"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left: $(ls -A "$tmp")"
  study 1MiB
  out=$("$commsim" study "$tmp/s.yaml" --format csv -O "$tmp/x.csv" --html "$tmp/x.html" 2>&1); rc=$?
  [ "$rc" = 0 ] || fail "exit $rc (want 0): $out"
  grep -q '^0,8,all_reduce,1MiB,ok,' "$tmp/x.csv" || fail "the CSV was not replaced: $(cat "$tmp/x.csv")"
  grep -q '<html' "$tmp/x.html" || fail "the page was not replaced"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left: $(ls -A "$tmp")"
  ;;
dangling-link)
  mkdir "$tmp/reports"
  ln -s reports/R.txt "$tmp/L.txt"
  out=$("$commsim" train "$src/configs/train/llama3-70b-h100.yaml" -O "$tmp/L.txt" 2>&1); rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "exit $rc: $out"
  [ -L "$tmp/L.txt" ] || fail "the link was replaced by a regular file"
  [ "$(readlink "$tmp/L.txt")" = reports/R.txt ] || fail "the link changed: $(readlink "$tmp/L.txt")"
  grep -q "fits" "$tmp/reports/R.txt" || fail "the target was not written whole: $(cat "$tmp/reports/R.txt" 2>&1)"
  [ "$(leftovers)" = 0 ] && [ "$(ls -A "$tmp/reports" | grep -c '\.tmp\.')" = 0 ] || fail "a temporary file was left"
  ;;
input-as-output)
  cp "$src/configs/train/llama3-70b-h100.yaml" "$tmp/run.yaml"
  cp "$src/configs/models/llama3-8b.yaml" "$tmp/m.yaml"
  cp "$src/topologies/prices.yaml" "$tmp/p.yaml"
  ln -s run.yaml "$tmp/link.yaml"
  sed "s#model: llama3-70b#model: $tmp/m.yaml#" "$src/tests/data/sweep/zip_where.yaml" >"$tmp/study.yaml"
  cp "$tmp/run.yaml" "$tmp/run.before"; cp "$tmp/m.yaml" "$tmp/m.before"; cp "$tmp/p.yaml" "$tmp/p.before"
  expect_input() {  # FILE CMD...: exit 2 naming FILE as an input
    local f=$1; shift
    out=$("$commsim" "$@" 2>&1); rc=$?
    [ "$rc" = 2 ] || fail "exit $rc (want 2) from $*: $out"
    printf '%s' "$out" | grep -q "is an input of this run (read as '.*$f')" || fail "unexpected message from $*: $out"
  }
  expect_input run.yaml train "$tmp/run.yaml" -O "$tmp/run.yaml"
  expect_input run.yaml train "$tmp/run.yaml" --out "$tmp/link.yaml"
  expect_input m.yaml sweep "$tmp/study.yaml" --csv "$tmp/m.yaml"
  expect_input m.yaml sweep "$tmp/study.yaml" --jsonl "$tmp/m.yaml"
  expect_input p.yaml plan --model llama3-8b --tokens 1T --max-gpus 64 --deadline 300d --prices "$tmp/p.yaml" --out "$tmp/p.yaml"
  # refused before the search, as the outputs are opened (an unknown candidate would fail in the search)
  expect_input p.yaml plan --model llama3-8b --tokens 1T --max-gpus 64 --deadline 300d --prices "$tmp/p.yaml" \
    --candidates no-such-system --html "$tmp/p.yaml"
  expect_input run.yaml train "$tmp/run.yaml" --auto --top 2 -O "$tmp/run.yaml"
  cmp "$tmp/run.yaml" "$tmp/run.before" && cmp "$tmp/m.yaml" "$tmp/m.before" && cmp "$tmp/p.yaml" "$tmp/p.before" ||
    fail "an input changed"
  [ -L "$tmp/link.yaml" ] || fail "the link was replaced"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left: $(ls -A "$tmp")"
  ;;
interrupted)
  # In the foreground under timeout: a background job of a script ignores SIGINT (and so would the plan).
  for sig in INT TERM; do
    timeout --preserve-status -s "$sig" 4 "$commsim" plan --model deepseek-v3 --tokens 1T --budget 1MUSD \
      --out "$tmp/plan.txt" --quiet 2>"$tmp/err.txt"
    rc=$?
    want=$((128 + $(kill -l "$sig")))
    [ $rc = "$want" ] || fail "SIG$sig: exit $rc, expected $want: $(cat "$tmp/err.txt")"
    [ "$(leftovers)" = 0 ] || fail "SIG$sig: a temporary file was left: $(ls -A "$tmp")"
    [ ! -e "$tmp/plan.txt" ] || fail "SIG$sig: plan.txt appeared"
  done
  ;;
hard-link)
  : >"$tmp/f.csv" && ln "$tmp/f.csv" "$tmp/f.jsonl" || fail "setup"
  out=$("$commsim" sweep chiplet-d2d --csv "$tmp/f.csv" --jsonl "$tmp/f.jsonl" 2>&1 >/dev/null); rc=$?
  [ $rc = 2 ] || fail "exit $rc (want 2): $out"
  printf '%s' "$out" | grep -q -- "--csv and --jsonl name the same file" || fail "message: $out"
  [ -s "$tmp/f.csv" ] && fail "written: $(head -2 "$tmp/f.csv")"
  ;;
long-name)
  name=$(printf 'a%.0s' $(seq 1 250))
  "$commsim" collective --system dgx-h100 -b 1M -e 1M -O "$tmp/$name" || fail "exit $?"
  grep -q "^# commsim" "$tmp/$name" || fail "not written: $(ls -A "$tmp")"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left: $(ls -A "$tmp")"
  ;;
owner)
  [ "$(id -u)" = 0 ] || { echo "ok: $scenario (skipped: not root)"; exit 0; }
  echo old >"$tmp/o.txt" && chown nobody:nogroup "$tmp/o.txt" && chmod 640 "$tmp/o.txt" || fail "setup"
  "$commsim" collective --system dgx-h100 -b 1M -e 1M -O "$tmp/o.txt" || fail "exit $?"
  [ "$(stat -c '%U:%G %a' "$tmp/o.txt")" = "nobody:nogroup 640" ] || fail "owner/mode: $(stat -c '%U:%G %a' "$tmp/o.txt")"
  grep -q "^# commsim" "$tmp/o.txt" || fail "not replaced"
  ;;
read-only)
  [ "$(id -u)" = 0 ] || { echo "ok: $scenario (skipped: not root)"; exit 0; }
  # nobody runs a copy of the binary and its data in the scratch directory (a clone in a 0700 directory is
  # out of its reach)
  chmod 755 "$tmp" && mkdir "$tmp/run" && cp "$commsim" "$tmp/run/commsim" && cp -r "$src/topologies" "$src/configs" "$tmp/run/" &&
    chmod -R a+rX "$tmp/run" || fail "setup"
  as_nobody=(env COMMSIM_DATA_DIR="$tmp/run" setpriv --reuid=65534 --regid=65534 --clear-groups)
  commsim=$tmp/run/commsim
  "${as_nobody[@]}" "$commsim" collective --system dgx-h100 -b 1M -e 1M >/dev/null 2>&1 ||
    { echo "ok: $scenario (skipped: nobody cannot run $commsim)"; exit 0; }
  chown nobody:nogroup "$tmp" || fail "setup"
  echo old >"$tmp/ro.txt" && chown nobody:nogroup "$tmp/ro.txt" && chmod 444 "$tmp/ro.txt" || fail "setup"
  echo root >"$tmp/root.txt" && chmod 644 "$tmp/root.txt" || fail "setup"
  out=$("${as_nobody[@]}" "$commsim" collective --system dgx-h100 -b 1M -e 1M -O "$tmp/ro.txt" 2>&1); rc=$?
  [ $rc = 2 ] || fail "exit $rc (want 2): $out"
  printf '%s' "$out" | grep -q "ro.txt: cannot open output file for writing: Permission denied" || fail "message: $out"
  [ "$(cat "$tmp/ro.txt")" = old ] || fail "the read-only file changed"
  out=$("${as_nobody[@]}" "$commsim" collective --system dgx-h100 -b 1M -e 1M -O "$tmp/root.txt" 2>&1); rc=$?
  [ $rc = 2 ] || fail "root's file: exit $rc (want 2): $out"
  [ "$(cat "$tmp/root.txt")" = root ] && [ "$(stat -c %U "$tmp/root.txt")" = root ] || fail "root's file replaced"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left: $(ls -A "$tmp")"
  ;;
no-temporary-there)
  out=$("$commsim" collective --system dgx-h100 -b 1M -e 1M -O /proc/version 2>&1); rc=$?
  [ $rc = 2 ] || fail "exit $rc (want 2): $out"
  printf '%s' "$out" | grep -q "/proc/version: cannot create a file in /proc (the output is written to a temporary file there" ||
    fail "message: $out"
  ;;
mounted)
  echo host >"$tmp/host.csv" && : >"$tmp/m.csv" || fail "setup"
  mount --bind "$tmp/host.csv" "$tmp/m.csv" 2>/dev/null || { echo "ok: $scenario (skipped: mount not allowed)"; exit 0; }
  trap 'umount "$tmp/m.csv" 2>/dev/null; rm -rf "$tmp"' EXIT
  "$commsim" collective --system dgx-h100 -b 1M -e 1M -O "$tmp/m.csv" 2>"$tmp/err"; rc=$?
  [ $rc = 0 ] || fail "exit $rc: $(cat "$tmp/err")"
  grep -q "^# commsim" "$tmp/host.csv" || fail "the mounted file was not written: $(head -2 "$tmp/host.csv")"
  # ... once complete: a run that fails leaves it as it was (it was emptied when opened), no temporary left
  echo host >"$tmp/host.csv"
  "$commsim" collective --system dgx-h100 --op all --algo ring -b 1K -e 1M -f 4 --format csv --out "$tmp/m.csv" 2>/dev/null
  rc=$?
  [ $rc = 2 ] || fail "failing run: exit $rc"
  [ "$(cat "$tmp/host.csv")" = host ] || fail "a failed run changed the mounted file: $(head -2 "$tmp/host.csv")"
  [ "$(leftovers)" = 0 ] || fail "a temporary file was left: $(ls -A "$tmp")"
  ;;
*) fail "unknown scenario '$scenario'" ;;
esac
echo "ok: $scenario"
