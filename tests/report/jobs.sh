#!/usr/bin/env bash
# --emit-jobs on a tiny matrix (the setway scenario, one 2-point sweep), the
# emitted lines run by hand one after another (the first through the Slurm
# script, as array task 1), --merge of their results: the same report body,
# tables and plots as running the same matrix directly.
#   jobs.sh HVSIM SOURCE_DIR
set -euo pipefail
hvsim="$1" src="$2"
/usr/bin/python3 -c "import matplotlib" 2>/dev/null || { echo "skipped: python3-matplotlib is not installed (scripts/install-deps)"; exit 77; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
report="$src/scripts/report"
cat > "$tmp/sweeps.json" <<'JSON'
{"sweeps": {"slc_latency": {"title": "SLC hit latency", "keys": ["caches.slc.hit_latency"], "unit": "cycles",
                            "values": [10, 40], "quick": [10, 40]}},
 "apply": {"*": ["slc_latency"]}}
JSON
common=(--hvsim "$hvsim" --sweeps "$tmp/sweeps.json" --scenario setway --quick)

"$report" "${common[@]}" --emit-jobs "$tmp/jobs"
jobs="$tmp/jobs"
for f in commands.txt slurm.sbatch README.md jobs.json; do
  [ -s "$jobs/$f" ] || { echo "FAIL: --emit-jobs wrote no $f"; exit 1; }
done
runs="$("$report" "${common[@]}" --list-runs | wc -l)"
lines="$(wc -l < "$jobs/commands.txt")"
[ "$lines" -eq "$runs" ] && [ "$runs" -ge 2 ] || { echo "FAIL: $lines job lines for $runs runs"; exit 1; }
grep -q "^#SBATCH --array=1-$runs\$" "$jobs/slurm.sbatch" || { echo "FAIL: the Slurm array is not 1-$runs"; exit 1; }
grep -q "parallel --sshloginfile" "$jobs/README.md" || { echo "FAIL: README.md does not show GNU parallel"; exit 1; }

SLURM_ARRAY_TASK_ID=1 bash "$jobs/slurm.sbatch"
tail -n +2 "$jobs/commands.txt" | while IFS= read -r line; do bash -c "$line"; done
[ "$(ls "$jobs/results"/*.json | wc -l)" -eq "$runs" ] || { echo "FAIL: not every job wrote its statistics"; exit 1; }

"$report" --merge "$jobs" --out "$tmp/merged"
"$report" "${common[@]}" --out "$tmp/direct" -j 2

# Everything but the header line (which says when and how) is the same.
diff <(tail -n +4 "$tmp/direct/report.md") <(tail -n +4 "$tmp/merged/report.md") \
  || { echo "FAIL: --merge and a direct run give different reports"; exit 1; }
grep -q '^| setway.tsw.slc_latency=10 |' "$tmp/merged/report.md" || { echo "FAIL: the merged report has no sweep run"; exit 1; }
for p in "$tmp/direct/plots"/*.png; do
  cmp -s "$p" "$tmp/merged/plots/$(basename "$p")" || { echo "FAIL: plot $(basename "$p") differs"; exit 1; }
done
echo "report: $runs jobs emitted, run by hand and merged: same report as the direct run"
