#!/bin/sh
# Runs a commbench command line and checks its exit code and output; used by the ctest CLI tests.
#
#   check_run.sh [--rc N|nonzero] [--skip-rc N] [--expect REGEX] [--table] [--unchecked] [--concluded OPS]
#                [--rows N] [--csv ROWS] [--max-seconds S] [--json-interrupted CHECKER FILE NRANKS]
#                -- command [args...]
#
#   --rc N          expected exit code (default 0); "nonzero" accepts any failure (a killed job's code
#                   depends on the launcher)
#   --skip-rc N     an exit code that means "skipped": still check --expect, then exit 77 for ctest
#   --expect REGEX  must match a line of stdout or stderr (grep -E); may be repeated
#   --table         stdout is an nccl-tests table: every data line has 13 columns, numeric sizes, times and
#                   bandwidths, #wrong == 0 (or N/A with --unchecked), and the header and footer lines exist
#   --concluded OPS space-separated collectives that must each have "# Collective test concluded: OP"
#   --rows N        number of table data lines
#   --csv ROWS      stdout is CSV in the schema shared with commsim: the header and ROWS lines of 15 fields,
#                   ranks > 0, wrong == 0, algorithm/protocol/bottleneck empty
#   --max-seconds S the command must end within S seconds (a watchdog or a fault must end the job)
#   --json-interrupted CHECKER FILE NRANKS
#                   FILE (the command's -J) is filled with a marker first; afterwards it must be either
#                   untouched (no row was measured) or a valid JSON of the rows so far, "complete": false
#                   (checked with CHECKER, commbench_json_check --partial)
set -u

rc_want=0
skip_rc=""
expects=""
table=0
unchecked=0
concluded=""
rows=""
csv_rows=""
max_seconds=""
json_checker=""
json_file=""
json_ranks=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rc) rc_want=$2; shift 2 ;;
    --skip-rc) skip_rc=$2; shift 2 ;;
    --expect) expects="$expects
$2"; shift 2 ;;
    --table) table=1; shift ;;
    --unchecked) unchecked=1; shift ;;
    --concluded) concluded=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --csv) csv_rows=$2; shift 2 ;;
    --max-seconds) max_seconds=$2; shift 2 ;;
    --json-interrupted) json_checker=$2; json_file=$3; json_ranks=$4; shift 4 ;;
    --) shift; break ;;
    *) echo "check_run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

command_line="$*"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
marker="commbench test: the previous result, which an interrupted run must not destroy"
[ -z "$json_file" ] || echo "$marker" >"$json_file" || exit 1
started=$(date +%s)
"$@" >"$tmp/out" 2>"$tmp/err"
rc=$?
elapsed=$(($(date +%s) - started))

fail() {
  echo "FAIL: $*" >&2
  echo "--- command: $command_line" >&2
  echo "--- stdout:" >&2; cat "$tmp/out" >&2
  echo "--- stderr:" >&2; cat "$tmp/err" >&2
  exit 1
}

check_expects() {
  old_ifs=$IFS
  IFS='
'
  for re in $expects; do
    [ -n "$re" ] || continue
    cat "$tmp/out" "$tmp/err" | grep -Eq -- "$re" || { IFS=$old_ifs; fail "no line matches '$re'"; }
  done
  IFS=$old_ifs
}

if [ -n "$skip_rc" ] && [ "$rc" -eq "$skip_rc" ]; then
  check_expects
  cat "$tmp/err"
  exit 77
fi
if [ "$rc_want" = nonzero ]; then
  [ "$rc" -ne 0 ] || fail "exit code 0, expected a failure"
else
  [ "$rc" -eq "$rc_want" ] || fail "exit code $rc, expected $rc_want"
fi
check_expects
if [ -n "$max_seconds" ] && [ "$elapsed" -gt "$max_seconds" ]; then
  fail "took $elapsed s, more than $max_seconds s"
fi
if [ -n "$json_file" ]; then
  if [ "$(cat "$json_file")" = "$marker" ]; then
    echo "$json_file: untouched (no row measured)"
  else
    "$json_checker" "$json_file" "$json_ranks" --partial >"$tmp/json_errors" 2>&1 ||
      fail "$json_file is neither untouched nor a valid partial result: $(cat "$tmp/json_errors")"
    echo "$json_file: a valid partial result"
  fi
fi

if [ "$table" -eq 1 ]; then
  awk -v unchecked="$unchecked" -v rows_file="$tmp/rows" '
    function num(s) { return s ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
    function okwrong(s) { return unchecked ? s == "N/A" : s == "0" }
    /^# nThread 1 nGpus [0-9]+ minBytes [0-9]+ maxBytes [0-9]+ step: / { nthread++ }
    /^# Using devices$/ { devices++ }
    /^#  Rank +[0-9]+ Group +0 Pid +[0-9]+ on +[^ ]+ device +[^ ]+ \[[^]]*\] / { ranks++ }
    /^#       size         count      type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong $/ { headers++ }
    /^# Out of bounds values : 0 OK$/ { oob++ }
    /^# Avg bus bandwidth    : [0-9.e+-]+ $/ { avg++ }
    /^#/ || /^$/ { next }
    {
      data++
      if (NF != 13) { print "line " NR ": " NF " columns, expected 13: " $0; bad++; next }
      if ($1 !~ /^[0-9]+$/ || $2 !~ /^[0-9]+$/ || $5 !~ /^-?[0-9]+$/) { print "line " NR ": bad size/count/root: " $0; bad++ }
      for (i = 6; i <= 12; i++) if (i != 9 && !num($i)) { print "line " NR ": column " i " not a number: " $0; bad++ }
      if (!okwrong($9) || !okwrong($13)) { print "line " NR ": #wrong not " (unchecked ? "N/A" : "0") ": " $0; bad++ }
    }
    END {
      if (nthread != 1) { print "missing \"# nThread\" header line"; bad++ }
      if (devices != 1 || ranks < 1) { print "missing \"# Using devices\" / rank lines"; bad++ }
      if (headers < 1 || oob != headers || avg != headers) {
        print "table headers " headers ", \"Out of bounds values : 0 OK\" " oob ", \"Avg bus bandwidth\" " avg; bad++
      }
      if (data < 1) { print "no data lines"; bad++ }
      print data + 0 > rows_file
      exit (bad > 0)
    }' "$tmp/out" >"$tmp/table_errors" || fail "table format: $(cat "$tmp/table_errors")"
  for op in $concluded; do
    grep -qx "# Collective test concluded: $op" "$tmp/out" || fail "no '# Collective test concluded: $op'"
  done
  if [ -n "$rows" ] && [ "$(cat "$tmp/rows")" -ne "$rows" ]; then
    fail "$(cat "$tmp/rows") data lines, expected $rows"
  fi
fi

if [ -n "$csv_rows" ]; then
  awk -F, -v want="$csv_rows" '
    NR == 1 { if ($0 != "op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong,algorithm,protocol,bottleneck") { print "bad CSV header: " $0; bad++ }; next }
    { n++
      if (NF != 15) { print "line " NR ": " NF " fields: " $0; bad++ }
      else if ($12 != "0") { print "line " NR ": wrong != 0: " $0; bad++ }
      else if ($7 !~ /^[1-9][0-9]*$/ || $13 $14 $15 != "") { print "line " NR ": bad ranks or measurement with algorithm/protocol/bottleneck: " $0; bad++ } }
    END { if (n != want) { print n " rows, expected " want; bad++ }; exit (bad > 0) }' "$tmp/out" >"$tmp/csv_errors" \
    || fail "CSV format: $(cat "$tmp/csv_errors")"
fi
exit 0
