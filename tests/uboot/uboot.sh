#!/usr/bin/env bash
# Debian's u-boot-qemu (--bios, the flash at 0) to its prompt with commands
# piped on stdin: the first byte stops the autoboot countdown, then `echo`,
# `version` and `poweroff` (PSCI SYSTEM_OFF, exit status 0). The CFI flash
# must be recognised ("Flash: 64 MiB", as U-Boot reports QEMU's virt flash).
# Two runs with the same input give the same console output. `saveenv`
# fails cleanly on the read-only flash and the prompt comes back. Skipped (77)
# when the image has not been fetched (scripts/fetch-images).
#   uboot.sh HVSIM_BINARY
set -u
images="${HVSIM_IMAGES:-$HOME/.cache/hvsim/images}"
if [ ! -s "$images/u-boot.bin" ]; then
  echo "skipped: no $images/u-boot.bin (run scripts/fetch-images)"
  exit 77
fi
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Commands that poll for Ctrl-C (flinfo, saveenv) would swallow typed-ahead
# input, as on hardware; these do not.
printf '\necho hello from stdin\nversion\npoweroff\n' >"$dir/in"
fail() { echo "uboot: $*" >&2; cat "$dir/out1" >&2; exit 1; }
for run in 1 2; do
  timeout 120 "$bin" --bios "$images/u-boot.bin" --max-insns 400000000 <"$dir/in" >"$dir/out$run" 2>"$dir/err$run"
  rc=$?
  [ "$rc" -eq 0 ] || { cat "$dir/err$run" >&2; fail "run $run: exit status $rc, expected 0 (poweroff)"; }
done
out="$dir/console"
tr -d '\r' <"$dir/out1" >"$out"  # U-Boot ends its lines with CR LF
grep -q '^Flash: 64 MiB' "$out" || fail "no 'Flash: 64 MiB'"
grep -q 'Unknown flash' "$out" && fail "U-Boot did not recognise the CFI flash"
grep -q '^=> echo hello from stdin' "$out" || fail "the command was not echoed at the prompt"
grep -qx 'hello from stdin' "$out" || fail "no reply to echo"
[ "$(grep -c '^U-Boot 2[0-9.]*' "$out")" -ge 1 ] && grep -q '^=> version' "$out" || fail "no reply to version"
grep -q '^=> poweroff' "$out" || fail "poweroff not reached"
cmp -s "$dir/out1" "$dir/out2" || fail "two runs with the same input differ"
# saveenv polls for Ctrl-C while it works, swallowing typed-ahead input: a
# comment line (partly eaten, still a comment) separates it from poweroff.
printf '\nsaveenv\n########################################\npoweroff\n' >"$dir/in2"
timeout 120 "$bin" --bios "$images/u-boot.bin" --max-insns 400000000 <"$dir/in2" >"$dir/out3" 2>"$dir/err3"
rc=$?
tr -d '\r' <"$dir/out3" >"$dir/console3"
[ "$rc" -eq 0 ] || { cat "$dir/err3" "$dir/console3" >&2; echo "uboot: saveenv run: exit status $rc" >&2; exit 1; }
grep -q '^Saving Environment to Flash' "$dir/console3" && grep -q '^Failed' "$dir/console3" &&
  grep -q '^=> poweroff' "$dir/console3" || { cat "$dir/console3" >&2; echo "uboot: saveenv did not fail cleanly" >&2; exit 1; }
echo "uboot: prompt answered echo, version and poweroff; saveenv failed cleanly on the read-only flash"
