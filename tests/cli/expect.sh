#!/usr/bin/env bash
# expect.sh [--shared DIR] EXIT_CODE REGEX CMD...: runs CMD, requires exit code EXIT_CODE and stderr+stdout
# matching REGEX, and no crash signature (abort, segfault, sanitizer report, uncaught exception).
# --shared DIR: tests that run the same command (the same arguments, working directory and environment) share
# one run: the first keeps its output and exit code in DIR, the others wait for it and check their own pattern
# against them (26 tests read `validate training other_hardware.csv`, one row each). DIR is emptied at the
# start of each ctest run (the fixture cli_shared_runs in tests/CMakeLists.txt), so a rebuilt binary or an
# edited data file is run again.
set -u
shared=""
if [ "$1" = "--shared" ]; then shared=$2; shift 2; fi
want=$1 pattern=$2
shift 2
run() { out=$("$@" 2>&1); rc=$?; }
if [ -n "$shared" ]; then
  [ -d "$shared" ] || mkdir -p "$shared"
  # The arguments that name files (the binary, its inputs) by inode, time and size too: a run outside ctest
  # after a rebuild, or a fixture a test lost, is not answered from an older binary's run. Builtins but for
  # stat and sha1sum (a process costs ~10 ms here).
  files=()
  for a in "$@"; do [ -f "$a" ] && files+=("$a"); done
  key=$({ printf '%s\0' "$PWD" "$@"; export -p; [ ${#files[@]} -eq 0 ] || stat -c '%n %i %Y %s' -- "${files[@]}"; } | sha1sum)
  key=${key:0:40}
  exec 9>"$shared/$key.lock"
  flock 9  # the first test of the key runs it; the others wait here
  if [ -f "$shared/$key.rc" ]; then
    IFS= read -r -d '' out <"$shared/$key.out"
    read -r rc <"$shared/$key.rc"
  else
    run "$@"
    printf '%s' "$out" >"$shared/$key.out.$$" && mv "$shared/$key.out.$$" "$shared/$key.out" &&
      echo "$rc" >"$shared/$key.rc.$$" && mv "$shared/$key.rc.$$" "$shared/$key.rc"  # the exit code last: a run cut short is run again
  fi
  exec 9>&-
else
  run "$@"
fi
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
