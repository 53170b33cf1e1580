#!/usr/bin/env bash
# expect.sh EXIT_CODE REGEX CMD...: runs CMD, requires exit code EXIT_CODE and stderr+stdout matching REGEX,
# and no crash signature (abort, segfault, sanitizer report, uncaught exception).
set -u
want=$1 pattern=$2
shift 2
out=$("$@" 2>&1)
rc=$?
if [ "$rc" != "$want" ]; then echo "expected exit $want, got $rc from: $*"; echo "$out"; exit 1; fi
if ! printf '%s' "$out" | grep -Eq -- "$pattern"; then echo "output does not match /$pattern/:"; echo "$out"; exit 1; fi
if printf '%s' "$out" | grep -Eq 'terminate called|Segmentation|AddressSanitizer|runtime error:|Aborted'; then
  echo "crash signature in output:"; echo "$out"; exit 1
fi
exit 0
