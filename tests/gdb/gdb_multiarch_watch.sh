#!/usr/bin/env bash
# gdb-multiarch on firmware/tests/gdb_watch.c: FP/SIMD and system registers
# through the target description, and a hardware write watchpoint.
# Breaks at fp_done and reads v0 (as 2 x 64-bit and as q0) and fpsr as the
# program left them, reads currentel and sctlr_el2 by name and lists the
# "system" register group; then `watch watched` (gdb inserts Z2), continues,
# and checks that gdb reports the store in store_watched with the old and
# new values; deletes it and continues to the program's exit (status 0).
# Skipped (77) without gdb-multiarch.
#   gdb_multiarch_watch.sh HVSIM GDB_WATCH_ELF
set -u
command -v gdb-multiarch >/dev/null || { echo "skipped: no gdb-multiarch"; exit 77; }
bin=$1 elf=$2 name=gdb_multiarch_watch
source "$(dirname "$0")/hvsim_gdb_launch.sh"

run_gdb \
  -ex 'break fp_done' \
  -ex 'continue' \
  -ex 'printf "v0 %#lx %#lx\n", $v0.d.u[0], $v0.d.u[1]' \
  -ex 'p/x $q0' \
  -ex 'printf "fpsr %#x\n", $fpsr' \
  -ex 'printf "currentel %#lx sctlr_el2 %#lx\n", $currentel, $sctlr_el2' \
  -ex 'info registers system' \
  -ex 'delete' \
  -ex 'watch watched' \
  -ex 'continue' \
  -ex 'info symbol $pc' \
  -ex 'delete' \
  -ex 'continue'

grep -q '^v0 0x1122334455667788 0x99aabbccddeeff00$' "$out" || fail "v0 is not what the program loaded"
grep -Eq '^\$[0-9]+ = \{u = 0x99aabbccddeeff001122334455667788, s = 0x99aabbccddeeff001122334455667788\}$' "$out" ||
  fail "q0 (gdb's pseudo register over v0)"
grep -q '^fpsr 0x8000001$' "$out" || fail "fpsr is not QC|IOC"
grep -Eq '^currentel 0x8 sctlr_el2 0x[0-9a-f]+$' "$out" || fail "currentel/sctlr_el2 by name"
grep -Eq '^hcr_el2 +0x[0-9a-f]+' "$out" && grep -Eq '^vttbr_el2 +0x' "$out" || fail "info registers system"
grep -q '^Hardware watchpoint 2: watched$' "$out" || fail "watchpoint not set as a hardware watchpoint"
grep -A3 '^Hardware watchpoint 2: watched$' "$out" | tr '\n' ' ' | grep -q 'Old value = 1 New value = 4660' ||
  fail "watchpoint did not report the store 1 -> 4660"
grep -Eq '^store_watched \+ [0-9]+ in section' "$out" || fail "watchpoint stop not in store_watched"
grep -q 'exited normally' "$out" || fail "the program did not run to its exit"
[ "$rc" -eq 0 ] || fail "hvsim exit status $rc"
echo "gdb_multiarch_watch: v0, q0, fpsr, system registers and a write watchpoint through gdb-multiarch on port $port"
