#!/usr/bin/env bash
# expect.sh EXIT_CODE REGEX CMD...: runs CMD, requires exit code EXIT_CODE and stderr+stdout matching REGEX,
# and no crash signature (abort, segfault, sanitizer report, uncaught exception).
set -u
want=$1 pattern=$2
shift 2
out=$("$@" 2>&1)
rc=$?
if [ "$rc" != "$want" ]; then echo "expected exit $want, got $rc from: $*"; echo "$out"; exit 1; fi
# The whole output against the pattern, a line break in it a line break ('^' and '$' at each line): grep -E read
# "a\nb" as two patterns, either enough, and a pattern ending in "\n" as one that matches every output.
if ! printf '%s\n' "$out" | PATTERN=$pattern perl -0777 -ne 'exit(/$ENV{PATTERN}/m ? 0 : 1)'; then
  echo "output does not match /$pattern/:"; echo "$out"; exit 1
fi
if printf '%s' "$out" | grep -Eq 'terminate called|Segmentation|AddressSanitizer|runtime error:|Aborted'; then
  echo "crash signature in output:"; echo "$out"; exit 1
fi
exit 0
