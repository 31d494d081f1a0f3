#!/usr/bin/env bash
# --trace-filter on a real run (JSON Lines): a time window keeps exactly the
# events whose time_ps lies in it, and el=0..3 partition the events (every
# event happens at one EL). Malformed filters are one-line errors (exit 2).
#   trace_filter.sh HVSIM ELF
set -u
bin=$1 elf=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() { "$bin" --kernel "$elf" --trace exc,cmo,tlb --trace-format jsonl --trace-file "$dir/$1" "${@:2}" </dev/null >/dev/null 2>&1; }
count() { wc -l <"$dir/$1"; }
fail() { echo "trace_filter: $*" >&2; exit 1; }
run all.jsonl || fail "unfiltered run failed"
all=$(count all.jsonl)
[ "$all" -gt 0 ] || fail "no events"
# The window [1ms, 2ms): the same records as selecting them from the full trace.
run win.jsonl --trace-filter time=1ms-2ms,core=0 || fail "filtered run failed"
awk -F'"time_ps":' '{ split($2, a, ","); if (a[1] >= 1000000000 && a[1] < 2000000000) print }' "$dir/all.jsonl" >"$dir/expect.jsonl"
[ "$(count expect.jsonl)" -gt 0 ] || fail "no events in the window"
cmp -s "$dir/win.jsonl" "$dir/expect.jsonl" || fail "time=1ms-2ms kept $(count win.jsonl) events, expected $(count expect.jsonl)"
sum=0
for el in 0 1 2 3; do
  run "el$el.jsonl" --trace-filter "el=$el" || fail "el=$el run failed"
  sum=$((sum + $(count "el$el.jsonl")))
done
[ "$(count el1.jsonl)" -gt 0 ] && [ "$(count el2.jsonl)" -gt 0 ] || fail "expected events at EL1 and EL2"
[ "$sum" -eq "$all" ] || fail "el=0..3 gave $sum events in all, unfiltered $all"
for bad in el=4 core=x pc=0x2000-0x1000 time=5-6ms time=2ms-1ms vmid=256 vmid=x vmid=1,vmid=none core=0,core=1; do
  "$bin" --kernel "$elf" --trace exc --trace-filter "$bad" </dev/null >/dev/null 2>"$dir/err"
  rc=$?
  [ "$rc" -eq 2 ] && [ "$(wc -l <"$dir/err")" -eq 1 ] && grep -q "^hvsim: error: --trace-filter: " "$dir/err" ||
    fail "--trace-filter $bad: exit $rc, $(cat "$dir/err")"
done
echo "trace_filter: $all events; window and EL filters select exactly"
