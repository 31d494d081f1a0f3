"""The written finding of a scenario, from its numbers only."""
from results import checker_reports, measure, measure_label, metrics, regions


def num(v):
    if v is None:
        return "n/a"
    return f"{v:,}" if isinstance(v, int) else f"{v:,.3g}"


def ratio(a, b):
    """'3.1x' for a/b; None when it is not meaningful."""
    if not a or not b:
        return None
    return f"{a / b:.1f}x" if a / b >= 1.05 else None


def fmt_value(value, unit):
    if unit == "bytes":
        for div, suffix in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
            if value >= div and value % div == 0:
                return f"{value // div} {suffix}"
        return f"{value} B"
    if unit in ("cycles", "ns", "cores", "entries"):
        v = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{v} {unit}" if unit != "entries" else v
    return str(value)


def names(xs):
    xs = list(xs)
    if len(xs) <= 1:
        return "".join(xs)
    return ", ".join(xs[:-1]) + " and " + xs[-1]


def primary_measure(base, configured):
    """The measure findings and plots are about: the first configured one the
    runs report (a region or metric some run has, or a measure), else the
    region with the most cycles over the default runs, else all cycles."""
    for m in ([configured] if isinstance(configured, str) else configured or []):
        if m.startswith("region:") and any(m[7:] in regions(r) for r in base):
            return m
        if m.startswith("metric:") and any(m[7:] in metrics(r) for r in base):
            return m
        if not m.startswith(("region:", "metric:")):
            return m
    totals = {}
    for r in base:
        for name, reg in regions(r).items():
            totals[name] = totals.get(name, 0) + reg["cycles"]
    if totals and max(totals.values()) > 0:
        return "region:" + sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return "cycles"


def correctness(scenario, base):
    variants = {v["name"]: v for v in scenario["variants"]}
    clean, caught, bad = [], [], []
    for r in base:
        v = variants[r["variant"]]
        if r["outcome"] == "failed":
            bad.append(f"FAILED: {r['variant']} did not finish ({r['why']}).")
        elif r["outcome"] == "unexpected":
            bad.append(f"NOT as expected: {r['variant']} ({r['why']}).")
        elif v["expect"] == "caught":
            n = checker_reports(r).get(v["checker"], 0)
            caught.append(f"{r['variant']} was caught by the {v['checker']} checker "
                          f"({n:,} report{'s' if n != 1 else ''})")
        else:
            clean.append(r["variant"])
    out = []
    if clean:
        tail = ""
        if all("correct" in metrics(r) for r in base if r["variant"] in clean):
            tail = " and reported correct = 1"
        out.append(f"{names(clean)} finished with every checker silent{tail}.")
    if caught:
        out.append(f"As expected, {names(caught)}.")
    return out + bad


def _per_entry(r, primary, vals):
    """' (61 per entry)' for a region entered more than once, else ''."""
    count = regions(r).get(primary[7:], {}).get("count", 0) if primary.startswith("region:") else 0
    return f" ({num(vals[r['variant']] // count)} per entry)" if count > 1 else ""


def _with_entries(r, primary, vals):
    return num(vals[r["variant"]]) + _per_entry(r, primary, vals)


def _kind(r):
    return "wrong" if r["stats"]["scenario"]["expect"] == "caught" else "declared correct"


def _among_correct(correct, primary, label, vals):
    ordered = sorted(correct, key=lambda r: (vals[r["variant"]], r["variant"]))
    best, worst = ordered[0], ordered[-1]
    x = ratio(vals[worst["variant"]], vals[best["variant"]])
    if not x:
        each = ", ".join(f"{r['variant']} {num(vals[r['variant']])}" for r in ordered)
        return [f"The correct variants spent about the same {label} ({each})."]
    middle = "".join(f"; {r['variant']} spent {_with_entries(r, primary, vals)}" for r in ordered[1:-1])
    out = [f"Of the correct variants, {best['variant']} spent the fewest {label}, "
           f"{_with_entries(best, primary, vals)}, {x} fewer than {worst['variant']}'s "
           f"{_with_entries(worst, primary, vals)}{middle}."]
    if primary != "cycles":
        tb, tw = measure(best, "cycles"), measure(worst, "cycles")
        out.append(f"Over the whole run {best['variant']} took {num(tb)} cycles and {worst['variant']} {num(tw)}"
                   + (f" ({ratio(tw, tb)})." if ratio(tw, tb) else "."))
    return out


def _one_correct(c, others, primary, label, vals):
    total = measure(c, "cycles")
    mine = vals[c["variant"]]
    share = ""
    if primary.startswith("region:") and total:
        pct = 100 * mine / total
        share = f", {pct:.0f}% of its {num(total)} cycles" if pct >= 10 else f", {pct:.2g}% of its {num(total)} cycles"
    out = [f"The correct variant {c['variant']} spent {num(mine)} {label}{_per_entry(c, primary, vals)}{share}."]
    wrong = [r for r in others if _kind(r) == "wrong"]
    if wrong and primary != "cycles":
        totals = ", ".join(f"{r['variant']}'s {num(measure(r, 'cycles'))}"
                           + (f" ({ratio(total, measure(r, 'cycles'))} as many)"
                              if ratio(total, measure(r, "cycles")) else "") for r in wrong)
        out.append(f"Over the whole run {c['variant']} took {num(total)} cycles against {totals}.")
    for r in others:
        theirs = vals[r["variant"]]
        if theirs == 0:
            out.append(f"{r['variant']} ({_kind(r)}) spent no {label}.")
        elif ratio(mine, theirs):
            out.append(f"{r['variant']} ({_kind(r)}) spent {num(theirs)}; {c['variant']} spent "
                       f"{ratio(mine, theirs)} as many.")
        elif ratio(theirs, mine):
            out.append(f"{r['variant']} ({_kind(r)}) spent {num(theirs)}, {ratio(theirs, mine)} "
                       f"as many as {c['variant']}.")
        else:
            out.append(f"{r['variant']} ({_kind(r)}) spent about the same ({num(theirs)}).")
    return out


def cost(base, primary):
    """How the variants compare on the primary measure at the default
    configuration: among the correct ones, or the one correct variant
    against the others."""
    done = [r for r in base if r["stats"]]
    label = measure_label(primary)
    vals = {r["variant"]: measure(r, primary) or 0 for r in done}
    correct = [r for r in done if r["outcome"] == "ok" and _kind(r) == "declared correct"]
    if len(correct) >= 2:
        return _among_correct(correct, primary, label, vals)
    if len(correct) == 1:
        return _one_correct(correct[0], [r for r in done if r is not correct[0]], primary, label, vals)
    return []


def _trend(sweep, label, done):
    first, last = done[0], done[-1]
    lo = min(done, key=lambda p: (p[1], p[0]))
    hi = max(done, key=lambda p: (p[1], -p[0]))
    if hi[1] - lo[1] <= 0.02 * hi[1]:
        return f"{label} did not change with {sweep['title']} ({num(first[1])} to {num(last[1])})"
    trend = "rose" if last[1] > first[1] else "fell" if last[1] < first[1] else "varied"
    text = (f"{label} {trend} from {num(first[1])} at {fmt_value(first[0], sweep['unit'])} "
            f"to {num(last[1])} at {fmt_value(last[0], sweep['unit'])}")
    x = ratio(max(first[1], last[1]), min(first[1], last[1]))
    if x:
        text += f" ({x})"
    if sweep["unit"] in ("cycles", "ns") and last[0] != first[0]:
        slope = (last[1] - first[1]) / (last[0] - first[0])
        one = sweep["unit"][:-1] if sweep["unit"] == "cycles" else sweep["unit"]
        what = " cycles" if "cycles" in label else ""
        text += f", {num(round(slope))}{what} per {one} of {sweep['title']}"
    if {lo[0], hi[0]} != {first[0], last[0]}:
        text += f", not monotonically: lowest {num(lo[1])} at {fmt_value(lo[0], sweep['unit'])}, " \
                f"highest {num(hi[1])} at {fmt_value(hi[0], sweep['unit'])}"
    return text


def sweep_finding(sweep, series, primary):
    """series: {variant: [(value, result), ...] sorted by value}, variants in
    the description's order. Variants that spend nothing on the measure at
    every point are left out unless their verdict changes."""
    label = measure_label(primary)
    out, moved = [], []
    for variant, points in series.items():
        done = [(v, measure(r, primary)) for v, r in points if r["stats"] and measure(r, primary) is not None]
        if len(done) >= 2 and any(m for _, m in done):
            moved.append(f"{variant}: {_trend(sweep, label, done)}.")
        for outcome, what in (("unexpected", "was NOT as expected"), ("failed", "FAILED")):
            at = [fmt_value(v, sweep["unit"]) for v, r in points if r["outcome"] == outcome]
            if at:
                out.append(f"{variant} {what} at {names(at)}.")
    if moved and all(" did not change " in m for m in moved):
        moved = [f"no variant's {label} changed by more than 2% with {sweep['title']}."]
    return moved + out
