#!/usr/bin/env bash
# Installs what commsim needs from Debian bookworm, only what is missing (idempotent). Run as root or with sudo.
set -euo pipefail
packages=(build-essential cmake g++ libyaml-cpp-dev libcli11-dev nlohmann-json3-dev catch2 libbenchmark-dev
          libopenmpi-dev openmpi-bin chromium
          clang libclang-rt-dev)  # the asan preset and the libFuzzer targets (CI: .ci/run)
# npm installs the charting libraries of the HTML report (web/package.json); Debian's nodejs/npm if absent.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The HTML report's charting libraries (Vega, Vega-Lite, vega-embed; docs/report.md), pinned by
# web/package-lock.json; reinstalled when the lock file changes.
web="$(cd "$(dirname "$0")/.." && pwd)/web"
if [ ! -s "$web/node_modules/vega/build/vega.min.js" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in web/ (report charting libraries)" >&2
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
