#!/usr/bin/env bash
# sweep_files.sh MODE COMMSIM WORKDIR [MPIEXEC]: the sweep's output files.
#   resume    : a full run; the same files cut after 3 rows plus half a line, then --resume: byte-identical.
#               Files of a run with another --set are refused (exit 2, left as they were).
#   interrupt : SIGINT during a long sweep (-j 1): exit 1, every line of both files complete, then --resume
#               finishes them byte-identical to an uninterrupted run.
#   hangup    : SIGHUP (an ssh session's end) stops it as SIGINT does (it died of the signal: no table, no hint);
#               a second signal ends it at once, of that signal (it waited for the points in flight, minutes
#               for a layout search), the files' whole lines kept but the last. Ctrl-C while a FIFO output
#               waits for its reader is exit 1 (it was 2, as a bad path).
#   outputs   : an output that cannot be written (a missing directory for --jsonl or --html) or that names
#               the study itself is exit 2 before anything runs, every other output left as it was (a CSV
#               was emptied first, the study overwritten by --csv); no new file is left behind.
#   axes      : a model axis beside model.layers: each row is train's figure for its model and layer count;
#               without a price the cost is empty, not 0.
#   mpi       : mpirun -np 2 --oversubscribe: stdout, CSV and JSONL byte-identical to one process; --resume
#               under mpirun finishes cut files byte-identical; SIGTERM to the ranks is exit 1 with whole
#               lines; a file rank 0 cannot resume from stops all.
set -u
mode=$1 commsim=$2 work=$3 mpiexec=${4:-mpiexec}
data=$(cd "$(dirname "$0")/../data/sweep" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
# refused LABEL REGEX OUT FILE-ARGS...: --resume of zip_where.yaml onto the file is exit 2, REGEX on stderr (OUT).
refused() {
  local label=$1 regex=$2 out=$3 rc
  shift 3
  "$commsim" sweep "$data/zip_where.yaml" "$@" --resume >/dev/null 2>"$out"
  rc=$?
  [ $rc = 2 ] && grep -q "$regex" "$out" || fail "$label: exit $rc, $(cat "$out")"
}
# step7 NEW: full.csv with row 7's (point 4, ok, 64 GPUs) step time replaced by NEW (sed: & is the old value).
step7() { head -n 6 full.csv; sed -n 7p full.csv | sed "s/^\(4,[^,]*,[^,]*,[^,]*,[^,]*,ok,,64\),\([^,]*\),/\1,${1//&/\\2},/"; }
# record5 LABEL SED NAME REGEX: full.jsonl's 5th record edited by SED into NAME.jsonl, whose --resume is refused
# with "NAME.jsonl:1: REGEX".
record5() { sed -n 5p full.jsonl | sed "$2" >"$3.jsonl"; refused "$1" "$3.jsonl:1: $4" "$3.txt" --jsonl "$3.jsonl"; }
whole() { [ ! -s "$1" ] || [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || fail "$1 ends in a partial line"; }
# stopped NAME SIGNAL PIDS WAIT_PID MAX: the sweep writing NAME.csv, NAME.jsonl and NAME.txt (stderr), sent SIGNAL,
# exits 1 saying so, its files whole lines, fewer than MAX rows, as many in the CSV as in the JSONL.
stopped() {
  local name=$1 sig=$2 pids=$3 wait_pid=$4 max=$5 rc n
  # shellcheck disable=SC2086 # one pid or several
  kill "-$sig" $pids
  wait "$wait_pid"
  rc=$?
  [ $rc = 1 ] || fail "$name: exit $rc after SIG$sig, expected 1: $(cat "$name.txt")"
  grep -q "interrupted: .* run again with --resume" "$name.txt" || fail "$name: no interruption message: $(cat "$name.txt")"
  whole "$name.csv"; whole "$name.jsonl"
  n=$(wc -l <"$name.jsonl")
  [ "$n" -lt "$max" ] && [ "$(wc -l <"$name.csv")" = $((n + 2)) ] || fail "$name: $n JSONL rows, $(wc -l <"$name.csv") CSV lines"
}

case $mode in
resume)
  "$commsim" sweep "$data/zip_where.yaml" --csv full.csv --jsonl full.jsonl >full.txt || fail "full run"
  { head -n 5 full.csv; sed -n 6p full.csv | head -c 20; } >part.csv  # comment, header, 3 rows, half a row
  { head -n 3 full.jsonl; sed -n 4p full.jsonl | head -c 30; } >part.jsonl
  "$commsim" sweep "$data/zip_where.yaml" --csv part.csv --jsonl part.jsonl --resume >resumed.txt || fail "resume run"
  cmp full.csv part.csv || fail "resumed CSV differs"
  cmp full.jsonl part.jsonl || fail "resumed JSONL differs"
  grep -q "^# resumed: 3 points" resumed.txt || fail "no resume note: $(tail -2 resumed.txt)"
  # The table and summary cover the resumed rows too (they covered this run's only; 2026-12-04).
  grep -v "^# resumed:" resumed.txt >resumed_table.txt
  cmp full.txt resumed_table.txt || fail "resumed table differs from a full run's: $(diff full.txt resumed_table.txt | head -5)"
  # A file saved with CR LF line ends: exit 2 saying so (it was "written by another sweep", quoting the same line).
  head -n 4 full.csv | sed 's/$/\r/' >crlf.csv
  refused "CRLF file" "crlf.csv:1: --resume: the file's lines end in CR LF" crlf.txt --csv crlf.csv
  # A row with a status a sweep does not write, or a number that is not one: exit 2 naming the line and column.
  { head -n 4 full.csv; sed -n 5p full.csv | sed 's/,does_not_fit,/,bogus,/'; } >bogus.csv
  refused "bogus status" "bogus.csv:5: key 'status': --resume: 'bogus' is not a status" bogus.txt --csv bogus.csv
  # Every kind of row the sweep writes is read back: a resume of whole files runs nothing and changes nothing
  # (ok, does_not_fit with and without figures, invalid; train without totals; collective).
  for study in zip_where resume_kinds resume_collective; do
    "$commsim" sweep "$data/$study.yaml" --csv "all_$study.csv" --jsonl "all_$study.jsonl" >/dev/null || fail "$study run"
    cp "all_$study.csv" "keep_$study.csv"; cp "all_$study.jsonl" "keep_$study.jsonl"
    "$commsim" sweep "$data/$study.yaml" --csv "all_$study.csv" --jsonl "all_$study.jsonl" --resume >"all_$study.txt" 2>&1 ||
      fail "$study: its own files refused: $(cat "all_$study.txt")"
    cmp "all_$study.csv" "keep_$study.csv" && cmp "all_$study.jsonl" "keep_$study.jsonl" || fail "$study: a whole resume changed its files"
  done
  grep -q ',does_not_fit,"no layout fits' all_resume_kinds.csv && grep -q ',invalid,gpus 12' all_resume_collective.csv ||
    fail "the studies no longer write the rows this test reads back"
  # A collective row's busbw edited alone (the summary's "Highest busbw" took it): not algbw x any op's factor.
  sed 's/^\(0,8,all_reduce,1MiB,ok,,[^,]*,[^,]*,[^,]*,[^,]*\),[^,]*,/\1,9999.5,/' all_resume_collective.csv >busbw.csv
  grep -q '^0,8,all_reduce,1MiB,ok,,.*,9999.5,' busbw.csv || fail "busbw.csv: the edit did not apply: $(sed -n 3p busbw.csv)"
  "$commsim" sweep "$data/resume_collective.yaml" --csv busbw.csv --resume >/dev/null 2>busbw.txt
  rc=$?
  [ $rc = 2 ] && grep -q "busbw.csv:3: key 'busbw_GBps': --resume: 9999.5 is not the algbw .* times all_reduce's busbw factor on 8 ranks (1.75)" busbw.txt ||
    fail "an edited busbw: exit $rc, $(cat busbw.txt)"
  # The row's own op decides: an all_reduce busbw edited to its algbw is another collective's factor (1), not its own.
  sed 's/^\(0,8,all_reduce,1MiB,ok,,[^,]*,[^,]*,[^,]*,\)\([^,]*\),[^,]*,/\1\2,\2,/' all_resume_collective.csv >busbw1.csv
  grep -q '^0,8,all_reduce,1MiB,ok,,[^,]*,[^,]*,[^,]*,\([^,]*\),\1,' busbw1.csv || fail "busbw1.csv: the edit did not apply: $(sed -n 3p busbw1.csv)"
  "$commsim" sweep "$data/resume_collective.yaml" --csv busbw1.csv --resume >/dev/null 2>busbw1.txt
  rc=$?
  [ $rc = 2 ] && grep -q "busbw1.csv:3: key 'busbw_GBps': --resume: .* times all_reduce's busbw factor on 8 ranks" busbw1.txt ||
    fail "a busbw edited to the algbw: exit $rc, $(cat busbw1.txt)"
  # Figures a sweep never writes entered the summary as its own (exit 0, "Lowest ...: -1.0", "nan GB/s"): a
  # negative figure, an ok row without its step time, a number on an invalid row, a count that is no count.
  step7 '-1' >neg.csv
  refused "negative figure" "neg.csv:7: key 'step_time_s': --resume: -1 is negative" neg.txt --csv neg.csv
  step7 '' >empty.csv
  refused "ok row without a figure" "empty.csv:7: key 'step_time_s': --resume: empty on a row with status ok" empty.txt --csv empty.csv
  # Hex and a number below a double's range were read by strtod (0x10 as 16, 1e-400 as 0; 2026-12-05).
  step7 '0x10' >hex.csv
  refused "a hex figure" "hex.csv:7: key 'step_time_s': --resume: '0x10' is not a number" hex.txt --csv hex.csv
  step7 '1e-400' >tiny.csv
  refused "a figure below a double's range" "tiny.csv:7: key 'step_time_s': --resume: '1e-400' is not a number" tiny.txt --csv tiny.csv
  { head -n 6 full.csv; sed -n 7p full.csv | sed 's/^\(4,[^,]*,[^,]*,[^,]*,[^,]*,ok,,\)64,/\164.5,/'; } >count.csv
  refused "a count that is none" "count.csv:7: key 'gpus_used': --resume: 64.5 is not a count" count.txt --csv count.csv
  record5 "numbers on an invalid row" 's/"status":"ok"/"status":"invalid"/' inv "key 'numbers.gpus_used': --resume: a number on a row with status invalid"
  record5 "a negative JSONL figure" 's/"mfu":[^,]*,/"mfu":-0.5,/' negj "key 'numbers.mfu': --resume: -0.5 is negative"
  record5 "a JSONL count that is none" 's/"gpus_used":[^,]*,/"gpus_used":1e300,/' countj "key 'numbers.gpus_used': --resume: 1e+300 is not a count"
  { head -n 2 full.csv; sed -n 3p full.csv | sed 's/,does_not_fit,"[^"]*",64,[^,]*,/,does_not_fit,"x",64,,/'; } >partial.csv
  refused "a does_not_fit row with some figures" "partial.csv:3: key 'step_time_s': --resume: empty on a row with status does_not_fit" partial.txt --csv partial.csv
  { head -n 2 full.csv; sed -n 3p full.csv | sed 's/,does_not_fit,"[^"]*",/,invalid,"x",/'; } >invcsv.csv
  refused "numbers on an invalid CSV row" "invcsv.csv:3: key 'gpus_used': --resume: a number on a row with status invalid" invcsv.txt --csv invcsv.csv
  record5 "a JSONL record without a figure" 's/"mfu":[^,]*,//' nomfu "key 'numbers.mfu': missing: not a record of this sweep"
  # The JSON library's own texts reached the message ("type must be number, but is string", "syntax error while
  # parsing value - invalid literal"), and a key given twice in a record was read as its last (2026-12-05).
  record5 "a JSONL figure as a string" 's/"mfu":\([^,]*\),/"mfu":"\1",/' strj "key 'numbers.mfu': \"[0-9.]*\" is not a number or null, as the sweep writes it"
  record5 "a JSONL NaN" 's/"mfu":[^,]*,/"mfu":NaN,/' nanj "column [0-9]*: JSON syntax error (not a value, or a value ending early, at this column)"
  record5 "a JSONL key twice" 's/"numbers":{/"numbers":{"mfu":0.5,/' twicej "key 'numbers.mfu': the key is given twice in one object"
  # A record the sweep would not write, every value in range: 1e-400 was read as 0, 64 for 64.0 kept as written.
  record5 "a JSONL figure below a double's range" 's/"mfu":[^,]*,/"mfu":1e-400,/' tinyj "column [0-9]*: --resume: '.*\"mfu\":1e-400,.*' is not as the sweep writes this record ('.*\"mfu\":0.0,"
  record5 "a JSONL count written as an integer" 's/"gpus_used":\([0-9]*\)[.]0,/"gpus_used":\1,/' intj "column [0-9]*: --resume: .* is not as the sweep writes this record"
  record5 "a JSONL record with spaces" 's/,"status"/, "status"/' spacej "column [0-9]*: --resume: .* is not as the sweep writes this record"
  # A figure as the sweep never writes it (8.5 edited by hand): kept, the resumed file was not the sweep's.
  step7 '0&' >lead0.csv
  refused "a figure with a leading zero" "lead0.csv:7: key 'step_time_s': --resume: '0[0-9.]*' is not written as the sweep writes it ('[0-9.]*')" lead0.txt --csv lead0.csv
  step7 '+&' >plus.csv
  refused "a figure with a plus sign" "plus.csv:7: key 'step_time_s': --resume: '+[0-9.]*' is not a number" plus.txt --csv plus.csv
  # A step time or an MFU edited alone headed the summary (1e+300 tokens/s, "MFU 1000...%"; 2026-12-06): the
  # step is its breakdown's sum, the MFU at most 4.
  step7 '99.5' >sum.csv
  refused "a step that is not its breakdown's sum" "sum.csv:7: key 'step_time_s': --resume: 99.5 is not the sum of its breakdown" sum.txt --csv sum.csv
  record5 "an MFU above 8" 's/"mfu":[^,]*,/"mfu":9.0,/' mfuj "key 'numbers.mfu': --resume: 9 is above 8"
  # Without its context line (the first lines cut) or with a second '#' line, the rows may be another base's.
  tail -n +2 full.csv >nocontext.csv
  refused "a CSV without its context line" "nocontext.csv:1: --resume: the file does not start with the sweep's context line" nocontext.txt --csv nocontext.csv
  { head -n 1 full.csv; cat full.csv; } >twohash.csv
  refused "a CSV with two '#' lines" "twohash.csv:2: --resume: 2 '#' lines" twohash.txt --csv twohash.csv
  { head -n 4 full.csv; echo; sed -n 5p full.csv; } >blank.csv
  refused "blank CSV line" "blank.csv:5: --resume: a blank line" blankc.txt --csv blank.csv
  # A hand-edited file: a row twice, or a row that is no point of this sweep, is exit 2 naming file:line.
  { head -n 5 full.csv; sed -n 5p full.csv; } >dup.csv
  refused "duplicate row" "dup.csv:6: --resume: point '.*' is already on line 5" dup.txt --csv dup.csv
  { head -n 3 full.jsonl; sed -n 3p full.jsonl; } >dup.jsonl
  refused "duplicate JSONL row" "dup.jsonl:4: --resume: point '.*' is already on line 3" dupj.txt --jsonl dup.jsonl
  # A blank line (the sweep writes none) stayed in the middle of the resumed file.
  { head -n 2 full.jsonl; echo; sed -n 3p full.jsonl; } >blank.jsonl
  refused "blank JSONL line" "blank.jsonl:3: --resume: a blank line" blank.txt --jsonl blank.jsonl
  # A row whose point number is not its values' point (hand-edited): exit 2 naming the line; it was kept, and
  # the file ended with two rows of one number.
  { head -n 4 full.csv; sed -n 5p full.csv | sed 's/^2,/7,/'; } >renum.csv
  "$commsim" sweep "$data/zip_where.yaml" --csv renum.csv --resume >/dev/null 2>renum.txt
  rc=$?
  [ $rc = 2 ] && grep -q "renum.csv:5: key 'point': --resume: the row says point 7, but '.*' is point 2 of this sweep" renum.txt ||
    fail "renumbered CSV row: exit $rc, $(cat renum.txt)"
  { head -n 1 full.jsonl; sed -n 2p full.jsonl | sed 's/"point":1,/"point":7,/'; } >renum.jsonl
  "$commsim" sweep "$data/zip_where.yaml" --jsonl renum.jsonl --resume >/dev/null 2>renumj.txt
  rc=$?
  [ $rc = 2 ] && grep -q "renum.jsonl:2: key 'point': --resume: the row says point 7" renumj.txt ||
    fail "renumbered JSONL row: exit $rc, $(cat renumj.txt) $(sed -n 2p renum.jsonl | head -c 80)"
  # A JSONL point number that is no whole number (1.7 was truncated, -1 read as 2^64 - 1).
  { head -n 1 full.jsonl | sed 's/"point":0,/"point":0.7,/'; } >frac.jsonl
  refused "fractional JSONL point" "frac.jsonl:1: key 'point': 0.7 is not a point number" frac.txt --jsonl frac.jsonl
  # Files written with another --set (another base): exit 2, the files left as they were; the same --set resumes.
  set_=(--set fabric.nic_speed=200Gb/s)
  "$commsim" sweep "$data/zip_where.yaml" "${set_[@]}" --csv set.csv --jsonl set.jsonl >/dev/null || fail "run with --set"
  head -n 4 set.csv >setpart.csv; head -n 2 set.jsonl >setpart.jsonl; cp setpart.csv setkeep.csv; cp setpart.jsonl setkeep.jsonl
  refused "CSV of another --set" "setpart.csv:1: --resume: .*other --set values" set1.txt --csv setpart.csv
  "$commsim" sweep "$data/zip_where.yaml" --jsonl setpart.jsonl --resume >/dev/null 2>set2.txt
  rc=$?
  [ $rc = 2 ] && grep -q "setpart.jsonl:1: --resume: this line was computed with --set \[\"fabric.nic_speed=200Gb/s\"\], this run has no --set" set2.txt ||
    fail "JSONL of another --set: exit $rc, $(cat set2.txt)"
  cmp setpart.csv setkeep.csv && cmp setpart.jsonl setkeep.jsonl || fail "a refused resume changed the files"
  "$commsim" sweep "$data/zip_where.yaml" "${set_[@]}" --csv setpart.csv --jsonl setpart.jsonl --resume >/dev/null || fail "resume with the same --set"
  cmp set.csv setpart.csv && cmp set.jsonl setpart.jsonl || fail "resumed files with --set differ"
  # One --set whose value reads as two (its CSV line says "with --set a, --set b" as two sets would): the base
  # fingerprint holds the sets one by one, so the CSV of one is no resume of the other (it mixed them, exit 0).
  "$commsim" sweep "$data/zip_where.yaml" --set 'description=x, --set fabric.nic_speed=200Gb/s' --csv one.csv >/dev/null ||
    fail "run with a comma in a --set value"
  head -n 4 one.csv >onepart.csv
  "$commsim" sweep "$data/zip_where.yaml" --set description=x --set fabric.nic_speed=200Gb/s --csv onepart.csv --resume >/dev/null 2>one.txt
  rc=$?
  [ $rc = 2 ] && grep -q "onepart.csv:1: --resume: .*another base" one.txt ||
    fail "CSV of one --set resumed with two: exit $rc, $(cat one.txt)"
  # The study's base edited between the runs (a price, a token count): the rows of two bases mixed, exit 0.
  sed 's/gpu_hour_usd: 2.5/gpu_hour_usd: 25/' "$data/zip_where.yaml" >edited_base.yaml
  cmp -s edited_base.yaml "$data/zip_where.yaml" && fail "edited_base.yaml: the edit did not apply"
  head -n 4 full.csv >basepart.csv; head -n 2 full.jsonl >basepart.jsonl
  "$commsim" sweep edited_base.yaml --csv basepart.csv --resume >/dev/null 2>base1.txt
  rc=$?
  [ $rc = 2 ] && grep -q "basepart.csv:1: --resume: the file was written by another sweep, from another base" base1.txt ||
    fail "CSV of another base: exit $rc, $(cat base1.txt)"
  "$commsim" sweep edited_base.yaml --jsonl basepart.jsonl --resume >/dev/null 2>base2.txt
  rc=$?
  [ $rc = 2 ] && grep -q "basepart.jsonl:1: --resume: this line was computed from another base" base2.txt ||
    fail "JSONL of another base: exit $rc, $(cat base2.txt)"
  # A file the base names edited between the runs (the system's GPU, beside the study): the fingerprint covered
  # the study and its --set values only, and the resumed file held rows of two GPUs (exit 0; 2026-12-05).
  mkdir -p own && sed 's/system: dgx-h100/system: own-sys.yaml/' "$data/zip_where.yaml" >own/study.yaml
  sed 's/^name: h100-sxm/name: own-gpu/' "$COMMSIM_DATA_DIR/topologies/gpus/h100-sxm.yaml" >own/own-gpu.yaml
  sed 's/^gpu: h100-sxm/gpu: own-gpu.yaml/' "$COMMSIM_DATA_DIR/topologies/systems/dgx-h100.yaml" >own/own-sys.yaml
  grep -q "^gpu: own-gpu.yaml" own/own-sys.yaml || fail "own-sys.yaml: the edit did not apply"
  "$commsim" sweep own/study.yaml --csv own.csv --jsonl own.jsonl >/dev/null || fail "run on a GPU file beside the study"
  head -n 4 own.csv >ownpart.csv; head -n 2 own.jsonl >ownpart.jsonl
  sed -i 's/989.4TFLOPS/900TFLOPS/' own/own-gpu.yaml
  "$commsim" sweep own/study.yaml --csv ownpart.csv --resume >/dev/null 2>own1.txt
  rc=$?
  [ $rc = 2 ] && grep -q "ownpart.csv:1: --resume: the file was written by another sweep, from another base" own1.txt ||
    fail "CSV after the GPU file was edited: exit $rc, $(cat own1.txt)"
  "$commsim" sweep own/study.yaml --jsonl ownpart.jsonl --resume >/dev/null 2>own2.txt
  rc=$?
  [ $rc = 2 ] && grep -q "ownpart.jsonl:1: --resume: this line was computed from another base" own2.txt ||
    fail "JSONL after the GPU file was edited: exit $rc, $(cat own2.txt)"
  sed -i 's/900TFLOPS/989.4TFLOPS/' own/own-gpu.yaml  # as it was: the same rows, resumed
  "$commsim" sweep own/study.yaml --csv ownpart.csv --jsonl ownpart.jsonl --resume >/dev/null || fail "resume with the GPU file as it was"
  cmp own.csv ownpart.csv && cmp own.jsonl ownpart.jsonl || fail "resumed files on a GPU file beside the study differ"
  { head -n 2 full.csv; sed -n 3p full.csv | sed 's/^\([^,]*\),[^,]*,/\1,999999,/'; } >edited.csv
  "$commsim" sweep "$data/zip_where.yaml" --csv edited.csv --resume >/dev/null 2>edited.txt
  rc=$?
  [ $rc = 2 ] && grep -q "edited.csv:3: --resume: the row's point '.*' is not a point of this sweep" edited.txt ||
    fail "edited row: exit $rc, $(cat edited.txt)"
  ;;
interrupt)
  "$commsim" sweep "$data/speed_10k.yaml" -j 1 --quiet --csv int.csv --jsonl int.jsonl >int.out 2>int.txt &
  pid=$!
  for _ in $(seq 1 100); do [ "$(wc -l <int.jsonl 2>/dev/null || echo 0)" -ge 5 ] && break; sleep 0.1; done
  stopped int INT $pid $pid 10000
  [ "$(wc -l <int.jsonl)" -ge 5 ] || fail "$(wc -l <int.jsonl) rows written"
  # The table's summary counts the rows it has: stdout says the sweep was stopped (it read "N of N points ran").
  grep -q "^# interrupted: $(wc -l <int.jsonl) of 10000 points written" int.out || fail "stdout: $(tail -3 int.out)"
  # ... and so does its summary, which names no fastest point: it printed "# N of N points ran." and the
  # fastest of the rows written so far (the interruption's line was added below them, 2026-12-05).
  n=$(wc -l <int.jsonl)
  grep -q "^# [0-9]* of 10000 points ran.*; $((10000 - n)) not run: the sweep was stopped[.]$" int.out || fail "summary: $(tail -3 int.out)"
  grep -q "of $n points ran\|Fastest\|Highest" int.out && fail "a summary of the rows written: $(tail -4 int.out)"
  ;;
outputs)
  cp "$data/zip_where.yaml" study.yaml && echo "old rows" >old.csv || fail "setup"
  for csv in old.csv new.csv; do
    for bad in "--jsonl missing/x.jsonl" "--html missing/x.html" "--jsonl study.yaml" "--html study.yaml"; do
      # shellcheck disable=SC2086 # $bad is a flag and its value
      "$commsim" sweep study.yaml --csv $csv $bad >/dev/null 2>err.txt
      rc=$?
      [ $rc = 2 ] || fail "--csv $csv $bad: exit $rc, $(cat err.txt)"
      [ "$(cat old.csv)" = "old rows" ] || fail "--csv $csv $bad: old.csv changed"
      [ ! -e new.csv ] || fail "--csv $csv $bad: new.csv created"
      cmp -s study.yaml "$data/zip_where.yaml" || fail "--csv $csv $bad: the study changed"
    done
  done
  # Two sweeps into one file interleaved their lines, both exit 0 (2026-12-06): the second is refused while
  # the first holds the file (this shell's flock stands in for it), the file left as it was.
  echo "old rows" >locked.csv
  exec 9>>locked.csv
  flock -x 9
  "$commsim" sweep "$data/zip_where.yaml" --csv locked.csv 9>&- >/dev/null 2>locked.txt
  rc=$?
  exec 9>&-
  [ $rc = 2 ] && grep -q "locked.csv: another process is writing this file" locked.txt || fail "a locked --csv: exit $rc, $(cat locked.txt)"
  [ "$(cat locked.csv)" = "old rows" ] || fail "a locked --csv: the file changed"
  "$commsim" sweep study.yaml --csv study.yaml >/dev/null 2>err.txt
  [ $? = 2 ] && grep -q "the study file and --csv name the same file" err.txt || fail "--csv study.yaml: $(cat err.txt)"
  cmp -s study.yaml "$data/zip_where.yaml" || fail "--csv study.yaml: the study changed"
  "$commsim" sweep study.yaml --jsonl old.csv --csv missing/x.csv >/dev/null 2>&1
  [ "$(cat old.csv)" = "old rows" ] || fail "old.csv (--jsonl) changed"
  if ls -a | grep -q '[.]tmp[.]'; then fail "a temporary was left: $(ls -a)"; fi
  ;;
hangup)
  "$commsim" sweep "$data/speed_10k.yaml" -j 1 --quiet --csv hup.csv --jsonl hup.jsonl >hup.out 2>hup.txt &
  pid=$!
  for _ in $(seq 1 100); do [ "$(wc -l <hup.jsonl 2>/dev/null || echo 0)" -ge 5 ] && break; sleep 0.1; done
  stopped hup HUP $pid $pid 10000
  grep -q "^# interrupted: " hup.out || fail "SIGHUP: no table's interruption line: $(tail -2 hup.out)"
  # Two signals: a layout search's point (parallelism: auto on DeepSeek-V3) takes seconds; the second ends it.
  "$commsim" sweep h800-vs-h100-dsv3-auto -j 1 --csv two.csv >two.out 2>two.txt &
  pid=$!
  # once the points run (the CSV's header is written before the first): a first signal during the set-up
  # could end it (exit 1) before the second arrived
  for _ in $(seq 1 300); do [ "$(wc -l <two.csv 2>/dev/null || echo 0)" -ge 2 ] && break; sleep 0.1; done
  [ "$(wc -l <two.csv 2>/dev/null || echo 0)" -ge 2 ] || fail "no CSV header within 30 s: $(cat two.txt)"
  kill -INT $pid; sleep 0.3; kill -INT $pid
  for _ in $(seq 1 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  kill -0 $pid 2>/dev/null && { kill -KILL $pid; fail "a second SIGINT did not end it within 5 s"; }
  wait $pid
  rc=$?
  [ $rc = 130 ] || fail "two SIGINTs: exit $rc, expected 130 (of the signal): $(cat two.txt)"
  [ "$(ls -A | grep -c '\.tmp\.')" = 0 ] || fail "a temporary was left: $(ls -A)"
  # Under nohup (SIGHUP ignored) it outlives the session: the handler replaced the ignore, and it stopped.
  nohup "$commsim" sweep "$data/speed_10k.yaml" -j 1 --quiet --csv nohup.csv >/dev/null 2>nohup.txt &
  pid=$!
  sleep 1; kill -HUP $pid; sleep 0.5
  kill -0 $pid 2>/dev/null || fail "nohup: SIGHUP stopped it: $(cat nohup.txt)"
  kill -TERM $pid; wait $pid
  # Ctrl-C while --csv, a FIFO, waits for a reader is the run stopped (exit 1), not a bad path (exit 2).
  mkfifo fifo.csv || fail "mkfifo"
  timeout --preserve-status -s INT 2 "$commsim" sweep "$data/zip_where.yaml" --csv fifo.csv >fifo.out 2>fifo.txt
  rc=$?
  [ $rc = 1 ] && grep -q "fifo.csv: interrupted while waiting to open it" fifo.txt || fail "FIFO: exit $rc, $(cat fifo.txt)"
  ;;
axes)
  "$commsim" sweep "$data/model_keys.yaml" --csv keys.csv >keys.txt || fail "model_keys run: $(cat keys.txt)"
  for point in "16 llama3-8b" "32 llama3-8b" "16 mistral-7b" "32 mistral-7b"; do
    set -- $point
    "$commsim" train --model "$2" --system dgx-h100 --gpus 8 --tp 1 --pp 1 --seq-len 4096 --global-batch 64 \
      --recompute full --set "model.layers=$1" --format csv >train.csv || fail "train $point"
    want=$(grep -v "^#" train.csv | sed -n 2p | cut -d, -f11)
    got=$(grep "^[0-9]*,$1,$2,ok," keys.csv | cut -d, -f7)
    [ -n "$want" ] && [ "$want" = "$got" ] || fail "$point: sweep step time '$got', train's '$want'"
  done
  sed -n 2p keys.csv | cut -d, -f21,22 | grep -qx "gpu_hours,cost_usd" || fail "columns moved: $(sed -n 2p keys.csv)"
  [ -n "$(sed -n 3p keys.csv | cut -d, -f21)" ] && [ -z "$(sed -n 3p keys.csv | cut -d, -f22)" ] ||
    fail "no price: gpu_hours empty or cost_usd not: $(sed -n 3p keys.csv)"
  ;;
mpi)
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  "$commsim" sweep "$data/zip_where.yaml" --csv one.csv --jsonl one.jsonl >one.txt || fail "one process"
  "$mpiexec" -np 2 --oversubscribe "$commsim" sweep "$data/zip_where.yaml" --csv two.csv --jsonl two.jsonl >two.txt ||
    fail "mpirun -np 2"
  cmp one.txt two.txt || fail "stdout differs"
  cmp one.csv two.csv || fail "CSV differs"
  cmp one.jsonl two.jsonl || fail "JSONL differs"
  # --resume under mpirun: rank 0 reads the partial files back, every rank runs its share of the rest
  { head -n 4 one.csv; sed -n 5p one.csv | head -c 20; } >part.csv
  { head -n 2 one.jsonl; sed -n 3p one.jsonl | head -c 30; } >part.jsonl
  "$mpiexec" -np 2 --oversubscribe "$commsim" sweep "$data/zip_where.yaml" --csv part.csv --jsonl part.jsonl --resume \
    >resumed.txt || fail "mpirun -np 2 --resume"
  cmp one.csv part.csv || fail "CSV resumed under mpirun differs"
  cmp one.jsonl part.jsonl || fail "JSONL resumed under mpirun differs"
  grep -q "^# resumed: 2 points" resumed.txt || fail "no resume note: $(tail -2 resumed.txt)"
  # SIGTERM to the ranks (as scancel sends it) stops them as it stops one process: exit 1, the rows up to the
  # first unfinished point, whole lines (the ranks had ignored it and run every point, exit 0)
  gpus=$(seq -s, 64 64 640)
  "$mpiexec" -np 2 --oversubscribe "$commsim" sweep "$data/speed_10k.yaml" --set "axes.gpus=[$gpus]" -j 1 --quiet \
    --csv "$work/term.csv" --jsonl "$work/term.jsonl" >/dev/null 2>term.txt &
  mpi_pid=$!
  ranks=""
  for _ in $(seq 1 100); do ranks=$(pgrep -f "^$commsim sweep .*$work/term.csv"); [ "$(echo "$ranks" | wc -w)" = 2 ] && break; sleep 0.1; done
  # rank 0 has its handlers once it has written the CSV header (slow under ASan: MPI start and the study's checks)
  for _ in $(seq 1 300); do [ "$({ wc -l <"$work/term.csv"; } 2>/dev/null || echo 0)" -ge 2 ] && break; sleep 0.1; done
  sleep 1
  stopped term TERM "$ranks" $mpi_pid 20000
  # a file rank 0 cannot resume from stops every rank (exit 2 on rank 0, no hang)
  echo "not,this,sweep" >bad.csv
  timeout 60 "$mpiexec" -np 2 --oversubscribe "$commsim" sweep "$data/zip_where.yaml" --csv bad.csv --resume >bad.txt 2>&1
  rc=$?
  [ $rc != 0 ] && [ $rc != 124 ] || fail "bad resume file under mpirun: exit $rc"
  grep -q "bad.csv" bad.txt || fail "no message naming bad.csv: $(cat bad.txt)"
  # one message, from rank 0 (every rank printed it, rank 1 as "rank 0: ..."): a bad output path, a bad study
  [ "$(grep -c "commsim: error: .*bad.csv" bad.txt)" = 1 ] || fail "not one message for bad.csv: $(cat bad.txt)"
  timeout 60 "$mpiexec" -np 2 --oversubscribe "$commsim" sweep "$data/zip_where.yaml" --set "axes.gpus=[0]" >badstudy.txt 2>&1
  rc=$?
  [ $rc != 0 ] && [ $rc != 124 ] || fail "bad study under mpirun: exit $rc"
  [ "$(grep -c "commsim: error:" badstudy.txt)" = 1 ] || fail "not one message for a bad study: $(cat badstudy.txt)"
  # one rank's own failure (a study another host cannot read): every rank stops, rank 0 names it, no hang (the
  # failed rank waited in MPI_Finalize, the others in the broadcast)
  timeout 60 "$mpiexec" --oversubscribe -np 1 "$commsim" sweep "$data/zip_where.yaml" : -np 1 "$commsim" sweep "$work/no-such-study.yaml" >onerank.txt 2>&1
  rc=$?
  [ $rc = 2 ] || fail "one rank's bad study under mpirun: exit $rc (want 2): $(cat onerank.txt)"
  [ "$(grep -c "commsim: error:" onerank.txt)" = 1 ] && grep -q "commsim: error: rank 1: study: study file '.*no-such-study.yaml' not found" onerank.txt ||
    fail "not one message naming rank 1: $(cat onerank.txt)"
  # Ranks whose data directories differ (another host's edited prices): every point ran, then the gather failed
  # with a "--resume" message; the ranks compare their fingerprints first.
  mkdir -p otherdata && cp -r "$COMMSIM_DATA_DIR/topologies" "$COMMSIM_DATA_DIR/configs" otherdata/ &&
    sed -i 's/^\(    rent_per_gpu_hour: {value: \)[0-9.]*USD/\199USD/' otherdata/topologies/prices.yaml || fail "otherdata"
  cmp -s otherdata/topologies/prices.yaml "$COMMSIM_DATA_DIR/topologies/prices.yaml" && fail "otherdata: the edit did not apply"
  timeout 60 "$mpiexec" --oversubscribe -np 1 "$commsim" sweep "$data/zip_where.yaml" --csv ranks.csv : \
    -np 1 -x COMMSIM_DATA_DIR="$work/otherdata" "$commsim" sweep "$data/zip_where.yaml" --csv ranks.csv >ranks.txt 2>&1
  rc=$?
  [ $rc = 2 ] && [ "$(grep -c "commsim: error:" ranks.txt)" = 1 ] &&
    grep -q "commsim: error: rank 1: sweep: this rank read other inputs than rank 0" ranks.txt ||
    fail "ranks with other data directories: exit $rc: $(cat ranks.txt)"
  ;;
*) fail "unknown mode $mode" ;;
esac
echo "ok: $mode"
