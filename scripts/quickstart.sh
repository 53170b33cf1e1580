#!/usr/bin/env bash
# Quick start, step 1: install dependencies, build Release, run the flagship what-if study
# (configs/studies/flagship.yaml: Llama 3 70B on 15T tokens on H20 / H100 / H200 / B200 / GB200 NVL72 at
# 1,152-4,608 GPUs, each with its automatic layout), print its table and write report.html (charts and
# tables, self-contained) in the repository root. Extra arguments go to `commsim sweep`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
./build/release/src/commsim sweep flagship --html report.html "$@"
echo "quickstart: wrote $(pwd)/report.html (open it in a browser; it needs no network)" >&2
