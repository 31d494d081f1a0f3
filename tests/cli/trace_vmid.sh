#!/usr/bin/env bash
# --trace-filter vmid on a real run (firmware/tests/stage2.c: an EL2
# hypervisor running its guest under stage 2 with VMIDs 1, 2 and 3): vmid=N
# keeps the events of the core while it runs at EL1/EL0 under stage 2 with
# VTTBR_EL2.VMID = N, vmid=none the rest (EL2, stage 2 off), so the VMIDs in
# use and none partition the trace; every TLB hit kept by vmid=N is tagged
# with VMID N. Malformed vmid filters are errors (trace_filter.sh).
#   trace_vmid.sh HVSIM ELF
set -u
bin=$1 elf=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "trace_vmid: $*" >&2; exit 1; }
run() { "$bin" --kernel "$elf" --trace exc,tlb,walk,fault --trace-format jsonl --trace-file "$dir/$1" "${@:2}" </dev/null >/dev/null 2>&1; }
count() { wc -l <"$dir/$1"; }
run all.jsonl || fail "unfiltered run failed"
sum=0
for v in 1 2 3 none; do
  run "v$v.jsonl" --trace-filter "vmid=$v" || fail "vmid=$v run failed"
  [ "$(count "v$v.jsonl")" -gt 0 ] || fail "vmid=$v kept no events"
  sum=$((sum + $(count "v$v.jsonl")))
done
[ "$sum" -eq "$(count all.jsonl)" ] || fail "vmid=1,2,3,none kept $sum events in all, unfiltered $(count all.jsonl)"
for v in 0 4; do
  run "v$v.jsonl" --trace-filter "vmid=$v" || fail "vmid=$v run failed"
  [ "$(count "v$v.jsonl")" -eq 0 ] || fail "vmid=$v (unused) kept $(count "v$v.jsonl") events"
done
for v in 1 2 3; do
  hits=$(grep -c '"event":"hit L[12] EL1&0"' "$dir/v$v.jsonl")
  tagged=$(grep '"event":"hit L[12] EL1&0"' "$dir/v$v.jsonl" | grep -c "\"vmid\":$v}")
  [ "$hits" -gt 0 ] && [ "$hits" -eq "$tagged" ] || fail "vmid=$v: $tagged of $hits TLB hits tagged with VMID $v"
done
grep -q '"event":"hit L[12] EL1&0"' "$dir/vnone.jsonl" && fail "vmid=none kept a TLB hit of the EL1&0 regime"
# With a core filter: the same as selecting core 0 (the only core).
run c.jsonl --trace-filter vmid=3,core=0 || fail "vmid=3,core=0 run failed"
cmp -s "$dir/c.jsonl" "$dir/v3.jsonl" || fail "vmid=3,core=0 differs from vmid=3 on one core"
echo "trace_vmid: $(count all.jsonl) events partitioned by vmid=1,2,3,none"
