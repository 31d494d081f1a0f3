#!/usr/bin/env bash
# Runs that go wrong: a stand-in for hvsim answers the listing and the
# configuration as hvsim does, but its runs time out, end without
# statistics or with a verdict that is not as expected. scripts/report must
# exit 1, list each of them on stderr and still write the report, naming them.
#   failures.sh HVSIM SOURCE_DIR
set -euo pipefail
hvsim="$1" src="$2"
/usr/bin/python3 -c "import matplotlib" 2>/dev/null || { echo "skipped: python3-matplotlib is not installed (scripts/install-deps)"; exit 77; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/sweeps.json" <<'JSON'
{"sweeps": {"slc_latency": {"title": "SLC hit latency", "keys": ["caches.slc.hit_latency"], "unit": "cycles",
                            "values": [10, 40], "quick": [10, 40]}},
 "apply": {"*": ["slc_latency"]}}
JSON
cat > "$tmp/hvsim" <<EOF2
#!/usr/bin/env bash
case "\$1" in --list-scenarios|--dump-config|--version) exec "$hvsim" "\$@";; esac
stats="" variant="" set=""
while [ \$# -gt 0 ]; do
  case "\$1" in --stats) stats="\$2"; shift;; --variant) variant="\$2"; shift;; --set) set="\$2"; shift;; esac
  shift
done
if [ -n "\$set" ]; then echo "hvsim: error: stand-in refuses \$set" >&2; exit 3; fi
if [ "\$variant" = notrap ]; then sleep 30; exit 0; fi
printf '{"scenario": {"name": "setway", "variant": "%s", "expect": "correct", "command_line": "", "checker_reports": {"coherency": 2}, "as_expected": false, "verdict": "the coherency checker reported 2"}, "cores": [], "annotations": {"regions": {}, "metrics": {}, "errors": 0}}\n' "\$variant" > "\$stats"
exit 1
EOF2
chmod +x "$tmp/hvsim"

status=0
"$src/scripts/report" --hvsim "$tmp/hvsim" --sweeps "$tmp/sweeps.json" --scenario setway --quick --timeout 2 \
  --out "$tmp/out" 2> "$tmp/err" || status=$?
cat "$tmp/err"
[ "$status" -eq 1 ] || { echo "FAIL: scripts/report exited $status, not 1"; exit 1; }
for want in "FAILED: setway.notrap: timed out" \
            "NOT as expected: setway.tsw: the coherency checker reported 2" \
            "FAILED: setway.tsw.slc_latency=10: exit status 3, no statistics: hvsim: error: stand-in refuses caches.slc.hit_latency=10"; do
  grep -qF "report: $want" "$tmp/err" || { echo "FAIL: stderr does not list '$want'"; exit 1; }
done
md="$tmp/out/report.md"
[ -s "$md" ] && [ -s "$tmp/out/report.html" ] || { echo "FAIL: no report written"; exit 1; }
grep -q '^## Runs not as expected' "$md" || { echo "FAIL: the report does not list the runs not as expected"; exit 1; }
grep -qF '| setway.notrap | **FAILED: timed out** |' "$md" || { echo "FAIL: the report does not show the timeout"; exit 1; }
grep -qF 'FAILED: notrap did not finish (timed out).' "$md" || { echo "FAIL: the finding does not say notrap failed"; exit 1; }
grep -qF 'NOT as expected: tsw (the coherency checker reported 2).' "$md" || { echo "FAIL: the finding does not say tsw was not as expected"; exit 1; }
echo "report: failed, timed out and unexpected runs listed, report written, exit 1"
