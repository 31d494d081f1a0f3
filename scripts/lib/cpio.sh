# Sourced by scripts: cpio_entry writes one entry of a newc ("070701")
# cpio archive to standard output, owner root, time 0, so that an archive is
# the same bytes on every machine and may hold device nodes without mknod:
#   cpio_entry NAME MODE RDEV_MAJOR RDEV_MINOR [DATA_FILE | -s SYMLINK_TARGET]
# MODE includes the file type (0040755 directory, 0100755 file, 0020600
# character device, 0120777 symlink); end the archive with
#   cpio_entry TRAILER!!! 0 0 0
cpio_ino=300000
cpio_entry() {
  local name="$1" mode="$2" rmaj="$3" rmin="$4" size=0 pad
  if [ "${5:-}" = -s ]; then size=${#6}; elif [ -n "${5:-}" ]; then size=$(stat -c %s "$5"); fi
  cpio_ino=$((cpio_ino + 1))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
    "$cpio_ino" "$mode" 0 0 1 0 "$size" 0 0 "$rmaj" "$rmin" $((${#name} + 1)) 0
  printf '%s\0' "$name"
  pad=$(((4 - (110 + ${#name} + 1) % 4) % 4)); head -c "$pad" /dev/zero
  if [ "${5:-}" = -s ]; then printf '%s' "$6"; elif [ -n "${5:-}" ]; then cat "$5"; fi
  pad=$(((4 - size % 4) % 4)); head -c "$pad" /dev/zero
}
