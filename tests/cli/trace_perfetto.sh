#!/usr/bin/env bash
# --trace-format perfetto on real runs, checked against the JSON Lines trace
# of the same run: the file is one JSON object {"traceEvents": [...]}, every
# core has a named track, each core's events are the JSON Lines events of
# that core (same count, names and categories) in the order of its local
# time, the ITS's commands are complete events on the ITS track, and the
# array is closed when a limit or Ctrl-C ends the run. Two runs write the
# same file.
#   trace_perfetto.sh HVSIM FIRMWARE_DIR
set -u
bin=$1 fw=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "trace_perfetto: $*" >&2; exit 1; }
run() { # OUT FORMAT ARGS...
  "$bin" --trace-format "$2" --trace-file "$dir/$1" "${@:3}" </dev/null >/dev/null 2>"$dir/err"
}
# Four cores: core events only (exc, tlb, cmo, psci, timer).
smp=(--smp 4 --kernel "$fw/smp.elf" --trace exc,tlb,cmo,psci,timer)
run smp.json perfetto "${smp[@]}" || fail "smp perfetto run: $(cat "$dir/err")"
run smp2.json perfetto "${smp[@]}" || fail "second smp perfetto run"
run smp.jsonl jsonl "${smp[@]}" || fail "smp jsonl run"
cmp -s "$dir/smp.json" "$dir/smp2.json" || fail "two runs wrote different Perfetto traces"
# The ITS and the GIC: device tracks, ITS commands as complete events.
its=(--kernel "$fw/its.elf" --trace its,gic,exc)
run its.json perfetto "${its[@]}" || fail "its perfetto run"
run its.jsonl jsonl "${its[@]}" || fail "its jsonl run"
# A limit and Ctrl-C end the run: the array is still closed.
run limit.json perfetto --kernel "$fw/stage2.elf" --trace all --max-insns 200000
[ $? -eq 124 ] || fail "--max-insns run: expected status 124"
"$bin" --kernel "$fw/bench.elf" --trace insn --trace-filter time=0s-100us --trace-format perfetto --trace-file "$dir/int.json" \
  </dev/null >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
[ $? -eq 130 ] || fail "Ctrl-C run: expected status 130"
python3 - "$dir" <<'EOF' || exit 1
import collections, json, sys
d = sys.argv[1]
def load(name):
    with open(f"{d}/{name}") as f:
        doc = json.load(f)
    assert isinstance(doc, dict) and isinstance(doc["traceEvents"], list), name
    for e in doc["traceEvents"]:
        assert e["ph"] in ("M", "i", "X") and e["pid"] == 1 and isinstance(e["tid"], int), (name, e)
        if e["ph"] != "M":
            assert isinstance(e["ts"], (int, float)) and e["ts"] >= 0 and isinstance(e["args"], dict), (name, e)
            assert e["cat"] and e["name"], (name, e)
        if e["ph"] == "i":
            assert e["s"] == "t", (name, e)
        if e["ph"] == "X":
            assert e["dur"] > 0, (name, e)
    return doc["traceEvents"]
def jsonl(name):
    with open(f"{d}/{name}") as f:
        return [json.loads(line) for line in f]
def tracks(ev):
    return {e["tid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}

ev, ref = load("smp.json"), jsonl("smp.jsonl")
assert tracks(ev) == {i: f"cpu{i}" for i in range(4)}, tracks(ev)
for core in range(4):
    mine = [e for e in ev if e["ph"] == "i" and e["tid"] == core]
    theirs = [r for r in ref if r["core"] == core]
    assert len(mine) == len(theirs) > 0, (core, len(mine), len(theirs))
    assert [(e["cat"], e["name"]) for e in mine] == [(r["category"], r["fields"]["event"]) for r in theirs], core
    assert [e["args"]["cycles"] for e in mine] == [r["cycles"] for r in theirs], core
    ts = [e["ts"] for e in mine]
    assert ts == sorted(ts), f"cpu{core}: timestamps go back"
    assert collections.Counter(e["cat"] for e in mine) == collections.Counter(r["category"] for r in theirs)

ev, ref = load("its.json"), jsonl("its.jsonl")
t = tracks(ev)
its_tid = [k for k, v in t.items() if v == "ITS"]
assert its_tid and "GIC" in t.values(), t
spans = [e for e in ev if e["ph"] == "X"]
completed = [r for r in ref if r["category"] == "its" and " completed " in r["fields"]["event"]]
assert len(spans) == len(completed) > 0, (len(spans), len(completed))
assert all(e["tid"] == its_tid[0] and e["cat"] == "its" for e in spans)
assert [e["name"] for e in spans] == [r["fields"]["event"].split(" ")[0] for r in completed]
per_cat = lambda xs, key: collections.Counter(key(x) for x in xs)
assert per_cat([e for e in ev if e["ph"] != "M"], lambda e: e["cat"]) == per_cat(ref, lambda r: r["category"])

for name in ("limit.json", "int.json"):
    assert len([e for e in load(name) if e["ph"] == "i"]) > 0, name
print("trace_perfetto: per-core tracks match the JSON Lines traces; closed after a limit and Ctrl-C")
EOF
