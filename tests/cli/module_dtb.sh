#!/usr/bin/env bash
# module_dtb.sh HVSIM: two --module options reach the generated device tree
# as /chosen module nodes: compatible strings, bootargs with a comma kept,
# reg of the kernel module, and the initrd module moved from its default
# place past an image loaded there. Reads the blob's bytes (no dtc).
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
printf 'x' >Image
head -c 3000 /dev/zero >dom0
head -c 5000 /dev/zero >rd
head -c 4096 /dev/zero >blocker
"$bin" --kernel Image --load blocker@0x50000000 \
  --module "kernel=dom0,bootargs=console=hvc0 dom0_mem=1G,max:1G" --module initrd=rd \
  --dump-dtb out.dtb </dev/null || { echo "--dump-dtb with --module failed" >&2; exit 1; }
fail() { echo "$*" >&2; exit 1; }
grep -aq 'module@49000000' out.dtb || fail "no /chosen/module@49000000"
grep -aq 'module@50200000' out.dtb || fail "initrd module not moved past the image at 0x50000000"
grep -aq 'multiboot,kernel' out.dtb || fail "no multiboot,kernel"
grep -aq 'multiboot,ramdisk' out.dtb || fail "no multiboot,ramdisk"
grep -aq 'console=hvc0 dom0_mem=1G,max:1G' out.dtb || fail "bootargs lost"
# reg of the kernel module: <0 0x49000000 0 3000> as big-endian cells.
od -An -tx1 -v out.dtb | tr -d ' \n' | grep -q 00000000490000000000000000000bb8 || fail "kernel module reg missing"
exit 0
