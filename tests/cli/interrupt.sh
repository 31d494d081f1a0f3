#!/usr/bin/env bash
# Ctrl-C (SIGINT) on a guest that spins forever ends the run cleanly: exit
# status 130, the reason on stderr, and the statistics file still written.
#   interrupt.sh HVSIM
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '\x00\x00\x00\x14' >"$dir/spin.bin"   # b . (0x14000000)
"$bin" --load "$dir/spin.bin@0x40000000" --stats "$dir/stats.json" </dev/null >/dev/null 2>"$dir/err" &
pid=$!
sleep 2
kill -INT "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; echo "interrupt: hvsim still running 10 s after SIGINT" >&2; exit 1; fi
wait "$pid"
rc=$?
cat "$dir/err"
[ "$rc" -eq 130 ] || { echo "interrupt: exit status $rc, expected 130" >&2; exit 1; }
grep -qx 'hvsim: interrupted (Ctrl-C)' "$dir/err" || { echo "interrupt: no reason on stderr" >&2; exit 1; }
grep -q '"code": 130' "$dir/stats.json" && grep -q '"reason": "interrupted (Ctrl-C)"' "$dir/stats.json" ||
  { echo "interrupt: statistics not written" >&2; exit 1; }
echo "interrupt: SIGINT ended the run with status 130 and the statistics"
