#!/usr/bin/env bash
# The tlbi, mmu and uart trace categories on real runs (JSON Lines):
# - tlbi (firmware stage2 on two cores, with IPAS2E1IS and VMALLE1IS): per
#   core and operation, the events and the entries they removed are the
#   statistics' TLBI counts; each broadcast TLBI of cpu0 is received by cpu1
#   (from=0, same operand); IPAS2E1 carries the IPA and VMID; the tlb
#   category no longer carries TLBIs.
# - mmu (stage2): the hypervisor's VTCR/VTTBR/HCR_EL2 and the guest's
#   SCTLR/TCR/TTBR/MAIR writes, each a change (changed = old ^ new != 0).
# - uart (hello): the bytes transmitted are the console output.
#   trace_categories.sh HVSIM FIRMWARE_DIR
set -u
bin=$1 fw=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "trace_categories: $*" >&2; exit 1; }
"$bin" --smp 2 --kernel "$fw/stage2.elf" --trace tlbi,tlb --trace-format jsonl --trace-file "$dir/tlbi.jsonl" \
  --stats "$dir/stats.json" </dev/null >/dev/null 2>&1 || fail "tlbi run failed"
"$bin" --kernel "$fw/stage2.elf" --trace mmu --trace-format jsonl --trace-file "$dir/mmu.jsonl" \
  </dev/null >/dev/null 2>&1 || fail "mmu run failed"
"$bin" --kernel "$fw/hello.elf" --trace uart --trace-format jsonl --trace-file "$dir/uart.jsonl" \
  </dev/null >"$dir/console" 2>&1 || fail "uart run failed"
python3 - "$dir" <<'PY' || exit 1
import collections, json, sys
d = sys.argv[1]
def jsonl(name):
    with open(f"{d}/{name}") as f:
        return [json.loads(line) for line in f]

ev = jsonl("tlbi.jsonl")
tlbi = [e for e in ev if e["category"] == "tlbi"]
assert not [e for e in ev if e["category"] == "tlb" and e["fields"]["event"].startswith("tlbi")], "tlb carries TLBIs"
stats = json.load(open(f"{d}/stats.json"))
for core, c in enumerate(stats["cores"]):
    mine = [e["fields"] for e in tlbi if e["core"] == core]
    count = collections.Counter(f["event"].split()[0] for f in mine)
    removed = collections.Counter()
    for f in mine:
        removed[f["event"].split()[0]] += f["removed"]
    want = c["mmu"]["tlbi"]
    assert dict(count) == {op: v["count"] for op, v in want.items()}, (core, count, want)
    assert all(removed[op] == v["removed"] for op, v in want.items()), (core, removed, want)
sent = [e["fields"] for e in tlbi if e["core"] == 0 and e["fields"]["scope"] == "broadcast"]
got = [e["fields"] for e in tlbi if e["core"] == 1 and e["fields"]["scope"] == "received"]
assert len(sent) >= 2 and len(sent) == len(got), (len(sent), len(got))
for s, g in zip(sent, got):
    assert g["from"] == 0 and g["xt"] == s["xt"] and g["event"] == s["event"], (s, g)
ipa = [f for f in sent if f["event"].startswith("IPAS2E1")]
assert ipa and all("ipa" in f and isinstance(f["vmid"], int) for f in ipa), ipa

ev = jsonl("mmu.jsonl")
regs = collections.Counter(e["fields"]["reg"] for e in ev)
for r in ("VTCR_EL2", "VTTBR_EL2", "HCR_EL2", "SCTLR_EL1", "TCR_EL1", "TTBR0_EL1", "MAIR_EL1"):
    assert regs[r] > 0, (r, regs)
for e in ev:
    f = e["fields"]
    old, new, changed = (int(f[k], 16) for k in ("old", "new", "changed"))
    assert changed == old ^ new != 0, f
assert any(int(e["fields"]["changed"], 16) & 1 for e in ev if e["fields"]["reg"] == "HCR_EL2"), "no HCR_EL2.VM change"

ev = jsonl("uart.jsonl")
tx = bytes(int(e["fields"]["byte"], 16) for e in ev if e["fields"]["event"] == "tx")
console = open(f"{d}/console", "rb").read()
assert tx and console.startswith(tx), (tx[:40], console[:40])
times = [e["time_ps"] for e in ev]
assert times == sorted(times)
print(f"trace_categories: {len(tlbi)} TLBIs match the statistics, {len(jsonl('mmu.jsonl'))} translation register changes, {len(tx)} UART bytes")
PY
