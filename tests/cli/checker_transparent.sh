#!/usr/bin/env bash
# checker_transparent.sh HVSIM ELF CHECKER [ARGS...]: the statistics of a run
# with --check CHECKER equal those of the same run without it (host
# measurements and the checker's own report counts aside): a checker
# observes, it must not change timing, caches or TLBs.
set -u
bin=$1 elf=$2 checker=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" --kernel "$elf" "$@" --stats "$dir/off.json" >/dev/null 2>&1
"$bin" --kernel "$elf" "$@" --check "$checker" --check-lines 1 --stats "$dir/on.json" >/dev/null 2>&1
python3 - "$dir/off.json" "$dir/on.json" <<'PY'
import json, sys
off, on = (json.load(open(p)) for p in sys.argv[1:3])
for j in (off, on):
    for k in ("host", "stale_translation_reports", "coherency_reports", "its_check_reports", "emulation_check"):
        j.pop(k, None)
def diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            yield from diff(a.get(k), b.get(k), f"{path}.{k}")
    elif a != b:
        yield f"{path}: {a} without the checker, {b} with it"
d = list(diff(off, on))
print("\n".join(d[:20]) if d else "identical statistics")
sys.exit(1 if d else 0)
PY
