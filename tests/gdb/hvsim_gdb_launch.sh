# Sourced by the gdb-multiarch tests: starts `hvsim --kernel ELF -gdb tcp::0 -S`
# in the background (bounded by timeout) in a temporary directory and sets
# $hv (its pid), $dir and $port (the loopback port hvsim reports); fail()
# prints the transcripts and exits 1. The caller sets $bin, $elf and $name.
dir=$(mktemp -d)
hv=
cleanup() { [ -n "$hv" ] && kill "$hv" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "$name: $*" >&2; for f in gdb.out hvsim.err; do [ -f "$dir/$f" ] && { echo "--- $f" >&2; cat "$dir/$f" >&2; }; done; exit 1; }

timeout 120 "$bin" --kernel "$elf" -gdb tcp::0 -S </dev/null >"$dir/hvsim.out" 2>"$dir/hvsim.err" &
hv=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^hvsim: gdb: waiting for a connection on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$dir/hvsim.err")
  [ -n "$port" ] && break
  kill -0 "$hv" 2>/dev/null || fail "hvsim exited before listening"
  sleep 0.1
done
[ -n "$port" ] || fail "hvsim did not report its port"

# run_gdb ARGS...: gdb-multiarch in batch mode on $elf, connected to hvsim,
# running the -ex commands given; then waits for hvsim and sets $rc (its
# exit status) and $out (gdb's transcript).
run_gdb() {
  timeout 60 gdb-multiarch -batch -nx "$elf" -ex "target remote 127.0.0.1:$port" "$@" >"$dir/gdb.out" 2>&1
  wait "$hv"
  rc=$?
  hv=
  out="$dir/gdb.out"
}
