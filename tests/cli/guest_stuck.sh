#!/usr/bin/env bash
# guest_stuck.sh HVSIM: a guest whose vectors fault forever (all-zero code:
# UNDEF, then UNDEF at the vector) is stopped with exit status 126 and a
# message, not left spinning.
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
head -c 4096 /dev/zero >"$dir/zero.bin"
timeout 60 "$1" --load "$dir/zero.bin@0x40000000" >/dev/null 2>"$dir/err"
rc=$?
cat "$dir/err"
[ "$rc" -eq 126 ] && grep -q "exceptions without retiring an instruction" "$dir/err"
