#!/usr/bin/env bash
# Quick start, step 1: install dependencies, build Release, run the default what-if study
# (collective busbw at 1 GiB on the shipped systems, one node and 128 GPUs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
./build/release/src/commsim study "$@"
