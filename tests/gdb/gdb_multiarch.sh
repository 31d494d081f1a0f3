#!/usr/bin/env bash
# gdb-multiarch against hvsim's stub: hvsim waits (-S) on a free loopback
# port (-gdb tcp::0: the kernel picks it, hvsim prints it), gdb attaches in
# batch mode, reads pc and x0 at the ELF's entry, reads memory at `main`
# and compares it with the ELF's bytes, sets a breakpoint at `main`,
# continues to it, then continues to the program's exit (status 0).
# Skipped (77) without gdb-multiarch (scripts/install-deps installs it).
#   gdb_multiarch.sh HVSIM ELF
set -u
command -v gdb-multiarch >/dev/null || { echo "skipped: no gdb-multiarch"; exit 77; }
bin=$1 elf=$2
name=gdb_multiarch
source "$(dirname "$0")/hvsim_gdb_launch.sh"

# What the ELF says, read by gdb from the file alone.
entry=$(LC_ALL=C readelf -h "$elf" | sed -n 's/^ *Entry point address: *//p')
file_mem=$(timeout 60 gdb-multiarch -batch -nx "$elf" -ex 'x/4xw main' 2>&1 | sed 's/^[^:]*://')

run_gdb \
  -ex 'printf "entry pc=%#lx x0=%#lx\n", $pc, $x0' \
  -ex 'info registers pc x0' \
  -ex 'x/4xw main' \
  -ex 'break main' \
  -ex 'continue' \
  -ex 'printf "stopped pc=%#lx main=%#lx\n", $pc, main' \
  -ex 'delete' \
  -ex 'continue'

grep -Eq "^entry pc=$entry x0=(0x[0-9a-f]+|0)$" "$out" || fail "pc at attach is not the ELF entry $entry"
grep -Eq '^pc +0x[0-9a-f]+' "$out" && grep -Eq '^x0 +0x[0-9a-f]+' "$out" || fail "info registers pc x0"
target_mem=$(grep '^0x[0-9a-f]* <main>:' "$out" | sed 's/^[^:]*://')
[ -n "$file_mem" ] && [ "$target_mem" = "$file_mem" ] || fail "memory at main: target '$target_mem', ELF '$file_mem'"
grep -q '^Breakpoint 1 at 0x' "$out" || fail "breakpoint not set"
grep -Eq '^Breakpoint 1, (0x[0-9a-f]+ in )?main \(\)' "$out" || fail "breakpoint at main not hit"
grep -Eq '^stopped pc=(0x[0-9a-f]+) main=\1$' "$out" || fail "stop pc is not main"
grep -q 'exited normally' "$out" || fail "the program did not run to its exit"
[ "$rc" -eq 0 ] || fail "hvsim exit status $rc"
echo "gdb_multiarch: registers, memory, breakpoint and continue through gdb-multiarch on port $port"
