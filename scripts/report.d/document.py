"""The report as a list of blocks (headings, paragraphs, tables, plots),
built from the manifest and the results; render.py writes it as HTML and
Markdown, so the two say the same."""
from findings import correctness, cost, fmt_value, num, primary_measure, sweep_finding
from matrix import per_scenario
from plots import sweep_lines, variants_bars
from results import checker_reports, measure, measure_label, metrics, regions

DEFAULT_COLUMNS = ["cycles", "instructions", "el2_entries"]


def plural(n, word):
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def verdict_cell(r):
    if r["outcome"] == "ok":
        return ("as expected", "ok")
    if r["outcome"] == "unexpected":
        return (f"NOT as expected: {r['why']}", "bad")
    return (f"FAILED: {r['why']}", "bad")


def expected_cell(v):
    return f"caught by {v['checker']}" if v["expect"] == "caught" else "correct"


def reports_cell(r):
    reps = checker_reports(r)
    return ", ".join(f"{k} {v:,}" for k, v in sorted(reps.items())) or "-"


def command_text(run):
    parts = ["hvsim", "--scenario", run["scenario"], "--variant", run["variant"]]
    if run["smp"] is not None:
        parts += ["--smp", str(run["smp"])]
    for kv in run["set"]:
        parts += ["--set", kv]
    return " ".join(parts)


class Columns:
    """The numeric columns of a scenario's tables: the regions (cycles and
    entries) and metrics any of its runs reported, then the measures
    sweeps.json names for it."""

    def __init__(self, runs, measures):
        self.regions = sorted({n for r in runs for n in regions(r)})
        self.metrics = sorted({n for r in runs for n in metrics(r)})
        self.measures = measures

    def headers(self):
        return ([f"{n} cycles (entries)" for n in self.regions] + [f"metric {n}" for n in self.metrics]
                + [measure_label(m) for m in self.measures])

    def cells(self, r):
        if not r["stats"]:
            return ["-"] * (len(self.regions) + len(self.metrics) + len(self.measures))
        regs, mets = regions(r), metrics(r)
        out = [f"{regs[n]['cycles']:,} ({regs[n]['count']:,})" if n in regs else "-" for n in self.regions]
        out += [num(mets[n]) if n in mets else "-" for n in self.metrics]
        out += [num(measure(r, m)) for m in self.measures]
        return out


def scenario_blocks(s, manifest, by_id):
    table = manifest["table"]
    variants = [v["name"] for v in s["variants"]]
    vinfo = {v["name"]: v for v in s["variants"]}
    mine = [by_id[r["id"]] for r in manifest["runs"] if r["scenario"] == s["name"]]
    base = [by_id[r["id"]] for r in manifest["runs"] if r["scenario"] == s["name"] and r["sweep"] is None]
    primary = primary_measure(base, per_scenario(table, "primary", s["name"], None))
    cols = Columns(mine, per_scenario(table, "columns", s["name"], DEFAULT_COLUMNS))
    blocks = [("h2", f"{s['title']} ({s['name']})"), ("p", s["summary"]),
              ("p", f"Checkers: {', '.join(s['checkers']) or 'none'}; {plural(s['cpus'], 'core')} by default. Plots and findings measure {measure_label(primary)}.")]
    finding = correctness(s, base) + cost(base, primary)
    sweeps = manifest["plan"][s["name"]]
    sweep_text = {}
    series_of = {}
    for name in sweeps:
        sw = table["sweeps"][name]
        default = manifest["defaults"][s["name"]][name]
        points = {v: [] for v in variants}
        for r in mine:
            if r["sweep"] == name:
                points[r["variant"]].append((r["value"], r))
            elif r["sweep"] is None and default is not None:
                points[r["variant"]].append((default, r))
        for v in points:
            points[v].sort(key=lambda p: p[0])
        series_of[name] = points
        sweep_text[name] = sweep_finding(sw, points, primary)
    blocks.append(("h3", "Finding"))
    blocks.append(("p", " ".join(finding)))
    for name in sweeps:
        if sweep_text[name]:
            blocks.append(("p", f"{table['sweeps'][name]['title']}: " + " ".join(sweep_text[name])))

    blocks.append(("h3", "Variants at the default configuration"))
    rows = []
    for r in base:
        v = vinfo[r["variant"]]
        rows.append([(r["variant"], None), (expected_cell(v), None), verdict_cell(r), (reports_cell(r), None)]
                    + [(c, None) for c in cols.cells(r)])
    blocks.append(("table", ["variant", "expected", "verdict", "checker reports"] + cols.headers(), rows))
    groups = [n for n in cols.regions] if primary.startswith("region:") else [measure_label(primary)]
    values = {}
    for g in groups:
        key = "region:" + g if primary.startswith("region:") else primary
        values[g] = {r["variant"]: measure(r, key) for r in base}
    png = variants_bars(f"{s['name']}: {'cycles per region' if primary.startswith('region:') else measure_label(primary)}",
                        "cycles" if primary.startswith("region:") else measure_label(primary),
                        groups, variants, values, {r["variant"]: r["outcome"] == "ok" for r in base},
                        {v: v + (" (wrong)" if vinfo[v]["expect"] == "caught" else "") for v in variants})
    blocks.append(("img", f"{s['name']}-variants.png", png,
                   f"{s['name']}: {'cycles in each region' if primary.startswith('region:') else measure_label(primary)} per variant"))

    for name in sweeps:
        sw = table["sweeps"][name]
        what = "--smp" if sw["smp"] else ", ".join(sw["keys"])
        blocks.append(("h3", f"Sweep: {sw['title']} ({what})"))
        pts = series_of[name]
        xs = sorted({p[0] for v in variants for p in pts[v]})
        rows = []
        for x in xs:
            for v in variants:
                for value, r in pts[v]:
                    if value == x:
                        rows.append([(fmt_value(x, sw["unit"]), None), (v, None), verdict_cell(r),
                                     (reports_cell(r), None)] + [(c, None) for c in cols.cells(r)])
        blocks.append(("table", [sw["title"], "variant", "verdict", "checker reports"] + cols.headers(), rows))
        ys = {v: [next((measure(r, primary) for value, r in pts[v] if value == x), None) for x in xs] for v in variants}
        png = sweep_lines(f"{s['name']}: {measure_label(primary)}", sw["title"], measure_label(primary),
                          [fmt_value(x, sw["unit"]) for x in xs], ys)
        blocks.append(("img", f"{s['name']}-sweep-{name}.png", png,
                       f"{s['name']}: {measure_label(primary)} against {sw['title']}"))
    return blocks


def build(manifest, by_id, header):
    runs = [by_id[r["id"]] for r in manifest["runs"]]
    bad = [r for r in runs if r["outcome"] != "ok"]
    blocks = [("h1", "hvsim scenario report"), ("header", header),
              ("p", f"{plural(len(manifest['scenarios']), 'scenario')}, {plural(len(runs), 'run')} "
                    f"({'quick' if manifest['quick'] else 'full'} matrix) on {manifest['version']}: "
                    f"{len(runs) - len(bad)} as expected, "
                    f"{sum(r['outcome'] == 'unexpected' for r in runs)} not as expected, "
                    f"{sum(r['outcome'] == 'failed' for r in runs)} failed. A correct variant must finish with "
                    f"every checker silent; a wrong one must be caught by the checker its description names "
                    f"(docs/scenarios.md).")]
    if bad:
        blocks.append(("h2", "Runs not as expected"))
        blocks.append(("table", ["run", "verdict"], [[(r["id"], None), verdict_cell(r)] for r in bad]))
    for s in manifest["scenarios"]:
        blocks += scenario_blocks(s, manifest, by_id)
    blocks.append(("h2", "Runs"))
    blocks.append(("p", "Every run of the matrix with its command line (each also takes --stats FILE)."))
    blocks.append(("table", ["run", "command line", "verdict"],
                   [[(r["id"], None), (command_text(r), "code"), verdict_cell(r)] for r in runs]))
    return blocks
