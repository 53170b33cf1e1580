#!/usr/bin/env bash
# validation-doc.sh [--write | --check | --print] [--commsim BIN] [--doc FILE]: regenerates the figures of
# docs/validation.md from `commsim validate` output, so that they cannot go stale.
#
# The doc is its own template: hand-written prose stays as it is, and the text between
#   <!-- BEGIN generated: NAME -->
#   <!-- END generated -->
# is replaced by block NAME, made from the output of
#   commsim validate collectives tests/data/validation/nccl_public.csv
#   commsim validate training tests/data/validation/training_public_2024.csv   (the 44 gated rows)
#   commsim validate training tests/data/validation/training_public.csv        (all 82 rows)
# Blocks: collectives-summary (rows, median |error| over >= 64 MiB and >= 1 MiB), collectives-per-case (the
# per-case table), training-summary (rows, median and worst |error|), training-rows (the row table), and for
# the 82-row file training-all-summary, training-excluded (the rows the mapping excludes by case_id, with its
# reasons) and training-new-rows (the rows not in the 44-row file); from
#   commsim validate training FILE --loso  (both files; `2024-` prefixes the 44-row file's blocks)
# training-fit-constants (fitted beside shipped), training-loso-families and training-loso-kinds (error per
# source family and per model family: shipped, fitted, leave-one-source-out), training-loso-summary; and
# at-a-glance, the headline figure of each validation in one table (with `validate memory` and `validate
# kernels --loso` on their files).
#
#   --print   (default) write the regenerated doc to stdout
#   --write   replace the doc (whole or not at all: a temporary file beside it, renamed)
#   --check   exit 1 with a diff when the doc differs from what the current code gives (the ctest)
# BIN defaults to $COMMSIM, else build/release/src/commsim; the data is the repository's (COMMSIM_DATA_DIR).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=print bin=${COMMSIM:-$root/build/release/src/commsim} doc=$root/docs/validation.md
while [ $# -gt 0 ]; do
  case $1 in
    --print | --write | --check) mode=${1#--} ;;
    --commsim) bin=$2; shift ;;
    --doc) doc=$2; shift ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "validation-doc.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -x "$bin" ] || { echo "validation-doc.sh: no commsim binary at '$bin' (build it, or pass --commsim BIN)" >&2; exit 2; }
[ -f "$doc" ] || { echo "validation-doc.sh: no doc at '$doc'" >&2; exit 2; }
export COMMSIM_DATA_DIR=$root

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" validate collectives "$root/tests/data/validation/nccl_public.csv" >"$work/coll.txt"
"$bin" validate training "$root/tests/data/validation/training_public_2024.csv" >"$work/train.txt"
"$bin" validate training "$root/tests/data/validation/training_public.csv" >"$work/train_all.txt"
"$bin" validate training "$root/tests/data/validation/training_public_2024.csv" --loso >"$work/loso_2024.txt" 2>/dev/null
"$bin" validate training "$root/tests/data/validation/training_public.csv" --loso >"$work/loso_all.txt" 2>/dev/null
"$bin" validate memory "$root/tests/data/validation/training_memory.csv" >"$work/memory.txt" 2>/dev/null
"$bin" validate kernels "$root/tests/data/validation/kernel_benchmarks.csv" --loso >"$work/kernels.txt" 2>/dev/null

# The blocks, one file each.
mkdir "$work/blocks"
awk '
  function count(   i) { for (i = 1; i < NF; ++i) if ($i == "rows,") return $(i - 1) }
  function med(   i) { for (i = 1; i < NF; ++i) if ($i == "rows,") return $(i + 3) }
  /^# overall: >= 64 MiB:/ { r64 = count(); m64 = med() }
  /^# +>= 1 MiB:/ { r1 = count(); m1 = med() }
  END {
    if (r64 == "" || r1 == "") exit 1
    sub(/,$/, "", m64); sub(/,$/, "", m1)
    print "| rows | count | median \\|error\\| |"
    print "|---|---|---|"
    print "| size >= 64 MiB | " r64 " | **" m64 "** |"
    print "| size >= 1 MiB | " r1 " | **" m1 "** |"
  }' "$work/coll.txt" >"$work/blocks/collectives-summary" ||
  { echo "validation-doc.sh: no overall lines in the collectives output" >&2; exit 1; }
{
  echo '```'
  awk '/^# per case/ {f = 1; next} f && /^$/ {exit} f' "$work/coll.txt"
  echo '```'
} >"$work/blocks/collectives-per-case"
for t in train:training-summary train_all:training-all-summary; do
  awk '/^# [0-9]+ rows: median/ {
         sub(/^# /, ""); sub(/rows: /, "rows, "); sub(/median \|error\| /, "median |error| **"); sub(/, worst /, "**, worst **")
         print $0 "**"; found = 1 }
       END { exit !found }' "$work/${t%%:*}.txt" >"$work/blocks/${t#*:}" ||
    { echo "validation-doc.sh: no summary line in the training output" >&2; exit 1; }
done
# The rows the mapping excludes by case_id, with its reasons (a list, one row each).
awk '/^# excluded [^ ]+: / { id = $3; sub(/:$/, "", id); sub(/^# excluded [^ ]+: /, ""); print "- `" id "`: " $0; n++ }
     END { exit !n }' "$work/train_all.txt" >"$work/blocks/training-excluded" ||
  { echo "validation-doc.sh: no excluded rows in the training output" >&2; exit 1; }
{
  echo '```'
  awk 'NR > 1 && /^ *[^#]/ && NF' "$work/train.txt" | sed 's/[[:space:]]*$//'
  echo '```'
} >"$work/blocks/training-rows"
{
  echo '```'
  awk 'NR == FNR { if (FNR > 1 && /^ *[^#]/ && NF) old[$1] = 1; next }
       FNR > 1 && /^ *[^#]/ && NF && (!($1 in old) || $1 == "case_id")' "$work/train.txt" "$work/train_all.txt" |
    sed 's/[[:space:]]*$//'
  echo '```'
} >"$work/blocks/training-new-rows"

# Fit and leave-one-source-out blocks: a section of the --loso output, from its heading to the blank line.
section() {  # section FILE HEADING-REGEX BLOCK
  { echo '```'; awk -v h="$2" '$0 ~ h {f = 1; next} f && /^$/ {exit} f' "$1" | sed 's/[[:space:]]*$//'; echo '```'; } >"$work/blocks/$3"
  [ "$(wc -l <"$work/blocks/$3")" -gt 3 ] || { echo "validation-doc.sh: no '$2' section in the --loso output" >&2; exit 1; }
}
for t in loso_all: loso_2024:2024-; do
  f=$work/${t%%:*}.txt p=${t#*:}
  section "$f" '^# calibrated constants refitted' "${p}training-fit-constants"
  section "$f" '^# per source family' "${p}training-loso-families"
  section "$f" '^# per model family' "${p}training-loso-kinds"
  { echo '```'; grep -E '^# (fitted in-sample|leave-one-source-out):' "$f" | sed 's/^# //'; echo '```'; } >"$work/blocks/${p}training-loso-summary"
done

# At a glance: one table of the headline figures of every validation, from the outputs above.
{
  echo '| check | rows | median \|error\| | worst | leave-one-source-out median (worst) | bound (ctest) |'
  echo '|---|---|---|---|---|---|'
  awk '/^# overall: >= 64 MiB:/ { for (i = 1; i < NF; ++i) if ($i == "rows,") { n = $(i - 1); m = $(i + 3) } sub(/,$/, "", m)
                                 print "| collectives, busbw of sizes >= 64 MiB | " n " | **" m "** | | | median <= 15% |" }
       /^# +>= 1 MiB:/ { for (i = 1; i < NF; ++i) if ($i == "rows,") { n = $(i - 1); m = $(i + 3) } sub(/,$/, "", m)
                         print "| collectives, busbw of sizes >= 1 MiB | " n " | " m " | | | median <= 35% |" }' "$work/coll.txt"
  # "# 78 rows: median |error| 5.1%, worst 38.1%" and "# leave-one-source-out: 72 rows, median |error| 9.5%, worst 40.1% (...)"
  loso=$(awk '/^# leave-one-source-out: [0-9]+ rows/ { print $7 " (" $9 ")"; exit }' "$work/loso_all.txt" | tr -d ',')
  awk -v loso="$loso" '/^# [0-9]+ rows: median/ { w = $8; m = $6; sub(/,$/, "", m)
       print "| training, the public file (82 runs; excluded rows aside) | " $2 " | **" m "** | " w " | " loso " | median <= 8%, leave-one-source-out median <= 12%, every row <= 40% (the issue: every row <= 25%, every MoE row <= 20%; not met) |"; exit }' "$work/train_all.txt"
  awk '/^# per model family/ { f = 1; next } f && /^$/ { exit }
       f && ($1 == "MoE" || $1 == "dense") { print "| training, " $1 " rows | " $2 " | " $3 " | | " $6 " (" $7 ") | |" }' "$work/loso_all.txt"
  awk '/^# [0-9]+ rows: median/ { m = $6; sub(/,$/, "", m); print "| memory per GPU (published figures) | " $2 " | **" m "** | " $8 " | | median <= 15% |"; exit }' "$work/memory.txt"
  kl=$(awk '/^# leave-one-source-out: [0-9]+ rows/ { print $7 " (" $9 ")"; exit }' "$work/kernels.txt" | tr -d ',')
  awk -v loso="$kl" '/^# [0-9]+ rows within the bound: median/ { m = $9; sub(/,$/, "", m)
       print "| kernels (GEMM, grouped GEMM, attention, EP) | " $2 " | **" m "** | " $11 " | " loso " | median <= 8%, every row <= 35%, leave-one-source-out median <= 25% |"; exit }' "$work/kernels.txt"
} >"$work/blocks/at-a-glance"
[ "$(wc -l <"$work/blocks/at-a-glance")" -eq 9 ] || { echo "validation-doc.sh: the at-a-glance table lacks a line: $(cat "$work/blocks/at-a-glance")" >&2; exit 1; }

# Every block this script makes must be in the doc (a block deleted by hand would go stale unseen).
for f in "$work"/blocks/*; do
  grep -qxF "<!-- BEGIN generated: ${f##*/} -->" "$doc" ||
    { echo "validation-doc.sh: $doc has no block \"${f##*/}\" (<!-- BEGIN generated: ${f##*/} --> ... <!-- END generated -->)" >&2; exit 1; }
done

# The doc with every generated block replaced; an unknown or unclosed block is an error.
awk -v dir="$work/blocks" '
  /^<!-- BEGIN generated: [a-z0-9-]+ -->$/ {
    print; name = $4; file = dir "/" name
    if ((getline line < file) <= 0) { print "validation-doc.sh: unknown block \"" name "\"" > "/dev/stderr"; bad = 1; exit 2 }
    print line; while ((getline line < file) > 0) print line; close(file)
    skipping = 1; next
  }
  /^<!-- END generated -->$/ { if (!skipping) { print "validation-doc.sh: END without BEGIN at line " NR > "/dev/stderr"; bad = 1; exit 2 }
                               skipping = 0; print; next }
  !skipping { print }
  END { if (!bad && skipping) { print "validation-doc.sh: block \"" name "\" is not closed" > "/dev/stderr"; exit 2 } }
' "$doc" >"$work/doc.md"

case $mode in
  print) cat "$work/doc.md" ;;
  write)
    tmp=$(mktemp "$doc.XXXXXX")
    cp "$work/doc.md" "$tmp" && chmod 644 "$tmp" && mv "$tmp" "$doc"
    echo "validation-doc.sh: wrote $doc" >&2 ;;
  check)
    if ! diff -u "$doc" "$work/doc.md"; then
      echo "validation-doc.sh: $doc is stale (the diff above: - committed, + what the code gives now)." >&2
      echo "Regenerate it with: bash scripts/validation-doc.sh --write   (then review and commit)" >&2
      exit 1
    fi ;;
esac
