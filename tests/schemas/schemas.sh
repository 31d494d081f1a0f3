#!/usr/bin/env bash
# Real statistics and trace files validate against docs/schemas: a firmware
# run with the cache model and both checkers on (every optional statistics
# section) and every trace category in JSON Lines; a second run with the
# same inputs writes the same trace and the same statistics (host times
# aside). A corrupted record must fail validation. Skipped (77) without
# python3-jsonschema (scripts/install-deps installs it).
#   schemas.sh HVSIM ELF SCHEMA_DIR
set -u
bin=$1 elf=$2 schemas=$3
py=python3
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import jsonschema' 2>/dev/null; then py=$p; break; fi
done
validate() { "$py" "$(dirname "$0")/validate.py" "$@"; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for run in 1 2; do
  "$bin" --kernel "$elf" --check stale --check coherency --trace all --trace-format jsonl \
    --trace-file "$dir/trace$run.jsonl" --stats "$dir/stats$run.json" </dev/null >/dev/null 2>"$dir/err$run"
  rc=$?
  [ "$rc" -eq 0 ] || { cat "$dir/err$run" >&2; echo "schemas: hvsim exit status $rc" >&2; exit 1; }
done
validate "$schemas/stats.schema.json" "$dir/stats1.json"; rc=$?
[ "$rc" -eq 0 ] || exit "$rc"
validate "$schemas/trace.schema.json" "$dir/trace1.jsonl" --jsonl --shapes || exit 1
# The insn category (not in "all"): the first 2000 instructions, disassembled.
"$bin" --kernel "$elf" --trace insn --trace-format jsonl --trace-file "$dir/insn.jsonl" --max-insns 2000 </dev/null >/dev/null 2>&1
n=$(wc -l <"$dir/insn.jsonl")
# The limit is checked between run slices: at least 2000, each an insn record.
[ "$n" -ge 2000 ] && [ "$(grep -c '"category":"insn","fields":{"event":"[a-z]' "$dir/insn.jsonl")" -eq "$n" ] ||
  { echo "schemas: expected at least 2000 disassembled insn records, got $n" >&2; exit 1; }
validate "$schemas/trace.schema.json" "$dir/insn.jsonl" --jsonl || exit 1
cmp -s "$dir/trace1.jsonl" "$dir/trace2.jsonl" || { echo "schemas: two runs wrote different traces" >&2; exit 1; }
strip_host() { "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("host"); print(json.dumps(d, sort_keys=True))' "$1"; }
[ "$(strip_host "$dir/stats1.json")" = "$(strip_host "$dir/stats2.json")" ] || { echo "schemas: two runs wrote different statistics" >&2; exit 1; }
# The validator rejects what breaks the schemas.
sed -e '1s/"core":[0-9]*/"core":"zero"/' "$dir/trace1.jsonl" | head -1 >"$dir/bad.jsonl"
if validate "$schemas/trace.schema.json" "$dir/bad.jsonl" --jsonl >/dev/null; then
  echo "schemas: a trace record with a string core validated" >&2; exit 1
fi
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["cores"][0]["mmu"]; json.dump(d, open(sys.argv[2], "w"))' \
  "$dir/stats1.json" "$dir/bad.json"
if validate "$schemas/stats.schema.json" "$dir/bad.json" >/dev/null; then
  echo "schemas: statistics without cores[0].mmu validated" >&2; exit 1
fi
echo "schemas: $(wc -l <"$dir/trace1.jsonl") trace records and the statistics are valid and reproducible"
