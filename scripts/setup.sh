#!/usr/bin/env bash
# Installs what commsim needs from Debian bookworm, only what is missing (idempotent). Run as root or with sudo.
set -euo pipefail
packages=(build-essential cmake g++ libyaml-cpp-dev libcli11-dev nlohmann-json3-dev catch2 libbenchmark-dev
          libopenmpi-dev openmpi-bin)
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
