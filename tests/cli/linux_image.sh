#!/usr/bin/env bash
# linux_image.sh HVSIM: boots a minimal arm64 Image (header with text_offset 0
# and image_size 0x10000) that exits through semihosting with status 0 only
# when it runs at RAM base + 2 MB with X0 pointing at a device tree (FDT
# magic) and X1 = 0, as QEMU boots it (status 3: no DTB, 4: X1 != 0, 5:
# wrong load address). Source: the comment at the end.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
hex=100000140000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000000000000000041524d6400000000040040b9a5020018060080d29f00056b40000054660080d2410000b4860080d207fdff10e8010058ff0008eb40000054a60080d2a1000010260400f9000480d200005ed41f2003d526000200000000000000000000000000d00dfeed000000000000204000000000
printf "$(echo "$hex" | sed 's/../\\x&/g')" >"$dir/Image"
"$bin" --kernel "$dir/Image" --append "console=ttyAMA0" </dev/null
rc=$?
[ "$rc" -eq 0 ] || { echo "Image boot: exit status $rc" >&2; exit 1; }
# --dump-dtb writes a blob with the FDT magic and exits 0.
"$bin" --kernel "$dir/Image" --dump-dtb "$dir/out.dtb" || exit 1
[ "$(od -An -tx1 -N4 "$dir/out.dtb" | tr -d ' ')" = d00dfeed ] || { echo "--dump-dtb: no FDT magic" >&2; exit 1; }
exit 0
# The Image (aarch64-linux-gnu-as, linked at 0, objcopy -O binary):
#   _start: b 1f; .word 0; .quad 0 /*text_offset*/, 0x10000 /*image_size*/, 0, 0, 0, 0
#           .ascii "ARM\x64"; .word 0
#   1: ldr w4,[x0]; ldr w5,=0xedfe0dd0; mov x6,#0; cmp w4,w5; b.eq 2f; mov x6,#3
#   2: cbz x1,3f; mov x6,#4
#   3: adr x7,_start; ldr x8,=0x40200000; cmp x7,x8; b.eq 4f; mov x6,#5
#   4: adr x1,block; str x6,[x1,#8]; mov x0,#0x20; hlt #0xf000   // SYS_EXIT_EXTENDED
#   block: .quad 0x20026, 0
