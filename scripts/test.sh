#!/usr/bin/env bash
# Quick start, step 2: install dependencies, build Release, run every test (unit, CLI, golden, validation
# bounds, MPI runs of commbench) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release "$@"
