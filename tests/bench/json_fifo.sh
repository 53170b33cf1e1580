#!/bin/sh
# A -J that is a named pipe (FIFO): commbench writes it once, at the end, to whoever reads it. Until 2026-12-05
# the start-up check opened and closed it, so the reader got end-of-file before any result and the real write
# then waited for a reader that was gone until the watchdog fired (exit 1, nothing delivered).
#
#   json_fifo.sh FIFO [--read OUT CHECKER NRANKS NRESULTS] -- command [args...]
#
# Makes FIFO (replacing what is there) and runs the command, whose -J is FIFO. With --read, `cat FIFO > OUT`
# reads it meanwhile and OUT must then be a finished run's JSON (CHECKER: commbench_json_check FILE NRANKS
# NRESULTS); without, nothing reads it. Exits with the command's code, or 1 when the JSON check fails.
set -u
fifo=$1
shift
out=""
if [ "${1:-}" = --read ]; then
  out=$2 checker=$3 nranks=$4 nresults=$5
  shift 5
fi
[ "${1:-}" = -- ] || { echo "json_fifo.sh: expected -- before the command" >&2; exit 2; }
shift
rm -f "$fifo" && mkfifo "$fifo" || exit 1
[ -n "$out" ] || exec "$@"

rm -f "$out"
cat "$fifo" >"$out" &
reader=$!
"$@"
rc=$?
# A command that never opened the FIFO leaves the reader waiting for a writer: end it after 5 s.
waited=0
while kill -0 "$reader" 2>/dev/null && [ "$waited" -lt 5 ]; do
  sleep 1
  waited=$((waited + 1))
done
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
[ "$rc" -eq 0 ] || { echo "json_fifo.sh: the command exited $rc" >&2; exit "$rc"; }
"$checker" "$out" "$nranks" "$nresults" || { echo "json_fifo.sh: $out (read from the FIFO) is not the run's JSON" >&2; exit 1; }
echo "json_fifo.sh: $(wc -c <"$out") bytes of JSON read from the FIFO" >&2
