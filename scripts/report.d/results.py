"""Reading the results directory: per run its statistics, status and
verdict, and the numbers the report shows."""
import json
import os

# Measures the tables can show (sweeps.json 'columns' picks them per scenario):
# label and how to compute it from the statistics.
def _cores(st, f):
    return sum(f(c) for c in st.get("cores", []))


def _tlb_misses(c):
    m = c.get("mmu", {})
    return m.get("l2_tlb", {}).get("misses", 0)


def _caches(st, suffix, field):
    caches = st.get("memory_hierarchy", {}).get("caches", {})
    return sum(v.get(field, 0) for k, v in caches.items() if k == suffix or k.endswith("." + suffix))


def _its_commands(st, names=None, field="count"):
    total = 0
    for name, v in st.get("its", {}).get("commands", {}).items():
        if names is None or name in names:
            total += v.get(field, 0) if isinstance(v, dict) else (v if field == "count" else 0)
    return total


MEASURES = {
    "cycles": ("cycles (all cores)", lambda st: _cores(st, lambda c: c.get("cycles", 0))),
    "instructions": ("instructions", lambda st: st.get("instructions", 0)),
    "el2_cycles": ("EL2 cycles", lambda st: _cores(st, lambda c: c.get("el", {}).get("2", {}).get("cycles", 0))),
    "el2_entries": ("exceptions to EL2",
                    lambda st: _cores(st, lambda c: c.get("el", {}).get("2", {}).get("exceptions_taken_to", 0))),
    "sim_us": ("simulated µs", lambda st: round(st.get("simulated_seconds", 0) * 1e6)),
    "walks": ("table walks", lambda st: _cores(st, lambda c: c.get("mmu", {}).get("walks", 0))),
    "walk_cycles": ("walk cycles", lambda st: _cores(st, lambda c: c.get("mmu", {}).get("walk_cycles", 0))),
    "l2_tlb_misses": ("L2 TLB misses", lambda st: _cores(st, _tlb_misses)),
    "tlb_fills": ("TLB refills (L2)",
                  lambda st: _cores(st, lambda c: c.get("mmu", {}).get("l2_tlb", {}).get("fills", 0))),
    "stage2_faults": ("stage-2 faults", lambda st: _cores(st, lambda c: c.get("mmu", {}).get("stage2_faults", 0))),
    "tlbi": ("TLBIs", lambda st: _cores(st, lambda c: sum(t.get("count", 0)
                                                           for t in c.get("mmu", {}).get("tlbi", {}).values()))),
    "l1d_misses": ("L1D misses", lambda st: _caches(st, "l1d", "misses")),
    "snoops": ("snoops", lambda st: sum(v.get("snoops", 0)
                                        for v in st.get("memory_hierarchy", {}).get("caches", {}).values())),
    "slc_misses": ("SLC misses", lambda st: _caches(st, "slc", "misses")),
    "dram_writes": ("DRAM line writes",
                    lambda st: st.get("memory_hierarchy", {}).get("dram", {}).get("line_writes", 0)),
    "cmo_lines": ("CMO lines", lambda st: sum(v.get("lines", 0)
                                             for v in st.get("memory_hierarchy", {}).get("cmo", {}).values())),
    "cmo_cycles": ("CMO cycles", lambda st: sum(v.get("cycles", 0)
                                               for v in st.get("memory_hierarchy", {}).get("cmo", {}).values())),
    "its_commands": ("ITS commands", _its_commands),
    "its_inv": ("ITS INV/INVALL", lambda st: _its_commands(st, ("INV", "INVALL"))),
    "its_sync": ("ITS SYNC", lambda st: _its_commands(st, ("SYNC",))),
    "its_command_ns": ("ITS command ns", lambda st: round(_its_commands(st, None, "ns"))),
    "its_translations": ("ITS translations", lambda st: st.get("its", {}).get("translations", 0)),
    "lpis": ("LPIs acknowledged",
             lambda st: st.get("gic", {}).get("interrupts", {}).get("LPI", {}).get("activated", 0)),
}


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def _last_words(results, rid):
    """': <hvsim's last message>' from the run's log, or ''."""
    lines = [ln.strip() for ln in (_read(os.path.join(results, rid + ".log")) or "").splitlines() if ln.strip()]
    said = [ln for ln in lines if ln.startswith("hvsim:")] or lines
    return f": {said[-1][:200]}" if said else ""


def load_result(results, run):
    """The run with its outcome: 'ok' (as expected), 'unexpected' (the
    verdict is not as the description expects) or 'failed' (no statistics,
    a timeout, the firmware's own failure), and why."""
    rid = run["id"]
    status = (_read(os.path.join(results, rid + ".status")) or "").strip()
    text = _read(os.path.join(results, rid + ".json"))
    r = dict(run, status=status, stats=None, outcome="failed", why="")
    if not status:
        r["why"] = "not run (no status file)"
        return r
    if status == "timeout":
        r["why"] = "timed out"
        return r
    if text is None:
        r["why"] = f"exit status {status}, no statistics" + _last_words(results, rid)
        return r
    try:
        st = json.loads(text)
    except json.JSONDecodeError as e:
        r["why"] = f"unreadable statistics ({e})"
        return r
    scen = st.get("scenario")
    if not isinstance(scen, dict) or "as_expected" not in scen:
        r["why"] = f"exit status {status}, statistics without a scenario verdict"
        return r
    if (scen.get("name"), scen.get("variant")) != (run["scenario"], run["variant"]):
        r["why"] = f"{rid}.json is of scenario {scen.get('name')} variant {scen.get('variant')}"
        return r
    r["stats"] = st
    r["verdict"] = scen.get("verdict", "")
    if status not in ("0", "1"):
        r["why"] = f"exit status {status} ({st.get('exit', {}).get('reason', 'unknown')})"
    elif scen["as_expected"] and status == "0":
        r["outcome"], r["why"] = "ok", scen.get("verdict", "")
    else:
        r["outcome"], r["why"] = "unexpected", scen.get("verdict", "")
    return r


def load_all(results, runs):
    if not os.path.isdir(results):
        raise FileNotFoundError(results)
    return {r["id"]: load_result(results, r) for r in runs}


def regions(r):
    return (r["stats"] or {}).get("annotations", {}).get("regions", {}) if r["stats"] else {}


def metrics(r):
    return (r["stats"] or {}).get("annotations", {}).get("metrics", {}) if r["stats"] else {}


def checker_reports(r):
    return (r["stats"] or {}).get("scenario", {}).get("checker_reports", {}) if r["stats"] else {}


def measure(r, name):
    """A measure by name: 'region:NAME' (its cycles), 'metric:NAME', or a key
    of MEASURES. None when the run has no statistics or no such value."""
    if not r["stats"]:
        return None
    if name.startswith("region:"):
        reg = regions(r).get(name[7:])
        return reg["cycles"] if reg else 0
    if name.startswith("metric:"):
        return metrics(r).get(name[7:])
    return MEASURES[name][1](r["stats"])


def measure_label(name):
    if name.startswith("region:"):
        return f"cycles in {name[7:]}"
    if name.startswith("metric:"):
        return name[7:]
    return MEASURES[name][0]
