#!/usr/bin/env bash
# scripts/report --quick into a temporary directory: it exits 0 and writes
# report.html (self-contained) and report.md (with its plots beside it),
# each naming every scenario `hvsim --list-scenarios json` lists.
#   quick.sh HVSIM SOURCE_DIR
set -euo pipefail
hvsim="$1" src="$2"
/usr/bin/python3 -c "import matplotlib" 2>/dev/null || { echo "skipped: python3-matplotlib is not installed (scripts/install-deps)"; exit 77; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

status=0
"$src/scripts/report" --quick --hvsim "$hvsim" --out "$tmp/out" -j 2 || status=$?
[ "$status" -eq 0 ] || { echo "FAIL: scripts/report --quick exited $status"; exit 1; }
html="$tmp/out/report.html" md="$tmp/out/report.md"
for f in "$html" "$md"; do [ -s "$f" ] || { echo "FAIL: $f is missing or empty"; exit 1; }; done

names="$("$hvsim" --list-scenarios json | /usr/bin/python3 -c 'import json, sys; print(" ".join(s["name"] for s in json.load(sys.stdin)))')"
[ -n "$names" ] || { echo "FAIL: hvsim lists no scenario"; exit 1; }
for n in $names; do
  grep -q "^## .* ($n)\$" "$md" || { echo "FAIL: report.md has no section for scenario $n"; exit 1; }
  grep -q "<h2>.* ($n)</h2>" "$html" || { echo "FAIL: report.html has no section for scenario $n"; exit 1; }
  grep -q "^### Finding" "$md" || { echo "FAIL: report.md has no finding"; exit 1; }
done

# Self-contained: every image inline, nothing fetched from elsewhere.
grep -q '<img alt="[^"]*" src="data:image/png;base64,' "$html" || { echo "FAIL: report.html has no inline plot"; exit 1; }
if grep -Eq '(src|href)="(https?:|//|[^d#][^a])' "$html"; then echo "FAIL: report.html refers to an external asset"; exit 1; fi
# The Markdown twin's plots exist beside it.
grep -o '](plots/[^)]*)' "$md" | sed 's/^](//; s/)$//' | while read -r p; do
  [ -s "$tmp/out/$p" ] || { echo "FAIL: report.md refers to a missing $p"; exit 1; }
done
echo "report: quick report with scenarios: $names"
