#!/usr/bin/env bash
# Boots Debian's Linux kernel on hvsim with --smp 2 and the busybox
# initramfs to its BOOT-OK marker (scripts/boot-linux). Skipped (exit 77)
# when the images have not been fetched (scripts/fetch-images; scripts/test
# fetches them first): tests never download.
#   boot.sh HVSIM_BINARY
set -u
images="${HVSIM_IMAGES:-$HOME/.cache/hvsim/images}"
if [ ! -s "$images/Image" ] || [ ! -s "$images/initrd.gz" ]; then
  echo "skipped: no $images/Image or initrd.gz (run scripts/fetch-images)"
  exit 77
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
HVSIM="$1" "$root/scripts/boot-linux" --smp 2 --max-insns 3000000000 </dev/null
