#!/usr/bin/env bash
# golden.sh GOLDEN_FILE CMD...: CMD's stdout must equal the golden file. COMMSIM_UPDATE_GOLDEN=1 rewrites it.
set -eu
golden=$1
shift
actual=$("$@")
if [ "${COMMSIM_UPDATE_GOLDEN:-0}" = 1 ]; then printf '%s\n' "$actual" > "$golden"; exit 0; fi
if ! diff -u "$golden" <(printf '%s\n' "$actual"); then
  echo "output differs from $golden (COMMSIM_UPDATE_GOLDEN=1 to accept a deliberate change)"; exit 1
fi
