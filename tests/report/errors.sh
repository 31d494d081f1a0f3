#!/usr/bin/env bash
# Bad input to scripts/report: one "report: error:" line naming it, exit 2.
#   errors.sh HVSIM SOURCE_DIR
set -uo pipefail
hvsim="$1" src="$2"
/usr/bin/python3 -c "import matplotlib" 2>/dev/null || { echo "skipped: python3-matplotlib is not installed (scripts/install-deps)"; exit 77; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # expect REGEX ARGS...: exit 2 and exactly one line matching REGEX
  local regex="$1"; shift
  local out status
  out="$("$src/scripts/report" --hvsim "$hvsim" "$@" 2>&1 >/dev/null)"; status=$?
  if [ "$status" -ne 2 ] || [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] || ! [[ "$out" =~ ^report:\ error:\ .*$regex ]]; then
    echo "FAIL: report $*: exit $status, said: $out"; fail=1
  fi
}
echo '{"sweeps": {"x": {"title": "X", "keys": ["cpu.tlb.l3.entries"], "values": [1, 2]}}}' > "$tmp/unknown_key.json"
echo '{"sweeps": {"x": {"title": "X", "keys": ["caches.dram_latency"], "values": [1, 2], "quick": [3]}}}' > "$tmp/quick.json"
echo '{"sweeps": {}, "apply": {"*": ["nope"]}}' > "$tmp/apply.json"
echo '{"sweeps": ' > "$tmp/syntax.json"
expect "no scenario 'nope'" --scenario nope --list-runs
expect "'cpu.tlb.l3.entries' is not a numeric key" --sweeps "$tmp/unknown_key.json" --list-runs
expect "'quick' values must be among 'values'" --sweeps "$tmp/quick.json" --list-runs
expect "apply '\\*': expected a list of sweep names" --sweeps "$tmp/apply.json" --list-runs
expect "syntax.json.*not valid JSON" --sweeps "$tmp/syntax.json" --list-runs
expect "cannot read it" --sweeps "$tmp/none.json" --list-runs
expect "-j '0' is not a positive integer" -j 0
expect "cannot read '.*/jobs.json'" --merge "$tmp"
expect "--hvsim: '/nonexistent/hvsim' is not an executable" --hvsim /nonexistent/hvsim --list-runs
expect "not allowed with argument" --merge "$tmp" --emit-jobs "$tmp/j"
[ "$fail" -eq 0 ] && echo "report: bad input rejected"
exit "$fail"
