#!/usr/bin/env bash
# Boots Debian's Xen on hvsim with --smp 2, Debian's Linux kernel as dom0
# and the busybox initramfs (scripts/boot-xen), to dom0's BOOT-OK marker.
# Skipped (exit 77) when the images have not been fetched
# (scripts/fetch-images; scripts/test fetches them first): tests never
# download.
#   boot.sh HVSIM_BINARY
set -u
images="${HVSIM_IMAGES:-$HOME/.cache/hvsim/images}"
if [ ! -s "$images/xen" ] || [ ! -s "$images/Image" ] || [ ! -s "$images/initrd.gz" ]; then
  echo "skipped: no $images/xen, Image or initrd.gz (run scripts/fetch-images)"
  exit 77
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
HVSIM="$1" "$root/scripts/boot-xen" --smp 2 --max-insns 2000000000 </dev/null
