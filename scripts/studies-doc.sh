#!/usr/bin/env bash
# studies-doc.sh [--write | --list-check] [--commsim BIN] [--only NAME]: regenerates docs/studies.md from the
# shipped studies, so that every number in it comes from a run of the current code.
#
# For each configs/studies/NAME.yaml (in the order of the STUDIES list below, then any other file):
#   commsim sweep NAME --quiet --csv docs/studies/NAME.csv --html WORK/NAME.html
# then a screenshot of the report's charts (docs/studies/NAME.png, headless Chromium when installed), and a
# section in docs/studies.md: the question (the study file's leading comment), the command, the result
# paragraph (the sweep's own headline: fastest, cheapest, slowest, with their numbers), the chart and the CSV.
# Plans (commsim plan) listed in PLANS below get a section with their table.
#
#   --write        run everything and replace docs/studies.md and docs/studies/* (minutes: the automatic
#                  layout searches of the training studies)
#   --list-check   exit 1 when a shipped study has no section in docs/studies.md (the ctest; no run)
#   --only NAME    with --write: rerun one study, keep the other sections' files as they are
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=write bin=${COMMSIM:-$root/build/release/src/commsim} only=""
while [ $# -gt 0 ]; do
  case $1 in
    --write | --list-check) mode=${1#--} ;;
    --commsim) bin=$2; shift ;;
    --only) only=$2; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "studies-doc.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
doc=$root/docs/studies.md
# The issue's studies first, in its order; then the rest.
STUDIES=(flagship h20-h100-h200-b200 tp-nvlink-vs-pcie scale-up-alltoall scale-up-moe-training chiplet-d2d
         h800-vs-h100-dsv3 h800-vs-h100-dsv3-auto nic-oversub-405b kimi-k2-on-h20 default)
# Plans: "name|title|arguments".
PLANS=("equal-budget|H20 vs H100 vs H200 vs B200 at equal budget: the fastest Llama 3 70B run on 15T tokens for 10 M USD|--model llama3-70b --tokens 15T --budget 10MUSD --candidates hgx-h20,dgx-h100,hgx-h200,hgx-b200"
       "equal-deadline|Llama 3 70B on 15T tokens in 90 days: the smallest cluster of each candidate, and its cost|--model llama3-70b --tokens 15T --deadline 90d --candidates hgx-h20,dgx-h100,hgx-h200,hgx-b200,gb200-nvl72,cloudmatrix-384"
       "export-cap|What an export-control cap costs: the same plan with chips at or above TPP 4800 removed (3A090.a by TPP alone; the density clause is not applied)|--model llama3-70b --tokens 15T --deadline 90d --candidates hgx-h20,dgx-h100,hgx-h200,hgx-b200,gb200-nvl72,cloudmatrix-384 --max-tpp 4800")

all_names() {
  local n seen=" ${STUDIES[*]} "
  for n in "${STUDIES[@]}"; do [ -f "$root/configs/studies/$n.yaml" ] && echo "$n"; done
  for f in "$root"/configs/studies/*.yaml; do
    n=$(basename "$f" .yaml)
    case "$seen" in *" $n "*) ;; *) echo "$n" ;; esac
  done
}

if [ "$mode" = list-check ]; then
  missing=0
  for n in $(all_names); do
    grep -q "^## .*(\`$n\`)" "$doc" || { echo "studies-doc.sh: docs/studies.md has no section for configs/studies/$n.yaml (run scripts/studies-doc.sh --write)"; missing=1; }
  done
  exit $missing
fi

[ -x "$bin" ] || { echo "studies-doc.sh: no commsim binary at '$bin' (build it, or pass --commsim BIN)" >&2; exit 2; }
export COMMSIM_DATA_DIR=$root
browser=$(command -v chromium || command -v chromium-browser || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/docs/studies"

section() {  # NAME -> a markdown section on stdout
  local n=$1 file=$root/configs/studies/$1.yaml
  local title
  title=$(sed -n 's/^title: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$file" | head -1)
  echo "## ${title:-$n} (\`$n\`)"
  echo
  sed -n '/^#/!q; s/^# \{0,1\}//p' "$file" | grep -v '^Run:' || true
  echo
  echo "Run: \`commsim sweep $n --html $n.html\` ([study file](../configs/studies/$n.yaml), [rows](studies/$n.csv))."
  echo
  if [ -z "$only" ] || [ "$only" = "$n" ]; then
    echo "studies-doc.sh: running $n" >&2
    "$bin" sweep "$n" --quiet --csv "$root/docs/studies/$n.csv" --html "$work/$n.html" > "$work/$n.txt"
    grep -E '^# ([0-9]+ of [0-9]+ points ran|(model=[^ ]+: )?(Fastest|Cheapest|Slowest|Highest|Lowest))' "$work/$n.txt" | sed 's/^# //' > "$root/docs/studies/$n.summary"
    if [ -n "$browser" ]; then
      timeout 600 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=120000 \
        --window-size=1100,1900 --screenshot="$root/docs/studies/$n.png" "file://$work/$n.html" >/dev/null 2>&1 || true
    fi
  fi
  echo "**Result.** $(tr '\n' ' ' < "$root/docs/studies/$n.summary" | sed 's/ $//')"
  echo
  [ -f "$root/docs/studies/$n.png" ] && echo "![$n](studies/$n.png)" && echo
}

plan_section() {  # "name|title|args"
  local n=${1%%|*} rest=${1#*|}
  local title=${rest%%|*} args=${rest#*|}
  echo "## $title (plan \`$n\`)"
  echo
  echo "Run: \`commsim plan $args\`"
  echo
  if [ -z "$only" ] || [ "$only" = "$n" ]; then
    echo "studies-doc.sh: planning $n" >&2
    # shellcheck disable=SC2086
    "$bin" plan $args > "$root/docs/studies/$n.txt" 2>&1 || true
  fi
  echo '```'
  cat "$root/docs/studies/$n.txt"
  echo '```'
  echo
}

{
  echo "# Shipped studies"
  echo
  echo "Every number below comes from a run of the current code: \`bash scripts/studies-doc.sh --write\` reruns the"
  echo "studies in \`configs/studies/\` and the plans listed in the script, and rewrites this page, the CSV of each"
  echo "study and a screenshot of its HTML report (\`docs/studies/\`). The models behind them are in"
  echo "[training.md](training.md) and [model.md](model.md); how far to trust them is in [validation.md](validation.md)."
  echo "Each paragraph is the sweep's own headline (\`commsim sweep\` prints it under its table; with a model axis,"
  echo "each model's points are ranked apart, \`model=NAME: Fastest to train: ...\`, since 2026-12-07). The ctest"
  echo "\"docs: docs/studies/NAME.csv is what the code gives\" reruns the studies that take about a second and fails"
  echo "when a CSV here differs from what the code gives now."
  echo
  echo "**Ratios across GPU generations inherit the validation's biases.** On the public rows (validation.md) dense"
  echo "FP8 training is predicted at a median of −2.2% on Hopper (21 rows, −13.9% .. +11.6%) and +7.1% on Blackwell"
  echo "(8 rows, −7.0% .. +33.5%): a Blackwell-over-Hopper ratio below reads about 9% high at the medians, and up to"
  echo "1.55 times on the worst pair of rows (NeMo 25.0x's Blackwell rows against Megatron-Bridge's H100 Llama 3 70B)."
  echo
  for n in $(all_names); do section "$n"; done
  if "$bin" plan --help >/dev/null 2>&1; then
    for p in "${PLANS[@]}"; do plan_section "$p"; done
  fi
} > "$work/studies.md"
mv "$work/studies.md" "$doc"
echo "studies-doc.sh: wrote $doc" >&2
