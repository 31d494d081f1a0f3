#!/usr/bin/env bash
# Boots Debian's Linux kernel on hvsim with --smp 2 to the marker of the
# no-FP init (scripts/boot-linux --nofp-init). Skipped (exit 77) when the
# images have not been fetched (scripts/fetch-images): tests never download.
#   boot_nofp.sh HVSIM_BINARY
set -u
images="${HVSIM_IMAGES:-$HOME/.cache/hvsim/images}"
if [ ! -s "$images/Image" ]; then
  echo "skipped: no $images/Image (run scripts/fetch-images)"
  exit 77
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
HVSIM="$1" "$root/scripts/boot-linux" --smp 2 --nofp-init --max-insns 3000000000 </dev/null
