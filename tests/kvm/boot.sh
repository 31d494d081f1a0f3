#!/usr/bin/env bash
# Boots Debian's Linux kernel at EL2 on hvsim with KVM and runs the
# project's guest under the project's VMM to the KVM-OK marker
# (scripts/boot-kvm). Skipped (exit 77) when the images have not been
# fetched (scripts/fetch-images; scripts/test fetches them first): tests
# never download.
#   boot.sh HVSIM_BINARY [boot-kvm options...]
set -u
images="${HVSIM_IMAGES:-$HOME/.cache/hvsim/images}"
if [ ! -s "$images/Image" ] || [ ! -s "$images/busybox" ]; then
  echo "skipped: no $images/Image or busybox (run scripts/fetch-images)"
  exit 77
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
hvsim="$1"
shift
HVSIM="$hvsim" "$root/scripts/boot-kvm" --max-insns 3000000000 "$@" </dev/null
