#!/usr/bin/env bash
# gpus_per_node.sh COMMSIM CSV: a training row's gpus_per_node column is used where it is below the system's GPUs
# per node (LR-4X2, 2 nodes of 4 H100, predicts another step time than LR-8X1, the same 8 H100 in one node) and
# ignored on a rack-scale node, where it counts a tray's GPUs (LR-GB200-TRAY, "4", equals LR-GB200-TEXT, "4 per
# tray / 72 per NVL domain"). Prints "gpus_per_node read" on success.
set -euo pipefail
json=$("$1" validate training "$2" --format json)
step() { printf '%s' "$json" | python3 -c "import json,sys; print(next(r['step_time_s'] for r in json.load(sys.stdin)['rows'] if r['case_id'] == sys.argv[1]))" "$1"; }
a=$(step LR-4X2) b=$(step LR-8X1) c=$(step LR-GB200-TRAY) d=$(step LR-GB200-TEXT)
echo "H100 2x4 $a s, 1x8 $b s; GB200 '4' $c s, text $d s"
[ "$a" != "$b" ] || { echo "gpus_per_node 4 on dgx-h100 changed nothing"; exit 1; }
[ "$c" = "$d" ] || { echo "a tray's 4 GPUs shrank the NVL72 domain"; exit 1; }
echo "gpus_per_node read"
